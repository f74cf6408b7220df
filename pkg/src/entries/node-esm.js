// Node ESM: the wasm file sits beside this bundle; RSA on node:crypto.
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'
import { nodeHost } from '../host-node.js'
import { useHost } from '../v3-host.js'

// fs as CommonJS hands it out (Node >= 20.16 and 22.3), not `import … from 'node:fs'`: building the ES module
// face of node:fs reads every export, and its `promises` getter loads fs/promises and the streams behind it,
// which was a third of a cold `import` of this package (bench/cold-start.mjs). Older Node 20 releases import it.
const { readFileSync } = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'))
attach(initSync({ module: readFileSync(new URL('./wechatpay_wasm_bg.wasm', import.meta.url)) }))
// notifications' AES-GCM on node:crypto: 70 µs against 78 µs in wasm (1 KB verify + decrypt)
useHost(nodeHost, { aesForNotifications: true })
export * from '../index.js'
