// Node (and Deno, Bun) ESM: the wasm file sits beside this bundle.
import { readFileSync } from 'node:fs'
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'

attach(initSync({ module: readFileSync(new URL('./wechatpay_wasm_bg.wasm', import.meta.url)) }))
export * from '../index.js'
