// Mini-program login: the jscode2session URL and its answer.
import { core, str, optStr, key, opts, body, describe } from './boundary.js'
import { invalid } from './error.js'

export function code2SessionUrl(options) {
  const o = opts(options)
  return core.code2SessionUrl(optStr(o.baseUrl, 'baseUrl'), str(o.appId, 'appId'),
    key(o.secret, 'secret', 'the AppSecret, a string'), str(o.code, 'code'))
}

export function parseCode2Session(json) {
  const isObject = json !== null && typeof json === 'object' && !ArrayBuffer.isView(json) && !(json instanceof ArrayBuffer)
  return JSON.parse(core.parseCode2Session(isObject ? stringify(json) : body(json, 'json', 'ERR_MALFORMED_JSON')))
}

/** An already-parsed answer, as the text the core reads (a BigInt or a cycle cannot be JSON). */
function stringify(value) {
  try {
    return JSON.stringify(value)
  } catch {
    throw invalid('json', `expected the jscode2session answer (text, bytes or its parsed object), got ${describe(value)} that is not JSON`)
  }
}
