// Generates what credentials.js finds missing in a credentials folder, keeping whatever is already there (an
// older folder gains the certificates without losing its keys). Run as a child process by credentials.js, which
// must stay synchronous: X.509 certificates are made with @peculiar/x509 on WebCrypto, which is asynchronous.
//   node src/credentials-generate.js <dir>
import { createPublicKey, generateKeyPair, randomBytes, webcrypto } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto)
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
const YEAR = 365 * 24 * 3600 * 1000

/** File names as WeChat Pay's merchant platform hands them out, so the layout looks familiar. */
const KEY_FILES = {
  merchantPrivateKey: 'apiclient_key.pem',
  merchantPublicKey: 'apiclient_pub.pem',
  merchantCertificate: 'apiclient_cert.pem',
  wechatpayPublicKey: 'pub_key.pem',
  wechatpayPrivateKey: 'simulator_wechatpay_private_key.pem',
  platformCertificate: 'wechatpay_platform_cert.pem',
  platformPrivateKey: 'simulator_platform_private_key.pem',
}
/** The simulator's own: its CA (the stand-in for Tenpay.com's) and the server certificate of its mutual-TLS port. */
const SIM_FILES = {
  caCertificate: 'ca_cert.pem',
  caPrivateKey: 'simulator_ca_private_key.pem',
  tlsCertificate: 'simulator_tls_cert.pem',
  tlsPrivateKey: 'simulator_tls_key.pem',
}

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
// 40 hex digits like WeChat's serials. The first byte is 0x10-0x7f: a leading zero would vanish from the
// certificate's serial (an integer), and a set top bit would make its DER integer 21 bytes.
const serial40 = () => (0x10 + (randomBytes(1)[0] % 0x70)).toString(16).toUpperCase() + hex(19).toUpperCase()
const mchid = () => `19${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`

const rsaPair = () => promisify(generateKeyPair)('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
})
const der = (pem, type) => new Uint8Array(type === 'spki' ? createPublicKey(pem).export({ type: 'spki', format: 'der' }) : Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
const importPublic = (pem) => webcrypto.subtle.importKey('spki', der(pem, 'spki'), RSA, true, ['verify'])
const importPrivate = (pem) => webcrypto.subtle.importKey('pkcs8', der(pem, 'pkcs8'), RSA, false, ['sign'])

async function issue({ ca, subject, serialNumber, publicKeyPem, years, extensions = [] }) {
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: ca.cert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + years * YEAR),
    signingAlgorithm: RSA,
    publicKey: await importPublic(publicKeyPem),
    signingKey: await importPrivate(ca.privateKey),
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
  })
  return cert.toString('pem')
}

/** Reads the folder's files that exist, generates the missing ones; credentials.json is written last. */
async function fillMerchant(dir, ca, { partner }) {
  const file = (name) => path.join(dir, name)
  const read = (name) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name), 'utf8') : null)
  const write = (name, text) => fs.writeFileSync(file(name), text, { mode: 0o600 })
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const old = read('credentials.json')
  const ids = old ? JSON.parse(old) : {}
  ids.mchid ??= mchid()
  ids.merchantName ??= partner ? '云间服务商 (模拟服务商)' : '肥皂小铺 (模拟商户)'
  ids.appId ??= `wx${hex(8)}`
  ids.appSecret ??= hex(16)
  ids.merchantSerialNo ??= serial40()
  ids.wechatpayPublicKeyId ??= `PUB_KEY_ID_01${ids.mchid}${randomString(14, '0123456789')}`
  ids.platformSerialNo ??= serial40()
  ids.apiV3Key ??= randomString(32)
  ids.apiV2Key ??= randomString(32)
  if (partner) {
    ids.subMchid ??= mchid()
    ids.subMerchantName ??= '山茶花店 (模拟特约商户)'
    ids.subAppId ??= `wx${hex(8)}`
    ids.subAppSecret ??= hex(16)
  }
  const pairs = async (priv, pub) => {
    if (read(priv) && read(pub)) return
    const p = await rsaPair()
    write(priv, p.privateKey)
    write(pub, p.publicKey)
  }
  await Promise.all([
    pairs(KEY_FILES.merchantPrivateKey, KEY_FILES.merchantPublicKey),
    pairs(KEY_FILES.wechatpayPrivateKey, KEY_FILES.wechatpayPublicKey),
    (async () => {
      if (read(KEY_FILES.platformPrivateKey)) return
      const p = await rsaPair()
      write(KEY_FILES.platformPrivateKey, p.privateKey)
      fs.rmSync(file(KEY_FILES.platformCertificate), { force: true })
    })(),
  ])
  const org = 'O=Tenpay.com (simulator), L=Shenzhen, ST=Guangdong, C=CN'
  if (!read(KEY_FILES.merchantCertificate)) {
    // WeChat's merchant API certificate: CN is the mchid, OU the merchant's name.
    write(KEY_FILES.merchantCertificate, await issue({
      ca, serialNumber: ids.merchantSerialNo, years: 5, publicKeyPem: read(KEY_FILES.merchantPublicKey),
      subject: `CN=${ids.mchid}, OU=${ids.merchantName.replace(/[,+=<>#;"\\]/g, ' ')}, ${org}`,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true)],
    }))
  }
  if (!read(KEY_FILES.platformCertificate)) {
    write(KEY_FILES.platformCertificate, await issue({
      ca, serialNumber: ids.platformSerialNo, years: 5, publicKeyPem: createPublicKey(read(KEY_FILES.platformPrivateKey)).export({ type: 'spki', format: 'pem' }),
      subject: `CN=Tenpay.com Platform Certificate (simulator), OU=${ids.mchid}, ${org}`,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true)],
    }))
  }
  if (JSON.stringify(ids) !== (old && JSON.stringify(JSON.parse(old)))) write('credentials.json', `${JSON.stringify(ids, null, 2)}\n`)
}

async function fillSimulator(dir) {
  const file = (name) => path.join(dir, name)
  const read = (name) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name), 'utf8') : null)
  const write = (name, text) => fs.writeFileSync(file(name), text, { mode: 0o600 })
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (!read(SIM_FILES.caCertificate) || !read(SIM_FILES.caPrivateKey)) {
    const p = await rsaPair()
    const notBefore = new Date(Date.now() - 24 * 3600 * 1000)
    const keys = { publicKey: await importPublic(p.publicKey), privateKey: await importPrivate(p.privateKey) }
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial40(),
      name: 'CN=Tenpay.com Root CA (simulator), OU=Tenpay.com CA Center, O=Tenpay.com (simulator), L=Shenzhen, ST=Guangdong, C=CN',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 20 * YEAR),
      signingAlgorithm: RSA,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    })
    write(SIM_FILES.caPrivateKey, p.privateKey)
    write(SIM_FILES.caCertificate, cert.toString('pem'))
    // Everything the old CA issued is now unverifiable: issue again.
    for (const f of [SIM_FILES.tlsCertificate, KEY_FILES.merchantCertificate, KEY_FILES.platformCertificate, `partner/${KEY_FILES.merchantCertificate}`, `partner/${KEY_FILES.platformCertificate}`]) {
      fs.rmSync(file(f), { force: true })
    }
  }
  const ca = { cert: new x509.X509Certificate(read(SIM_FILES.caCertificate)), privateKey: read(SIM_FILES.caPrivateKey) }
  if (!read(SIM_FILES.tlsCertificate) || !read(SIM_FILES.tlsPrivateKey)) {
    const p = await rsaPair()
    write(SIM_FILES.tlsPrivateKey, p.privateKey)
    write(SIM_FILES.tlsCertificate, await issue({
      ca, serialNumber: serial40(), years: 5, publicKeyPem: p.publicKey,
      subject: 'CN=localhost, O=Tenpay.com (simulator), C=CN',
      extensions: [
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }]),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ],
    }))
  }
  return ca
}

const dir = process.argv[2]
if (!dir) throw new Error('usage: node src/credentials-generate.js <dir>')
const ca = await fillSimulator(dir)
await Promise.all([fillMerchant(dir, ca, { partner: false }), fillMerchant(path.join(dir, 'partner'), ca, { partner: true })])
