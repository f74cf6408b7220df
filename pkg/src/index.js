// The public API: every runtime's entry point re-exports this module after instantiating the wasm core.
import { core } from './boundary.js'
import { invalid } from './error.js'

export { WechatPayError, isWechatPayError } from './error.js'
export {
  signV2, verifyV2, toXml, parseXml, buildUnifiedOrder, parseUnifiedOrderResponse, parseV2Notification,
  v2NotificationReply, decryptV2RefundNotification, requestPaymentV2,
} from './v2.js'
export { code2SessionUrl, parseCode2Session } from './login.js'
export {
  createSigner, createVerifier, decryptResource, encryptResource, decryptCertificates, encryptSensitive,
} from './v3.js'

export function nonceStr(length = 32) {
  if (!Number.isInteger(length)) throw invalid('length', 'an integer from 1 to 32')
  return core.nonceStr(length < 0 || length > 0xffffffff ? 0 : length)
}
export { decryptMiniProgramData } from './miniprogram.js'
export { createClient } from './client/v3.js'
export { createV2Client } from './client/v2.js'
export { parseTradeBill, parseFundFlowBill } from './client/bill.js'
