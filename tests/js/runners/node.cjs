// Node (and Bun) CommonJS: `require` resolves the package's node/require condition (Bun: its bun condition, an
// ES module it can require).
const api = require('wechatpay-wasm')

const entry = process.versions.bun ? 'bun.mjs' : 'node.cjs'
if (!require.resolve('wechatpay-wasm').endsWith(entry)) throw new Error(`require did not resolve dist/${entry}`)
import('../.bundle/suite.mjs').then(async ({ run }) => {
  const result = await run(api, { log: console.log })
  console.log('RESULT ' + JSON.stringify(result))
})
