// The running demo (scripts/run-demo.mjs, what start.sh ends in) survives what once killed it:
// - a request whose path is broken percent-encoding (/%E0%A4%A) gets a 400, and the demo still serves and pays;
// - a WeChat DevTools login code is accepted (the demo turns the simulator's DevTools login mode on);
// - server-stub or the H5 server dying is reported and the part restarted, and a payment works again;
// - a part that keeps dying stops the whole demo with a message naming it, leaving no process behind.
// Usage: [MERCHANT_RUNTIME=workerd] node e2e/demo-robust.mjs   (after both builds; ports 8787, 8788, 8790 free)
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP, H5_PORT, MERCHANT, SIM } from '../scripts/servers.mjs'
import { launchChromium, merchantGet, newPhonePage, orderSoap, outcome, soapProduct } from './h5-page.mjs'
import { check, finish } from './check.mjs'
import { alive, childrenRunning, cmdline, groupMembers, portsFree, sleep, startJob, stopsCleanly } from './processes.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const runtime = process.env.MERCHANT_RUNTIME || 'node' // server-stub's knob: the merchant on Node or workerd
const LOG = path.join(here, 'artifacts', `demo-robust-${runtime}.log`)
fs.mkdirSync(path.dirname(LOG), { recursive: true })
const log = () => fs.readFileSync(LOG, 'utf8')
const count = (text) => log().split(text).length - 1
/** A check explained, when it fails, by the end of the demo's log. */
const checkLog = (name, ok) => check(name, ok, ok ? '' : log().slice(-1500))

/** GET with the path sent exactly as written (fetch would normalise it); resolves {status, body} or {error}. */
const rawGet = (urlPath) => new Promise((resolve) => {
  const req = http.get({ host: '127.0.0.1', port: H5_PORT, path: urlPath, agent: false }, (res) => {
    let body = ''
    res.on('data', (d) => { body += d })
    res.on('end', () => resolve({ status: res.statusCode, body }))
  })
  req.on('error', (e) => resolve({ error: e.message }))
})

/** Waits until the log shows `text` at least `n` times (or the demo exits); false if it never does. */
async function logShows(text, n, demo) {
  let exited = false
  demo.exited.then(() => { exited = true })
  for (let i = 0; i < 600; i++) {
    if (count(text) >= n) return true
    if (exited) return count(text) >= n
    await sleep(100)
  }
  return false
}

/** One whole payment through the served H5 page: 支付成功 on the page and PAID on the merchant. */
async function payOnce(browser, label) {
  const errors = []
  const page = await newPhonePage(browser, errors, (url) => check('only 127.0.0.1 is contacted', false, url))
  try {
    const order = await orderSoap(page, await soapProduct())
    await page.locator('#sim-cashier-confirm').click()
    const shown = await outcome(page)
    const onServer = await merchantGet(page, `/api/orders/${order.orderId}`)
    check(`${label}: a payment shows 支付成功 and the merchant has it PAID`, shown === `支付成功 订单号 ${order.orderId}` && onServer.state === 'PAID', `${shown} / ${JSON.stringify(onServer)}`)
  } catch (e) {
    check(`${label}: a payment goes through`, false, e.message)
  }
  await page.context().close()
  check(`${label}: no page errors`, errors.length === 0, errors.join(' | '))
}

const servesApp = async () => (await rawGet('/')).body?.includes('<div id="app"')

if (!(await portsFree())) finish()
// Its own data folder: fresh keys and database, nothing shared with a start.sh run.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-robust-'))
const browser = await launchChromium()
const demo = startJob(process.execPath, [path.join(here, '../scripts/run-demo.mjs')], LOG, { DATA_DIR: dataDir })
try {
  const up = await logShows('demo-taro is running', 1, demo)
  checkLog('the demo comes up', up)

  const bad = await rawGet('/%E0%A4%A')
  check('a path with broken percent-encoding gets a 400', bad.status === 400, JSON.stringify(bad))
  check('the 400 says why, as {code, message}', bad.body && JSON.parse(bad.body).code === 'BAD_PATH', bad.body)
  check('a missing file is a 404, not the app', (await rawGet('/no-such-file.js')).status === 404)
  check('a path out of the build folder is not served', (await rawGet('/..%2f..%2fpackage.json')).status === 404)
  await sleep(500) // a crash would take a moment to close the ports
  check('after it the demo still serves the app', await servesApp())
  check('after it the merchant and the simulator still answer', (await fetch(`${MERCHANT}/api/products`)).ok && (await fetch(`${SIM}/sim/wx/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok)
  await payOnce(browser, 'after the bad request')
  // WeChat DevTools' wx.login gives a code the simulator never issued: the demo runs the simulator's DevTools mode.
  const devtoolsLogin = await fetch(`${MERCHANT}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'Dev7ToolsCode0a1b2c3d4e5f6g7h8i9j' }) })
  check('the demo accepts a WeChat DevTools login code (the simulator\'s DevTools mode is on)', devtoolsLogin.status === 200, `${devtoolsLogin.status} ${await devtoolsLogin.text()}`)

  const [stub] = childrenRunning(demo.pid, 'server-stub/src/main.js')
  check('server-stub runs as a child of the supervisor', !!stub)
  process.kill(stub, 'SIGKILL')
  checkLog('server-stub dying is reported', await logShows('server-stub stopped unexpectedly (SIGKILL); restarting it', 1, demo))
  checkLog('server-stub is restarted', await logShows('server-stub is up', 2, demo))
  await payOnce(browser, 'after server-stub was restarted')

  const [web] = childrenRunning(demo.pid, 'serve-h5.mjs')
  process.kill(web, 'SIGKILL')
  checkLog('the H5 server dying is reported and it is restarted', await logShows('the H5 server is up', 2, demo) &&
    log().includes('the H5 server stopped unexpectedly (SIGKILL); restarting it'))
  check('the restarted H5 server serves the app', await servesApp())

  // A part that never stays up: each restart is killed as soon as it is up, until the supervisor gives up.
  const members = groupMembers(demo.pid)
  let exitCode = null
  demo.exited.then((c) => { exitCode = c })
  for (let ups = count('server-stub is up'), kills = 0; exitCode === null && kills < 8; kills++) {
    const [pid] = childrenRunning(demo.pid, 'server-stub/src/main.js')
    if (pid) process.kill(pid, 'SIGKILL')
    await logShows('server-stub is up', ++ups, demo)
  }
  const code = await Promise.race([demo.exited, sleep(30000).then(() => 'still running')])
  check('a part that keeps dying stops the whole demo with exit code 1', code === 1, String(code))
  check('it was restarted 3 times in a row first', log().includes('restarting it (restart 3 of at most 3 in a row)'))
  checkLog('the message names the part and says the demo stops', log().includes('server-stub stopped unexpectedly (SIGKILL) again: 3 restarts in a row did not keep it up, so the demo stops'))
  const left = () => [...new Set([...members.filter(alive), ...groupMembers(demo.pid)])]
  for (let i = 0; i < 100 && left().length; i++) await sleep(100)
  check('no process of the demo is left', !left().length, left().map(cmdline).join(' | '))
} catch (e) {
  check('the supervisor test ran to the end', false, e.stack || String(e))
}
if (groupMembers(demo.pid).length) {
  // Still running after a failure above: stop it the way Ctrl-C does, and check that too.
  await stopsCleanly('Ctrl-C', demo, 'SIGINT', { wholeGroup: true })
}
await browser.close()
fs.rmSync(dataDir, { recursive: true, force: true })
finish()
