// The host's crypto in Node: node:crypto, synchronous (the thread-pool variants cost more than they save
// for one 2048-bit operation). Keys are imported once by the signer or verifier that holds them.
import {
  constants, createDecipheriv, createPrivateKey, createPublicKey, publicEncrypt, sign, verify,
} from 'node:crypto'

export const nodeHost = {
  name: 'node:crypto',
  importSigningKey: (pkcs8) => createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  importVerifyingKey: (spki) => createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  importOaepKey: (spki) => createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  sign: (key, message) => sign('sha256', message, key),
  verify: (key, message, signature) => verify('sha256', message, key, signature),
  oaepEncrypt: (key, plaintext) =>
    publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plaintext),
  /** AES-256-GCM; `undefined` when the tag does not authenticate. */
  aesGcmDecrypt(key, nonce, associatedData, ciphertext) {
    const tagAt = ciphertext.length - 16
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
    decipher.setAAD(associatedData)
    decipher.setAuthTag(ciphertext.subarray(tagAt))
    const head = decipher.update(ciphertext.subarray(0, tagAt))
    try {
      return Buffer.concat([head, decipher.final()])
    } catch {
      return undefined
    }
  },
}
