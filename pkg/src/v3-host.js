// The host's crypto that API v3's RSA runs on: node:crypto or WebCrypto, chosen by the entry point.
import { WechatPayError } from './error.js'

/** The host module (host-node.js or host-webcrypto.js); set once by the entry point. */
export let host = null

/**
 * `aesForNotifications`: whether verifyNotification decrypts with the host's AES-GCM (true) or the core's
 * (false), whichever was faster on that runtime.
 */
export function useHost(crypto, { aesForNotifications }) {
  host = { ...crypto, aesForNotifications }
}

/** Imports a key into the host once; the DER copy is wiped as soon as the host has taken its own. */
export async function importKey(importer, der, what) {
  const imported = (async () => importer(der))()
  der.fill(0)
  try {
    return await imported
  } catch (e) {
    if (e instanceof WechatPayError) throw e
    throw new WechatPayError('ERR_INVALID_KEY', `invalid key: ${host.name} refused ${what} (${e && e.name})`)
  }
}
