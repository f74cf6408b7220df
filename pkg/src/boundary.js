// The JS side of the wasm boundary: argument checks that only JS can make (types, lone surrogates, sizes),
// objects flattened into one string, and the scratch buffer of the hot path.
import * as core from '../gen/wechatpay_wasm.js'
import { WechatPayError, invalid } from './error.js'

/** Longest string accepted before it is copied into wasm memory (which never shrinks). */
const MAX_INPUT_CHARS = 1 << 20

let memory = null
let scratchPtr = 0
let scratchCap = 0
let scratchView = new Uint8Array(0)
const encoder = new TextEncoder()
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Called once by each entry point with the instantiated module's exports. */
export function attach(exports) {
  memory = exports.memory
  core.setErrorClass(WechatPayError)
}

const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)

/** Refuses text too long to copy into wasm memory, or that is not valid Unicode (a lone surrogate). */
export function checkText(s, field) {
  if (s.length > MAX_INPUT_CHARS) throw invalid(field, `longer than ${MAX_INPUT_CHARS} characters`)
  if (!wellFormed(s)) throw invalid(field, 'contains a lone surrogate, which is not valid Unicode')
  return s
}

/** A required string argument. */
export function str(value, field) {
  if (typeof value !== 'string') throw invalid(field, `expected a string, got ${describe(value)}`)
  return checkText(value, field)
}

/** An optional string argument: undefined and null mean absent. */
export function optStr(value, field) {
  return value === undefined || value === null ? undefined : str(value, field)
}

/** A key argument: the message never shows the value. */
export function key(value, field, what) {
  if (typeof value !== 'string') {
    throw new WechatPayError('ERR_INVALID_KEY', `invalid key: ${field} must be ${what}, got ${describe(value)}`)
  }
  return checkText(value, field)
}

/** A message body: a string, or bytes that must be UTF-8 (a Node Buffer, a Uint8Array, an ArrayBuffer). */
export function body(value, field, code) {
  if (typeof value === 'string') return checkText(value, field)
  if (value instanceof ArrayBuffer) value = new Uint8Array(value)
  if (ArrayBuffer.isView(value)) {
    if (value.byteLength > MAX_INPUT_CHARS) throw invalid(field, `larger than ${MAX_INPUT_CHARS} bytes`)
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    try {
      return utf8.decode(bytes)
    } catch {
      const offset = core.utf8ValidUpTo(bytes)
      throw new WechatPayError(code, `${field} is not UTF-8 (byte ${offset})`, { offset })
    }
  }
  throw invalid(field, `expected a string or bytes, got ${describe(value)}`)
}

/**
 * A raw message body as bytes, exactly as given: a string (sent as UTF-8) or bytes (a Node Buffer, a
 * Uint8Array, an ArrayBuffer), viewed, not copied. Signatures cover these bytes, so nothing is decoded or
 * re-encoded. The core copies them when called; a caller that awaits before it hands them on copies them.
 */
export function rawBody(value, field) {
  if (typeof value === 'string') return encoder.encode(checkText(value, field))
  if (value instanceof ArrayBuffer) value = new Uint8Array(value)
  if (ArrayBuffer.isView(value)) {
    if (value.byteLength > MAX_INPUT_CHARS) throw invalid(field, `larger than ${MAX_INPUT_CHARS} bytes`)
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  }
  throw invalid(field, `expected the raw body as received, a string or bytes, got ${describe(value)}` +
    (value !== null && typeof value === 'object' ? ' (parsed JSON cannot be verified: pass the text)' : ''))
}

/** A timestamp argument: Unix seconds as a non-negative integer or digits; undefined when absent (the caller's default). */
export function unixSeconds(value, field) {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return String(value)
    throw invalid(field, 'Unix time in seconds, a non-negative integer')
  }
  return str(value, field)
}

/**
 * JSON to hand to the core, as UTF-8 bytes: text or bytes as received (the core finds a UTF-8 fault and says
 * at which byte), or an object the caller already parsed, written back (what JSON.stringify cannot write, a
 * BigInt or a cycle, is the caller's mistake).
 */
export function jsonBytes(value, field) {
  if (typeof value === 'string' || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return rawBody(value, field)
  }
  if (value === null || typeof value !== 'object') {
    throw invalid(field, `expected JSON text, bytes or an object, got ${describe(value)}`)
  }
  let text
  try {
    text = JSON.stringify(value)
  } catch (e) {
    throw invalid(field, `${describe(value)} that cannot be written as JSON (${e && e.name})`, { cause: e })
  }
  return rawBody(text, field)
}

/** The options object (absent means empty). */
export function opts(value, field = 'options') {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, `expected an object, got ${describe(value)}`)
  return value
}

export function describe(v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/** Number of fields in the string returned by the last `frame` call. */
export let framedCount = 0

/**
 * Flattens `{ name: value }` into `name \0 kind value \0 …` (kind `s` or `n`), the one crossing the core
 * reads. Values are strings or finite numbers (formatted as `String(n)`); undefined and null are left out.
 * The text is not checked here: callers check what they finally send (see `checkText`), once.
 */
export function frame(params, field = 'params') {
  // a Map, a Set or a Date would read as an object with no fields
  if (Object.prototype.toString.call(params) !== '[object Object]') {
    throw invalid(field, `expected an object of field names to strings or numbers, got ${describe(params)}`)
  }
  let s = ''
  let n = 0
  const names = Object.keys(params)
  for (let i = 0; i < names.length; i++) {
    const k = names[i]
    const v = params[k]
    if (typeof v === 'string') s += k + '\0s' + v + '\0'
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(k, `${v} is not a number WeChat Pay can carry`)
      s += k + '\0n' + v + '\0'
    } else if (typeof v === 'bigint') s += k + '\0n' + v + '\0'
    else if (v === undefined || v === null) continue
    else throw invalid(k, `expected a string or a number, got ${describe(v)}`)
    n++
  }
  framedCount = n
  return s
}

/** The scratch buffer, at least `need` bytes, as a view that is valid until the next wasm call. */
function scratch(need) {
  if (need > scratchCap) {
    scratchCap = Math.max(need, 4096)
    scratchPtr = core.scratch(scratchCap)
    scratchView = new Uint8Array(0)
  }
  // a call that grew wasm memory detached the old view
  if (scratchView.byteLength === 0) scratchView = new Uint8Array(memory.buffer, scratchPtr, scratchCap)
  return scratchView
}

/** Writes `text` into the scratch buffer; returns the number of bytes written. */
export function writeScratch(text) {
  return encoder.encodeInto(text, scratch(text.length * 3)).written
}

/**
 * Writes a raw message body into the scratch buffer, as `rawBody` takes it (a string as UTF-8, or bytes as
 * they are), without an intermediate copy; returns its length in bytes. The next call into the core reads it.
 */
export function writeBody(value, field) {
  if (typeof value === 'string') return writeScratch(checkText(value, field))
  const bytes = rawBody(value, field)
  scratch(bytes.length).set(bytes)
  return bytes.length
}

/** Reads `length` bytes of UTF-8 the core wrote at the start of the scratch buffer. */
export function readScratch(length) {
  return utf8.decode(scratch(0).subarray(0, length))
}

/** Bytes the core holds, in place: valid until the next call into the core (which may grow its memory). */
export function view(address, length) {
  return new Uint8Array(memory.buffer, address, length)
}

/** UTF-8 text the core has checked, as a string. */
export const decode = (bytes) => utf8.decode(bytes)

export { core }
