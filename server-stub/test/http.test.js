// Over real HTTP between processes: the merchant and the simulator each in its own process, the test as the
// mini program. The merchant process is restarted in the middle of a payment; nothing is lost.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { freePort, startStub } from './processes.js'
import { DATA_DIR } from './world.js'

const post = async (url, body, token) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

for (const api of ['v3', 'v2']) {
  test(`${api} merchant over HTTP: login → order → cashier → notification → PAID, with a merchant restart mid-flow`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-stub-http-'))
    const env = {
      DATA_DIR, MERCHANT_API: api, MERCHANT_PORT: String(await freePort()), SIM_PORT: String(await freePort()),
    }
    const merchantEnv = { ...env, ROLE: 'merchant', DB_PATH: path.join(dir, 'merchant.sqlite') }
    const wechat = await startStub({ ...env, ROLE: 'wechat', DB_PATH: path.join(dir, 'wechat.sqlite') })
    let merchant = await startStub(merchantEnv)
    const M = `http://127.0.0.1:${env.MERCHANT_PORT}`
    const W = `http://127.0.0.1:${env.SIM_PORT}`
    try {
      const { body: { code } } = await post(`${W}/sim/wx/login`, { user: 'carol' })
      const { body: { token } } = await post(`${M}/api/login`, { code })
      const paidOrder = async (orderId) => {
        for (let i = 0; i < 400; i++) {
          const o = await (await fetch(`${M}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } })).json()
          if (o.state !== 'CREATED') return o
          await new Promise((r) => setTimeout(r, 25))
        }
        return null
      }

      const first = await post(`${M}/api/orders`, { productId: 'soap', quantity: 1 }, token)
      assert.equal(first.status, 201)
      assert.deepEqual(await post(`${W}/sim/cashier/confirm`, { ...first.body.payParams, payer: 'carol' }), { status: 200, body: { errMsg: 'requestPayment:ok' } })
      assert.equal((await paidOrder(first.body.orderId)).state, 'PAID')

      // Restart: the order is placed, the merchant goes down, the payer pays, the notification has nowhere to go.
      const second = await post(`${M}/api/orders`, { productId: 'towel', quantity: 2 }, token)
      await merchant.stop()
      const logs = [merchant.output()]
      assert.equal((await post(`${W}/sim/cashier/confirm`, { ...second.body.payParams, payer: 'carol' })).status, 200)
      merchant = await startStub(merchantEnv)
      const after = await paidOrder(second.body.orderId)
      assert.equal(after.state, 'PAID', 'a retry reached the restarted merchant')
      assert.equal(after.amount, 3980)

      logs.push(merchant.output(), wechat.output())
      const creds = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'keys', 'credentials.json'), 'utf8'))
      for (const secret of [token, code, creds.apiV3Key, creds.apiV2Key, creds.appSecret]) {
        assert.ok(!logs.some((l) => l.includes(secret)), 'no secret in the logs')
      }
      assert.match(logs[0], /order\.state .*to=PAID/)
    } finally {
      await merchant.stop()
      await wechat.stop()
    }
  })
}
