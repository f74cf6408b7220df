// The merchants WeChat Pay knows, with its half of each key pair: the merchant's public key and certificate (to
// check the merchant's signatures and encrypt fields to it) and its own keys for that merchant (to sign answers
// and notifications): the WeChat Pay public key's pair, or the platform certificate's, by the merchant's mode.
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto'
import { createSigner, createVerifier } from 'wechatpay-wasm'

export const KEY_MODES = ['public-key', 'certificate']
export const QUIRKS = ['v2-notify-md5', 'v2-notify-no-sign-type', 'refund-abnormal']

export function createRegistry(merchants, { maxSkewSeconds, now, quirks = [] }) {
  for (const q of quirks) if (!QUIRKS.includes(q)) throw new Error(`unknown quirk ${q}: one of ${QUIRKS.join(', ')}`)
  // Each merchant's settings can change at run time (POST /sim/merchants/{mchid}/settings).
  const all = merchants.map((m, i) => ({ ...m, subMerchants: m.subMerchants ?? [], quirks: new Set(i === 0 ? quirks : []) }))
  const byMchid = new Map(all.map((m) => [m.mchid, m]))
  const bySerial = new Map(all.map((m) => [m.merchantSerialNo, m]))
  // Every app WeChat knows: each merchant's own, and each sub-merchant's (partner mode).
  const apps = new Map()
  for (const m of all) {
    apps.set(m.appId, { appId: m.appId, appSecret: m.appSecret, merchant: m })
    for (const s of m.subMerchants) apps.set(s.appId, { appId: s.appId, appSecret: s.appSecret, merchant: m, subMerchant: s })
  }
  const signers = new Map()
  // Checks merchant signatures, keyed by the merchant certificate serial, as WeChat Pay does.
  const verifier = createVerifier({
    keys: Object.fromEntries(all.map((m) => [m.merchantSerialNo, m.merchantPublicKey])),
    maxSkewSeconds,
    now: () => Math.floor(now() / 1000),
  })
  const signer = (serialNo, privateKey, mchid) => {
    if (!signers.has(serialNo)) signers.set(serialNo, createSigner({ mchid, serialNo, privateKey }))
    return signers.get(serialNo)
  }
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }

  return {
    merchants: all,
    byMchid: (mchid) => byMchid.get(mchid),
    bySerial: (serial) => bySerial.get(serial),
    app: (appId) => apps.get(appId),
    /** The sub-merchant `subMchid` of service provider `m`, or undefined. */
    subMerchant: (m, subMchid) => m.subMerchants.find((s) => s.mchid === subMchid),
    /** The merchant or sub-merchant `mchid` names (for its name on the cashier sheet). */
    party: (mchid) => byMchid.get(mchid) ?? all.flatMap((m) => m.subMerchants).find((s) => s.mchid === mchid),
    verifier,
    /**
     * The signer of WeChat Pay's answers and notifications for `m`: the WeChat Pay public key's pair
     * (`PUB_KEY_ID_…`) in public-key mode, the platform certificate's key (its serial) in certificate mode.
     */
    signer(m) {
      return m.keyMode === 'certificate'
        ? signer(m.platformSerialNo, m.platformPrivateKey, m.mchid)
        : signer(m.wechatpayPublicKeyId, m.wechatpayPrivateKey, m.mchid)
    },
    /** The serial a merchant must name in `Wechatpay-Serial` when it sends encrypted fields. */
    encryptionSerial: (m) => (m.keyMode === 'certificate' ? m.platformSerialNo : m.wechatpayPublicKeyId),
    /** Decrypts a sensitive request field (RSA-OAEP SHA-1) with the private key behind `serial`; null if it fails. */
    decryptSensitive(m, serial, ciphertext) {
      const key = serial === m.wechatpayPublicKeyId ? m.wechatpayPrivateKey : serial === m.platformSerialNo ? m.platformPrivateKey : null
      if (!key) return null
      try {
        return privateDecrypt({ key, ...oaep }, Buffer.from(ciphertext, 'base64')).toString('utf8')
      } catch {
        return null
      }
    },
    /** Encrypts a sensitive answer field to the merchant certificate (RSA-OAEP SHA-1), base64. */
    encryptToMerchant: (m, plaintext) => publicEncrypt({ key: m.merchantCertificate, ...oaep }, Buffer.from(plaintext)).toString('base64'),
    settings(m, { keyMode, quirks: q } = {}) {
      if (keyMode !== undefined) m.keyMode = keyMode
      if (q !== undefined) m.quirks = new Set(q)
      return { mchid: m.mchid, keyMode: m.keyMode, quirks: [...m.quirks] }
    },
  }
}
