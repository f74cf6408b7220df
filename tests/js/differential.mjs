// The host half of tests/differential.rs: signs the messages it is given with both host crypto modules of the
// package (node:crypto and WebCrypto, exactly as pkg/src/host-*.js call them), with the PKCS#8 DER the Rust core
// produced, and checks each signature with node:crypto.verify. Reads and writes JSON (base64) on stdio.
import { createPublicKey, verify } from 'node:crypto'
import { nodeHost } from '../../pkg/src/host-node.js'
import { webCryptoHost } from '../../pkg/src/host-webcrypto.js'

const input = JSON.parse(await new Response(process.stdin).text())
const bytes = (b64) => Buffer.from(b64, 'base64')
const messages = input.messages.map(bytes)
const spki = createPublicKey({ key: bytes(input.spki), format: 'der', type: 'spki' })

const signAll = async (host) => {
  const key = await host.importSigningKey(bytes(input.pkcs8))
  const signatures = []
  for (const m of messages) signatures.push(Buffer.from(await host.sign(key, m)))
  return signatures
}
const node = await signAll(nodeHost)
const webcrypto = await signAll(webCryptoHost)
const verified = node.filter((s, i) => verify('sha256', messages[i], spki, s)).length
process.stdout.write(JSON.stringify({
  node: node.map((s) => s.toString('base64')),
  webcrypto: webcrypto.map((s) => s.toString('base64')),
  verified,
}))
