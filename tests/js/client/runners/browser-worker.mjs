// The JSAPI flow inside a module Web Worker: the browser entry, its .wasm fetched beside it, fetch from the worker.
import * as api from '/node_modules/wechatpay-wasm/dist/browser.js'
import { runClient } from '../suite.mjs'

const logs = []
runClient(api, { helper: self.location.origin, scope: 'jsapi', sameOrigin: true, runtime: 'webworker', log: (line) => logs.push(line) })
  .then((result) => self.postMessage({ ...result, logs }))
  .catch((e) => self.postMessage({ passed: 0, failed: 1, failures: [{ name: 'worker run', info: String(e.stack || e) }] }))
