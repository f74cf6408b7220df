// What wrangler itself does with this folder, offline: our statement splitter against wrangler's, migrations
// applied by `wrangler d1 migrations apply` and by migrateD1 each seen by the other, and the Worker under
// `wrangler dev` with wrangler.jsonc and the .dev.vars that scripts/dev-worker.mjs writes.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { migrateD1, migrationFiles, splitStatements } from '../src/merchant/migrations.js'
import { openLocalD1 } from '../src/workerd.js'
import { freePort, startStub } from './processes.js'
import { DATA_DIR } from './world.js'

const STUB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' }
const wrangler = (...args) => spawnSync(process.execPath, [path.join(STUB, 'node_modules/wrangler/bin/wrangler.js'), ...args], { cwd: STUB, env, encoding: 'utf8' })
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wrangler-test-'))

/** The local D1 that `wrangler … --persist-to dir` uses, opened as main.js opens it. */
async function localD1(dir, fn) {
  const d1 = await openLocalD1(dir)
  try {
    return await fn(d1.db)
  } finally {
    await d1.dispose()
  }
}

test("splitStatements splits every migration file as wrangler's splitSqlQuery does", async () => {
  const { unstable_splitSqlQuery: splitSqlQuery } = await import('wrangler')
  const bare = (s) => s.replace(/--[^\n]*/g, '').replace(/;\s*$/, '').replace(/\s+/g, ' ').trim()
  for (const { name, sql } of migrationFiles()) {
    assert.deepEqual(splitStatements(sql).map(bare), splitSqlQuery(sql).map(bare).filter(Boolean), name)
  }
})

test('migrations applied by wrangler are seen by migrateD1, and the other way round', async () => {
  const byWrangler = tmp()
  const r = wrangler('d1', 'migrations', 'apply', 'merchant', '--local', '--persist-to', byWrangler)
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(await localD1(byWrangler, (db) => migrateD1(db)), [], 'nothing left to apply')

  const byUs = tmp()
  const names = await localD1(byUs, (db) => migrateD1(db))
  assert.deepEqual(names, migrationFiles().map((f) => f.name))
  const again = wrangler('d1', 'migrations', 'apply', 'merchant', '--local', '--persist-to', byUs)
  assert.equal(again.status, 0, again.stderr)
  assert.match(again.stdout, /No migrations to apply/)
})

test('wrangler dev: the Worker with wrangler.jsonc and .dev.vars logs in, orders, is paid and runs its cron', async () => {
  const simPort = await freePort()
  const merchantPort = await freePort()
  const sim = await startStub({ DATA_DIR, ROLE: 'wechat', SIM_PORT: String(simPort), DB_PATH: path.join(tmp(), 'wechat.sqlite') })
  const dev = spawn(process.execPath, [path.join(STUB, 'scripts/dev-worker.mjs')], {
    cwd: STUB, env: { ...env, DATA_DIR, SIM_PORT: String(simPort), MERCHANT_PORT: String(merchantPort), D1_PERSIST_DIR: tmp() }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  dev.stdout.on('data', (d) => { output += d })
  dev.stderr.on('data', (d) => { output += d })
  const M = `http://127.0.0.1:${merchantPort}`
  const W = `http://127.0.0.1:${simPort}`
  const post = async (url, body, token) => (await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  })).json()
  try {
    for (let i = 0; i < 2400 && !/Ready on http/.test(output); i++) {
      assert.equal(dev.exitCode, null, output)
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.match(output, /Using secrets defined in \.dev\.vars/)
    assert.equal((fs.statSync(path.join(STUB, '.dev.vars')).mode & 0o777).toString(8), '600')
    const { code } = await post(`${W}/sim/wx/login`, { user: 'ivy' })
    const { token } = await post(`${M}/api/login`, { code })
    const order = await post(`${M}/api/orders`, { productId: 'soap', quantity: 1 }, token)
    assert.deepEqual(await post(`${W}/sim/cashier/confirm`, { ...order.payParams, payer: 'ivy' }), { errMsg: 'requestPayment:ok' })
    let state
    for (let i = 0; i < 400 && state !== 'PAID'; i++) {
      ;({ state } = await (await fetch(`${M}/api/orders/${order.orderId}`, { headers: { authorization: `Bearer ${token}` } })).json())
      if (state !== 'PAID') await new Promise((r) => setTimeout(r, 25))
    }
    assert.equal(state, 'PAID')
    assert.equal(await (await fetch(`${M}/__scheduled?cron=*/5+*+*+*+*`)).text(), 'Ran scheduled event')
    for (let i = 0; i < 400 && !/maintenance\.done/.test(output); i++) await new Promise((r) => setTimeout(r, 25))
    assert.match(output, /maintenance\.done/)
  } finally {
    const gone = new Promise((r) => (dev.exitCode === null ? dev.once('exit', r) : r()))
    dev.kill('SIGTERM')
    await gone
    await sim.stop()
  }
})
