// The host's crypto in Node: node:crypto, synchronous calls (the thread-pool variants cost more than they save
// for one 2048-bit operation). Loaded on first use: it costs 3 ms of start-up that API v2 users never need.
// Keys are imported once by the signer or verifier that holds them; `verify` and `aesGcmDecrypt` run only after
// a key was imported (so the module is loaded), and synchronously: they read bytes the core holds in place.
let loaded = null
let mod = null
let aesKey = null
let aesKeyText = null
const nodeCrypto = async () => (mod ??= await (loaded ??= import('node:crypto')))

export const nodeHost = {
  name: 'node:crypto',
  importSigningKey: async (pkcs8) => (await nodeCrypto()).createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  importVerifyingKey: async (spki) => (await nodeCrypto()).createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  importOaepKey: async (spki) => (await nodeCrypto()).createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  /** The APIv3 key as the AES-256 key, as node:crypto takes it (a promise until loaded; the last one is kept). */
  importAesKey(text) {
    if (!mod) return nodeCrypto().then(() => nodeHost.importAesKey(text))
    if (aesKeyText !== text) [aesKey, aesKeyText] = [mod.createSecretKey(Buffer.from(text, 'latin1')), text]
    return aesKey
  },
  sign: async (key, message) => (await nodeCrypto()).sign('sha256', message, key),
  verify: (key, message, signature) => mod.verify('sha256', message, key, signature),
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
  aesGcmDecrypt(key, nonce, associatedData, ciphertext) {
    const tagAt = ciphertext.length - 16
    const decipher = mod.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
    decipher.setAAD(associatedData)
    decipher.setAuthTag(ciphertext.subarray(tagAt))
    const head = decipher.update(ciphertext.subarray(0, tagAt))
    let tail
    try {
      tail = decipher.final()
    } catch {
      return undefined // final() throws only when the tag does not authenticate
    }
    return tail.length ? Buffer.concat([head, tail]) : head
  },
}
