// The WeChat simulator as one Hono app: login, API v3 and v2, the cashier, and the notifier that delivers to
// merchants. Storage, clock and outbound fetch are injected, as in the merchant app.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { errorHandler, notFound } from '../http.js'
import { requestLog } from '../log.js'
import { cashierRoutes } from './cashier.js'
import { loginRoutes } from './login.js'
import { createNotifier } from './notifier.js'
import { payV2Routes } from './pay-v2.js'
import { payV3Routes } from './pay-v3.js'
import { createRegistry } from './registry.js'
import { createWechatStore } from './store.js'

export function createWechatApp({ config, db, log, fetch = globalThis.fetch, now = Date.now }) {
  const store = createWechatStore(db)
  const registry = createRegistry(config.merchants, { maxSkewSeconds: config.maxSkewSeconds, now })
  const notifier = createNotifier({
    store, registry, fetch, now, log,
    schedule: config.retrySchedule,
    timeScale: config.retryTimeScale,
    timeoutMs: config.notifyTimeoutMs,
  })
  const deps = { config, store, registry, notifier, log, now }

  const app = new Hono()
  app.use(requestLog(log))
  app.use('*', cors())
  loginRoutes(app, deps)
  payV3Routes(app, deps)
  payV2Routes(app, deps)
  cashierRoutes(app, deps)
  app.notFound(notFound)
  app.onError(errorHandler(log))
  return { app, store, notifier }
}
