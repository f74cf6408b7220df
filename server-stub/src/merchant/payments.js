// Turning WeChat's word (a verified notification, a query's answer, a refund call's answer) into order state, and
// asking WeChat when its word is missing. Every payment goes through settle(), which checks it against the stored
// order and applies it at most once; every refund result through applyRefund().
import { GatewayError, isRefusal } from './gateway-error.js'

export function createPayments({ store, gateway, config, log, now }) {
  const checkPayment = ({ appid, mchid, amount, currency }) => (order) => {
    if (appid !== config.appId) return 'appid is not ours'
    if (mchid !== config.mchid) return 'mchid is not ours'
    if (amount !== order.amount) return `amount ${amount} differs from the order's ${order.amount}`
    if (currency !== undefined && currency !== 'CNY') return `currency ${currency}`
    return null
  }

  async function settle({ via, notificationId, eventType = 'TRANSACTION.SUCCESS', outTradeNo, transactionId, ...paid }) {
    if (typeof outTradeNo !== 'string' || typeof transactionId !== 'string' || !transactionId) {
      log.info('payment.rejected', { via, out_trade_no: outTradeNo, reason: 'missing out_trade_no or transaction_id' })
      return { outcome: 'rejected', reason: 'missing out_trade_no or transaction_id' }
    }
    const r = await store.applyPayment({ notificationId, eventType, outTradeNo, transactionId, amount: paid.amount, check: checkPayment(paid), now: now() })
    if (r.outcome === 'applied') log.info('order.state', { order: r.order.id, from: 'CREATED', to: 'PAID', transaction_id: transactionId, via })
    else log.info(`payment.${r.outcome}`, { via, order: r.order?.id, out_trade_no: outTradeNo, reason: r.reason })
    return r
  }

  /**
   * A query's answer that says SUCCESS is as good as a notification: the client refused any answer about another
   * order (WECHATPAY_MISMATCH), and settle() checks the rest against the stored order.
   */
  function fromQuery(order, q) {
    return settle({ via: 'query', outTradeNo: order.out_trade_no, transactionId: q.transactionId, appid: q.appid, mchid: q.mchid, amount: q.amount })
  }

  async function applyRefund({ via, notificationId, eventType, outRefundNo, refundId, status, mchid, amount }) {
    const result = await store.applyRefund({
      notificationId,
      eventType,
      outRefundNo,
      refundId,
      status,
      check: (refund) => {
        if (mchid !== undefined && mchid !== config.mchid) return 'mchid is not ours'
        if (amount !== refund.amount) return `refund amount ${amount} differs from ours ${refund.amount}`
        return null
      },
      now: now(),
    })
    if (result.outcome === 'applied') {
      log.info('refund.state', { out_refund_no: outRefundNo, from: result.from, to: result.refund.state, via })
      if (result.order.state === 'REFUNDED') log.info('order.state', { order: result.order.id, from: 'PAID', to: 'REFUNDED', via })
    } else {
      log.info(`refund.${result.outcome}`, { out_refund_no: outRefundNo, reason: result.reason, via })
    }
    return result
  }

  return {
    settle,
    fromQuery,
    fromV3Notification(n) {
      const t = n.resource
      if (t.trade_state !== 'SUCCESS') return { outcome: 'ignored' }
      return settle({
        via: 'notify-v3', notificationId: n.id, eventType: n.eventType, outTradeNo: t.out_trade_no, transactionId: t.transaction_id,
        appid: t.appid, mchid: t.mchid, amount: t.amount?.total, currency: t.amount?.currency,
      })
    },
    fromV2Notification(f) {
      if (f.result_code !== 'SUCCESS') return { outcome: 'ignored' }
      return settle({
        via: 'notify-v2', notificationId: `v2:${f.transaction_id}`, outTradeNo: f.out_trade_no, transactionId: f.transaction_id,
        appid: f.appid, mchid: f.mch_id, amount: f.total_fee, currency: f.fee_type,
      })
    },
    /**
     * An API v2 refund notification is not signed (its req_info is AES-ECB, which authenticates nothing): it is
     * only a reason to ask WeChat (refundquery, or over v3 for a merchant that has moved to v3 since it asked for
     * the refund), whose signed answer is applied. Resolves as applyRefund, or 'pending'.
     */
    async fromV2RefundNotification(notice) {
      const q = await gateway.queryRefund(notice.out_refund_no)
      if (!q.state) return { outcome: 'pending' }
      return applyRefund({ via: 'notify-v2-query', outRefundNo: notice.out_refund_no, refundId: q.refundId, status: q.state, amount: q.amount })
    },
    fromV3RefundNotification(n) {
      const r = n.resource
      return applyRefund({
        via: 'notify-v3', notificationId: n.id, eventType: n.eventType, outRefundNo: r.out_refund_no, refundId: r.refund_id,
        status: r.refund_status, mchid: r.mchid, amount: r.amount?.refund,
      })
    },

    /**
     * Asks WeChat about a CREATED order whose notification has not arrived ("支付回调和查单实现指引": query when
     * the notification is late), at most once per ORDER_QUERY_INTERVAL_SECONDS per order, and applies a SUCCESS.
     * With `expireBefore`, an unpaid order created before it is closed, at WeChat first. Returns whether it asked.
     */
    async reconcile(order, { expireBefore } = {}) {
      if (order.state !== 'CREATED' || !order.prepay_id) return false
      if (!(await store.claimQuery(order.id, now(), config.orderQueryIntervalSeconds * 1000))) return false
      const q = await gateway.query(order.out_trade_no)
      if (q.tradeState === 'SUCCESS') {
        await fromQuery(order, q)
      } else if (expireBefore !== undefined && order.created_at <= expireBefore) {
        // WeChat's CLOSED means a close already went through there; only ours is left to do.
        if (q.tradeState !== 'CLOSED') await gateway.close(order.out_trade_no)
        if (await store.close(order.id, 'EXPIRED', now())) log.info('order.state', { order: order.id, from: 'CREATED', to: 'CLOSED', reason: 'EXPIRED' })
      }
      return true
    },

    /**
     * Submits a refund to WeChat, or resubmits one WeChat has not answered, always with the same out_refund_no as
     * WeChat's refund API asks (a repeat is answered with the refund already made, never a second refund). A
     * signed refusal drops it (nothing was refunded); any other failure leaves it for the next ask or the job.
     * Throws the GatewayError when WeChat did not take it.
     */
    async submitRefund(refund, outTradeNo) {
      await store.refundAttempted(refund.out_refund_no, now())
      let r
      try {
        // the client refused any answer about another refund (WECHATPAY_MISMATCH)
        r = await gateway.refund({ outTradeNo, outRefundNo: refund.out_refund_no, amount: refund.amount })
        if (typeof r.refundId !== 'string' || !r.refundId) throw new GatewayError('WECHATPAY_BAD_ANSWER', 'the answer has no refund_id')
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e
        if (isRefusal(e) && await store.dropRefund(refund.out_refund_no)) {
          log.info('refund.refused', { out_refund_no: refund.out_refund_no, code: e.code })
        } else {
          await store.refundFailed(refund.out_refund_no, `${e.code}: ${e.message}`.slice(0, 200), now())
          log.info('refund.unanswered', { out_refund_no: refund.out_refund_no, attempt: refund.attempts + 1, code: e.code })
        }
        throw e
      }
      await store.refundAccepted(refund.out_refund_no, r.refundId, now())
      log.info('refund.accepted', { out_refund_no: refund.out_refund_no, refund_id: r.refundId, status: r.status })
      // A resubmission may find the refund already done: apply its answer as a notification would be.
      if (r.status === 'SUCCESS' || r.status === 'CLOSED' || r.status === 'ABNORMAL') {
        await applyRefund({ via: 'refund-answer', outRefundNo: refund.out_refund_no, refundId: r.refundId, status: r.status, amount: r.amount })
      }
    },
  }
}
