// The offline world's credentials: one merchant and one service provider (服务商) with its sub-merchant, as
// WeChat Pay would have registered them, and the simulator's own CA and TLS certificate. Generated on first
// start (keys never leave data/, which is git-ignored); a real merchant replaces them through env vars instead.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const GENERATE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'credentials-generate.js')

// Kept in step with credentials-generate.js (which cannot be imported here: it loads WebCrypto and @peculiar/x509).
export const KEY_FILES = {
  merchantPrivateKey: 'apiclient_key.pem',
  merchantPublicKey: 'apiclient_pub.pem',
  merchantCertificate: 'apiclient_cert.pem',
  wechatpayPublicKey: 'pub_key.pem',
  wechatpayPrivateKey: 'simulator_wechatpay_private_key.pem',
  platformCertificate: 'wechatpay_platform_cert.pem',
  platformPrivateKey: 'simulator_platform_private_key.pem',
}
export const SIM_FILES = {
  caCertificate: 'ca_cert.pem',
  caPrivateKey: 'simulator_ca_private_key.pem',
  tlsCertificate: 'simulator_tls_cert.pem',
  tlsPrivateKey: 'simulator_tls_key.pem',
}
const IDS = ['mchid', 'merchantName', 'appId', 'appSecret', 'merchantSerialNo', 'wechatpayPublicKeyId', 'platformSerialNo', 'apiV3Key', 'apiV2Key']
const PARTNER_IDS = [...IDS, 'subMchid', 'subMerchantName', 'subAppId', 'subAppSecret']

function complete(dir) {
  const ok = (d, files, ids) => {
    if (!files.every((f) => fs.existsSync(path.join(d, f)))) return false
    try {
      const json = JSON.parse(fs.readFileSync(path.join(d, 'credentials.json'), 'utf8'))
      return ids.every((k) => typeof json[k] === 'string' && json[k])
    } catch {
      return false
    }
  }
  return ok(dir, ['credentials.json', ...Object.values(KEY_FILES), ...Object.values(SIM_FILES)], IDS)
    && ok(path.join(dir, 'partner'), ['credentials.json', ...Object.values(KEY_FILES)], PARTNER_IDS)
}

function load(dir) {
  const ids = JSON.parse(fs.readFileSync(path.join(dir, 'credentials.json'), 'utf8'))
  const pems = Object.fromEntries(Object.entries(KEY_FILES).map(([k, f]) => [k, fs.readFileSync(path.join(dir, f), 'utf8')]))
  return { ...ids, ...pems }
}

/**
 * Loads the credential set in `dir`, generating what is missing first (keys already there are kept). PEMs come
 * back as strings: the merchant's at the top level, the service provider's under `partner`, the simulator's
 * CA and TLS certificate under `simulator`.
 */
export function ensureCredentials(dir) {
  if (!complete(dir)) execFileSync(process.execPath, [GENERATE, dir], { stdio: ['ignore', 'ignore', 'inherit'] })
  return {
    ...load(dir),
    partner: load(path.join(dir, 'partner')),
    simulator: Object.fromEntries(Object.entries(SIM_FILES).map(([k, f]) => [k, fs.readFileSync(path.join(dir, f), 'utf8')])),
  }
}
