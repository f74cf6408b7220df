// The malformed-input sweep: thousands of generated bad inputs through the public API. Every call must return
// normally or throw a WechatPayError whose code is a pinned code; anything else (a TypeError, a wasm trap, a
// hang) is a failure. Deterministic (seeded), so a failure names a reproducible call.

const KEY = '192006250b4c09247ec02edce69f6a2d'

function prng(seed) {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    return x / 0x100000000
  }
}

const VALID_XML = '<xml><return_code><![CDATA[SUCCESS]]></return_code><appid><![CDATA[wxd930ea5d5a258f4f]]></appid>' +
  '<mch_id>10000100</mch_id><sign><![CDATA[9A0A8659F005D6984697E2CA0A9CF3B7]]></sign><total_fee>1</total_fee></xml>'

export function generators(rand) {
  const int = (n) => Math.floor(rand() * n)
  const pick = (xs) => xs[int(xs.length)]
  const randomString = (n) => {
    let s = ''
    for (let i = 0; i < n; i++) {
      const r = rand()
      s += r < 0.05 ? String.fromCharCode(0xd800 + int(0x800)) // lone surrogates
        : r < 0.1 ? String.fromCharCode(int(32))
          : r < 0.5 ? String.fromCharCode(32 + int(95))
            : String.fromCodePoint(int(0x10ffff) & ~0x800 | 0x80)
    }
    return s
  }
  const mutate = (s) => {
    const a = [...s]
    for (let i = 0, n = 1 + int(4); i < n; i++) {
      const at = int(a.length + 1)
      const op = int(3)
      if (op === 0) a.splice(at, 1)
      else if (op === 1) a.splice(at, 0, pick(['<', '>', '&', ']]>', '<!DOCTYPE x>', '&#0;', '\0', '"', '<a>', '</xml>', '\uD800']))
      else a.splice(at, 1, randomString(1))
    }
    return a.join('')
  }
  const scalar = () => pick([
    undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 64, 10n, Symbol('s'), () => 1,
    [], [1, 2], {}, { a: { b: 1 } }, new Uint8Array([0xff, 0xfe, 0, 1]), new ArrayBuffer(3), new Date(0),
    '', ' ', '\0', '\uD800', 'x'.repeat(40), randomString(int(64)),
  ])
  const text = () => {
    const r = rand()
    if (r < 0.25) return mutate(VALID_XML)
    if (r < 0.35) return '<xml>' + '<a>'.repeat(int(5000)) + '</xml>'
    if (r < 0.4) return 'x'.repeat(1 << 21)
    if (r < 0.5) return Uint8Array.from({ length: int(512) }, () => int(256))
    if (r < 0.65) return randomString(int(300))
    if (r < 0.75) return mutate('{"openid":"o1","session_key":"k","errcode":0}')
    return scalar()
  }
  const params = () => {
    const r = rand()
    if (r < 0.2) return scalar()
    const o = {}
    for (let i = 0, n = int(12); i < n; i++) o[rand() < 0.3 ? randomString(int(8)) : pick(['appid', 'sign', 'sign_type', 'total_fee', 'body', 'mch_id'])] = rand() < 0.5 ? scalar() : randomString(int(40))
    return o
  }
  const options = () => {
    const r = rand()
    if (r < 0.15) return scalar()
    const o = { key: rand() < 0.6 ? KEY : scalar() }
    if (rand() < 0.5) o.signType = pick(['MD5', 'HMAC-SHA256', 'RSA', '', scalar()])
    if (rand() < 0.3) o.nonceStr = pick(['abc', '', randomString(40), scalar()])
    if (rand() < 0.3) o.appId = scalar()
    return o
  }
  return { int, pick, scalar, text, params, options, randomString }
}

/** The functions swept and how their arguments are drawn; other suites append their own. */
export const targets = [
  ['signV2', (g) => [g.params(), g.options()]],
  ['verifyV2', (g) => [g.params(), g.options()]],
  ['toXml', (g) => [g.params()]],
  ['parseXml', (g) => [g.text()]],
  ['buildUnifiedOrder', (g) => [g.params(), g.options()]],
  ['parseUnifiedOrderResponse', (g) => [g.text(), g.options()]],
  ['parseV2Notification', (g) => [g.text(), g.options()]],
  ['decryptV2RefundNotification', (g) => [g.text(), g.options()]],
  ['v2NotificationReply', (g) => [g.scalar(), g.scalar()]],
  ['requestPaymentV2', (g) => [g.rand() < 0.2 ? g.scalar() : { ...g.options(), appId: g.scalar(), prepayId: g.pick(['wx1', g.scalar()]), timeStamp: g.scalar() }]],
  ['code2SessionUrl', (g) => [g.rand() < 0.2 ? g.scalar() : { appId: g.scalar(), secret: g.scalar(), code: g.scalar(), baseUrl: g.scalar() }]],
  ['parseCode2Session', (g) => [g.text()]],
  ['nonceStr', (g) => [g.scalar()]],
]

export async function sweep(api, codes, { rounds = 400, seed = 20261127 } = {}) {
  const rand = prng(seed)
  const g = { ...generators(rand), rand }
  const bad = []
  let calls = 0
  for (let round = 0; round < rounds; round++) {
    for (const [fn, draw] of targets) {
      const args = draw(g)
      calls++
      try {
        await api[fn](...args)
      } catch (e) {
        if (!(api.isWechatPayError(e) && codes.includes(e.code))) {
          bad.push(`${fn} round ${round}: ${e && e.name}: ${e && String(e.message).slice(0, 120)}`)
        }
      }
    }
  }
  return { calls, bad }
}
