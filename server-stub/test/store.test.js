// The merchant's store on both engines, with the same tests: better-sqlite3 through db.js's D1 API, and D1 itself
// (a local one in workerd, reached from here through a Worker bound to it: src/workerd.js). Races are real
// concurrent calls: on D1 each is its own request to workerd; the gates are single conditional statements and
// all-or-nothing batches.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { d1Api, openDb } from '../src/db.js'
import { merchantMigrations, migrateD1, migrationFiles } from '../src/merchant/migrations.js'
import { createMerchantStore } from '../src/merchant/store.js'
import { openLocalD1 } from '../src/workerd.js'

const engines = {
  async sqlite() {
    const db = openDb(':memory:', [merchantMigrations])
    return { sql: d1Api(db), close: async () => db.close() }
  },
  async d1() {
    const { db, dispose } = await openLocalD1(null)
    await migrateD1(db)
    return { sql: db, close: dispose }
  },
}

const T0 = 1_700_000_000_000
const order = (n, at = T0) => ({ id: `order${String(n).padStart(11, '0')}`, outTradeNo: `ST${n}`, openid: 'o1', productId: 'soap', quantity: 1, amount: 800, description: '肥皂 × 1', api: 'v3', now: at })
const sameAmount = (amount) => (o) => (o.amount === amount ? null : 'amount differs')

for (const [engine, open] of Object.entries(engines)) {
  describe(engine, () => {
    const opened = []
    const fresh = async () => {
      const e = await open()
      opened.push(e)
      const store = createMerchantStore(e.sql)
      await store.saveLogin({ openid: 'o1', sessionKey: 'k', tokenHash: 'h1', now: T0, expiresAt: T0 + 1000 })
      return { store, sql: e.sql, count: async (q, ...a) => Object.values(await e.sql.prepare(q).bind(...a).first())[0] }
    }
    after(() => Promise.all(opened.map((e) => e.close())))

    test('ten concurrent duplicate notifications: one applied, nine duplicates, one record', async () => {
      const { store, count } = await fresh()
      await store.createOrder(order(1))
      const pay = (id) => store.applyPayment({ notificationId: id, eventType: 'TRANSACTION.SUCCESS', outTradeNo: 'ST1', transactionId: '4200001', amount: 800, check: sameAmount(800), now: T0 })
      const same = await Promise.all(Array.from({ length: 10 }, () => pay('n1')))
      assert.deepEqual(same.map((r) => r.outcome).sort(), ['applied', ...Array(9).fill('duplicate')])
      const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => pay(`n${i + 2}`)))
      assert.deepEqual(distinct.map((r) => r.outcome), Array(10).fill('duplicate'))
      assert.equal((await store.order('order00000000001')).state, 'PAID')
      assert.equal(await count('SELECT count(*) FROM notifications'), 11)
    })

    test('two transactions racing for one order: one pays it, the other is rejected; a transaction pays one order only', async () => {
      const { store } = await fresh()
      await store.createOrder(order(1))
      await store.createOrder(order(2))
      const pay = (outTradeNo, transactionId, notificationId) => store.applyPayment({ notificationId, eventType: 'TRANSACTION.SUCCESS', outTradeNo, transactionId, amount: 800, check: sameAmount(800), now: T0 })
      const race = await Promise.all(Array.from({ length: 10 }, (_, i) => pay('ST1', `42000${i}`, `n${i}`)))
      assert.equal(race.filter((r) => r.outcome === 'applied').length, 1)
      assert.equal(race.filter((r) => r.outcome === 'rejected').length, 9)
      const winner = (await store.order('order00000000001')).transaction_id
      const reused = await pay('ST2', winner, 'n-other')
      assert.equal(reused.outcome, 'rejected')
      assert.equal(reused.reason, 'transaction_id already pays another order')
      assert.equal((await store.order('order00000000002')).state, 'CREATED')
      const mismatch = await store.applyPayment({ notificationId: 'n-x', outTradeNo: 'ST2', transactionId: '4209', amount: 1, check: sameAmount(1), now: T0 })
      assert.equal(mismatch.outcome, 'rejected')
    })

    test('the query gate lets one of ten concurrent callers ask, then none until the interval has passed', async () => {
      const { store } = await fresh()
      await store.createOrder(order(1))
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimQuery('order00000000001', T0, 5000)))
      assert.equal(claims.filter(Boolean).length, 1)
      assert.equal(await store.claimQuery('order00000000001', T0 + 4999, 5000), false)
      assert.equal(await store.claimQuery('order00000000001', T0 + 5000, 5000), true)
    })

    test('refunds: one per order however many ask at once; a result applies once and refunds the order', async () => {
      const { store, count } = await fresh()
      await store.createOrder(order(1))
      assert.equal(await store.startRefund('RF0', 'order00000000001', T0), null, 'an unpaid order has no refund')
      await store.applyPayment({ outTradeNo: 'ST1', transactionId: '4201', amount: 800, check: () => null, now: T0 })
      const started = await Promise.all(Array.from({ length: 10 }, (_, i) => store.startRefund(`RF${i}`, 'order00000000001', T0)))
      assert.equal(new Set(started.map((r) => r.out_refund_no)).size, 1)
      const no = started[0].out_refund_no
      assert.deepEqual((await store.unansweredRefunds(T0, 10)).map((r) => [r.out_refund_no, r.out_trade_no]), [[no, 'ST1']])
      await store.refundAccepted(no, 'R1', T0)
      assert.deepEqual(await store.unansweredRefunds(T0, 10), [])
      const apply = (notificationId) => store.applyRefund({ notificationId, eventType: 'REFUND.SUCCESS', outRefundNo: no, refundId: 'R1', status: 'SUCCESS', check: () => null, now: T0 })
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => apply(`rn${i % 2}`)))
      assert.equal(results.filter((r) => r.outcome === 'applied').length, 1)
      assert.equal((await store.order('order00000000001')).state, 'REFUNDED')
      assert.equal(await count('SELECT count(*) FROM notifications'), 2)
    })

    test('refunds: ABNORMAL is left once more, for SUCCESS or CLOSED; nothing goes back to ABNORMAL or PROCESSING', async () => {
      const { store } = await fresh()
      await store.createOrder(order(1))
      await store.applyPayment({ outTradeNo: 'ST1', transactionId: '4201', amount: 800, check: () => null, now: T0 })
      const { out_refund_no: no } = await store.startRefund('RF1', 'order00000000001', T0)
      const apply = (notificationId, status) => store.applyRefund({ notificationId, eventType: `REFUND.${status}`, outRefundNo: no, refundId: 'R1', status, check: () => null, now: T0 })
      const first = await apply('a', 'ABNORMAL')
      assert.deepEqual([first.outcome, first.from], ['applied', 'PROCESSING'])
      assert.equal((await apply('a2', 'ABNORMAL')).outcome, 'duplicate')
      assert.equal((await store.order('order00000000001')).state, 'PAID')
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => apply(`s${i % 2}`, 'SUCCESS')))
      assert.deepEqual(results.filter((r) => r.outcome === 'applied').map((r) => r.from), ['ABNORMAL'], 'one of ten at once')
      assert.equal((await store.order('order00000000001')).state, 'REFUNDED')
      assert.equal((await apply('late', 'ABNORMAL')).outcome, 'duplicate', 'a retried ABNORMAL arriving late')
      assert.equal((await store.refundOfOrder('order00000000001')).state, 'SUCCESS')
    })

    test('purge: expired sessions, old closed unpaid orders, idle logins, old notification records; nothing else', async () => {
      const { store, count } = await fresh()
      const day = 86_400_000
      await store.saveLogin({ openid: 'o2', sessionKey: 'k', tokenHash: 'h2', now: T0, expiresAt: T0 + 10 * day })
      await store.saveLogin({ openid: 'o3', sessionKey: 'k', tokenHash: 'h3', now: T0, expiresAt: T0 + 1000 })
      for (const n of [1, 2, 3]) await store.createOrder(order(n))
      await store.close('order00000000001', 'MERCHANT_CLOSED', T0)
      await store.applyPayment({ notificationId: 'n1', eventType: 'TRANSACTION.SUCCESS', outTradeNo: 'ST2', transactionId: '4202', amount: 800, check: () => null, now: T0 })
      assert.deepEqual(await store.purge(T0 + 2000, day, 1000), { sessions: 2, orders: 0, users: 0, notifications: 0 }, 'sessions at expiry, the rest after the retention')
      assert.deepEqual(await store.purge(T0 + 2 * day, day, 1000), { sessions: 0, orders: 1, users: 1, notifications: 1 })
      assert.equal(await count('SELECT count(*) FROM orders'), 2, 'the paid and the open order stay')
      assert.deepEqual((await store.ordersOf('o1', 50)).map((o) => o.id).sort(), ['order00000000002', 'order00000000003'])
      assert.equal(await count("SELECT count(*) FROM users WHERE openid IN ('o1', 'o2')"), 2, 'o1 has orders, o2 a live session; o3 went')
      assert.equal(await store.sessionOpenid('h2', T0 + 2 * day), 'o2')
    })

    test('the schema is the migration files, recorded by name', async () => {
      const { sql } = await fresh()
      if (engine === 'd1') {
        const names = (await sql.prepare('SELECT name FROM d1_migrations ORDER BY id').all()).results.map((r) => r.name)
        assert.deepEqual(names, migrationFiles().map((f) => f.name))
        assert.deepEqual(await migrateD1(sql), [], 'a second run applies nothing')
      }
      const cols = (await sql.prepare("SELECT name FROM pragma_table_info('orders')").all()).results.map((r) => r.name)
      assert.ok(cols.includes('queried_at'))
    })
  })
}
