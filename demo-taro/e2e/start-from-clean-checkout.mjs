// The main command, tested as a newcomer meets it: start.sh in a fresh copy of the repository (the files git
// tracks or would track: no node_modules, dist, target or server-stub/data) serves the H5 page within the cold-start
// budget; a payment through that page reaches PAID; Ctrl-C (SIGINT to its process group, as a terminal sends it)
// stops every process it started and frees the ports. Then a second start in the same copy, which must reinstall
// and rebuild nothing, keeps the SQLite data and stops on a plain SIGTERM to its pid.
// Usage: node e2e/start-from-clean-checkout.mjs   (ports 8787, 8788 and 8790 must be free)
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { H5_PORT, MERCHANT, MERCHANT_PORT, SIM_PORT, listening } from '../scripts/servers.mjs'
import { APP, launchChromium, merchantGet, newPhonePage, orderSoap, outcome, soapProduct } from './h5-page.mjs'
import { check, finish } from './check.mjs'

// Measured on this project's 2-core machine with a warm npm cache: about 3 minutes, most of it the Rust build
// (~35 s), better-sqlite3's compile (~75 s), the demo's npm install (~27 s) and the H5 build (~25 s).
const COLD_START_BUDGET_S = 360
const PORTS = [MERCHANT_PORT, SIM_PORT, H5_PORT]
const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.join(here, 'artifacts')
const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A copy of what a clone of the working tree would hold: tracked files plus untracked ones git does not ignore. */
function freshCopy() {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-taro-clean-')), 'repo')
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0').filter((f) => f && fs.existsSync(path.join(repo, f)))
  for (const f of files) fs.cpSync(path.join(repo, f), path.join(dir, f))
  return dir
}

/** Pids of every process in a process group, read from /proc (field 5 of stat is the group). */
function groupMembers(pgid) {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid
    } catch {
      return false // gone meanwhile
    }
  }).map(Number)
}
const alive = (pid) => fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')

/** start.sh in its own process group, like a job in a terminal; output to `logFile`. */
function startDemo(copy, logFile) {
  const log = fs.openSync(logFile, 'w')
  const child = spawn('bash', [path.join(copy, 'demo-taro/start.sh')], { detached: true, stdio: ['ignore', log, log] })
  fs.closeSync(log)
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r(signal || code)))
  return child
}

/** Seconds until the H5 page, the merchant and the simulator all answer; throws if start.sh exits first or `limitS` passes. */
async function servedWithin(child, logFile, limitS) {
  const t0 = Date.now()
  let exit = null
  child.exited.then((e) => { exit = e })
  while (true) {
    if (exit !== null) throw new Error(`start.sh exited (${exit}) before serving:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`)
    if ((Date.now() - t0) / 1000 > limitS) throw new Error(`nothing served after ${limitS} s:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`)
    if ((await Promise.all(PORTS.map(listening))).every(Boolean)) {
      const page = await fetch(APP).then((r) => r.text(), () => '')
      if (page.includes('<div id="app"') && fs.readFileSync(logFile, 'utf8').includes('demo-taro is running')) return (Date.now() - t0) / 1000
    }
    await sleep(250)
  }
}

/** Sends `signal` to the start.sh job (its group, or its pid alone) and checks every process of it ends and the ports are free. */
async function stopsCleanly(label, child, signal, { wholeGroup }) {
  const members = groupMembers(child.pid)
  check(`${label}: running as node processes of its own group`, members.length >= 2, `pids ${members.join(' ')}`)
  process.kill(wholeGroup ? -child.pid : child.pid, signal)
  const ended = await Promise.race([child.exited.then(() => true), sleep(15000).then(() => false)])
  check(`${label}: start.sh ends on ${signal}`, ended)
  for (let i = 0; i < 40 && (members.some(alive) || groupMembers(child.pid).length); i++) await sleep(100)
  const left = [...new Set([...members.filter(alive), ...groupMembers(child.pid)])]
  check(`${label}: no process of it is left`, left.length === 0, left.map((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')).join(' | '))
  const busy = []
  for (const port of PORTS) if (await listening(port)) busy.push(port)
  check(`${label}: ports ${PORTS.join(', ')} are free`, busy.length === 0, busy.length ? `still listening: ${busy.join(' ')}` : '')
  if (left.length) process.kill(-child.pid, 'SIGKILL')
}

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : null)

fs.mkdirSync(ARTIFACTS, { recursive: true })
const busy = []
for (const port of PORTS) if (await listening(port)) busy.push(port)
if (busy.length) {
  check(`ports ${busy.join(', ')} are free before the test`, false, 'stop whatever listens there (a running start.sh?)')
  finish()
}
const copy = freshCopy()
console.log(`fresh copy: ${copy}`)
const browser = await launchChromium()
let demo = null
try {
  // Cold: everything from nothing.
  const coldLog = path.join(ARTIFACTS, 'start-cold.log')
  demo = startDemo(copy, coldLog)
  const coldS = await servedWithin(demo, coldLog, COLD_START_BUDGET_S)
  check(`cold start serves the H5 page within ${COLD_START_BUDGET_S} s`, true, `${coldS.toFixed(0)} s`)
  const log = fs.readFileSync(coldLog, 'utf8')
  check('it prints the H5 page, the merchant and simulator bases and the DevTools folder',
    [APP, MERCHANT, `http://127.0.0.1:${SIM_PORT}`, path.join(copy, 'demo-taro/dist')].every((s) => log.includes(s)))
  check('the weapp output is built for DevTools', fs.existsSync(path.join(copy, 'demo-taro/dist/app.json')) && fs.existsSync(path.join(copy, 'demo-taro/dist/project.config.json')))
  const data = path.join(copy, 'server-stub/data')
  check('server-stub keeps SQLite and generated keys under server-stub/data/', fs.existsSync(path.join(data, 'server-stub.sqlite')) && fs.existsSync(path.join(data, 'keys/credentials.json')))

  const errors = []
  const page = await newPhonePage(browser, errors, (url) => check('only 127.0.0.1 is contacted', false, url))
  const order = await orderSoap(page, await soapProduct(), { viaList: true })
  await page.locator('#sim-cashier-confirm').click()
  check('a payment through the served page shows 支付成功', (await outcome(page)) === `支付成功 订单号 ${order.orderId}`)
  check('the merchant has the order PAID', (await merchantGet(page, `/api/orders/${order.orderId}`)).state === 'PAID')
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('merchant-session')).data.token)
  await page.context().close()
  check('no page errors', errors.length === 0, errors.join(' | '))
  await stopsCleanly('Ctrl-C', demo, 'SIGINT', { wholeGroup: true })

  // Warm: the same copy again.
  const inputs = ['server-stub/node_modules/.package-lock.json', 'demo-taro/node_modules/.package-lock.json',
    'demo-taro/node_modules/.cache/demo-taro/weapp.stamp', 'demo-taro/node_modules/.cache/demo-taro/h5.stamp'].map((f) => path.join(copy, f))
  const before = inputs.map(mtime)
  const warmLog = path.join(ARTIFACTS, 'start-warm.log')
  demo = startDemo(copy, warmLog)
  const warmS = await servedWithin(demo, warmLog, COLD_START_BUDGET_S)
  console.log(`  (warm start served the page in ${warmS.toFixed(1)} s)`)
  check('second start reinstalls and rebuilds nothing', inputs.every((f, i) => before[i] !== null && mtime(f) === before[i]),
    inputs.map((f, i) => `${path.relative(copy, f)} ${before[i] === mtime(f) ? 'kept' : 'redone'}`).join(', '))
  const again = await (await fetch(`${MERCHANT}/api/orders/${order.orderId}`, { headers: { authorization: `Bearer ${token}` } })).json()
  check('the SQLite file kept the paid order across restarts', again.state === 'PAID', JSON.stringify(again))

  const second = startDemo(copy, path.join(ARTIFACTS, 'start-busy.log'))
  const code = await second.exited
  const busyLog = fs.readFileSync(path.join(ARTIFACTS, 'start-busy.log'), 'utf8')
  check('a start while one runs fails at once, saying which port is in use', code !== 0 && busyLog.includes(`port ${MERCHANT_PORT} is in use`), busyLog.trim())
  check('the running demo is not disturbed', (await fetch(APP)).ok)
  await stopsCleanly('SIGTERM', demo, 'SIGTERM', { wholeGroup: false })
  demo = null
} catch (e) {
  check('start.sh test ran to the end', false, e.stack || String(e))
} finally {
  if (demo && groupMembers(demo.pid).length) process.kill(-demo.pid, 'SIGKILL')
  await browser.close()
  fs.rmSync(path.dirname(copy), { recursive: true, force: true })
}
finish()
