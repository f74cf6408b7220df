// Cloudflare Workers (workerd): importing a .wasm yields a compiled WebAssembly.Module.
import wasmModule from './wechatpay_wasm_bg.wasm'
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'

attach(initSync({ module: wasmModule }))
export * from '../index.js'
