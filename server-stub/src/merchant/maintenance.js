// The scheduled job (a Cron Trigger on Workers, a timer on Node): reconciles CREATED orders whose notification
// has not come, closes those past their expiry, resubmits refunds WeChat has not answered, and purges what has
// expired. Each step is bounded (MAINTENANCE_BATCH calls to WeChat), and every change is a conditional statement,
// so two runs at once, or a run beside a notification, change nothing twice.
export function createMaintenance({ store, payments, config, log, now }) {
  const limit = config.maintenanceBatch

  async function reconcile() {
    const at = now()
    const expireBefore = at - config.orderTtlSeconds * 1000
    let asked = 0
    let failed = 0
    for (const order of await store.unsettledOrders(at, config.orderQueryIntervalSeconds * 1000, limit)) {
      try {
        if (await payments.reconcile(order, { expireBefore })) asked++
      } catch (e) {
        failed++
        log.info('reconcile.failed', { order: order.id, code: e.code ?? 'ERROR', error: e.code ? undefined : String(e) })
      }
    }
    // The prepay call never came back for these: nobody can pay them.
    let orphans = 0
    for (const { id } of await store.orphanOrders(expireBefore, limit)) {
      if (await store.close(id, 'PREPAY_FAILED', now())) {
        orphans++
        log.info('order.state', { order: id, from: 'CREATED', to: 'CLOSED', reason: 'PREPAY_FAILED' })
      }
    }
    return { asked, failed, orphans }
  }

  async function resubmitRefunds() {
    let resubmitted = 0
    let failed = 0
    for (const refund of await store.unansweredRefunds(now() - config.refundRetrySeconds * 1000, limit)) {
      try {
        await payments.submitRefund(refund, refund.out_trade_no)
        resubmitted++
      } catch (e) {
        if (!e.code) throw e
        failed++
      }
    }
    return { resubmitted, failed }
  }

  return {
    /** One run; resolves with what it did (also logged as one line). */
    async run() {
      const orders = await reconcile()
      const refunds = await resubmitRefunds()
      const purged = await store.purge(now(), config.retentionSeconds * 1000, 1000)
      const summary = { ...orders, refunds: refunds.resubmitted, refundsFailed: refunds.failed, ...Object.fromEntries(Object.entries(purged).map(([k, v]) => [`purged_${k}`, v])) }
      log.info('maintenance.done', summary)
      return summary
    },
  }
}
