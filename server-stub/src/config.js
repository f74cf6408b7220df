// Every knob in one place, read from the environment. The merchant's WeChat URLs, ids and keys default to the
// simulator and the generated credentials; set them and the same merchant code talks to the real WeChat Pay.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureCredentials } from './credentials.js'
import { MERCHANT_VARS, merchantSettings } from './merchant/settings.js'

const STUB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// WeChat Pay's notification retry schedule in seconds (v2 and v3 docs: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h).
export const WECHAT_RETRY_SCHEDULE = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600]

const int = (env, name, fallback) => {
  if (env[name] === undefined || env[name] === '') return fallback
  const n = Number(env[name])
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`)
  return n
}
const num = (env, name, fallback) => {
  if (env[name] === undefined || env[name] === '') return fallback
  const n = Number(env[name])
  if (!(n > 0)) throw new Error(`${name} must be a positive number`)
  return n
}
const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])
const KEY_MODES = ['public-key', 'certificate']
/** The simulator's view of one generated merchant; `keyMode` is how WeChat Pay signs for it. */
function simMerchant(c, keyMode = 'public-key') {
  if (!KEY_MODES.includes(keyMode)) throw new Error(`SIM_*_KEY_MODE must be one of ${KEY_MODES.join(', ')}`)
  return {
    mchid: c.mchid,
    name: c.merchantName,
    appId: c.appId,
    appSecret: c.appSecret,
    merchantSerialNo: c.merchantSerialNo,
    merchantPublicKey: c.merchantPublicKey,
    merchantCertificate: c.merchantCertificate,
    wechatpayPublicKeyId: c.wechatpayPublicKeyId,
    wechatpayPublicKey: c.wechatpayPublicKey,
    wechatpayPrivateKey: c.wechatpayPrivateKey,
    platformSerialNo: c.platformSerialNo,
    platformCertificate: c.platformCertificate,
    platformPrivateKey: c.platformPrivateKey,
    apiV3Key: c.apiV3Key,
    apiV2Key: c.apiV2Key,
    keyMode,
    ...(c.subMchid ? { subMerchants: [{ mchid: c.subMchid, name: c.subMerchantName, appId: c.subAppId, appSecret: c.subAppSecret }] } : {}),
  }
}
const pemFile = (env, name, fallback) => (env[name] ? fs.readFileSync(env[name], 'utf8') : fallback)

/** The merchant's variables for a generated credential set and the simulator. */
const merchantEnv = (creds, { simUrl, simTlsUrl, publicUrl }) => ({
  WECHAT_APPID: creds.appId,
  WECHAT_APPSECRET: creds.appSecret,
  WECHATPAY_MCHID: creds.mchid,
  WECHATPAY_MERCHANT_SERIAL_NO: creds.merchantSerialNo,
  WECHATPAY_MERCHANT_PRIVATE_KEY: creds.merchantPrivateKey,
  WECHATPAY_PUBLIC_KEY_ID: creds.wechatpayPublicKeyId,
  WECHATPAY_PUBLIC_KEY: creds.wechatpayPublicKey,
  WECHATPAY_APIV3_KEY: creds.apiV3Key,
  WECHATPAY_APIV2_KEY: creds.apiV2Key,
  WECHAT_API_BASE_URL: simUrl,
  WECHATPAY_BASE_URL: simUrl,
  MERCHANT_PUBLIC_URL: publicUrl,
  // API v2 refunds over the simulator's mutual-TLS port (its port is known here only when SIM_TLS_PORT is set;
  // main.js fills it in when it runs the simulator too)
  WECHATPAY_MERCHANT_CERTIFICATE: creds.merchantCertificate,
  WECHATPAY_CA_CERTIFICATE: creds.simulator?.caCertificate,
  WECHATPAY_MTLS_BASE_URL: simTlsUrl,
})

export function loadConfig(env = process.env) {
  const dataDir = path.resolve(env.DATA_DIR || path.join(STUB_DIR, 'data'))
  const creds = ensureCredentials(path.resolve(env.CREDENTIALS_DIR || path.join(dataDir, 'keys')))
  const host = env.HOST || '127.0.0.1'
  const merchantPort = int(env, 'MERCHANT_PORT', 8787)
  const simPort = int(env, 'SIM_PORT', 8788)
  const simUrl = `http://${host}:${simPort}`
  const dbPath = env.DB_PATH || path.join(dataDir, 'server-stub.sqlite')
  const merchantRuntime = env.MERCHANT_RUNTIME || 'node'
  if (merchantRuntime !== 'node' && merchantRuntime !== 'workerd') throw new Error('MERCHANT_RUNTIME must be node or workerd')
  // The merchant's variables (src/merchant/settings.js, the same names as on Workers): the environment's, over the
  // simulator and the generated credentials; the PEMs may also come from files.
  const merchantVars = Object.fromEntries(Object.entries({
    ...merchantEnv({
      ...creds,
      merchantPrivateKey: pemFile(env, 'WECHATPAY_MERCHANT_PRIVATE_KEY_FILE', creds.merchantPrivateKey),
      wechatpayPublicKey: pemFile(env, 'WECHATPAY_PUBLIC_KEY_FILE', creds.wechatpayPublicKey),
      merchantCertificate: pemFile(env, 'WECHATPAY_MERCHANT_CERTIFICATE_FILE', creds.merchantCertificate),
    }, { simUrl, simTlsUrl: int(env, 'SIM_TLS_PORT', 0) ? `https://${host}:${int(env, 'SIM_TLS_PORT', 0)}` : undefined, publicUrl: `http://${host}:${merchantPort}` }),
    ...Object.fromEntries(MERCHANT_VARS.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]])),
  }).filter(([, v]) => v !== undefined))

  return {
    role: env.ROLE || 'all',
    host,
    merchantPort,
    simPort,
    dbPath: dbPath === ':memory:' ? dbPath : path.resolve(dbPath),
    merchant: merchantSettings(merchantVars),
    // The merchant's whole environment, as the Worker gets it on local workerd.
    merchantVars,
    // How this process runs the merchant: on Node with SQLite, or on workerd with a local D1 (src/workerd.js).
    merchantHost: {
      runtime: merchantRuntime,
      // D1's files, laid out as `wrangler --persist-to` does (DB_PATH=:memory: keeps D1 in memory too).
      d1PersistDir: path.resolve(env.D1_PERSIST_DIR || path.join(dataDir, 'wrangler')),
      // The scheduled job's period on Node and on local workerd (on Workers: the Cron Trigger in wrangler.jsonc).
      maintenanceIntervalSeconds: int(env, 'MAINTENANCE_INTERVAL_SECONDS', 300),
      // Serves /cdn-cgi/handler/scheduled, which runs the job on demand as `wrangler dev` does: local use only.
      scheduledRoute: env.SCHEDULED_ROUTE === '1',
    },
    wechat: {
      // The merchants the simulator knows, with the halves of each key pair WeChat holds: the generated direct
      // merchant, and the generated service provider (服务商) with its one sub-merchant (特约商户).
      merchants: [simMerchant(creds, env.SIM_MERCHANT_KEY_MODE), simMerchant(creds.partner, env.SIM_PARTNER_KEY_MODE)],
      // The CA that issues merchant certificates, and the certificate of the mutual-TLS port (API v2 refunds);
      // the port is a free one unless set (it is printed at start).
      tls: { ca: creds.simulator.caCertificate, cert: creds.simulator.tlsCertificate, key: creds.simulator.tlsPrivateKey },
      tlsPort: int(env, 'SIM_TLS_PORT', 0),
      // Quirks of the real WeChat Pay, on from the start for the generated merchant (see README: Quirks).
      quirks: list(env.SIM_QUIRKS),
      // Demo only: jscode2session takes a code WeChat DevTools made (one the simulator never issued).
      devtoolsLogin: env.SIM_DEVTOOLS_LOGIN === '1',
      retrySchedule: WECHAT_RETRY_SCHEDULE,
      // 0.001 turns 15 s into 15 ms and the whole 24 h schedule into about 86 s.
      retryTimeScale: num(env, 'SIM_RETRY_TIME_SCALE', 0.001),
      notifyTimeoutMs: int(env, 'SIM_NOTIFY_TIMEOUT_MS', 5000),
      prepayTtlSeconds: int(env, 'SIM_PREPAY_TTL_SECONDS', 7200),
      loginCodeTtlSeconds: int(env, 'SIM_LOGIN_CODE_TTL_SECONDS', 300),
      // How long finished things are kept before the purge: delivered notifications, closed and expired
      // unpaid orders, media, bill files. Paid orders and refunds stay for the bills (WeChat: 3 months).
      retentionSeconds: int(env, 'SIM_RETENTION_SECONDS', 24 * 3600),
      purgeIntervalSeconds: num(env, 'SIM_PURGE_INTERVAL_SECONDS', 600),
      maxSkewSeconds: int(env, 'MAX_SKEW_SECONDS', 300),
    },
  }
}
