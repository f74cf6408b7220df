// Mini-program login: the jscode2session URL and its answer.
import { core, str, optStr, key, opts, jsonBytes } from './boundary.js'

export function code2SessionUrl(options) {
  const o = opts(options)
  return core.code2SessionUrl(optStr(o.baseUrl, 'baseUrl'), str(o.appId, 'appId'),
    key(o.secret, 'secret', 'the AppSecret, a string'), str(o.code, 'code'))
}

export function parseCode2Session(json) {
  return JSON.parse(core.parseCode2Session(jsonBytes(json, 'json')))
}
