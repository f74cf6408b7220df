// Runs the API v3 snippets of a README against the packed package in tests/node_modules (tests/js/run.mjs
// installs it): each snippet is the first ```js block under its heading below, so the sections can move from
// pkg/README-v3.md into README.md with only the path changing. WeChat's side is played with the package itself:
// notifications signed with the official test key, and a fake api.mch.weixin.qq.com that verifies the request's
// Authorization and signs its answer.
// Usage: node tests/js/readme-v3.mjs [markdown path]   (default pkg/README-v3.md)
import { spawn, execFileSync } from 'node:child_process'
import { verify as rsaVerify, createPublicKey } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as api from 'wechatpay-wasm'

const tests = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(tests, '.work/readme-v3')
const vector = (name) => readFileSync(join(tests, 'vectors', name), 'utf8')
const PRIVATE_KEY = vector('official_test_private_key.pem') // the merchant's, and WeChat's stand-in
const PUBLIC_KEY = vector('official_test_public_key.pem')
const MERCHANT_SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'
const PUB_KEY_ID = 'PUB_KEY_ID_0114232204102025021100381800000000'
const API_V3_KEY = '0123456789abcdef0123456789abcdef'
const PREPAY_ID = 'wx27160000000000000000000000000002'
const ENV = { WECHATPAY_PUBLIC_KEY_ID: PUB_KEY_ID, WECHATPAY_APIV3_KEY: API_V3_KEY }

/** The first ```js block under each heading of `markdown`, by heading text. */
export function snippetsByHeading(markdown) {
  const found = {}
  for (const section of markdown.split(/^#{2,3} /m).slice(1)) {
    const heading = section.slice(0, section.indexOf('\n')).trim()
    const code = /```js\n([\s\S]*?)```/.exec(section)
    if (code) found[heading] = code[1]
  }
  return found
}

/** A signed notification as WeChat Pay sends it; `tamper` alters the body after signing. */
async function notification({ tamper = false } = {}) {
  const wechat = api.createSigner({ mchid: '1900007291', serialNo: PUB_KEY_ID, privateKey: PRIVATE_KEY })
  const transaction = { mchid: '1900007291', appid: 'wxd678efh567hg6787', out_trade_no: 'SOAP20261127001',
    transaction_id: '4200000000202611270000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 888, payer_total: 888, currency: 'CNY' } }
  const body = JSON.stringify({ id: 'EV-2026112700000001', create_time: '2026-11-27T12:00:00+08:00',
    resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', ...api.encryptResource(transaction, API_V3_KEY, { associatedData: 'transaction' }) } })
  const headers = { ...(await wechat.responseHeaders({ body })), 'Content-Type': 'application/json' }
  return { method: 'POST', headers, body: tamper ? body.replace('EV-2026112700000001', 'EV-2026112700000002') : body }
}

/** Posts a genuine and a tampered notification: 204, then 401 with ERR_SIGNATURE_MISMATCH. */
async function driveNotifications(post) {
  const ok = await post(await notification())
  if (ok.status !== 204) return `a genuine notification got ${ok.status} ${await ok.text()}`
  const forged = await post(await notification({ tamper: true }))
  const reply = await forged.text()
  if (forged.status !== 401 || JSON.parse(reply).message !== 'ERR_SIGNATURE_MISMATCH') {
    return `a tampered notification got ${forged.status} ${reply}`
  }
  return null
}

/** WeChat Pay's API for the Node snippets: verifies the Authorization as WeChat does, signs its answer. */
const FAKE_WECHAT = `import { createSigner, createVerifier } from 'wechatpay-wasm'
const merchants = createVerifier({ keys: { ${JSON.stringify(MERCHANT_SERIAL)}: ${JSON.stringify(PUBLIC_KEY)} } })
const wechat = createSigner({ mchid: '1900007291', serialNo: ${JSON.stringify(PUB_KEY_ID)}, privateKey: ${JSON.stringify(PRIVATE_KEY)} })
globalThis.fetch = async (input, init = {}) => {
  const url = new URL(String(input))
  if (url.origin + url.pathname !== 'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi') throw new Error('offline: ' + url)
  try {
    await merchants.verifyRequest({ method: init.method, url: url.pathname + url.search, headers: init.headers, body: init.body })
  } catch (e) {
    return Response.json({ code: 'SIGN_ERROR', message: e.code }, { status: 401 })
  }
  const body = JSON.stringify({ prepay_id: ${JSON.stringify(PREPAY_ID)} })
  return new Response(body, { headers: await wechat.responseHeaders({ body }) })
}
`

/** Runs a Node snippet in its own folder (with apiclient_key.pem and pub_key.pem); resolves its output. */
function runNode(name, code, { env = {}, until } = {}) {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'apiclient_key.pem'), PRIVATE_KEY)
  writeFileSync(join(dir, 'pub_key.pem'), PUBLIC_KEY)
  writeFileSync(join(work, 'fake-wechat.mjs'), FAKE_WECHAT)
  writeFileSync(join(dir, 'snippet.mjs'), `import '../fake-wechat.mjs'\n${code}`)
  const child = spawn(process.execPath, ['snippet.mjs'], { cwd: dir, env: { ...process.env, ...ENV, ...env } })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise((resolve) => child.on('close', (status) => resolve(status)))
  if (!until) return exited.then((status) => ({ status, out }))
  return until(() => out).finally(() => child.kill()).then((problem) => ({ status: 0, out, problem }))
}

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  })
})

const checks = {
  async 'API v3 notifications, in a Worker'(code) {
    const dir = join(work, 'worker')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'snippet.mjs'), code)
    execFileSync(join(tests, 'node_modules/.bin/esbuild'), [join(dir, 'snippet.mjs'), '--bundle', '--format=esm',
      '--platform=neutral', '--conditions=workerd,worker,browser', '--external:*.wasm', `--outfile=${join(dir, 'worker.mjs')}`,
      '--log-level=warning'], { cwd: tests })
    writeFileSync(join(dir, 'wechatpay_wasm_bg.wasm'), readFileSync(join(tests, 'node_modules/wechatpay-wasm/dist/wechatpay_wasm_bg.wasm')))
    const { Miniflare } = await import(join(tests, 'node_modules/miniflare/dist/src/index.js'))
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'worker.mjs'),
      modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-04-01',
      bindings: { ...ENV, WECHATPAY_PUBLIC_KEY: PUBLIC_KEY },
      handleRuntimeStdio: (stdout, stderr) => { stdout.resume(); stderr.resume() }, // the snippet's console.log
    })
    try {
      return await driveNotifications((init) => mf.dispatchFetch('http://localhost/notify', init))
    } finally {
      await mf.dispose()
    }
  },

  async 'API v3 notifications, in Node'(code) {
    const port = await freePort()
    const { problem, out } = await runNode('node-notify', code, {
      env: { PORT: String(port) },
      async until(output) {
        const post = (init) => fetch(`http://127.0.0.1:${port}/notify`, init)
        for (let i = 0; i < 100; i++) {
          try {
            await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' })
            break
          } catch {
            await new Promise((r) => setTimeout(r, 50))
          }
        }
        return (await driveNotifications(post)) ?? (output().includes('paid SOAP20261127001 888') ? null : 'no "paid" line')
      },
    })
    return problem && `${problem}\n${out}`
  },

  async 'API v3 `wx.requestPayment` parameters'(code) {
    const { status, out } = await runNode('request-payment', code)
    const field = (name) => new RegExp(`${name}: '([^']*)'`).exec(out)?.[1]
    const message = `wxd678efh567hg6787\n${field('timeStamp')}\n${field('nonceStr')}\n${field('package')}\n`
    const verified = status === 0 && field('signType') === 'RSA' &&
      field('package') === 'prepay_id=wx201410272009395522657a690389285100' &&
      rsaVerify('sha256', Buffer.from(message), createPublicKey(PUBLIC_KEY), Buffer.from(field('paySign') ?? '', 'base64'))
    return verified ? null : out
  },

  async 'API v3 requests: the `Authorization` header'(code) {
    const { status, out } = await runNode('authorization', code)
    return status === 0 && out.trim() === PREPAY_ID ? null : out
  },
}

/** Runs every snippet; `{passed, failed, failures}` as tests/js/run.mjs reports runtimes. */
export async function runReadmeV3(markdownPath = join(tests, '../pkg/README-v3.md')) {
  const found = snippetsByHeading(readFileSync(markdownPath, 'utf8'))
  const failures = []
  for (const [heading, check] of Object.entries(checks)) {
    let problem
    try {
      problem = found[heading] === undefined ? 'no ```js block under this heading' : await check(found[heading])
    } catch (e) {
      problem = String(e.stack || e)
    }
    if (problem) failures.push({ name: `readme: ${heading}`, info: problem.slice(-1500) })
  }
  return { passed: Object.keys(checks).length - failures.length, failed: failures.length, failures }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runReadmeV3(process.argv[2])
  for (const f of result.failures) console.log(`FAIL ${f.name}\n${f.info}`)
  console.log(`${result.passed} passed, ${result.failed} failed`)
  process.exit(result.failed ? 1 : 0)
}
