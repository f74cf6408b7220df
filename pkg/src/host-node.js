// The host's crypto in Node: node:crypto, synchronous calls (the thread-pool variants cost more than they save
// for one 2048-bit operation). Loaded on first use: it costs 3 ms of start-up that API v2 users never need.
// Keys are imported once by the signer or verifier that holds them.
let loaded = null
const nodeCrypto = () => (loaded ??= import('node:crypto'))

export const nodeHost = {
  name: 'node:crypto',
  importSigningKey: async (pkcs8) => (await nodeCrypto()).createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  importVerifyingKey: async (spki) => (await nodeCrypto()).createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  importOaepKey: async (spki) => (await nodeCrypto()).createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  sign: async (key, message) => (await nodeCrypto()).sign('sha256', message, key),
  verify: async (key, message, signature) => (await nodeCrypto()).verify('sha256', message, key, signature),
  async oaepEncrypt(key, plaintext) {
    const { constants, publicEncrypt } = await nodeCrypto()
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plaintext)
  },
  importDecryptKey: async (pkcs8) => (await nodeCrypto()).createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  /** RSA-OAEP with SHA-1 (sensitive fields in answers); `undefined` when the ciphertext does not decrypt. */
  async oaepDecrypt(key, ciphertext) {
    const { constants, privateDecrypt } = await nodeCrypto()
    try {
      return new Uint8Array(privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext))
    } catch {
      return undefined
    }
  },
  /** AES-256-GCM; `undefined` when the tag does not authenticate. */
  async aesGcmDecrypt(key, nonce, associatedData, ciphertext) {
    const tagAt = ciphertext.length - 16
    const decipher = (await nodeCrypto()).createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
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
