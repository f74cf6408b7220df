// Every bad input to the merchant gets a 4xx {code, message} and leaves nothing stored.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createWorld } from './world.js'

const API = 'v2'

async function expectError(res, status, code) {
  assert.equal(res.status, status)
  const body = await res.json()
  assert.equal(body.code, code, JSON.stringify(body))
  assert.equal(typeof body.message, 'string')
}

const nothingStored = (w) => {
  assert.equal(w.count('SELECT count(*) FROM orders'), 0)
  assert.equal(w.count('SELECT count(*) FROM wx_transactions'), 0)
}

test('products: the catalog in fen, the soap with size and silkiness, 404 for an unknown id', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const products = await (await w.api('GET', '/api/products')).json()
  const soap = products.find((p) => p.id === 'soap')
  assert.ok(soap.specs.size && soap.specs.silkiness)
  for (const p of products) assert.ok(Number.isInteger(p.price) && p.price > 0)
  assert.deepEqual(await (await w.api('GET', '/api/products/soap')).json(), soap)
  await expectError(await w.api('GET', '/api/products/nope'), 404, 'PRODUCT_NOT_FOUND')
})

test('CORS: any origin may call the merchant', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const res = await w.merchant.request('/api/orders', {
    method: 'OPTIONS',
    headers: { origin: 'http://127.0.0.1:10086', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  })
  assert.equal(res.headers.get('access-control-allow-origin'), '*')
})

test('login: bad bodies, a reused code and an unknown code are refused; no session is made', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  await expectError(await w.api('POST', '/api/login', '{"code":'), 400, 'INVALID_JSON')
  await expectError(await w.api('POST', '/api/login', {}), 400, 'INVALID_REQUEST')
  await expectError(await w.api('POST', '/api/login', { code: 42 }), 400, 'INVALID_REQUEST')
  await expectError(await w.api('POST', '/api/login', { code: 'never-issued' }), 401, 'INVALID_LOGIN_CODE')
  assert.equal(w.count('SELECT count(*) FROM sessions'), 0)
  const { code } = await (await w.sim('POST', '/sim/wx/login', {})).json()
  const first = await w.api('POST', '/api/login', { code })
  assert.equal(first.status, 200)
  const { token, expiresIn } = await first.json()
  assert.ok(token.length >= 32 && expiresIn > 0)
  assert.ok(!JSON.stringify(await (await w.api('POST', '/api/login', { code })).json()).includes('session_key'))
  await expectError(await w.api('POST', '/api/login', { code }), 401, 'INVALID_LOGIN_CODE')
  assert.equal(w.count('SELECT count(*) FROM sessions'), 1)
  assert.equal(w.count('SELECT count(*) FROM sessions WHERE token_hash = ?', token), 0, 'only a hash of the token is kept')
})

test('orders: every malformed body is a 400 and nothing is stored', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const token = await w.login()
  const bad = [
    ['{"productId":"soap",', 'INVALID_JSON'],
    ['[]', 'INVALID_REQUEST'],
    [{ productId: 'soap' }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: '2' }, 'INVALID_REQUEST'],
    [{ productId: 7, quantity: 1 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: 0 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: -1 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: 1.5 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: 100 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: 1e21 }, 'INVALID_REQUEST'],
    [{ productId: 'soap', quantity: 1, amount: 1 }, 'INVALID_REQUEST'],
  ]
  for (const [body, code] of bad) await expectError(await w.api('POST', '/api/orders', body, token), 400, code)
  await expectError(await w.api('POST', '/api/orders', { productId: 'caviar', quantity: 1 }, token), 404, 'PRODUCT_NOT_FOUND')
  const notUtf8 = await w.merchant.request('/api/orders', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) })
  await expectError(notUtf8, 400, 'INVALID_ENCODING')
  nothingStored(w)
})

test('orders: a body over 64 KB is a 413, declared or streamed', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const token = await w.login()
  const big = JSON.stringify({ productId: 'soap', quantity: 1, pad: 'x'.repeat(70 * 1024) })
  await expectError(await w.api('POST', '/api/orders', big, token), 413, 'BODY_TOO_LARGE')
  const chunk = new TextEncoder().encode('x'.repeat(16 * 1024))
  let sent = 0
  const stream = new ReadableStream({
    pull(controller) {
      if (sent++ < 8) controller.enqueue(chunk)
      else controller.close()
    },
  })
  const res = await w.merchant.request('/api/orders', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: stream, duplex: 'half' })
  await expectError(res, 413, 'BODY_TOO_LARGE')
  await expectError(await w.api('POST', '/api/login', big), 413, 'BODY_TOO_LARGE')
  nothingStored(w)
})

test('sessions: missing, malformed, unknown and expired tokens are a 401', async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const order = { productId: 'soap', quantity: 1 }
  await expectError(await w.api('POST', '/api/orders', order), 401, 'UNAUTHORIZED')
  await expectError(await w.api('POST', '/api/orders', order, 'not a token!'), 401, 'UNAUTHORIZED')
  await expectError(await w.api('POST', '/api/orders', order, 'A'.repeat(43)), 401, 'UNAUTHORIZED')
  await expectError(await w.api('GET', '/api/orders/whatever'), 401, 'UNAUTHORIZED')
  const expired = createWorld({ env: { MERCHANT_API: API, SESSION_TTL_SECONDS: '0' } })
  await expectError(await expired.api('POST', '/api/orders', order, await expired.login()), 401, 'UNAUTHORIZED')
  nothingStored(w)
  nothingStored(expired)
})

test("orders: only the session that owns an order can see it", async () => {
  const w = createWorld({ env: { MERCHANT_API: API } })
  const alice = await w.login('alice')
  const bob = await w.login('bob')
  const order = await w.order(alice)
  assert.equal((await w.state(alice, order.orderId)).state, 'CREATED')
  await expectError(await w.api('GET', `/api/orders/${order.orderId}`, undefined, bob), 404, 'ORDER_NOT_FOUND')
  await expectError(await w.api('POST', `/api/orders/${order.orderId}/close`, undefined, bob), 404, 'ORDER_NOT_FOUND')
})
