// The WeChat simulator is for H5 only: none of its code, paths or URL may reach the mini-program bundle.
// Usage: node e2e/no-sim-in-weapp.mjs   (after both builds; dist-h5 is the positive control)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { check, finish } from './check.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const envValue = (name) => [...fs.readdirSync(root)].filter((f) => f.startsWith('.env'))
  .map((f) => fs.readFileSync(path.join(root, f), 'utf8').match(new RegExp(`^${name}="?([^"\\n]+)`, 'm'))?.[1])
  .find(Boolean)

const SIM_MARKERS = ['/sim/wx/login', '/sim/cashier/', 'sim-cashier', '模拟收银台', '微信模拟器', envValue('TARO_APP_SIM')]

function textOf(dir) {
  return fs.readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n')
    // Minifiers write non-ASCII text as \uXXXX escapes: undo them so Chinese markers match too.
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
}

const weapp = textOf(path.join(root, 'dist'))
const h5 = textOf(path.join(root, 'dist-h5'))
check('weapp bundle is read (it holds the merchant URL)', weapp.includes(envValue('TARO_APP_API')))
for (const marker of SIM_MARKERS) {
  check(`H5 bundle has simulator marker ${JSON.stringify(marker)} (control)`, h5.includes(marker))
  check(`weapp bundle has no ${JSON.stringify(marker)}`, !weapp.includes(marker))
}
finish()
