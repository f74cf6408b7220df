// The world the client suite runs against, on real HTTP: server-stub's WeChat simulator in its own process (a
// fresh data folder and database, free ports), and a helper server that hands the suite its configuration,
// receives the simulator's notifications, and stands where WeChat cannot be reached: servers that misbehave
// in each way a network or a forger can (tampered, unsigned, replayed, wrong digest, silent, reset).
import { spawn } from 'node:child_process'
import { createSign } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { request as httpRequest, createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const tests = join(dirname(fileURLToPath(import.meta.url)), '../..')
const root = join(tests, '..')

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))

function readCredentials(dir) {
  const read = (d, f) => readFileSync(join(d, f), 'utf8')
  const load = (d) => ({
    ...JSON.parse(read(d, 'credentials.json')),
    merchantPrivateKey: read(d, 'apiclient_key.pem'),
    merchantCertificate: read(d, 'apiclient_cert.pem'),
    wechatpayPublicKey: read(d, 'pub_key.pem'),
    wechatpayPrivateKey: read(d, 'simulator_wechatpay_private_key.pem'),
    platformCertificate: read(d, 'wechatpay_platform_cert.pem'),
  })
  return { merchant: load(dir), partner: load(join(dir, 'partner')), ca: read(dir, 'ca_cert.pem') }
}

/** server-stub's main.js as the simulator alone; resolves its plain and mutual-TLS URLs. */
function startSimulator(main, dataDir) {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ROLE: 'wechat', SIM_PORT: '0', SIM_TLS_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DB_PATH: ':memory:' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d
      const plain = /WeChat simulator listening on (http:\/\/\S+)/.exec(output)
      const tls = /mutual-TLS port[^\n]* at (https:\/\/\S+)/.exec(output)
      if (plain && tls) resolve({ url: plain[1], tlsUrl: tls[1], output: () => output, stop: () => stop(child) })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before listening:\n${output}`)))
  })
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })
}

const readBody = (stream) => new Promise((resolve, reject) => {
  const chunks = []
  stream.on('data', (c) => chunks.push(c))
  stream.on('end', () => resolve(Buffer.concat(chunks)))
  stream.on('error', reject)
})

/** Forwards a request to the simulator as received (Host kept: the simulator builds download URLs from it). */
async function forward(target, req) {
  const body = await readBody(req)
  return new Promise((resolve, reject) => {
    const out = httpRequest(new URL(req.url, target), { method: req.method, headers: req.headers }, async (res) => {
      resolve({ status: res.statusCode, headers: { ...res.headers }, body: await readBody(res) })
    })
    out.on('error', reject)
    out.end(body)
  })
}

function send(res, { status, headers, body }) {
  const h = { ...headers }
  delete h['content-length']
  delete h['transfer-encoding']
  delete h.connection
  res.writeHead(status, { ...h, 'content-length': body.length }).end(body)
}

/** WeChat's signature over an answer, with the simulator's WeChat Pay key (as the simulator signs). */
function signAnswer(merchant, body) {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = 'N' + Math.random().toString(36).slice(2, 18)
  const signature = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(merchant.wechatpayPrivateKey, 'base64')
  return {
    'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature,
    'wechatpay-serial': merchant.wechatpayPublicKeyId, 'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048', 'request-id': 'HELPER-1',
  }
}

const isOk = (status) => status >= 200 && status < 300

/** The misbehaving servers, each on its own port, named by what they do. */
async function misbehaving(simUrl, merchant, cleanups) {
  const http = async (handler) => {
    const server = createServer((req, res) => handler(req, res).catch((e) => res.writeHead(599).end(String(e))))
    cleanups.push(() => new Promise((r) => { server.close(r); server.closeAllConnections?.() }))
    return `http://127.0.0.1:${await listen(server)}`
  }
  const proxy = (transform) => http(async (req, res) => send(res, await transform(await forward(simUrl, req), req)))
  let recorded = null
  let replaying = false
  const sockets = new Set()
  const net = async (onConnection) => {
    const server = createNetServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {})
      onConnection(socket)
    })
    cleanups.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r) }))
    return `http://127.0.0.1:${await listen(server)}`
  }
  const closedPort = await (async () => {
    const s = createNetServer()
    const port = await listen(s)
    await new Promise((r) => s.close(r))
    return `http://127.0.0.1:${port}`
  })()
  // where the redirecting servers point: another origin, which must never be asked (hits counted, GET /__hits)
  let sinkHits = 0
  const sink = await http(async (req, res) => {
    await readBody(req)
    if (req.url === '/__hits') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sinkHits))
    sinkHits++
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  const redirectTo = (req, res) => res.writeHead(307, { location: sink + req.url }).end()
  return {
    // answers every request with a redirect to another origin (WeChat Pay's API never redirects)
    redirect: await http(async (req, res) => {
      await readBody(req)
      redirectTo(req, res)
    }),
    // the simulator, except that the bill file redirects to another origin
    billRedirect: await http(async (req, res) => {
      if (req.url.startsWith('/v3/billdownload/')) {
        await readBody(req)
        return redirectTo(req, res)
      }
      send(res, await forward(simUrl, req))
    }),
    sink,
    // a 2xx with one digit of its body changed, or (204) its nonce: the signature no longer covers it
    tamper: await proxy((a) => {
      if (!isOk(a.status)) return a
      if (!a.body.length) return { ...a, headers: { ...a.headers, 'wechatpay-nonce': a.headers['wechatpay-nonce'] + 'x' } }
      // a digit from the middle on: amounts and ids change, the JSON or XML stays well-formed
      const body = Buffer.from(a.body)
      let at = body.length >> 1
      while (at < body.length && !(body[at] >= 0x30 && body[at] <= 0x39)) at++
      if (at === body.length) at = 0
      body[at] = body[at] === 0x39 ? 0x30 : body[at] + 1
      return { ...a, body }
    }),
    // the simulator's answers, each 2xx signed again with the WeChat Pay public key's pair (a key the client may
    // trust, but not the platform certificates a /v3/certificates answer carries)
    resign: await proxy((a) => {
      if (!isOk(a.status)) return a
      const headers = Object.fromEntries(Object.entries(a.headers).filter(([k]) => !k.startsWith('wechatpay-')))
      return { ...a, headers: { ...headers, ...signAnswer(merchant, a.body.toString('utf8')) } }
    }),
    // a 2xx without the Wechatpay-* headers, as a forger without WeChat's key would send it
    unsigned: await proxy((a) => {
      if (!isOk(a.status)) return a
      const headers = Object.fromEntries(Object.entries(a.headers).filter(([k]) => !k.startsWith('wechatpay-')))
      return { ...a, headers }
    }),
    // WeChat's system error, unsigned (as a proxy or a forger could send it)
    unsigned5xx: await http(async (req, res) => {
      await readBody(req)
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }))
    }),
    // a gateway's HTML page
    html: await http(async (req, res) => {
      await readBody(req)
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>')
    }),
    // a 200 signed with WeChat's key whose body is not JSON
    nonJson: await http(async (req, res) => {
      await readBody(req)
      const body = '<xml>not json</xml>'
      res.writeHead(200, { ...signAnswer(merchant, body), 'content-type': 'application/json' }).end(body)
    }),
    // records a genuine answer, then replays it for every request (POST /__record, /__replay switch)
    replay: await http(async (req, res) => {
      if (req.url === '/__record' || req.url === '/__replay') {
        await readBody(req)
        replaying = req.url === '/__replay'
        if (!replaying) recorded = null
        return res.writeHead(204).end()
      }
      if (replaying && recorded) {
        await readBody(req)
        return send(res, recorded)
      }
      const answer = await forward(simUrl, req)
      if (isOk(answer.status) && answer.body.length) recorded = answer
      send(res, answer)
    }),
    // the bill file with one byte changed (its answer is unsigned: only the digest can tell)
    digest: await proxy((a, req) => {
      if (!req.url.startsWith('/v3/billdownload/') || a.status !== 200) return a
      const body = Buffer.from(a.body)
      body[body.length - 1] ^= 1
      return { ...a, body }
    }),
    // accepts the connection and never answers
    silent: await net(() => {}),
    // answers the headers and half a body, then nothing
    stalled: await net((socket) => socket.once('data', () => socket.write(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"prepay_id":'))),
    // resets the connection as soon as the request arrives
    reset: await net((socket) => socket.once('data', () => socket.resetAndDestroy ? socket.resetAndDestroy() : socket.destroy())),
    // nothing listens
    closed: closedPort,
  }
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' }

/**
 * Starts the simulator (server-stub's main.js, or CLIENT_SIMULATOR's) and the helper. The helper also serves
 * tests/ statically and forwards the WeChat paths to the simulator, so a page it serves reaches the simulator
 * from its own origin (browsers).
 */
export async function startWorld({ simulatorMain = process.env.CLIENT_SIMULATOR || join(root, 'server-stub/src/main.js') } = {}) {
  if (!existsSync(join(dirname(simulatorMain), '../node_modules'))) throw new Error('server-stub is not installed: bash server-stub/test.sh installs it')
  const dataDir = mkdtempSync(join(tmpdir(), 'wechatpay-client-world-'))
  const cleanups = []
  const sim = await startSimulator(simulatorMain, dataDir)
  cleanups.push(sim.stop)
  const credentials = readCredentials(join(dataDir, 'keys'))
  const notifications = new Map()
  const bad = await misbehaving(sim.url, credentials.merchant, cleanups)
  const helper = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x')
      if (url.pathname === '/config') {
        const config = { simulator: sim.url, simulatorTls: sim.tlsUrl, helper: `http://127.0.0.1:${helper.address().port}`, ...credentials, bad }
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config))
      }
      if (url.pathname.startsWith('/notify/')) {
        const body = await readBody(req)
        const tag = url.pathname.slice('/notify/'.length)
        if (!notifications.has(tag)) notifications.set(tag, [])
        notifications.get(tag).push({ headers: req.headers, body: body.toString('utf8') })
        return res.writeHead(204).end()
      }
      if (url.pathname.startsWith('/notifications/')) {
        const list = notifications.get(url.pathname.slice('/notifications/'.length)) ?? []
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list))
      }
      if (/^\/(v3|pay|secapi|sim|sns)\//.test(url.pathname)) return send(res, await forward(sim.url, req))
      const path = normalize(join(tests, decodeURIComponent(url.pathname)))
      if (!path.startsWith(tests)) return res.writeHead(403).end()
      let file
      try {
        file = readFileSync(path)
      } catch {
        return res.writeHead(404).end()
      }
      res.writeHead(200, { 'content-type': MIME[extname(path)] || 'application/octet-stream' }).end(file)
    } catch (e) {
      res.writeHead(500).end(String(e))
    }
  })
  const port = await listen(helper)
  cleanups.push(() => new Promise((r) => { helper.close(r); helper.closeAllConnections?.() }))
  return {
    url: `http://127.0.0.1:${port}`,
    simulator: sim.url,
    simulatorTls: sim.tlsUrl,
    credentials,
    output: sim.output,
    async stop() {
      for (const c of cleanups.reverse()) await c()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
