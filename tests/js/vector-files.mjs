// Every vector file and fixture the suite reads, imported so the bundler can inline them.
import v2Sign from '../vectors/v2_sign.json' with { type: 'json' }
import v2Verify from '../vectors/v2_verify.json' with { type: 'json' }
import v2Xml from '../vectors/v2_xml.json' with { type: 'json' }
import v2UnifiedOrder from '../vectors/v2_unified_order.json' with { type: 'json' }
import v2Notification from '../vectors/v2_notification.json' with { type: 'json' }
import v2Refund from '../vectors/v2_refund.json' with { type: 'json' }
import v2RequestPayment from '../vectors/v2_request_payment.json' with { type: 'json' }
import login from '../vectors/login.json' with { type: 'json' }
import privateKey from '../vectors/official_test_private_key.pem' with { type: 'text' }
import publicKey from '../vectors/official_test_public_key.pem' with { type: 'text' }

export const vectorFiles = {
  'v2_sign.json': v2Sign,
  'v2_verify.json': v2Verify,
  'v2_xml.json': v2Xml,
  'v2_unified_order.json': v2UnifiedOrder,
  'v2_notification.json': v2Notification,
  'v2_refund.json': v2Refund,
  'v2_request_payment.json': v2RequestPayment,
  'login.json': login,
}

export const files = {
  'official_test_private_key.pem': privateKey,
  'official_test_public_key.pem': publicKey,
}
