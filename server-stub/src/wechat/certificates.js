// GET /v3/certificates: the platform certificates of a merchant in certificate mode, each encrypted with its
// APIv3 key (AEAD_AES_256_GCM, associated_data "certificate"), the answer signed with that certificate's key.
// A merchant on WeChat Pay public keys has none: 404 RESOURCE_NOT_EXISTS, as WeChat answers those merchants.
// pay.weixin.qq.com/docs/merchant/apis/platform-certificate/api-v3-get-certificates/get.html
import { X509Certificate } from 'node:crypto'
import { encryptResource } from 'wechatpay-wasm'
import { rfc3339 } from './time.js'
import { WxError } from './v3.js'

export function certificateRoutes(app, { v3 }) {
  app.get('/v3/certificates', v3.signed(async (c, m) => {
    if (m.keyMode !== 'certificate') {
      throw new WxError(404, 'RESOURCE_NOT_EXISTS', '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥。可查看指引https://pay.weixin.qq.com/docs/merchant/products/platform-certificate/wxp-pub-key-guide.html')
    }
    const x = new X509Certificate(m.platformCertificate)
    return {
      body: {
        data: [{
          serial_no: m.platformSerialNo,
          effective_time: rfc3339(Date.parse(x.validFrom)),
          expire_time: rfc3339(Date.parse(x.validTo)),
          encrypt_certificate: encryptResource(m.platformCertificate, m.apiV3Key, { associatedData: 'certificate' }),
        }],
      },
    }
  }))
}
