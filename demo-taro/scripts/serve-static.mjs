// Tiny static file server for the H5 build, 127.0.0.1 only: scripts/run-demo.mjs and the H5 e2e serve dist-h5/ with it.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon'
}

/** Where the demo serves its H5 app (start.sh and the tests). */
export const H5_PORT = 8790

/** Resolves with the listening server once it accepts connections; `stop()` closes it and its open connections. */
export function serveStatic(dir, port = H5_PORT) {
  const root = path.resolve(dir)
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname))
    if (!file.startsWith(root)) { res.writeHead(403).end(); return }
    // The H5 router uses hash mode, so every other path is the app shell.
    const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html')
    res.writeHead(200, { 'content-type': TYPES[path.extname(target)] || 'application/octet-stream', 'cache-control': 'no-store' })
    fs.createReadStream(target).pipe(res)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve({
      // close() alone would wait for a browser's keep-alive connections to go idle and time out.
      stop: () => new Promise((done) => { server.close(done); server.closeAllConnections() })
    }))
  })
}

