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

/** Imports a key into the host (once: callers keep the promise); the DER copy is wiped once the host has its own. */
export async function importKey(importer, der, what) {
  try {
    return await importer(der)
  } catch (e) {
    if (e instanceof WechatPayError) throw e
    throw new WechatPayError('ERR_INVALID_KEY', `invalid key: ${host.name} refused ${what} (${e && e.name})`, {},
      { cause: e })
  } finally {
    der.fill(0)
  }
}
