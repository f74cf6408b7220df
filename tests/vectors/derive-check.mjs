// The second, independent implementation behind each derived vector: recomputes derive.py's records with
// node:crypto from the inputs recorded beside each value.
// Usage: python3 derive.py | node derive-check.mjs
import { createHash, createHmac, createCipheriv } from 'node:crypto'
import { readFileSync } from 'node:fs'

const canonical = (f) => Object.keys(f).sort().filter((k) => f[k] !== '' && k !== 'sign').map((k) => `${k}=${f[k]}`).join('&')
const recompute = {
  v2sign: ({ fields, key, signType }) => (signType === 'HMAC-SHA256' ? createHmac('sha256', key) : createHash('md5'))
    .update(canonical(fields) + '&key=' + key).digest('hex').toUpperCase(),
  ecb: ({ plaintext, key, pkcs7 }) => {
    const c = createCipheriv('aes-256-ecb', createHash('md5').update(key).digest('hex'), null)
    c.setAutoPadding(pkcs7)
    return Buffer.concat([c.update(plaintext), c.final()]).toString('base64')
  },
}
let bad = 0
for (const r of JSON.parse(readFileSync(0, 'utf8'))) {
  const ok = recompute[r.kind](r) === r.value
  bad += !ok
  console.log(ok ? 'same' : 'DIFFERENT', r.name)
}
process.exit(bad ? 1 : 0)
