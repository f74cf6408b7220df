// The host's crypto in workerd, Deno, Bun and browsers: WebCrypto (`crypto.subtle`). Keys are imported once
// by the signer or verifier that holds them; the AES key of the last APIv3 key is kept. `verify` and
// `aesGcmDecrypt` call `crypto.subtle` at once, which copies its inputs before it returns: they may be bytes
// the core holds in place.
import { WechatPayError } from './error.js'

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-1' }

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle
  if (!s) {
    throw new WechatPayError('ERR_UNSUPPORTED_RUNTIME',
      'unsupported runtime: crypto.subtle is missing (browsers only offer it to secure contexts: https or localhost)')
  }
  return s
}

let aesKey = null
let aesKeyText = null

export const webCryptoHost = {
  name: 'WebCrypto',
  importSigningKey: (pkcs8) => subtle().importKey('pkcs8', pkcs8, RSA, false, ['sign']),
  importVerifyingKey: (spki) => subtle().importKey('spki', spki, RSA, false, ['verify']),
  importOaepKey: (spki) => subtle().importKey('spki', spki, OAEP, false, ['encrypt']),
  /** The APIv3 key as an AES-GCM key: a promise until imported, then the key (the last one is kept). */
  importAesKey(text) {
    if (aesKeyText !== text) {
      aesKeyText = text
      aesKey = subtle().importKey('raw', new TextEncoder().encode(text), 'AES-GCM', false, ['decrypt'])
        .then((k) => (aesKeyText === text ? (aesKey = k) : k))
    }
    return aesKey
  },
  sign: async (key, message) => new Uint8Array(await subtle().sign(RSA.name, key, message)),
  verify: (key, message, signature) => subtle().verify(RSA.name, key, signature, message),
  oaepEncrypt: async (key, plaintext) => new Uint8Array(await subtle().encrypt(OAEP.name, key, plaintext)),
  importDecryptKey: (pkcs8) => subtle().importKey('pkcs8', pkcs8, OAEP, false, ['decrypt']),
  /** RSA-OAEP with SHA-1 (sensitive fields in answers); `undefined` when the ciphertext does not decrypt. */
  async oaepDecrypt(key, ciphertext) {
    try {
      return new Uint8Array(await subtle().decrypt(OAEP.name, key, ciphertext))
    } catch (e) {
      if (e && e.name === 'OperationError') return undefined
      throw new WechatPayError('ERR_DECRYPT_FAILED', `decryption failed: WebCrypto refused it (${e && e.name})`)
    }
  },
  /** AES-256-GCM; `undefined` when the tag does not authenticate. */
  async aesGcmDecrypt(key, nonce, associatedData, ciphertext) {
    const params = { name: 'AES-GCM', iv: nonce, additionalData: associatedData, tagLength: 128 }
    try {
      return new Uint8Array(await subtle().decrypt(params, key, ciphertext))
    } catch (e) {
      if (e && e.name === 'OperationError') return undefined
      if (e instanceof WechatPayError) throw e
      throw new WechatPayError('ERR_DECRYPT_FAILED', `decryption failed: WebCrypto refused it (${e && e.name})`, {},
        { cause: e })
    }
  },
}
