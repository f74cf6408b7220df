// What the WeChat client checks inside wx.requestPayment before it shows the cashier: the paySign over the
// five params, with the key of the API the order was placed with. Returns a failure reason, or null.
import { isWechatPayError, verifyV2 } from 'wechatpay-wasm'

/** `appId` is the app the buyer pays in (partner mode: sp_appid or sub_appid, the one used at prepay). */
export async function paySignFailure(tx, merchant, p, verifier, appId = tx.appid) {
  if (tx.api === 'v2') {
    if (p.signType !== tx.sign_type) return `signType ${p.signType} is not the order's ${tx.sign_type}`
    if (p.paySign.length !== (p.signType === 'MD5' ? 32 : 64)) return '支付验证签名失败'
    try {
      verifyV2({ appId, nonceStr: p.nonceStr, package: p.package, signType: p.signType, timeStamp: p.timeStamp, sign: p.paySign }, { key: merchant.apiV2Key })
      return null
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      return '支付验证签名失败'
    }
  }
  if (p.signType !== 'RSA') return `signType ${p.signType} is not RSA (an API v3 order)`
  // RSA over `appId\ntimeStamp\nnonceStr\npackage\n` with the key of the merchant certificate the order was
  // placed with ("调起支付与下单计算签名使用的商户API证书需保持一致")
  try {
    const { timeStamp, nonceStr, package: pkg, signType, paySign } = p
    await verifier.verifyRequestPayment({ timeStamp, nonceStr, package: pkg, signType, paySign }, { appId, serialNo: merchant.merchantSerialNo })
    return null
  } catch (e) {
    if (!isWechatPayError(e)) throw e
    return '支付验证签名失败'
  }
}
