// Browsers and bundlers: the .wasm is fetched beside this module (bundlers emit it as an asset); the top-level
// await makes `import` itself wait, so callers never call an init function.
import init from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'
import { webCryptoHost } from '../host-webcrypto.js'
import { useHost } from '../v3-host.js'

attach(await init({ module_or_path: new URL('./wechatpay_wasm_bg.wasm', import.meta.url) }))
// notifications' AES-GCM in wasm: 73-75 µs against 76-79 µs with WebCrypto (Chromium, 1 KB verify + decrypt)
useHost(webCryptoHost, { aesForNotifications: false })
export * from '../index.js'
