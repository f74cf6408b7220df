// SQLite on a file: WAL, migrations once, and a restart (the same file reopened) in the middle of the flow
// loses nothing: not the session, not the order, not a notification still waiting for its retry.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { openDb } from '../src/db.js'
import { merchantMigrations } from '../src/merchant/migrations.js'
import { wechatMigrations } from '../src/wechat/migrations.js'
import { createWorld } from './world.js'

const tempDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'server-stub-db-')), 'stub.sqlite')

test('a file database is in WAL mode and each migration runs once', () => {
  const file = tempDb()
  for (let i = 0; i < 2; i++) {
    const db = openDb(file, [merchantMigrations, wechatMigrations])
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
    assert.equal(db.prepare('SELECT count(*) FROM migrations').pluck().get(), merchantMigrations.length + wechatMigrations.length)
    db.close()
  }
})

for (const api of ['v3', 'v2']) {
  test(`${api}: restarted between order and payment, and again with a notification pending, nothing is lost`, async () => {
    const file = tempDb()
    // retries 100× faster than WeChat's (15 s → 150 ms), not the default 1000×: a busy machine that stalls for 15 ms
    // between the failed attempt and the count below would otherwise deliver the retry before it is counted
    const env = { MERCHANT_API: api, SIM_RETRY_TIME_SCALE: '0.01' }
    let w = createWorld({ env, dbPath: file })
    const token = await w.login()
    const order = await w.order(token)
    w.db.close()

    w = createWorld({ env, dbPath: file })
    assert.equal((await w.state(token, order.orderId)).state, 'CREATED', 'the session and the order survived')
    w.delivery.fail = 1
    await w.pay(order.payParams)
    assert.equal(w.count("SELECT count(*) FROM wx_deliveries WHERE state = 'PENDING'"), 1)
    w.db.close()

    w = createWorld({ env, dbPath: file })
    for (let round = 0; round < 2000 && w.count("SELECT count(*) FROM wx_deliveries WHERE state = 'PENDING'"); round++) {
      await w.notifier.runDue()
      await new Promise((r) => setTimeout(r, 5))
    }
    const paid = await w.state(token, order.orderId)
    assert.equal(paid.state, 'PAID', 'the pending notification was delivered after the restart')
    assert.equal(w.count('SELECT count(*) FROM orders'), 1)
    assert.equal(w.count('SELECT count(*) FROM notifications'), 1)
    w.db.close()
  })
}
