// Node CommonJS (bundled to dist/node.cjs): `__dirname` is the bundle's folder at run time.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { initSync } from '../../gen/wechatpay_wasm.js'
import { attach } from '../boundary.js'
import { nodeHost } from '../host-node.js'
import { useHost } from '../v3-host.js'

attach(initSync({ module: readFileSync(join(__dirname, 'wechatpay_wasm_bg.wasm')) }))
useHost(nodeHost, { aesForNotifications: true }) // as node-esm.js
export * from '../index.js'
