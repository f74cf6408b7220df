// Turning WeChat's word (a verified notification or a query answer) into order state. Every source goes through
// settle(), which checks the payment against the stored order and applies it at most once.
export function createPayments({ store, config, log, now }) {
  const checkPayment = ({ appid, mchid, amount, currency }) => (order) => {
    if (appid !== config.appId) return 'appid is not ours'
    if (mchid !== config.mchid) return 'mchid is not ours'
    if (amount !== order.amount) return `amount ${amount} differs from the order's ${order.amount}`
    if (currency !== undefined && currency !== 'CNY') return `currency ${currency}`
    return null
  }

  function settle({ via, notificationId, eventType = 'TRANSACTION.SUCCESS', outTradeNo, transactionId, ...paid }) {
    if (typeof outTradeNo !== 'string' || typeof transactionId !== 'string' || !transactionId) {
      log.info('payment.rejected', { via, out_trade_no: outTradeNo, reason: 'missing out_trade_no or transaction_id' })
      return { outcome: 'rejected', reason: 'missing out_trade_no or transaction_id' }
    }
    const r = store.applyPayment({ notificationId, eventType, outTradeNo, transactionId, check: checkPayment(paid), now: now() })
    if (r.outcome === 'applied') log.info('order.state', { order: r.order.id, from: 'CREATED', to: 'PAID', transaction_id: transactionId, via })
    else log.info(`payment.${r.outcome}`, { via, order: r.order?.id, out_trade_no: outTradeNo, reason: r.reason })
    return r
  }

  return {
    settle,
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
    /** A query answer that says SUCCESS is as good as a notification (the notification may still be on its way). */
    fromQuery(outTradeNo, q) {
      return settle({ via: 'query', outTradeNo, transactionId: q.transactionId, appid: q.appid, mchid: q.mchid, amount: q.amount })
    },
    fromV3RefundNotification(n) {
      const r = n.resource
      const result = store.applyRefund({
        notificationId: n.id,
        eventType: n.eventType,
        outRefundNo: r.out_refund_no,
        refundId: r.refund_id,
        status: r.refund_status,
        check: (refund) => {
          if (r.mchid !== config.mchid) return 'mchid is not ours'
          if (r.amount?.refund !== refund.amount) return `refund amount ${r.amount?.refund} differs from ours ${refund.amount}`
          return null
        },
        now: now(),
      })
      if (result.outcome === 'applied') {
        log.info('refund.state', { out_refund_no: r.out_refund_no, from: 'PROCESSING', to: result.refund.state })
        if (result.order.state === 'REFUNDED') log.info('order.state', { order: result.order.id, from: 'PAID', to: 'REFUNDED', via: 'notify-v3' })
      } else {
        log.info(`refund.${result.outcome}`, { out_refund_no: r.out_refund_no, reason: result.reason })
      }
      return result
    },
  }
}
