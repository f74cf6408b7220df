// Tiny static file server for the H5 build, 127.0.0.1 only. Usage: node scripts/serve-static.mjs <dir> [port]
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon'
}

/** Resolves with the listening server once it accepts connections. */
export function serveStatic(dir, port) {
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
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist-h5', port = '8790'] = process.argv.slice(2)
  if (!fs.existsSync(path.join(dir, 'index.html'))) { console.error(`no ${dir}/index.html: build the H5 app first`); process.exit(1) }
  serveStatic(dir, Number(port)).then(
    () => console.log(`H5 app: http://127.0.0.1:${port}/`),
    (e) => { console.error(`cannot serve on 127.0.0.1:${port}: ${e.message}`); process.exit(1) }
  )
}
