// One RSA signature through the package inside workerd (miniflare), beside crypto.subtle.sign called directly.
// workerd freezes Date.now()/performance.now() during compute, so the time is measured from Node: the wall
// time of a request that signs n times minus that of a request that signs 0 times, divided by n; median of 7.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { PRIVATE_KEY, MCHID, SERIAL } from './lib/fixtures.mjs'

const dir = join(import.meta.dirname, '.work/workerd')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'entry.mjs'), `
import { createSigner } from 'wechatpay-wasm'
const signer = createSigner({ mchid: ${JSON.stringify(MCHID)}, serialNo: ${JSON.stringify(SERIAL)}, privateKey: ${JSON.stringify(PRIVATE_KEY)} })
const der = Uint8Array.from(atob(${JSON.stringify(PRIVATE_KEY.replace(/-----[^-]+-----|\s/g, ''))}), (c) => c.charCodeAt(0))
const key = crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign'])
const message = new TextEncoder().encode('wxd678efh567hg6787\\n1554208460\\n593BEC0C930BF1AFEB40B4A08C8FB242\\nprepay_id=wx201410272009395522657a690389285100\\n')
const ops = {
  package: () => signer.sign(message),
  subtle: async () => crypto.subtle.sign('RSASSA-PKCS1-v1_5', await key, message),
}
export default {
  async fetch(request) {
    const url = new URL(request.url)
    const op = ops[url.searchParams.get('op')]
    for (let i = 0, n = Number(url.searchParams.get('n')); i < n; i++) await op()
    return new Response('ok')
  },
}`)
execFileSync(join(import.meta.dirname, 'node_modules/.bin/esbuild'), [join(dir, 'entry.mjs'), '--bundle', '--format=esm',
  '--platform=neutral', '--conditions=workerd,worker,browser', '--external:*.wasm', `--outfile=${join(dir, 'worker.mjs')}`, '--log-level=warning'])
copyFileSync(join(import.meta.dirname, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm'), join(dir, 'wechatpay_wasm_bg.wasm'))

const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, 'worker.mjs'),
  modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
})
const wall = async (op, n) => {
  const t = performance.now()
  await (await mf.dispatchFetch(`http://localhost/?op=${op}&n=${n}`)).text()
  return performance.now() - t
}
const N = 100
const rows = ['| operation | per signature (CPU) |', '|---|---:|']
for (const op of ['package', 'subtle']) {
  await wall(op, N) // warm-up: the key import and the first compile happen here
  const samples = []
  for (let i = 0; i < 7; i++) samples.push(((await wall(op, N)) - (await wall(op, 0))) / N)
  samples.sort((a, b) => a - b)
  rows.push(`| ${op === 'package' ? 'wechatpay-wasm signer.sign (WebCrypto inside)' : 'crypto.subtle.sign directly'} | ${samples[3].toFixed(3)} ms |`)
}
await mf.dispose()
console.log(`RSA-2048 PKCS#1 v1.5 SHA-256 sign in workerd (miniflare 4.20260426.0), median of 7 × ${N}\n\n${rows.join('\n')}`)
