// The merchant backend on Cloudflare Workers: the same Hono app as on Node, with D1 (binding DB) for storage,
// vars and secrets for its settings, and a Cron Trigger for the scheduled job. See wrangler.jsonc and README.md.
import { createLogger } from './log.js'
import { createMerchantApp } from './merchant/app.js'
import { merchantSettings } from './merchant/settings.js'

// One app per isolate: the settings are parsed and the keys imported once, not per request.
let merchant
const merchantFor = (env) => (merchant ??= createMerchantApp({
  config: merchantSettings(env),
  db: env.DB,
  log: createLogger('merchant', (line) => console.log(line)),
}))

export default {
  fetch: (request, env, ctx) => merchantFor(env).app.fetch(request, env, ctx),
  // Awaited rather than handed to waitUntil: the run's outcome is the event's (a failure shows in the Cron logs).
  async scheduled(controller, env) {
    await merchantFor(env).maintenance.run()
  },
}
