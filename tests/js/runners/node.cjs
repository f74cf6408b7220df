// Node (and Bun) CommonJS: `require` resolves the package's node/require condition.
const api = require('wechatpay-wasm')

if (!require.resolve('wechatpay-wasm').endsWith('node.cjs')) throw new Error('require did not resolve dist/node.cjs')
import('../.bundle/suite.mjs').then(async ({ run }) => {
  const result = await run(api, { log: console.log })
  console.log('RESULT ' + JSON.stringify(result))
})
