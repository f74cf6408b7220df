// Payment and refund notifications. Nothing is believed before the package has verified it over the raw body;
// then payments.js checks it against the stored order. The answers are the ones WeChat expects.
import { decryptV2RefundNotification, isWechatPayError, parseV2Notification, v2NotificationReply } from 'wechatpay-wasm'
import { rawBody } from '../http.js'

export function notifyRoutes(app, { config, v3, payments, log }) {
  const v2Reply = (c, ok, message, status) => c.body(v2NotificationReply(ok, message), status, { 'content-type': 'text/xml; charset=utf-8' })

  app.post('/api/pay/notify', async (c) => {
    const body = await rawBody(c)
    let n
    try {
      n = await v3().verifyNotification(c.req.raw.headers, body)
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      log.info('notify.rejected', { api: 'v3', reason: e.code })
      return c.json({ code: 'SIGN_ERROR', message: `notification rejected: ${e.code}` }, 401)
    }
    const result = n.eventType.startsWith('REFUND.') ? await payments.fromV3RefundNotification(n)
      : n.eventType === 'TRANSACTION.SUCCESS' ? await payments.fromV3Notification(n)
      : { outcome: 'ignored' }
    // 4xx makes WeChat retry: right for a mismatch, which needs a human, never for a duplicate.
    if (result.outcome === 'rejected') return c.json({ code: 'REJECTED', message: result.reason }, 400)
    return c.body(null, 204)
  })

  app.post('/api/pay/notify/v2', async (c) => {
    const xml = (ok, message, status) => v2Reply(c, ok, message, status)
    let fields
    try {
      fields = parseV2Notification(await rawBody(c), { key: config.apiV2Key, appId: config.appId, mchId: config.mchid })
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      log.info('notify.rejected', { api: 'v2', reason: e.code })
      return xml(false, e.code, 400)
    }
    const result = await payments.fromV2Notification(fields)
    if (result.outcome === 'rejected') return xml(false, 'REJECTED', 400)
    return xml(true, undefined, 200)
  })

  // API v2 refund results: decrypted (req_info), then confirmed by asking WeChat (refundquery, signed) before
  // anything is applied; until WeChat says how the refund ended, FAIL makes WeChat send it again.
  app.post('/api/pay/notify/v2/refund', async (c) => {
    let notice
    try {
      notice = decryptV2RefundNotification(await rawBody(c), { key: config.apiV2Key, appId: config.appId, mchId: config.mchid })
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      log.info('notify.rejected', { api: 'v2-refund', reason: e.code })
      return v2Reply(c, false, e.code, 400)
    }
    let result
    try {
      result = await payments.fromV2RefundNotification(notice)
    } catch (e) {
      if (!e.code) throw e
      log.info('notify.unconfirmed', { api: 'v2-refund', out_refund_no: notice.out_refund_no, code: e.code })
      return v2Reply(c, false, e.code, 502)
    }
    if (result.outcome === 'rejected') return v2Reply(c, false, 'REJECTED', 400)
    if (result.outcome === 'pending') return v2Reply(c, false, 'PROCESSING', 503)
    return v2Reply(c, true, undefined, 200)
  })
}
