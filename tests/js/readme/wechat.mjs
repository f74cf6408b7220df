// WeChat's servers for the README snippets, which cannot reach them: `fetch` to a WeChat host is answered here,
// after checking the request as WeChat does — the v2 signature over every field, the v3 Authorization header
// (and a signed v3 answer), the login parameters. The official test key plays both the merchant's and WeChat's.
import { readFileSync } from 'node:fs'
import { createSigner, createVerifier, parseXml, signV2, toXml, verifyV2 } from 'wechatpay-wasm'

const vector = (name) => readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8')
export const TEST_PRIVATE_KEY = vector('official_test_private_key.pem')
export const TEST_PUBLIC_KEY = vector('official_test_public_key.pem')
export const MERCHANT_SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'
export const PUB_KEY_ID = 'PUB_KEY_ID_0114232204102025021100381800000000'
export const PREPAY_ID_V2 = 'wx27160000000000000000000000000001'
export const PREPAY_ID_V3 = 'wx27160000000000000000000000000002'

const merchants = createVerifier({ keys: { [MERCHANT_SERIAL]: TEST_PUBLIC_KEY } })
const wechat = createSigner({ mchid: '1900007291', serialNo: PUB_KEY_ID, privateKey: TEST_PRIVATE_KEY })
const realFetch = globalThis.fetch

const routes = {
  'https://api.mch.weixin.qq.com/pay/unifiedorder': async ({ body }) => {
    const order = parseXml(body)
    try {
      verifyV2(order, { key: process.env.WECHATPAY_V2_KEY })
    } catch {
      return new Response(toXml({ return_code: 'FAIL', return_msg: '签名错误' }))
    }
    const reply = { return_code: 'SUCCESS', return_msg: 'OK', appid: order.appid, mch_id: order.mch_id,
      nonce_str: 'IITRi8Iabbblz1Jc', result_code: 'SUCCESS', prepay_id: PREPAY_ID_V2, trade_type: 'JSAPI',
      sign_type: order.sign_type }
    return new Response(toXml({ ...reply, sign: signV2(reply, { key: process.env.WECHATPAY_V2_KEY }) }))
  },
  'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi': async ({ url, method, headers, body }) => {
    try {
      await merchants.verifyRequest({ method, url: url.pathname + url.search, headers, body })
    } catch (e) {
      return Response.json({ code: 'SIGN_ERROR', message: e.code }, { status: 401 })
    }
    const answer = JSON.stringify({ prepay_id: PREPAY_ID_V3 })
    return new Response(answer, { headers: await wechat.responseHeaders({ body: answer }) })
  },
  'https://api.weixin.qq.com/sns/jscode2session': async ({ url }) => {
    const q = url.searchParams
    const ok = q.get('appid') && q.get('secret') === process.env.WECHAT_APP_SECRET && q.get('js_code') &&
      q.get('grant_type') === 'authorization_code'
    return Response.json(ok ? { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', session_key: 'tiihtNczf5v6AKRyjwEUhQ==' }
      : { errcode: 40029, errmsg: 'invalid code' })
  },
}

globalThis.fetch = async (input, init = {}) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
  const route = routes[url.origin + url.pathname]
  if (!route) return realFetch(input, init)
  return route({ url, method: init.method || 'GET', headers: init.headers || {}, body: init.body })
}
