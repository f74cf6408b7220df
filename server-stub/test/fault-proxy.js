// A loopback HTTP proxy in front of the real simulator that breaks the network on request, as WeChat's network
// can: the merchant's WeChat base URLs point here. Each rule takes the next `times` requests whose path matches:
//   'hang'  accept and never answer (the merchant's timeout must end it)
//   '502'   answer a gateway error without asking the simulator (WeChat never heard of it)
//   'lose'  ask the simulator, then answer 502 (WeChat did it, the answer was lost)
//   a function (req) => Response: answers with what it returns (e.g. another genuine answer)
import http from 'node:http'

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host'])

export async function startFaultProxy(target) {
  const rules = []
  const seen = []
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const body = Buffer.concat(chunks)
    const path = req.url.split('?')[0]
    seen.push(`${req.method} ${path}`)
    const rule = rules.find((r) => r.times > 0 && r.path.test(path))
    if (rule) rule.times--
    if (rule?.mode === 'hang') return
    if (rule?.mode === '502') return res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway')
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP.has(k)))
    const answer = typeof rule?.mode === 'function' ? await rule.mode(req)
      : await fetch(target + req.url, { method: req.method, headers, body: body.length ? body : undefined })
    const text = Buffer.from(await answer.arrayBuffer())
    if (rule?.mode === 'lose') return res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway')
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([k]) => !HOP.has(k) && k !== 'content-encoding'))).end(text)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Breaks the next `times` requests whose path matches `path` (a RegExp) in the way `mode` says. */
    fail: (path, mode, times = 1) => rules.push({ path, mode, times }),
    /** The requests seen, as 'METHOD /path'. */
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    }),
  }
}
