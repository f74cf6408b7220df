// The JS suite: the vector files of tests/vectors through the package's public API, plus what only JS can
// test (error class, malformed-input sweep). Runtime-agnostic: each runner in ./runners imports the package its
// own way and calls `run(api)`; this module is bundled (vectors and PEM files inlined) by ./bundle.mjs.
import errorCodes from '../vectors/error_codes.json' with { type: 'json' }
import { vectorFiles, files } from './vector-files.mjs'
import { sweep } from './sweep.mjs'

/**
 * Calls the public function a case names: `name`, or `factory().method` — the factory called with the case's
 * `setup` arguments, then the method of what it returned with `args`.
 */
export async function call(api, fn, args, setup = []) {
  const [, factory, method] = /^(\w+)\(\)\.(\w+)$/.exec(fn) || [, fn]
  if (typeof api[factory] !== 'function') throw new Error(`the package exports no function ${factory}`)
  if (!method) return await api[factory](...args)
  const object = api[factory](...setup)
  return await object[method](...args)
}

/** Expands the vector argument helpers ($concat, $repeat, $file, $bytes, $returns; JS-only cases: $bigint, $map, $hex). */
export function expand(v) {
  if (Array.isArray(v)) return v.map(expand)
  if (v === null || typeof v !== 'object') return v
  const keys = Object.keys(v)
  if (keys.length === 1) {
    const [k] = keys
    const arg = v[k]
    if (k === '$concat') return arg.map(expand).join('')
    if (k === '$repeat') return arg[0].repeat(arg[1])
    if (k === '$file') return files[arg]
    if (k === '$bytes') return new TextEncoder().encode(expand(arg))
    if (k === '$hex') return Uint8Array.from(arg.match(/../g), (h) => parseInt(h, 16))
    if (k === '$returns') return () => arg
    if (k === '$bigint') return BigInt(arg)
    if (k === '$map') return new Map(arg)
  }
  return Object.fromEntries(keys.map((k) => [k, expand(v[k])]))
}

function deepEqual(a, b) {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]))
}

const show = (v) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? String(x) : x))
  return s && s.length > 300 ? s.slice(0, 300) + '…' : s
}

/** Secrets used in the vectors: no error message may contain one. */
const SECRETS = ['192006250b4c09247ec02edce69f6a2d', 'qazwsxedcrfvtgbyhnujmikolp111111', 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC',
  'MIIEogIBAAKCAQEAptpm', '0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']

const base64Bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
/** The DER of a PEM (the first block; text around it ignored), for WebCrypto in the checks below. */
const der = (pem) => base64Bytes(pem.slice(pem.indexOf('-----BEGIN')).replace(/-----[^-]+-----|\s/g, ''))

let keyImports = 0

/**
 * Wraps functions of both hosts until the returned function is called: `crypto.subtle[subtleName]`, and in
 * Node `node:crypto`'s `nodeNames`, patched in its exports and synced into its ESM namespace (the package
 * reads them from there).
 */
function patchHosts(subtle, subtleName, nodeNames, wrap) {
  const restores = []
  const patch = (object, name) => {
    const original = object[name]
    object[name] = wrap(original)
    restores.push(() => (object[name] = original))
  }
  patch(subtle, subtleName)
  const builtin = globalThis.process?.getBuiltinModule
  // Node itself: not Deno, Bun or workerd's nodejs_compat, which offer a `process` too but use WebCrypto here
  const isNode = typeof builtin === 'function' && !globalThis.Deno && !globalThis.process.versions.bun &&
    globalThis.navigator?.userAgent !== 'Cloudflare-Workers'
  const sync = () => isNode && builtin('node:module').syncBuiltinESMExports()
  if (isNode) {
    const nodeCrypto = builtin('node:crypto')
    for (const name of nodeNames) patch(nodeCrypto, name)
    sync()
  }
  return () => {
    for (const restore of restores) restore()
    sync()
  }
}

/** Counts the key imports of both hosts (WebCrypto's importKey, node:crypto's createPrivateKey/createPublicKey). */
function countKeyImports(subtle) {
  keyImports = 0
  return patchHosts(subtle, 'importKey', ['createPrivateKey', 'createPublicKey'],
    (original) => function (...args) { keyImports++; return original.apply(this, args) })
}

/** API v3 beyond known answers: randomised outputs checked by round trips through the host's WebCrypto. */
async function v3RoundTrips(api, check) {
  const privateKey = files['official_test_private_key.pem']
  const publicKey = files['official_test_public_key.pem']
  const apiV3Key = '0123456789abcdef0123456789abcdef'
  const wechat = api.createSigner({ mchid: '1900007291', serialNo: 'PUB_KEY_ID_01', privateKey })
  const verifier = api.createVerifier({ keys: { PUB_KEY_ID_01: publicKey } })
  check('v3 signer: mchid and serialNo readable, no key in toString',
    wechat.mchid === '1900007291' && wechat.serialNo === 'PUB_KEY_ID_01' && !String(wechat).includes('MII'))

  let ok = true
  for (let i = 0; i < 20; i++) {
    const body = crypto.getRandomValues(new Uint8Array(i * 37))
    const headers = await wechat.responseHeaders({ body })
    const r = await verifier.verifyResponse({ status: 200, headers, body })
    ok &&= r.verified && r.nonce === headers['Wechatpay-Nonce'] && /^\d+$/.test(headers['Wechatpay-Timestamp'])
  }
  check('v3 responseHeaders → verifyResponse: random byte bodies, current time, random nonces', ok)

  const transaction = { appid: 'wxd678efh567hg6787', mchid: '1900007291', out_trade_no: 'SOAP20261127001',
    transaction_id: '4200000000202611270000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 888, currency: 'CNY' }, promotion_detail: [{ amount: 1 }] }
  const body = JSON.stringify({ id: 'EV-1', create_time: '2026-11-27T12:00:00+08:00', resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', ...api.encryptResource(transaction, apiV3Key, { associatedData: 'transaction' }) } })
  const opened = await verifier.verifyNotification({ headers: new Headers(await wechat.responseHeaders({ body })), body }, { apiV3Key })
  check('v3 encryptResource → verifyNotification (Headers object, random GCM nonce)',
    opened.eventType === 'TRANSACTION.SUCCESS' && JSON.stringify(opened.resource) === JSON.stringify(transaction))

  // the caller's buffer changes while the verification awaits: the resource returned is the one verified
  const forged = JSON.stringify({ ...JSON.parse(body), resource: JSON.parse(body).resource })
  const bytes = new TextEncoder().encode(body)
  const pending = verifier.verifyNotification({ headers: await wechat.responseHeaders({ body }), body: bytes }, { apiV3Key })
  bytes.set(new TextEncoder().encode(forged.replace('"EV-1"', '"EV-9"')))
  check('v3 verifyNotification: the bytes verified are the bytes opened', (await pending).id === 'EV-1')

  const subtle = crypto.subtle
  const oaep = await subtle.importKey('pkcs8', der(privateKey), { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['decrypt'])
  const ciphertexts = await Promise.all(['张三', '张三', 'x'.repeat(214)].map((t) => api.encryptSensitive(t, publicKey)))
  const plain = await Promise.all(ciphertexts.map(async (c) =>
    new TextDecoder().decode(await subtle.decrypt('RSA-OAEP', oaep, base64Bytes(c)))))
  check('v3 encryptSensitive: RSA-OAEP SHA-1 that WebCrypto decrypts, randomised',
    plain[0] === '张三' && plain[1] === '张三' && plain[2] === 'x'.repeat(214) && ciphertexts[0] !== ciphertexts[1])
  const viaCertificate = await api.encryptSensitive('张三', files['official_test_certificate.pem'])
  check('v3 encryptSensitive: with a certificate', new TextDecoder().decode(
    await subtle.decrypt('RSA-OAEP', oaep, base64Bytes(viaCertificate))) === '张三')

  // keys are imported into the host once per signer or verifier: counted on whichever host the package uses,
  // WebCrypto's importKey or node:crypto's createPrivateKey/createPublicKey (patched where Node exports them)
  const restore = countKeyImports(subtle)
  try {
    const signer = api.createSigner({ mchid: '1900007291', serialNo: 'PUB_KEY_ID_01', privateKey })
    const verifier2 = api.createVerifier({ keys: { PUB_KEY_ID_01: publicKey } })
    for (let i = 0; i < 5; i++) {
      const headers = await signer.responseHeaders({ body: String(i) })
      await verifier2.verifyResponse({ status: 200, headers, body: String(i) })
    }
  } finally {
    restore()
  }
  check(`v3 keys imported once per signer and verifier (${keyImports} host key imports for 5 signs and 5 verifies)`,
    keyImports === 2)

  // a host that cannot verify with a key (here: made to throw) is a key error wrapping the host's, not a mismatch
  const signedBody = '{"a":1}'
  const signedHeaders = await wechat.responseHeaders({ body: signedBody })
  const refused = Object.assign(new Error('refused by the test'), { name: 'InvalidAccessError' })
  const restoreVerify = patchHosts(subtle, 'verify', ['verify'], () => () => { throw refused })
  let hostError
  try {
    await api.createVerifier({ keys: { PUB_KEY_ID_01: publicKey } }).verifyResponse({ status: 200, headers: signedHeaders, body: signedBody })
  } catch (e) {
    hostError = e
  } finally {
    restoreVerify()
  }
  check('v3 a host that cannot verify with the key: ERR_INVALID_KEY with the host error as cause, not a mismatch',
    hostError?.code === 'ERR_INVALID_KEY' && hostError.cause === refused, `${hostError?.code} ${hostError?.message}`)
  const made = new api.WechatPayError('ERR_INVALID_KEY', 'invalid key: x', {}, { cause: refused })
  check('WechatPayError keeps an ES2022 cause', made.cause === refused && made.code === 'ERR_INVALID_KEY')

  const rsa = await subtle.importKey('spki', der(publicKey), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify'])
  const pay = await wechat.requestPayment({ appId: 'wx2421b1c4370ec43b', prepayId: 'wx201410272009395522657a690389285100' })
  const message = `wx2421b1c4370ec43b\n${pay.timeStamp}\n${pay.nonceStr}\n${pay.package}\n`
  check('v3 requestPayment with current time and random nonce: paySign verifies with WebCrypto',
    await subtle.verify('RSASSA-PKCS1-v1_5', rsa, base64Bytes(pay.paySign), new TextEncoder().encode(message)))
}

export async function run(api, { log = () => {} } = {}) {
  const results = []
  const check = (name, ok, info = '') => {
    results.push({ name, ok, info })
    if (!ok) log(`FAIL ${name}${info ? ' — ' + info : ''}`)
  }
  const errorFacts = (e) => {
    const text = `${e && e.message} ${String(e)} ${e && e.stack}`
    return { isOurs: api.isWechatPayError(e) && e instanceof api.WechatPayError, leaks: SECRETS.some((s) => text.includes(s)) }
  }

  for (const [file, doc] of Object.entries(vectorFiles)) {
    for (const c of doc.cases) {
      if (c.layers && !c.layers.includes('js')) continue
      const fn = c.function || doc.function
      const name = `${file} ${c.id}`
      let result
      let error
      try {
        result = await call(api, fn, expand(c.args), expand(c.setup || doc.setup || []))
      } catch (e) {
        error = e
      }
      if ('expected' in c) {
        check(name, !error && deepEqual(result, c.expected), error ? `${error.code} ${error.message}` : `got ${show(result)}`)
      } else if ('notExpected' in c) {
        check(name, !error && !deepEqual(result, c.notExpected), error ? error.message : '')
      } else {
        const facts = error ? errorFacts(error) : {}
        const contextOk = !c.errorContext || Object.entries(c.errorContext).every(([k, v]) => deepEqual(error?.[k], v))
        check(name, !!error && facts.isOurs && error.code === c.error && !facts.leaks && contextOk,
          error ? `${error.code} ${error.message}` : `no error, got ${show(result)}`)
      }
    }
  }

  // the error class and the code list
  try {
    api.signV2({ a: '1' }, { key: 'short' })
    check('error class: thrown', false)
  } catch (e) {
    check('error class: instanceof Error and WechatPayError', e instanceof Error && e instanceof api.WechatPayError)
    check('error class: name and code', e.name === 'WechatPayError' && e.code === 'ERR_INVALID_KEY')
    check('error class: isWechatPayError', api.isWechatPayError(e) && !api.isWechatPayError(new Error('x')))
    check('error class: code is a pinned code', errorCodes.codes.includes(e.code))
  }

  // nonces: length, alphabet, no repeats
  const nonces = new Set()
  let nonceOk = true
  for (let i = 0; i < 2000; i++) {
    const n = api.nonceStr()
    nonceOk &&= /^[0-9A-Za-z]{32}$/.test(n)
    nonces.add(n)
  }
  check('nonceStr: 32 characters of [0-9A-Za-z], 2000 distinct', nonceOk && nonces.size === 2000)
  check('nonceStr: length option', api.nonceStr(8).length === 8)
  for (const bad of [0, 33, -1, 1.5, 'x']) {
    let code
    try { api.nonceStr(bad) } catch (e) { code = e.code }
    check(`nonceStr(${JSON.stringify(bad)}) is refused`, code === 'ERR_INVALID_INPUT')
  }

  await v3RoundTrips(api, check)

  // thousands of malformed inputs: each a WechatPayError with a code, never a crash; then a valid call works
  const s = await sweep(api, errorCodes.codes,
    { privateKey: files['official_test_private_key.pem'], publicKey: files['official_test_public_key.pem'] })
  check(`malformed-input sweep: ${s.calls} calls, all WechatPayError or valid`, s.bad.length === 0, s.bad.slice(0, 3).join(' | '))
  check('after the sweep, the official vector still signs', api.signV2(
    { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
    { key: '192006250b4c09247ec02edce69f6a2d' }) === '9A0A8659F005D6984697E2CA0A9CF3B7')

  const failed = results.filter((r) => !r.ok)
  return { passed: results.length - failed.length, failed: failed.length, failures: failed }
}
