// What each README snippet must do when run: its environment, and how its result is judged.
const V2_KEY = '192006250b4c09247ec02edce69f6a2d'
const APPID = 'wxd930ea5d5a258f4f'
const MCHID = '10000100'

/** A v2 payment notification, signed with `key` (or tampered after signing). */
function notification(api, { tamper = false } = {}) {
  const fields = { return_code: 'SUCCESS', appid: APPID, mch_id: MCHID, nonce_str: api.nonceStr(), result_code: 'SUCCESS',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', trade_type: 'JSAPI', bank_type: 'CFT', total_fee: 888, cash_fee: 888,
    transaction_id: '4200000000202611270000000001', out_trade_no: 'SOAP20261127001', time_end: '20261127120000' }
  const sign = api.signV2(fields, { key: V2_KEY })
  return api.toXml({ ...fields, total_fee: tamper ? 1 : 888, sign })
}

export const checks = {
  'v2-order': {
    env: { WECHATPAY_V2_KEY: V2_KEY },
    expect: (out) => /paySign: '[0-9A-F]{64}'/.test(out) && out.includes("package: 'prepay_id=wx2716") && out.includes("signType: 'HMAC-SHA256'"),
  },
  login: {
    env: { WECHAT_APP_SECRET: 'test-app-secret' },
    expect: (out) => out.trim() === 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o true',
  },
  'v2-notify': {
    bindings: { WECHATPAY_V2_KEY: V2_KEY, WECHATPAY_APPID: APPID, WECHATPAY_MCHID: MCHID },
    async drive(fetch, api) {
      const ok = await (await fetch({ method: 'POST', body: notification(api) })).text()
      if (ok !== api.v2NotificationReply(true)) return `a valid notification got ${ok}`
      const forged = await (await fetch({ method: 'POST', body: notification(api, { tamper: true }) })).text()
      if (forged !== api.v2NotificationReply(false, 'ERR_SIGNATURE_MISMATCH')) return `a tampered notification got ${forged}`
      return null
    },
  },
}
