// Cloudflare Workers (workerd): bundled with the `workerd` condition, the .wasm uploaded beside it.
import * as api from 'wechatpay-wasm'
import { run } from '../.bundle/suite.mjs'

export default {
  async fetch() {
    const logs = []
    const result = await run(api, { log: (line) => logs.push(line) })
    return Response.json({ ...result, logs })
  },
}
