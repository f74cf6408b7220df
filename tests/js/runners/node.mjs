// Node ESM, Deno and Bun: `import` resolves the package's node, deno or bun condition.
import * as api from 'wechatpay-wasm'
import { run } from '../.bundle/suite.mjs'

const entry = globalThis.Deno ? 'deno.mjs' : globalThis.Bun ? 'bun.mjs' : 'node.mjs'
if (!import.meta.resolve('wechatpay-wasm').endsWith(entry)) throw new Error(`import did not resolve dist/${entry}`)

const result = await run(api, { log: console.log })
console.log('RESULT ' + JSON.stringify(result))
