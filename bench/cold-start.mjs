// Cold start: a fresh Node process imports the package (read + compile + instantiate the wasm) and signs once.
// Timed inside the process, so Node's own start-up is not counted; median of 15 processes, ESM and CJS, on
// Node 20 (this machine's) and on Node 22 and 24 (tests/setup.sh installs them). With DIST arguments (the dist/
// of builds to compare), each is measured, the processes of every build taking turns.
// Usage: node bench/cold-start.mjs [DIST …]   (default: the package installed in bench/)
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { machine } from './lib/measure.mjs'

const sign = `({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  { key: '192006250b4c09247ec02edce69f6a2d', signType: 'HMAC-SHA256' })`
const scripts = (dist) => {
  const [esm, cjs] = dist ? [JSON.stringify(join(resolve(dist), 'node.mjs')), JSON.stringify(join(resolve(dist), 'node.cjs'))]
    : ["'wechatpay-wasm'", "'wechatpay-wasm'"]
  return {
    'ESM import': `const t0 = performance.now(); const w = await import(${esm}); const t1 = performance.now();
      w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`,
    'CJS require': `const t0 = performance.now(); const w = require(${cjs}); const t1 = performance.now();
      w.signV2${sign}; const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]))`,
  }
}
const dists = process.argv.length > 2 ? process.argv.slice(2) : [null]
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1]
const nodes = { [process.version]: process.execPath }
for (const v of [22, 24]) {
  const bin = new URL(`../tests/node_modules/node${v}/bin/node`, import.meta.url).pathname
  if (existsSync(bin)) nodes[execFileSync(bin, ['--version']).toString().trim()] = bin
}
const rows = [`cold start, ${machine()} (median of 15 fresh processes)`, '',
  `| Node | entry |${dists.length > 1 ? ' build |' : ''} import | first signV2 | total |`,
  `|---|---|${dists.length > 1 ? '---|' : ''}---:|---:|---:|`]
for (const [version, node] of Object.entries(nodes)) {
  for (const entry of ['ESM import', 'CJS require']) {
    const runs = dists.map(() => [])
    for (let i = 0; i < 15; i++) {
      dists.forEach((dist, d) => {
        const code = scripts(dist)[entry]
        runs[d].push(JSON.parse(execFileSync(node, entry.startsWith('ESM') ? ['--input-type=module', '-e', code] : ['-e', code],
          { cwd: import.meta.dirname })))
      })
    }
    dists.forEach((dist, d) => {
      const [imp, first] = [median(runs[d].map((r) => r[0])), median(runs[d].map((r) => r[1]))]
      const build = dists.length > 1 ? ` ${dist} |` : ''
      rows.push(`| ${version} | ${entry} |${build} ${imp.toFixed(1)} ms | ${first.toFixed(2)} ms | ${median(runs[d].map((r) => r[0] + r[1])).toFixed(1)} ms |`)
    })
  }
}
console.log(rows.join('\n'))
