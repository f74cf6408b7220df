// The offline world's credentials: one merchant as WeChat Pay would have registered it. Generated on first
// start (keys never leave data/, which is git-ignored); a real merchant replaces them through env vars instead.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
// Rejection sampling: every character equally likely (a plain modulo would favour the first few).
function randomString(n, alphabet = ALNUM) {
  const limit = 256 - (256 % alphabet.length)
  let out = ''
  while (out.length < n) {
    for (const b of randomBytes(n)) if (b < limit && out.length < n) out += alphabet[b % alphabet.length]
  }
  return out
}
const hex = (bytes) => randomBytes(bytes).toString('hex')

function rsaPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
}

// File names as WeChat Pay's merchant platform hands them out, so the layout looks familiar.
export const KEY_FILES = {
  merchantPrivateKey: 'apiclient_key.pem',
  merchantPublicKey: 'apiclient_pub.pem',
  wechatpayPublicKey: 'pub_key.pem',
  wechatpayPrivateKey: 'simulator_wechatpay_private_key.pem',
}

function generate(dir) {
  const merchant = rsaPair()
  const wechatpay = rsaPair()
  const mchid = `19${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`
  const ids = {
    merchantName: '肥皂小铺 (模拟商户)',
    appId: `wx${hex(8)}`,
    appSecret: hex(16),
    mchid,
    merchantSerialNo: hex(20).toUpperCase(),
    wechatpayPublicKeyId: `PUB_KEY_ID_01${mchid}${randomString(14, '0123456789')}`,
    apiV3Key: randomString(32),
    apiV2Key: randomString(32),
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const write = (name, text) => fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 })
  write(KEY_FILES.merchantPrivateKey, merchant.privateKey)
  write(KEY_FILES.merchantPublicKey, merchant.publicKey)
  write(KEY_FILES.wechatpayPublicKey, wechatpay.publicKey)
  write(KEY_FILES.wechatpayPrivateKey, wechatpay.privateKey)
  // Written last: its presence means the whole set is complete.
  write('credentials.json', `${JSON.stringify(ids, null, 2)}\n`)
}

/** Loads the credential set in `dir`, generating it first if absent. PEMs come back as strings. */
export function ensureCredentials(dir) {
  if (!fs.existsSync(path.join(dir, 'credentials.json'))) generate(dir)
  const ids = JSON.parse(fs.readFileSync(path.join(dir, 'credentials.json'), 'utf8'))
  const pems = Object.fromEntries(Object.entries(KEY_FILES).map(([k, f]) => [k, fs.readFileSync(path.join(dir, f), 'utf8')]))
  return { ...ids, ...pems }
}
