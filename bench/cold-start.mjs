// Cold start: a fresh Node process imports the package (read, compile and instantiate the wasm, the JS glue) and
// signs once. Timed inside the process with performance.now(), so Node's own start-up is not counted; ESM and
// CJS on Node 20 (this machine's) and on Node 22 and 24 (tests/setup.sh installs them). Every (Node, entry) pair
// runs once per round, the rounds taking turns, so load on the machine hits all of them alike; each row is the
// median of 21 rounds. Usage: node cold-start.mjs [package name …] (default wechatpay-wasm; several are
// interleaved too, e.g. a copy of an earlier build installed under another name, to compare the two)
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { machine } from './lib/measure.mjs'

const ROUNDS = 21
const packages = process.argv.slice(2).length ? process.argv.slice(2) : ['wechatpay-wasm']
const sign = `({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  { key: '192006250b4c09247ec02edce69f6a2d', signType: 'HMAC-SHA256' })`
const scripts = (pkg) => ({
  'ESM `import`': ['--input-type=module', '-e', `const t0 = performance.now(); const w = await import('${pkg}'); const t1 = performance.now();
    w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`],
  'CJS `require`': ['-e', `const t0 = performance.now(); const w = require('${pkg}'); const t1 = performance.now();
    w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`],
})
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const nodes = { [process.version]: process.execPath }
for (const v of [22, 24]) {
  const bin = new URL(`../tests/node_modules/node${v}/bin/node`, import.meta.url).pathname
  if (existsSync(bin)) nodes[execFileSync(bin, ['--version']).toString().trim()] = bin
}
const cases = Object.entries(nodes).flatMap(([version, node]) => packages.flatMap((pkg) =>
  Object.entries(scripts(pkg)).map(([entry, args]) => ({ version, node, entry: (packages.length > 1 ? pkg + ', ' : '') + entry, args, runs: [] }))))
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) c.runs.push(JSON.parse(execFileSync(c.node, c.args, { cwd: import.meta.dirname })))
}
const rows = [`cold start, ${machine()} (median of ${ROUNDS} fresh processes, interleaved)`, '',
  '| Node | entry | import | first `signV2` | total |', '|---|---|---:|---:|---:|']
for (const { version, entry, runs } of cases) {
  const [imp, first, total] = [median(runs.map((r) => r[0])), median(runs.map((r) => r[1])), median(runs.map((r) => r[0] + r[1]))]
  rows.push(`| ${version.slice(1)} | ${entry} | ${imp.toFixed(1)} ms | ${first.toFixed(2)} ms | ${total.toFixed(1)} ms |`)
}
console.log(rows.join('\n'))
