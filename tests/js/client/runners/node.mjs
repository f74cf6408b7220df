// The client suite in Node (ESM), Deno and Bun, against the world of ../world.mjs (CLIENT_HELPER). API v2 refunds
// go over mutual TLS the way the README shows for each runtime: undici's fetch with an Agent (Node),
// Deno.createHttpClient (Deno), fetch's `tls` option (Bun).
import * as api from 'wechatpay-wasm'
import { runClient } from '../suite.mjs'

const runtime = globalThis.Deno ? 'deno' : process.versions.bun ? 'bun' : `node${process.versions.node.split('.')[0]}`

async function tlsFetch() {
  if (globalThis.Deno) {
    return (m, ca) => {
      const client = Deno.createHttpClient({ cert: m.merchantCertificate, key: m.merchantPrivateKey, caCerts: [ca] })
      return (url, init) => fetch(url, { ...init, client })
    }
  }
  if (process.versions.bun) {
    return (m, ca) => (url, init) => fetch(url, { ...init, tls: { cert: m.merchantCertificate, key: m.merchantPrivateKey, ca } })
  }
  const { Agent, fetch: undiciFetch } = await import('undici')
  return (m, ca) => {
    const dispatcher = new Agent({ connect: { cert: m.merchantCertificate, key: m.merchantPrivateKey, ca } })
    return (url, init) => undiciFetch(url, { ...init, dispatcher })
  }
}

const result = await runClient(api, {
  helper: process.env.CLIENT_HELPER, scope: process.env.CLIENT_SCOPE || 'all', tlsFetch: await tlsFetch(), runtime, log: console.log,
})
console.log('RESULT ' + JSON.stringify(result))
