// WeChat's servers for the README snippets, which cannot reach them: `fetch` to a WeChat host is answered here,
// after checking the request as WeChat does (the v2 signature over every field, the login parameters).
import { parseXml, verifyV2, signV2, toXml } from 'wechatpay-wasm'

export const V2_KEY = process.env.WECHATPAY_V2_KEY
const realFetch = globalThis.fetch

const routes = {
  'https://api.mch.weixin.qq.com/pay/unifiedorder': async (body) => {
    const order = parseXml(body)
    try {
      verifyV2(order, { key: V2_KEY })
    } catch {
      return toXml({ return_code: 'FAIL', return_msg: '签名错误' })
    }
    const reply = { return_code: 'SUCCESS', return_msg: 'OK', appid: order.appid, mch_id: order.mch_id,
      nonce_str: 'IITRi8Iabbblz1Jc', result_code: 'SUCCESS', prepay_id: 'wx27160000000000000000000000000001',
      trade_type: 'JSAPI', sign_type: order.sign_type }
    return toXml({ ...reply, sign: signV2(reply, { key: V2_KEY }) })
  },
  'https://api.weixin.qq.com/sns/jscode2session': async (_, url) => {
    const q = url.searchParams
    const ok = q.get('appid') && q.get('secret') === process.env.WECHAT_APP_SECRET && q.get('js_code') &&
      q.get('grant_type') === 'authorization_code'
    return JSON.stringify(ok ? { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', session_key: 'tiihtNczf5v6AKRyjwEUhQ==' }
      : { errcode: 40029, errmsg: 'invalid code' })
  },
}

globalThis.fetch = async (input, init = {}) => {
  const url = new URL(typeof input === 'string' ? input : input.url)
  const route = routes[url.origin + url.pathname]
  if (!route) return realFetch(input, init)
  return new Response(await route(init.body, url), { status: 200 })
}
