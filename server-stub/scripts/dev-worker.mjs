// The merchant Worker under `wrangler dev`, as a Workers developer runs it: writes .dev.vars (the merchant's
// settings and secrets from the generated credentials, pointing at the simulator; git-ignored, mode 0600), applies
// the migrations to the local D1 with `wrangler d1 migrations apply`, then runs `wrangler dev` on MERCHANT_PORT.
// Start the simulator beside it: `ROLE=wechat node src/main.js`. Usage: npm run dev:worker
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config.js'

const STUB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const config = loadConfig()
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' }
const wrangler = path.join(STUB, 'node_modules/wrangler/bin/wrangler.js')
const persist = config.merchantHost.d1PersistDir

// Double-quoted values: wrangler reads "\n" in them as a newline, which keeps each PEM on one line here.
const devVars = path.join(STUB, '.dev.vars')
fs.writeFileSync(devVars, Object.entries(config.merchantVars).map(([k, v]) => `${k}=${JSON.stringify(String(v))}\n`).join(''), { mode: 0o600 })
fs.chmodSync(devVars, 0o600)

const apply = spawnSync(process.execPath, [wrangler, 'd1', 'migrations', 'apply', 'merchant', '--local', '--persist-to', persist], { cwd: STUB, env, stdio: 'inherit' })
if (apply.status !== 0) process.exit(apply.status ?? 1)
const dev = spawn(process.execPath, [wrangler, 'dev', '--ip', config.host, '--port', String(config.merchantPort), '--inspector-port', '0',
  '--persist-to', persist, '--test-scheduled'], { cwd: STUB, env, stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
