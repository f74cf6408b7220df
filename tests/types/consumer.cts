// Type-level test of the CommonJS types (index.d.cts), through require resolution.
import wechatpay = require('wechatpay-wasm')

const sign: string = wechatpay.signV2({ appid: 'wx1' }, { key: '192006250b4c09247ec02edce69f6a2d' })
const code: wechatpay.WechatPayErrorCode = 'ERR_SIGNATURE_MISMATCH'
void [sign, code]
