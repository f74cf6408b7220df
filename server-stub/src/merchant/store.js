// The merchant's data access. Every state change of an order happens here, inside one transaction, guarded by
// the state it expects (UPDATE … WHERE state = 'CREATED'), so a race or a retry can never apply it twice.
export function createMerchantStore(db) {
  const q = {
    upsertUser: db.prepare(`INSERT INTO users (openid, session_key, unionid, created_at, updated_at) VALUES (@openid, @sessionKey, @unionid, @now, @now)
      ON CONFLICT(openid) DO UPDATE SET session_key = excluded.session_key, unionid = coalesce(excluded.unionid, unionid), updated_at = excluded.updated_at`),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, openid, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    session: db.prepare('SELECT openid, expires_at FROM sessions WHERE token_hash = ?'),
    insertOrder: db.prepare(`INSERT INTO orders (id, out_trade_no, openid, product_id, quantity, amount, description, api, state, created_at, updated_at)
      VALUES (@id, @outTradeNo, @openid, @productId, @quantity, @amount, @description, @api, 'CREATED', @now, @now)`),
    setPrepay: db.prepare("UPDATE orders SET prepay_id = ?, updated_at = ? WHERE id = ? AND state = 'CREATED'"),
    order: db.prepare('SELECT * FROM orders WHERE id = ?'),
    orderByTradeNo: db.prepare('SELECT * FROM orders WHERE out_trade_no = ?'),
    markPaid: db.prepare("UPDATE orders SET state = 'PAID', transaction_id = ?, paid_at = ?, updated_at = ? WHERE id = ? AND state = 'CREATED'"),
    markClosed: db.prepare("UPDATE orders SET state = 'CLOSED', close_reason = ?, updated_at = ? WHERE id = ? AND state = 'CREATED'"),
    markRefunded: db.prepare("UPDATE orders SET state = 'REFUNDED', updated_at = ? WHERE id = ? AND state = 'PAID'"),
    notification: db.prepare('SELECT * FROM notifications WHERE id = ?'),
    insertNotification: db.prepare('INSERT INTO notifications (id, order_id, event_type, received_at) VALUES (?, ?, ?, ?)'),
    insertRefund: db.prepare(`INSERT INTO refunds (out_refund_no, order_id, amount, state, created_at, updated_at) VALUES (?, ?, ?, 'PROCESSING', ?, ?)`),
    refund: db.prepare('SELECT * FROM refunds WHERE out_refund_no = ?'),
    refundOfOrder: db.prepare('SELECT * FROM refunds WHERE order_id = ?'),
    setRefundId: db.prepare('UPDATE refunds SET refund_id = ?, updated_at = ? WHERE out_refund_no = ?'),
    finishRefund: db.prepare("UPDATE refunds SET state = ?, refund_id = coalesce(?, refund_id), updated_at = ? WHERE out_refund_no = ? AND state = 'PROCESSING'"),
  }

  return {
    db,
    saveLogin: db.transaction(({ openid, sessionKey, unionid, tokenHash, now, expiresAt }) => {
      q.upsertUser.run({ openid, sessionKey, unionid: unionid ?? null, now })
      q.insertSession.run(tokenHash, openid, now, expiresAt)
    }),
    session: (tokenHash) => q.session.get(tokenHash),
    createOrder: (order) => q.insertOrder.run(order),
    setPrepay: (id, prepayId, now) => q.setPrepay.run(prepayId, now, id).changes === 1,
    order: (id) => q.order.get(id),
    orderByTradeNo: (outTradeNo) => q.orderByTradeNo.get(outTradeNo),
    close: (id, reason, now) => q.markClosed.run(reason, now, id).changes === 1,

    /**
     * Applies a verified payment: CREATED → PAID once. `check(order)` returns a reason to reject or nothing.
     * Returns { outcome: 'applied' | 'duplicate' | 'rejected', order, reason }.
     */
    applyPayment: db.transaction(({ notificationId, eventType, outTradeNo, transactionId, check, now }) => {
      if (notificationId && q.notification.get(notificationId)) return { outcome: 'duplicate', order: q.orderByTradeNo.get(outTradeNo) }
      const order = q.orderByTradeNo.get(outTradeNo)
      if (!order) return { outcome: 'rejected', reason: 'unknown out_trade_no' }
      const reason = check(order)
      if (reason) return { outcome: 'rejected', order, reason }
      let outcome
      if (order.state === 'CREATED') {
        q.markPaid.run(transactionId, now, now, order.id)
        outcome = 'applied'
      } else if (order.transaction_id === transactionId) {
        outcome = 'duplicate'
      } else {
        return { outcome: 'rejected', order, reason: `order is ${order.state}${order.transaction_id ? ` by another transaction` : ''}` }
      }
      if (notificationId) q.insertNotification.run(notificationId, order.id, eventType, now)
      return { outcome, order: q.order.get(order.id) }
    }),

    startRefund: (outRefundNo, order, now) => q.insertRefund.run(outRefundNo, order.id, order.amount, now, now),
    refundOfOrder: (orderId) => q.refundOfOrder.get(orderId),
    setRefundId: (outRefundNo, refundId, now) => q.setRefundId.run(refundId, now, outRefundNo),

    /** Applies a verified refund result: the refund leaves PROCESSING once; SUCCESS moves the order PAID → REFUNDED. */
    applyRefund: db.transaction(({ notificationId, eventType, outRefundNo, refundId, status, check, now }) => {
      if (notificationId && q.notification.get(notificationId)) return { outcome: 'duplicate' }
      const refund = q.refund.get(outRefundNo)
      if (!refund) return { outcome: 'rejected', reason: 'unknown out_refund_no' }
      const reason = check(refund)
      if (reason) return { outcome: 'rejected', reason }
      const state = status === 'SUCCESS' ? 'SUCCESS' : status === 'CLOSED' ? 'CLOSED' : 'ABNORMAL'
      const changed = q.finishRefund.run(state, refundId, now, outRefundNo).changes === 1
      if (changed && state === 'SUCCESS') q.markRefunded.run(now, refund.order_id)
      if (notificationId) q.insertNotification.run(notificationId, refund.order_id, eventType, now)
      return { outcome: changed ? 'applied' : 'duplicate', refund: q.refund.get(outRefundNo), order: q.order.get(refund.order_id) }
    }),
  }
}
