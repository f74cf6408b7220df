// Cold start: a fresh Node process imports the package (read + compile + instantiate the wasm) and signs once.
// Timed inside the process, so Node's own start-up is not counted; median of 15 processes, ESM and CJS, on
// Node 20 (this machine's) and on Node 22 and 24 (tests/setup.sh installs them).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { machine } from './lib/measure.mjs'

const sign = `({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  { key: '192006250b4c09247ec02edce69f6a2d', signType: 'HMAC-SHA256' })`
const scripts = {
  'ESM import': `const t0 = performance.now(); const w = await import('wechatpay-wasm'); const t1 = performance.now();
    w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`,
  'CJS require': `const t0 = performance.now(); const w = require('wechatpay-wasm'); const t1 = performance.now();
    w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`,
}
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1]
const nodes = { [process.version]: process.execPath }
for (const v of [22, 24]) {
  const bin = new URL(`../tests/node_modules/node${v}/bin/node`, import.meta.url).pathname
  if (existsSync(bin)) nodes[execFileSync(bin, ['--version']).toString().trim()] = bin
}
const rows = [`cold start, ${machine()} (median of 15 fresh processes)`, '',
  '| Node | entry | import | first signV2 | total |', '|---|---|---:|---:|---:|']
for (const [version, node] of Object.entries(nodes)) {
  for (const [name, code] of Object.entries(scripts)) {
    const runs = Array.from({ length: 15 }, () => JSON.parse(execFileSync(node,
      name.startsWith('ESM') ? ['--input-type=module', '-e', code] : ['-e', code], { cwd: import.meta.dirname })))
    const [imp, first] = [median(runs.map((r) => r[0])), median(runs.map((r) => r[1]))]
    rows.push(`| ${version} | ${name} | ${imp.toFixed(1)} ms | ${first.toFixed(2)} ms | ${median(runs.map((r) => r[0] + r[1])).toFixed(1)} ms |`)
  }
}
console.log(rows.join('\n'))
