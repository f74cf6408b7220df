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

const V3_KEY = '0123456789abcdef0123456789abcdef'

/** API v3 arguments: mutated headers, bodies, resources and options around valid ones. */
function v3Generators(g) {
  const pick = g.pick
  const maybe = (valid) => (g.rand() < 0.5 ? valid : g.scalar())
  const headers = () => {
    if (g.rand() < 0.15) return g.scalar()
    const h = {}
    for (const name of ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial', 'Wechatpay-Signature-Type', 'Request-ID']) {
      if (g.rand() < 0.85) h[g.rand() < 0.3 ? name.toLowerCase() : name] = pick([
        maybe('1554208460'), g.randomString(g.int(40)), 'WECHATPAY/SIGNTEST/' + 'A'.repeat(340), 'A'.repeat(344), 'PUB_KEY_ID_01', [g.randomString(8)], '\0',
      ])
    }
    return g.rand() < 0.2 ? new Headers(Object.entries(h).filter(([, v]) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v))) : h
  }
  const resource = () => (g.rand() < 0.15 ? g.scalar() : {
    algorithm: pick(['AEAD_AES_256_GCM', 'AEAD_SM4_GCM', g.scalar()]),
    ciphertext: pick(['Iaml06TFOrwRcJZafyok5IwmWSN9bT/ChyeS', g.randomString(g.int(60)), g.scalar()]),
    nonce: pick(['abcdefghijkl', g.randomString(12), g.scalar()]),
    associated_data: pick(['certificate', undefined, g.scalar()]),
  })
  const apiV3Key = () => pick([V3_KEY, 'testAPIv3Key0000', g.randomString(32), g.scalar()])
  const body = () => pick([g.text(), '{"id":"EV-1","resource":{}}', new Uint8Array(0), g.randomString(g.int(200))])
  const pem = () => pick([g.text(), '-----BEGIN PUBLIC KEY-----\n' + g.randomString(g.int(400)) + '\n-----END PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----\nMIIB' + 'A'.repeat(g.int(300)) + '\n-----END CERTIFICATE-----', g.scalar()])
  return { headers, resource, apiV3Key, body, pem, maybe }
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
  ['createSigner', (g) => [g.rand() < 0.2 ? g.scalar() : { mchid: g.v3.maybe('1900007291'), serialNo: g.v3.maybe('408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'), privateKey: g.v3.pem() }]],
  ['createVerifier', (g) => [g.rand() < 0.2 ? g.scalar() : { keys: g.rand() < 0.3 ? g.scalar() : { [g.pick(['PUB_KEY_ID_01', g.randomString(8)])]: g.v3.pem() }, maxSkewSeconds: g.pick([undefined, -1, 1.5, 2 ** 40, g.scalar()]), now: g.pick([undefined, () => NaN, () => 2 ** 60, g.scalar()]) }]],
  ['signer.authorization', (g) => [g.rand() < 0.2 ? g.scalar() : { method: g.v3.maybe('POST'), url: g.v3.maybe('/v3/pay/transactions/jsapi'), body: g.v3.body(), timestamp: g.scalar(), nonceStr: g.pick([undefined, g.scalar()]) }]],
  ['signer.requestPayment', (g) => [g.rand() < 0.2 ? g.scalar() : { appId: g.v3.maybe('wx2421b1c4370ec43b'), prepayId: g.v3.maybe('wx201410272009395522657a690389285100'), timeStamp: g.scalar(), nonceStr: g.pick([undefined, g.scalar()]) }]],
  ['signer.sign', (g) => [g.v3.body()]],
  ['signer.responseHeaders', (g) => [g.rand() < 0.2 ? g.scalar() : { body: g.v3.body(), timestamp: g.scalar(), nonce: g.scalar() }]],
  ['verifier.verifyResponse', (g) => [g.rand() < 0.1 ? g.scalar() : { status: g.pick([200, 204, 404, 700, g.scalar()]), headers: g.v3.headers(), body: g.v3.body() }]],
  ['verifier.verifyNotification', (g) => [g.rand() < 0.1 ? g.scalar() : { headers: g.v3.headers(), body: g.v3.body() }, { apiV3Key: g.v3.apiV3Key() }]],
  ['verifier.verifyRequest', (g) => [g.rand() < 0.1 ? g.scalar() : { method: g.v3.maybe('POST'), url: g.v3.maybe('/v3/x'), headers: { Authorization: g.pick([g.text(), 'WECHATPAY2-SHA256-RSA2048 ' + g.randomString(g.int(300))]) }, body: g.v3.body() }]],
  ['verifier.verifyRequestPayment', (g) => [g.rand() < 0.1 ? g.scalar() : { timeStamp: g.v3.maybe('1554208460'), nonceStr: g.v3.maybe('abc'), package: g.v3.maybe('prepay_id=wx1'), signType: g.v3.maybe('RSA'), paySign: g.pick(['A'.repeat(344), g.scalar()]) }, { appId: g.v3.maybe('wx1'), serialNo: g.v3.maybe('PUB_KEY_ID_01') }]],
  ['decryptResource', (g) => [g.v3.resource(), g.v3.apiV3Key()]],
  ['encryptResource', (g) => [g.pick([g.text(), { a: 1 }]), g.v3.apiV3Key(), g.pick([undefined, { nonce: g.scalar(), associatedData: g.scalar() }, g.scalar()])]],
  ['decryptCertificates', (g) => [g.pick([g.text(), { data: [{ serial_no: g.scalar(), encrypt_certificate: g.v3.resource() }] }]), g.v3.apiV3Key()]],
  ['encryptSensitive', (g) => [g.pick([g.text(), 'x'.repeat(g.int(300))]), g.v3.pem()]],
  // the client: its arguments, and (through its fetch) any answer at all
  ['decryptMiniProgramData', (g) => [g.rand() < 0.2 ? g.scalar() : { encryptedData: g.pick([g.text(), 'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrAPkntqsRYQwFE9/HUecQtn']), iv: g.pick(['r7BXXKkLb8qrSNn05n0qiA==', g.scalar()]), sessionKey: g.pick(['tiihtNczf5v6AKRyjwEUhQ==', g.scalar()]), appId: g.scalar() }]],
  ['parseTradeBill', (g) => [g.pick([g.text(), `交易时间,商户号\n\`${g.randomString(g.int(20))},\`${g.randomString(4)}\n总交易单数\n\`${g.randomString(3)}`])]],
  ['parseFundFlowBill', (g) => [g.text()]],
  ['signer.appPayment', (g) => [g.rand() < 0.2 ? g.scalar() : { appId: g.v3.maybe('wx2421b1c4370ec43b'), partnerId: g.v3.maybe('1900007291'), prepayId: g.v3.maybe('wx2014'), timeStamp: g.scalar(), nonceStr: g.pick([undefined, g.scalar()]) }]],
  ['createClient', (g) => [g.rand() < 0.2 ? g.scalar() : { mchid: g.v3.maybe('1900007291'), serialNo: g.v3.maybe('408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'), privateKey: g.v3.pem(), keys: g.pick([undefined, g.scalar(), { PUB_KEY_ID_01: g.v3.pem() }]), apiV3Key: g.v3.apiV3Key(), baseUrl: g.pick([undefined, 'ftp://x', 'not a url', g.scalar()]), timeoutMs: g.pick([undefined, 0, -1, 1.5, g.scalar()]), fetch: g.pick([undefined, g.scalar()]) }]],
  ['createV2Client', (g) => [g.rand() < 0.2 ? g.scalar() : { appid: g.v3.maybe('wx1'), mchid: g.v3.maybe('1'), key: g.pick([KEY, g.scalar()]), signType: g.pick([undefined, 'RSA', g.scalar()]), baseUrl: g.pick([undefined, 'x', g.scalar()]) }]],
  ['client.prepayJsapi', (g) => [g.rand() < 0.2 ? g.scalar() : { description: g.scalar(), out_trade_no: g.v3.maybe('SOAP0001'), notify_url: g.scalar(), amount: g.pick([{ total: 1 }, g.scalar()]), payer: g.pick([{ openid: 'o' }, g.scalar()]), mchid: g.pick([undefined, '1900007291', g.scalar()]) }, g.pick([undefined, { signal: g.scalar() }])]],
  ['client.queryOrder', (g) => [g.rand() < 0.2 ? g.scalar() : g.pick([{ out_trade_no: g.v3.maybe('SOAP0001') }, { transaction_id: g.scalar() }, { out_trade_no: 'a', transaction_id: 'b' }])]],
  ['client.refund', (g) => [g.rand() < 0.2 ? g.scalar() : { out_trade_no: g.v3.maybe('SOAP0001'), out_refund_no: g.v3.maybe('R1'), amount: g.pick([{ refund: 1, total: 1, currency: 'CNY' }, { refund: 1.5, total: -1 }, g.scalar()]) }]],
  ['client.request', (g) => [g.rand() < 0.2 ? g.scalar() : { method: g.v3.maybe('GET'), path: g.pick(['/v3/x', 'v3', g.scalar()]), query: g.pick([undefined, { a: g.scalar() }, g.scalar()]), body: g.pick([undefined, g.text(), { a: 1 }]), headers: g.pick([undefined, { Authorization: 'x' }, { 'a b': 'x' }, { 'X-A': 'x\r\ny' }, { 'X-A': Object.create(null) }, { 'X-A': g.scalar() }, g.scalar()]) }]],
  ['client.applyTradeBill', (g) => [g.rand() < 0.2 ? g.scalar() : { bill_date: g.v3.maybe('2026-11-26'), bill_type: g.scalar() }]],
  ['client.downloadBill', (g) => [g.rand() < 0.2 ? g.scalar() : { hash_type: g.pick(['SHA1', g.scalar()]), hash_value: g.pick(['0'.repeat(40), g.scalar()]), download_url: g.pick(['http://127.0.0.1:1/v3/billdownload/file?token=x', 'https://evil.example/x', g.scalar()]) }]],
  ['client.uploadMedia', (g) => [g.rand() < 0.2 ? g.scalar() : { filename: g.v3.maybe('a.png'), file: g.pick([new Uint8Array(8), g.scalar()]), type: g.pick([undefined, 'video', g.scalar()]) }]],
  ['client.decrypt', (g) => [g.pick([g.text(), 'A'.repeat(344), g.scalar()])]],
  ['client.encrypt', (g) => [g.pick([g.text(), 'x'.repeat(g.int(300))])]],
  ['client.verifyNotification', (g) => [g.rand() < 0.1 ? g.scalar() : { headers: g.v3.headers(), body: g.v3.body() }]],
  ['client.refreshCertificates', () => []],
  ['client.prepayApp', (g) => [g.rand() < 0.2 ? g.scalar() : { description: 'd', out_trade_no: g.v3.maybe('SOAP0001'), notify_url: g.scalar(), amount: g.pick([{ total: 1 }, g.scalar()]) }]],
  ['client.prepayH5', (g) => [g.rand() < 0.2 ? g.scalar() : { description: 'd', out_trade_no: g.v3.maybe('SOAP0001'), scene_info: g.scalar() }]],
  ['client.prepayNative', (g) => [g.rand() < 0.2 ? g.scalar() : { description: g.scalar(), out_trade_no: g.pick(['SOAP0001', '..', g.scalar()]) }]],
  ['client.closeOrder', (g) => [g.rand() < 0.2 ? g.scalar() : { out_trade_no: g.pick(['SOAP0001', '..', '.', g.scalar()]) }]],
  ['client.queryRefund', (g) => [g.rand() < 0.2 ? g.scalar() : { out_refund_no: g.pick(['R1', '..', g.scalar()]) }]],
  ['client.fundFlowBill', (g) => [g.rand() < 0.2 ? g.scalar() : { bill_date: g.v3.maybe('2026-11-26'), account_type: g.scalar() }]],
  // stopped after the sweep: an interval that starts would otherwise keep asking
  ['client.startCertificateRefresh', (g) => [g.pick([g.scalar(), { intervalMs: g.pick([999, 2 ** 31, 2 ** 53, -1, 1.5, g.scalar()]), onError: g.pick([undefined, g.scalar()]) }])]],
  ['v2client.unifiedOrder', (g) => [g.rand() < 0.2 ? g.scalar() : { ...g.params(), openid: g.scalar() }]],
  ['v2client.closeOrder', (g) => [g.rand() < 0.2 ? g.scalar() : { out_trade_no: g.v3.maybe('SOAP0001') }]],
  ['v2client.refundQuery', (g) => [g.rand() < 0.2 ? g.scalar() : { out_refund_no: g.v3.maybe('R1') }]],
  ['v2client.orderQuery', (g) => [g.rand() < 0.2 ? g.scalar() : g.pick([{ out_trade_no: g.v3.maybe('SOAP0001') }, { transaction_id: g.scalar() }, { out_trade_no: 'SOAP0001', appid: g.scalar() }])]],
  ['v2client.refund', (g) => [g.rand() < 0.2 ? g.scalar() : { out_trade_no: g.v3.maybe('SOAP0001'), out_refund_no: g.v3.maybe('R1'), total_fee: g.scalar(), refund_fee: g.pick([1, g.scalar()]) }]],
]

/** A fetch for the swept clients: each answer drawn anew (status, Wechatpay-* headers, body). */
function answers(g) {
  return async () => {
    if (g.rand() < 0.1) throw new TypeError('fetch failed')
    const body = g.pick([g.text(), '{"prepay_id":"wx1"}', '', '<xml><return_code>SUCCESS</return_code></xml>'])
    const headers = g.v3.headers()
    const clean = headers instanceof Headers ? headers : new Headers(Object.entries(headers ?? {}).filter(([k, v]) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v) && /^[\w-]+$/.test(k)))
    return new Response(typeof body === 'string' || body instanceof Uint8Array ? body : String(body), { status: g.pick([200, 204, 400, 404, 500]), headers: clean })
  }
}

export async function sweep(api, codes, { rounds = 400, seed = 20261127, privateKey, publicKey } = {}) {
  const rand = prng(seed)
  const g = { ...generators(rand), rand }
  g.v3 = v3Generators(g)
  // `object.method` targets call methods of valid objects
  const objects = {
    signer: api.createSigner({ mchid: '1900007291', serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', privateKey }),
    verifier: api.createVerifier({ keys: { PUB_KEY_ID_01: publicKey } }),
    client: api.createClient({ mchid: '1900007291', serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', privateKey,
      keys: { PUB_KEY_ID_01: publicKey }, apiV3Key: V3_KEY, appid: 'wx2421b1c4370ec43b', fetch: answers(g) }),
    v2client: api.createV2Client({ appid: 'wxd930ea5d5a258f4f', mchid: '10000100', key: KEY, fetch: answers(g) }),
  }
  const bad = []
  let calls = 0
  for (let round = 0; round < rounds; round++) {
    for (const [fn, draw] of targets) {
      const args = draw(g)
      const [object, method] = fn.split('.')
      calls++
      try {
        await (method ? objects[object][method](...args) : api[fn](...args))
      } catch (e) {
        if (!(api.isWechatPayError(e) && codes.includes(e.code))) {
          bad.push(`${fn} round ${round}: ${e && e.name}: ${e && String(e.message).slice(0, 120)}`)
        }
      }
    }
  }
  objects.client.stopCertificateRefresh()
  return { calls, bad }
}
