// The client suite in workerd: the helper's URL comes in the request's query string.
import * as api from 'wechatpay-wasm'
import { runClient } from '../suite.mjs'

export default {
  async fetch(request) {
    const url = new URL(request.url)
    const logs = []
    const result = await runClient(api, { helper: url.searchParams.get('helper'), scope: url.searchParams.get('scope') || 'all', runtime: 'workerd', log: (l) => logs.push(l) })
    return Response.json({ ...result, logs })
  },
}
