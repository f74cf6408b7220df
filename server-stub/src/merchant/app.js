// The merchant backend as one Hono app (Web-standard fetch handler). Storage, clock and outbound fetch are
// injected, so tests can run it through app.request() against an in-process simulator.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { errorHandler, notFound } from '../http.js'
import { requestLog } from '../log.js'
import { loginRoutes } from './auth.js'
import { notifyRoutes } from './notify.js'
import { orderRoutes } from './orders.js'
import { createPayments } from './payments.js'
import { productRoutes } from './products.js'
import { createMerchantStore } from './store.js'
import { createV2Gateway } from './wechatpay-v2.js'
import { createV3Gateway } from './wechatpay-v3.js'

export function createMerchantApp({ config, db, log, fetch = globalThis.fetch, now = Date.now }) {
  const store = createMerchantStore(db)
  // The v3 client also verifies v3 notifications for a v2 merchant; built on first use, so a v2-only merchant
  // without v3 keys still starts.
  let v3Gateway
  const v3 = () => (v3Gateway ??= createV3Gateway({ config, fetch, now }))
  const gateway = config.api === 'v3' ? v3() : createV2Gateway({ config, fetch })
  const payments = createPayments({ store, config, log, now })
  const deps = { config, store, gateway, v3, payments, fetch, log, now }

  const app = new Hono()
  app.use(requestLog(log))
  app.use('/api/*', cors())
  productRoutes(app)
  loginRoutes(app, deps)
  orderRoutes(app, deps)
  notifyRoutes(app, deps)
  app.notFound(notFound)
  app.onError(errorHandler(log))
  return { app, store }
}
