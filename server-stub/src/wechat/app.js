// The WeChat simulator as one Hono app: login, API v3 (every kind of prepay, query, close, refunds, bills,
// certificates, media) and v2, the cashier, and the notifier that delivers to merchants. Storage, clock and
// outbound fetch are injected, as in the merchant app. `start()`/`stop()` run the notifier and the purge.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { errorHandler, notFound } from '../http.js'
import { requestLog } from '../log.js'
import { billRoutes } from './bills.js'
import { cashierPageRoutes } from './cashier-page.js'
import { cashierRoutes } from './cashier.js'
import { certificateRoutes } from './certificates.js'
import { controlRoutes } from './control.js'
import { createJanitor } from './janitor.js'
import { loginRoutes } from './login.js'
import { mediaRoutes } from './media.js'
import { createNotifier } from './notifier.js'
import { payV2Routes } from './pay-v2.js'
import { prepayRoutes } from './prepay.js'
import { createRegistry } from './registry.js'
import { refundRoutes } from './refunds.js'
import { createWechatStore } from './store.js'
import { transactionRoutes } from './transactions.js'
import { createV3 } from './v3.js'

export function createWechatApp({ config, db, log, fetch = (url, init) => globalThis.fetch(url, init), now = Date.now }) {
  const store = createWechatStore(db)
  const registry = createRegistry(config.merchants, { maxSkewSeconds: config.maxSkewSeconds, now, quirks: config.quirks })
  const notifier = createNotifier({
    store, registry, fetch, now, log,
    schedule: config.retrySchedule,
    timeScale: config.retryTimeScale,
    timeoutMs: config.notifyTimeoutMs,
  })
  const janitor = createJanitor({ store, now, log, retentionSeconds: config.retentionSeconds, intervalSeconds: config.purgeIntervalSeconds })
  const deps = { config, store, registry, notifier, log, now, v3: createV3({ registry, log, now }) }

  const app = new Hono()
  app.use(requestLog(log))
  app.use('*', cors())
  loginRoutes(app, deps)
  prepayRoutes(app, deps)
  transactionRoutes(app, deps)
  refundRoutes(app, deps)
  billRoutes(app, deps)
  certificateRoutes(app, deps)
  mediaRoutes(app, deps)
  payV2Routes(app, deps)
  cashierRoutes(app, deps)
  cashierPageRoutes(app, deps)
  controlRoutes(app, deps)
  app.notFound(notFound)
  app.onError(errorHandler(log))
  return {
    app, store, registry, notifier, janitor,
    start() {
      notifier.start()
      janitor.start()
    },
    async stop() {
      janitor.stop()
      await notifier.stop()
    },
  }
}
