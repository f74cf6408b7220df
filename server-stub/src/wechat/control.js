// The simulator's own knobs, per merchant, at run time (no WeChat counterpart): how WeChat Pay signs for it
// (public key or platform certificate) and which of WeChat's real quirks it reproduces. Start-up defaults come
// from SIM_MERCHANT_KEY_MODE, SIM_PARTNER_KEY_MODE and SIM_QUIRKS.
import { z } from 'zod'
import { ApiError, jsonBody } from '../http.js'
import { KEY_MODES, QUIRKS } from './registry.js'

const Settings = z.object({ keyMode: z.enum(KEY_MODES).optional(), quirks: z.array(z.enum(QUIRKS)).optional() }).strict()

export function controlRoutes(app, { registry, log }) {
  // Ids only: never a key.
  app.get('/sim/merchants', (c) => c.json(registry.merchants.map((m) => ({
    mchid: m.mchid,
    name: m.name,
    appId: m.appId,
    keyMode: m.keyMode,
    quirks: [...m.quirks],
    merchantSerialNo: m.merchantSerialNo,
    wechatpayPublicKeyId: m.wechatpayPublicKeyId,
    platformSerialNo: m.platformSerialNo,
    subMerchants: m.subMerchants.map((s) => ({ mchid: s.mchid, name: s.name, appId: s.appId })),
  }))))

  app.post('/sim/merchants/:mchid/settings', async (c) => {
    const m = registry.byMchid(c.req.param('mchid'))
    if (!m) throw new ApiError(404, 'MCH_NOT_EXISTS', `no merchant ${c.req.param('mchid')} in the simulator`)
    const settings = registry.settings(m, await jsonBody(c, Settings))
    log.info('merchant.settings', settings)
    return c.json(settings)
  })
}
