// Every vector file and fixture the suite reads, imported so the bundler can inline them.
import v2Sign from '../vectors/v2_sign.json' with { type: 'json' }
import v2Verify from '../vectors/v2_verify.json' with { type: 'json' }
import v2Xml from '../vectors/v2_xml.json' with { type: 'json' }
import v2UnifiedOrder from '../vectors/v2_unified_order.json' with { type: 'json' }
import v2Notification from '../vectors/v2_notification.json' with { type: 'json' }
import v2Refund from '../vectors/v2_refund.json' with { type: 'json' }
import v2RequestPayment from '../vectors/v2_request_payment.json' with { type: 'json' }
import login from '../vectors/login.json' with { type: 'json' }
import v3RequestSign from '../vectors/v3_request_sign.json' with { type: 'json' }
import v3RequestPayment from '../vectors/v3_request_payment.json' with { type: 'json' }
import v3ResponseVerify from '../vectors/v3_response_verify.json' with { type: 'json' }
import v3Notification from '../vectors/v3_notification.json' with { type: 'json' }
import v3RequestVerify from '../vectors/v3_request_verify.json' with { type: 'json' }
import v3Sensitive from '../vectors/v3_sensitive.json' with { type: 'json' }
import aesGcm from '../vectors/aes_gcm.json' with { type: 'json' }
import v3AppPayment from '../vectors/v3_app_payment.json' with { type: 'json' }
import bill from '../vectors/bill.json' with { type: 'json' }
import miniprogram from '../vectors/miniprogram.json' with { type: 'json' }
import privateKey from '../vectors/official_test_private_key.pem' with { type: 'text' }
import publicKey from '../vectors/official_test_public_key.pem' with { type: 'text' }
import privateKeyPkcs1 from '../vectors/official_test_private_key_pkcs1.pem' with { type: 'text' }
import publicKeyPkcs1 from '../vectors/official_test_public_key_pkcs1.pem' with { type: 'text' }
import certificate from '../vectors/official_test_certificate.pem' with { type: 'text' }
import rsa1024Private from '../vectors/rsa1024_test_private_key.pem' with { type: 'text' }
import rsa1024Public from '../vectors/rsa1024_test_public_key.pem' with { type: 'text' }
import ecPrivate from '../vectors/ec_test_private_key.pem' with { type: 'text' }
import ecPublic from '../vectors/ec_test_public_key.pem' with { type: 'text' }
import exponent1Public from '../vectors/rsa_exponent_1_test_public_key.pem' with { type: 'text' }

export const vectorFiles = {
  'v2_sign.json': v2Sign,
  'v2_verify.json': v2Verify,
  'v2_xml.json': v2Xml,
  'v2_unified_order.json': v2UnifiedOrder,
  'v2_notification.json': v2Notification,
  'v2_refund.json': v2Refund,
  'v2_request_payment.json': v2RequestPayment,
  'login.json': login,
  'v3_request_sign.json': v3RequestSign,
  'v3_request_payment.json': v3RequestPayment,
  'v3_response_verify.json': v3ResponseVerify,
  'v3_notification.json': v3Notification,
  'v3_request_verify.json': v3RequestVerify,
  'v3_sensitive.json': v3Sensitive,
  'aes_gcm.json': aesGcm,
  'v3_app_payment.json': v3AppPayment,
  'bill.json': bill,
  'miniprogram.json': miniprogram,
}

export const files = {
  'official_test_private_key.pem': privateKey,
  'official_test_public_key.pem': publicKey,
  'official_test_private_key_pkcs1.pem': privateKeyPkcs1,
  'official_test_public_key_pkcs1.pem': publicKeyPkcs1,
  'official_test_certificate.pem': certificate,
  'rsa1024_test_private_key.pem': rsa1024Private,
  'rsa1024_test_public_key.pem': rsa1024Public,
  'ec_test_private_key.pem': ecPrivate,
  'ec_test_public_key.pem': ecPublic,
  'rsa_exponent_1_test_public_key.pem': exponent1Public,
}
