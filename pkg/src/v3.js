// API v3: signer and verifier (RSA on the host's crypto), AES-256-GCM resources (synchronous, in the core),
// and RSA-OAEP for sensitive fields.
import { core, str, optStr, key, opts, rawBody, describe, jsonBytes } from './boundary.js'
import { invalid } from './error.js'
import { host, importKey } from './v3-host.js'

export { createSigner } from './v3-signer.js'
export { createVerifier } from './v3-verifier.js'

const API_V3_KEY = 'the APIv3 key, a string of 32 characters'
const encoder = new TextEncoder()

function object(value, field) {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw invalid(field, `expected an object, got ${describe(value)}`)
  }
  return value
}

export function decryptResource(resource, apiV3Key) {
  const r = object(resource, 'resource')
  // the core checked the plaintext (strict JSON, one object): JSON.parse reads it the same way
  return JSON.parse(core.v3DecryptResource(str(r.algorithm, 'algorithm'), str(r.ciphertext, 'ciphertext'),
    str(r.nonce, 'nonce'), optStr(r.associated_data, 'associated_data') ?? '', key(apiV3Key, 'apiV3Key', API_V3_KEY)))
}

export function encryptResource(plaintext, apiV3Key, options) {
  const o = opts(options)
  const bytes = typeof plaintext === 'string' ? rawBody(plaintext, 'plaintext') : jsonBytes(object(plaintext, 'plaintext'), 'plaintext')
  return core.v3EncryptResource(bytes, key(apiV3Key, 'apiV3Key', API_V3_KEY),
    optStr(o.nonce, 'nonce') ?? core.nonceStr(12), optStr(o.associatedData, 'associatedData') ?? '')
}

export function decryptCertificates(json, apiV3Key) {
  return core.v3DecryptCertificates(jsonBytes(json, 'json'), key(apiV3Key, 'apiV3Key', API_V3_KEY))
}

/** Imported OAEP keys by PEM text: callers pass the same few keys again and again. */
const oaepKeys = new Map()

export async function encryptSensitive(plaintext, publicKeyOrCertificate) {
  const data = encoder.encode(str(plaintext, 'plaintext'))
  const pem = key(publicKeyOrCertificate, 'publicKeyOrCertificate', 'a PEM public key or certificate')
  const spki = core.v3OaepKey(pem, data.length)
  let imported = oaepKeys.get(pem)
  if (!imported) {
    if (oaepKeys.size >= 16) oaepKeys.clear()
    imported = importKey(host.importOaepKey, spki, 'the RSA-OAEP key')
    oaepKeys.set(pem, imported)
  }
  return core.base64(await host.oaepEncrypt(await imported, data))
}
