// Cloudflare Workers (workerd): importing a .wasm yields a compiled WebAssembly.Module.
import wasmModule from './wechatpay_wasm_bg.wasm'
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'
import { webCryptoHost } from '../host-webcrypto.js'
import { useHost } from '../v3-host.js'

attach(initSync({ module: wasmModule }))
// notifications' AES-GCM on WebCrypto: 66 µs against 80 µs in wasm (1 KB verify + decrypt)
useHost(webCryptoHost, { aesForNotifications: true })
export * from '../index.js'
