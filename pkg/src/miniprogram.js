// Mini-program open data: encryptedData decrypted with the session key, its watermark checked (in the core).
import { core, str, key, opts } from './boundary.js'

export function decryptMiniProgramData(options) {
  const o = opts(options)
  return JSON.parse(core.decryptMiniProgramData(str(o.encryptedData, 'encryptedData'), str(o.iv, 'iv'),
    key(o.sessionKey, 'sessionKey', 'the session_key from jscode2session, 24 base64 characters'), str(o.appId, 'appId')))
}
