// The merchants WeChat Pay knows, with its half of each key pair: the merchant's public key (to check the
// merchant's signatures) and its own WeChat Pay private key (to sign answers and notifications).
import { createSigner, createVerifier } from 'wechatpay-wasm'

export function createRegistry(merchants, { maxSkewSeconds, now }) {
  const byMchid = new Map(merchants.map((m) => [m.mchid, m]))
  const byAppId = new Map(merchants.map((m) => [m.appId, m]))
  const bySerial = new Map(merchants.map((m) => [m.merchantSerialNo, m]))
  const signers = new Map()
  // Checks merchant signatures, keyed by the merchant certificate serial, as WeChat Pay does.
  const verifier = createVerifier({
    keys: Object.fromEntries(merchants.map((m) => [m.merchantSerialNo, m.merchantPublicKey])),
    maxSkewSeconds,
    now: () => Math.floor(now() / 1000),
  })

  return {
    byMchid: (mchid) => byMchid.get(mchid),
    byAppId: (appId) => byAppId.get(appId),
    bySerial: (serial) => bySerial.get(serial),
    verifier,
    /** Signs answers and notifications for `m` with its WeChat Pay public key's pair (serial PUB_KEY_ID_…). */
    signer(m) {
      if (!signers.has(m.mchid)) {
        signers.set(m.mchid, createSigner({ mchid: m.mchid, serialNo: m.wechatpayPublicKeyId, privateKey: m.wechatpayPrivateKey }))
      }
      return signers.get(m.mchid)
    },
  }
}
