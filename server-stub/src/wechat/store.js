// The simulator's data access. A payment and its notification are written in one transaction (an outbox), so
// a transaction can never be paid without its notification queued, nor notified twice as two payments.
export function createWechatStore(db) {
  const q = {
    insertCode: db.prepare('INSERT INTO wx_login_codes (code, user, expires_at) VALUES (?, ?, ?)'),
    code: db.prepare('SELECT * FROM wx_login_codes WHERE code = ?'),
    useCode: db.prepare('UPDATE wx_login_codes SET used_at = ? WHERE code = ? AND used_at IS NULL'),
    insertTx: db.prepare(`INSERT INTO wx_transactions (prepay_id, mchid, appid, out_trade_no, api, sign_type, description, amount, openid, notify_url, attach, state, created_at, expires_at)
      VALUES (@prepayId, @mchid, @appid, @outTradeNo, @api, @signType, @description, @amount, @openid, @notifyUrl, @attach, 'NOTPAY', @now, @expiresAt)`),
    tx: db.prepare('SELECT * FROM wx_transactions WHERE prepay_id = ?'),
    txByTradeNo: db.prepare('SELECT * FROM wx_transactions WHERE mchid = ? AND out_trade_no = ?'),
    txByTransactionId: db.prepare('SELECT * FROM wx_transactions WHERE mchid = ? AND transaction_id = ?'),
    pay: db.prepare("UPDATE wx_transactions SET state = 'SUCCESS', transaction_id = ?, paid_at = ? WHERE prepay_id = ? AND state = 'NOTPAY'"),
    close: db.prepare("UPDATE wx_transactions SET state = 'CLOSED' WHERE prepay_id = ? AND state = 'NOTPAY'"),
    markRefund: db.prepare("UPDATE wx_transactions SET state = 'REFUND' WHERE prepay_id = ? AND state IN ('SUCCESS', 'REFUND')"),
    refundByNo: db.prepare('SELECT * FROM wx_refunds WHERE mchid = ? AND out_refund_no = ?'),
    refunded: db.prepare('SELECT coalesce(sum(amount), 0) FROM wx_refunds WHERE prepay_id = ?').pluck(),
    insertRefund: db.prepare('INSERT INTO wx_refunds (refund_id, mchid, out_refund_no, prepay_id, amount, notify_url, created_at) VALUES (@refundId, @mchid, @outRefundNo, @prepayId, @amount, @notifyUrl, @now)'),
    insertDelivery: db.prepare(`INSERT INTO wx_deliveries (mchid, api, event_type, notify_url, body, state, next_at, created_at)
      VALUES (@mchid, @api, @eventType, @notifyUrl, @body, 'PENDING', @now, @now)`),
    due: db.prepare("SELECT * FROM wx_deliveries WHERE state = 'PENDING' AND next_at <= ? ORDER BY next_at LIMIT 100"),
    recordAttempt: db.prepare('UPDATE wx_deliveries SET attempts = @attempts, state = @state, next_at = @nextAt, last_result = @result WHERE id = @id'),
  }

  return {
    db,
    insertCode: (code, user, expiresAt) => q.insertCode.run(code, user, expiresAt),
    /** Marks a login code used and returns it, or null when it is unknown, used or expired. */
    takeCode: db.transaction((code, now) => {
      const row = q.code.get(code)
      if (!row || row.used_at !== null || row.expires_at <= now) return null
      q.useCode.run(now, code)
      return row
    }),
    createTransaction: (tx) => q.insertTx.run(tx),
    transaction: (prepayId) => q.tx.get(prepayId),
    transactionByTradeNo: (mchid, outTradeNo) => q.txByTradeNo.get(mchid, outTradeNo),
    transactionById: (mchid, transactionId) => q.txByTransactionId.get(mchid, transactionId),
    close: (prepayId) => q.close.run(prepayId).changes === 1,
    /** NOTPAY → SUCCESS and the notification queued, atomically; false if it was not NOTPAY. */
    pay: db.transaction((prepayId, transactionId, now, buildDelivery) => {
      if (q.pay.run(transactionId, now, prepayId).changes !== 1) return false
      q.insertDelivery.run({ ...buildDelivery(q.tx.get(prepayId)), now })
      return true
    }),
    refund: (mchid, outRefundNo) => q.refundByNo.get(mchid, outRefundNo),
    refundedAmount: (prepayId) => q.refunded.get(prepayId),
    /** Records a refund, marks the transaction REFUND and queues the refund notification, atomically. */
    addRefund: db.transaction((refund, delivery) => {
      q.insertRefund.run(refund)
      q.markRefund.run(refund.prepayId)
      if (delivery) q.insertDelivery.run({ ...delivery, now: refund.now })
    }),
    dueDeliveries: (now) => q.due.all(now),
    recordAttempt: (id, { attempts, state, nextAt, result }) => q.recordAttempt.run({ id, attempts, state, nextAt, result }),
  }
}
