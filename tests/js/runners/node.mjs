// Node ESM, Deno and Bun: `import` resolves the package's node/deno condition.
import * as api from 'wechatpay-wasm'
import { run } from '../.bundle/suite.mjs'

const result = await run(api, { log: console.log })
console.log('RESULT ' + JSON.stringify(result))
