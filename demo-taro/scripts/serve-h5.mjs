// The H5 server: serves demo-taro/dist-h5 on 127.0.0.1 with Hono's serveStatic (@hono/node-server), the HTTP stack
// server-stub runs on. The H5 router uses hash URLs, so `/` (index.html) and the build's assets are all it serves.
// A path that is not valid percent-encoding is a 400 (serveStatic would call it a 404); an unknown file is a 404.
// Usage: node scripts/serve-h5.mjs <dir> <port>   (scripts/servers.mjs starts it)
import path from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

const [dir, port] = process.argv.slice(2)
if (!dir || !port) {
  console.error('usage: node scripts/serve-h5.mjs <dir> <port>')
  process.exit(2)
}
const log = (line) => console.log(`h5 ${line}`)

const app = new Hono()
app.use(async (c, next) => {
  // Hono leaves a malformed escape (e.g. /%E0%A4%A) undecoded in c.req.path: decoding it again finds it.
  try {
    decodeURIComponent(c.req.path)
  } catch {
    log(`400 ${c.req.method} ${c.req.path}: not valid percent-encoding`)
    return c.json({ code: 'BAD_PATH', message: 'the path is not valid percent-encoding' }, 400)
  }
  await next()
  // Rebuilds replace the files in place: never let a browser keep a stale app.
  c.header('cache-control', 'no-store')
})
app.use(serveStatic({ root: path.resolve(dir) }))
app.notFound((c) => {
  log(`404 ${c.req.method} ${c.req.path}`)
  return c.json({ code: 'NOT_FOUND', message: `no file ${c.req.path} in the H5 build` }, 404)
})
app.onError((e, c) => {
  log(`500 ${c.req.method} ${c.req.path}: ${e.stack || e}`)
  return c.json({ code: 'INTERNAL_ERROR', message: 'internal error' }, 500)
})

const server = serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, (info) => {
  log(`serving ${path.resolve(dir)} on http://127.0.0.1:${info.port}/`)
})
const stop = () => {
  // close() alone would wait for a browser's keep-alive connections to go idle.
  server.close(() => process.exit(0))
  server.closeAllConnections?.()
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
