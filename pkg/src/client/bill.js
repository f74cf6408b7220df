// Bills: the file fetched, gunzipped (DecompressionStream), decrypted (a sub-merchant's fund-flow bill), its SHA-1
// checked against the verified apply answer (crypto.subtle: the file never enters wasm memory whole), and read
// into typed rows by the core in chunks.
import { core } from '../boundary.js'
import { WechatPayError, invalid } from '../error.js'
import { describe } from '../boundary.js'

const CHUNK_CHARS = 1 << 18
const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

const isGzip = (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b

async function gunzip(bytes) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
    return new Uint8Array(await new Response(stream).arrayBuffer())
  } catch (e) {
    throw new WechatPayError('ERR_MALFORMED_MESSAGE', `malformed message, field bill: not a whole gzip file (${e && e.name}): download it again`, { field: 'bill' })
  }
}

/**
 * The bill of a checked apply answer: `fetchBytes(download_url, signal)` does the signed GET; the file is
 * gunzipped when it is gzip (tar_type=GZIP) and its SHA-1 compared with hash_value.
 */
export async function downloadBill(file, fetchBytes, signal) {
  return digestChecked(file, await fetchBytes(file.download_url, signal))
}

/** The bill's bytes, gunzipped when they are gzip, once their SHA-1 is the file's hash_value. */
async function digestChecked(file, raw) {
  const bytes = isGzip(raw) ? await gunzip(raw) : raw
  core.billDigest(file.hash_value, new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', bytes)))
  return bytes
}

/**
 * A sub-merchant fund-flow bill file (`file` from a checked apply answer, `raw` as downloaded, `keyText` its
 * decrypted encrypt_key): AES-256-GCM with the nonce's UTF-8 bytes and no associated data, on WebCrypto; the
 * plaintext gunzipped when it is gzip, then its SHA-1 compared with hash_value.
 */
export async function openEncryptedBill(file, raw, keyText) {
  let plain
  try {
    const key = await globalThis.crypto.subtle.importKey('raw', encoder.encode(keyText), 'AES-GCM', false, ['decrypt'])
    plain = new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: encoder.encode(file.nonce), tagLength: 128 }, key, raw))
  } catch (e) {
    throw new WechatPayError('ERR_DECRYPT_FAILED',
      `decryption failed: bill file ${file.bill_sequence} does not open under its encrypt_key and nonce (${e && e.name}): download it again`,
      {}, { cause: e })
  }
  return digestChecked(file, plain)
}

/** Rows and totals of a bill (`trade` or `fundflow`) given as text or UTF-8 bytes. */
export function parseBill(kind, input) {
  let text
  if (typeof input === 'string') text = input
  else if (ArrayBuffer.isView(input) || input instanceof ArrayBuffer) {
    try {
      text = utf8.decode(input)
    } catch {
      throw new WechatPayError('ERR_MALFORMED_MESSAGE', 'malformed message, field bill: not UTF-8', { field: 'bill' })
    }
  } else throw invalid('bill', `the bill's text or bytes, got ${describe(input)}`)
  const reader = new core.BillReader(kind)
  try {
    const rows = []
    for (let start = 0; start < text.length;) {
      // whole lines only: cut after the last newline of the chunk
      let end = Math.min(text.length, start + CHUNK_CHARS)
      if (end < text.length) {
        const nl = text.lastIndexOf('\n', end)
        end = nl >= start ? nl + 1 : text.indexOf('\n', end) + 1 || text.length
      }
      for (const row of JSON.parse(reader.feed(text.slice(start, end)))) rows.push(row)
      start = end
    }
    return { rows, totals: JSON.parse(reader.finish()) }
  } finally {
    reader.free()
  }
}

export const parseTradeBill = (input) => parseBill('trade', input)
export const parseFundFlowBill = (input) => parseBill('fundflow', input)
