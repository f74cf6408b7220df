// Node only (never imported by the Worker): a fetch that presents the merchant API certificate, for API v2
// refunds over mutual TLS. Node's own fetch cannot be given a client certificate; undici's, with an Agent, can
// (the package's README shows the same).
import tls from 'node:tls'
import { Agent, fetch } from 'undici'

/** The fetch for `config` (merchantSettings), or undefined when no merchant certificate is configured. */
export function certificateFetch(config) {
  if (!config.merchantCertificate) return undefined
  if (!config.merchantPrivateKey) throw new Error('WECHATPAY_MERCHANT_PRIVATE_KEY is not set: the certificate is presented with its key')
  const ca = config.extraCaCertificate ? [...tls.rootCertificates, config.extraCaCertificate] : undefined
  const dispatcher = new Agent({ connect: { cert: config.merchantCertificate, key: config.merchantPrivateKey, ...(ca ? { ca } : {}) } })
  return (url, init) => fetch(url, { ...init, dispatcher })
}
