// The merchant backend as one Hono app (Web-standard fetch handler), the same on Node and on Workers. Storage
// (anything with D1's client API: D1, or better-sqlite3 through db.js), clock and outbound fetch are injected, so
// tests can run it through app.request() against an in-process simulator.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { errorHandler, limitBody, notFound } from '../http.js'
import { requestLog } from '../log.js'
import { loginRoutes } from './auth.js'
import { createMaintenance } from './maintenance.js'
import { notifyRoutes } from './notify.js'
import { orderRoutes } from './orders.js'
import { createPayments } from './payments.js'
import { productRoutes } from './products.js'
import { createMerchantStore } from './store.js'
import { createV2Gateway, createV3Gateway } from './wechatpay.js'

// `certificateFetch` presents the merchant API certificate (API v2 refunds; certificate-fetch.js on Node).
export function createMerchantApp({ config, db, log, fetch = globalThis.fetch, certificateFetch, now = Date.now }) {
  const store = createMerchantStore(db)
  // The v3 client also verifies v3 notifications for a v2 merchant; built on first use, so a v2-only merchant
  // without v3 keys still starts.
  let v3Gateway
  const v3 = () => (v3Gateway ??= createV3Gateway({ config, fetch, now }))
  const gateway = config.api === 'v3' ? v3() : createV2Gateway({ config, fetch, certificateFetch })
  const payments = createPayments({ store, gateway, config, log, now })
  const deps = { config, store, gateway, v3, payments, fetch, log, now }

  const app = new Hono()
  app.use(requestLog(log))
  app.use('/api/*', cors())
  // Every route, whether it reads a body or not: over 64 KB is a 413 before anything is done.
  app.use(limitBody())
  productRoutes(app)
  loginRoutes(app, deps)
  orderRoutes(app, deps)
  notifyRoutes(app, deps)
  app.notFound(notFound)
  app.onError(errorHandler(log))
  return { app, store, maintenance: createMaintenance({ store, payments, config, log, now }) }
}
