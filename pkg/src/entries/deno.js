// Deno: a source-phase import hands over the compiled WebAssembly.Module through Deno's module loader, which
// needs no permission (reading the file would need --allow-read). RSA on WebCrypto; notifications' AES-GCM in
// wasm: 221 µs against 226 µs on WebCrypto (1 KB verify + decrypt).
import source wasmModule from './wechatpay_wasm_bg.wasm'
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'
import { webCryptoHost } from '../host-webcrypto.js'
import { useHost } from '../v3-host.js'

attach(initSync({ module: wasmModule }))
useHost(webCryptoHost, { aesForNotifications: false })
export * from '../index.js'
