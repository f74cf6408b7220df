// Serves the simulator on Node: plain HTTP (every endpoint) and HTTPS with mutual TLS, as WeChat Pay serves the
// API v2 endpoints that need the merchant's certificate (/secapi/pay/refund): a client without a certificate
// issued by the simulator's CA fails the TLS handshake. Both ports serve the same app.
import https from 'node:https'
import { serve } from '@hono/node-server'
import { createWechatApp } from './app.js'

const listen = (options) => new Promise((resolve, reject) => {
  const server = serve(options, (info) => resolve({ server, port: info.port }))
  server.once('error', reject)
})

/** Starts the simulator; resolves `{ app, ports: { http, https }, stop() }` once both listen. `fetch` delivers notifications. */
export async function serveWechat({ config, db, log, host, port, fetch }) {
  const wechat = createWechatApp({ config, db, log, fetch })
  const plain = await listen({ fetch: wechat.app.fetch, port, hostname: host })
  const tls = await listen({
    fetch: wechat.app.fetch,
    port: config.tlsPort,
    hostname: host,
    createServer: https.createServer,
    serverOptions: { key: config.tls.key, cert: config.tls.cert, ca: config.tls.ca, requestCert: true, rejectUnauthorized: true },
  })
  wechat.start()
  return {
    ...wechat,
    ports: { http: plain.port, https: tls.port },
    async stop() {
      await Promise.all([plain.server, tls.server].map((s) => new Promise((r) => {
        s.close(r)
        s.closeIdleConnections?.()
      })))
      await wechat.stop()
    },
  }
}
