// The simulator's data access. A payment and its notification are written in one transaction (an outbox), so
// a transaction can never be paid without its notification queued, nor notified twice as two payments.
export function createWechatStore(db) {
  const q = {
    insertCode: db.prepare('INSERT INTO wx_login_codes (code, user, expires_at) VALUES (?, ?, ?)'),
    code: db.prepare('SELECT * FROM wx_login_codes WHERE code = ?'),
    useCode: db.prepare('UPDATE wx_login_codes SET used_at = ? WHERE code = ? AND used_at IS NULL'),
    insertTx: db.prepare(`INSERT INTO wx_transactions (prepay_id, mchid, appid, out_trade_no, api, sign_type, description, amount, openid, notify_url, attach,
        state, created_at, expires_at, trade_type, sp_mchid, sub_appid, payer_field, request_digest, time_expire)
      VALUES (@prepayId, @mchid, @appid, @outTradeNo, @api, @signType, @description, @amount, @openid, @notifyUrl, @attach,
        'NOTPAY', @now, @expiresAt, @tradeType, @spMchid, @subAppid, @payerField, @requestDigest, @timeExpire)`),
    renewPrepay: db.prepare("UPDATE wx_transactions SET prepay_id = ?, expires_at = ? WHERE prepay_id = ? AND state = 'NOTPAY'"),
    tx: db.prepare('SELECT * FROM wx_transactions WHERE prepay_id = ?'),
    txByTradeNo: db.prepare('SELECT * FROM wx_transactions WHERE mchid = ? AND out_trade_no = ?'),
    txByTransactionId: db.prepare('SELECT * FROM wx_transactions WHERE mchid = ? AND transaction_id = ?'),
    pay: db.prepare("UPDATE wx_transactions SET state = 'SUCCESS', transaction_id = ?, paid_at = ?, openid = ?, payer_user = ? WHERE prepay_id = ? AND state = 'NOTPAY'"),
    close: db.prepare("UPDATE wx_transactions SET state = 'CLOSED', closed_at = ? WHERE prepay_id = ? AND state = 'NOTPAY'"),
    closedTradeNo: db.prepare('SELECT 1 FROM wx_closed_trade_nos WHERE mchid = ? AND out_trade_no = ?').pluck(),
    closeTradeNo: db.prepare('INSERT OR IGNORE INTO wx_closed_trade_nos (mchid, out_trade_no, closed_at) VALUES (?, ?, ?)'),
    markRefund: db.prepare("UPDATE wx_transactions SET state = 'REFUND' WHERE prepay_id = ? AND state IN ('SUCCESS', 'REFUND')"),
    refundByNo: db.prepare('SELECT * FROM wx_refunds WHERE mchid = ? AND out_refund_no = ?'),
    refundById: db.prepare('SELECT * FROM wx_refunds WHERE mchid = ? AND refund_id = ?'),
    refundByIdOnly: db.prepare('SELECT * FROM wx_refunds WHERE refund_id = ?'),
    refundsOf: db.prepare('SELECT * FROM wx_refunds WHERE prepay_id = ? ORDER BY created_at, rowid'),
    refunded: db.prepare("SELECT coalesce(sum(amount), 0) FROM wx_refunds WHERE prepay_id = ? AND status != 'CLOSED'").pluck(),
    insertRefund: db.prepare(`INSERT INTO wx_refunds (refund_id, mchid, out_refund_no, prepay_id, amount, total, notify_url, created_at, api, status, success_at, reason, funds_account)
      VALUES (@refundId, @mchid, @outRefundNo, @prepayId, @amount, @total, @notifyUrl, @now, @api, @status, @successAt, @reason, @fundsAccount)`),
    settleRefund: db.prepare("UPDATE wx_refunds SET status = 'SUCCESS', success_at = ?, received_account = ? WHERE refund_id = ? AND status = 'ABNORMAL'"),
    insertDelivery: db.prepare(`INSERT INTO wx_deliveries (mchid, api, event_type, notify_url, body, state, next_at, created_at)
      VALUES (@mchid, @api, @eventType, @notifyUrl, @body, 'PENDING', @now, @now)`),
    due: db.prepare("SELECT * FROM wx_deliveries WHERE state = 'PENDING' AND next_at <= ? ORDER BY next_at LIMIT 100"),
    recordAttempt: db.prepare('UPDATE wx_deliveries SET attempts = @attempts, state = @state, next_at = @nextAt, last_result = @result WHERE id = @id'),
    paidBetween: db.prepare('SELECT * FROM wx_transactions WHERE paid_at >= @from AND paid_at < @to AND (mchid = @mchid OR sp_mchid = @mchid) ORDER BY paid_at, rowid'),
    refundsBetween: db.prepare(`SELECT r.*, t.appid, t.sp_mchid, t.mchid AS order_mchid, t.out_trade_no, t.transaction_id, t.openid, t.trade_type, t.description,
        t.attach, t.amount AS order_amount, t.paid_at
      FROM wx_refunds r JOIN wx_transactions t ON t.prepay_id = r.prepay_id
      WHERE r.status = 'SUCCESS' AND r.success_at >= @from AND r.success_at < @to AND (t.mchid = @mchid OR t.sp_mchid = @mchid) ORDER BY r.success_at, r.rowid`),
    insertMedia: db.prepare('INSERT INTO wx_media (media_id, mchid, filename, sha256, size, created_at) VALUES (@mediaId, @mchid, @filename, @sha256, @size, @now)'),
    insertBill: db.prepare('INSERT INTO wx_bill_files (token, mchid, content, tar_type, expires_at) VALUES (@token, @mchid, @content, @tarType, @expiresAt)'),
    bill: db.prepare('SELECT * FROM wx_bill_files WHERE token = ?'),
  }
  const purges = [
    // Login codes once expired; bill download links once expired (both: WeChat's own lifetimes).
    db.prepare('DELETE FROM wx_login_codes WHERE expires_at <= @now'),
    db.prepare('DELETE FROM wx_bill_files WHERE expires_at <= @now'),
    // Abandoned orders: never paid, closed or expired for longer than the retention.
    db.prepare("DELETE FROM wx_transactions WHERE state = 'CLOSED' AND coalesce(closed_at, created_at) <= @before"),
    db.prepare("DELETE FROM wx_transactions WHERE state = 'NOTPAY' AND max(expires_at, coalesce(time_expire, 0)) <= @before"),
    db.prepare('DELETE FROM wx_closed_trade_nos WHERE closed_at <= @before'),
    // Notifications delivered or given up on, and uploaded media, after the retention.
    db.prepare("DELETE FROM wx_deliveries WHERE state != 'PENDING' AND created_at <= @before"),
    db.prepare('DELETE FROM wx_media WHERE created_at <= @before'),
    // Paid orders and their refunds after WeChat's bill window (3 months).
    db.prepare('DELETE FROM wx_refunds WHERE prepay_id IN (SELECT prepay_id FROM wx_transactions WHERE paid_at <= @billsBefore)'),
    db.prepare('DELETE FROM wx_transactions WHERE paid_at <= @billsBefore'),
  ]

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
    /** A code the simulator never issued (DevTools'), recorded as used at once so it works a single time; false if known. */
    takeForeignCode: db.transaction((code, user, now) => {
      if (q.code.get(code)) return false
      q.insertCode.run(code, user, now + 300_000)
      q.useCode.run(now, code)
      return true
    }),
    createTransaction: (tx) => q.insertTx.run({ subAppid: null, spMchid: null, payerField: null, requestDigest: null, timeExpire: null, tradeType: 'JSAPI', ...tx }),
    /** A fresh prepay_id for an open order whose last one expired; false if the order is no longer open. */
    renewPrepay: (oldId, newId, expiresAt) => q.renewPrepay.run(newId, expiresAt, oldId).changes === 1,
    transaction: (prepayId) => q.tx.get(prepayId),
    transactionByTradeNo: (mchid, outTradeNo) => q.txByTradeNo.get(mchid, outTradeNo),
    transactionById: (mchid, transactionId) => q.txByTransactionId.get(mchid, transactionId),
    close: (prepayId, now) => q.close.run(now, prepayId).changes === 1,
    /** WeChat answers 204 to closing an out_trade_no it never saw, and refuses that number afterwards. */
    closeUnknownTradeNo: (mchid, outTradeNo, now) => q.closeTradeNo.run(mchid, outTradeNo, now),
    tradeNoClosedBeforeUse: (mchid, outTradeNo) => q.closedTradeNo.get(mchid, outTradeNo) === 1,
    /** NOTPAY → SUCCESS (paid by `user`, `openid`) and the notification queued, atomically; false if it was not NOTPAY. */
    pay: db.transaction((prepayId, { transactionId, openid, user }, now, buildDelivery) => {
      if (q.pay.run(transactionId, now, openid, user, prepayId).changes !== 1) return false
      q.insertDelivery.run({ ...buildDelivery(q.tx.get(prepayId)), now })
      return true
    }),
    refund: (mchid, outRefundNo) => q.refundByNo.get(mchid, outRefundNo),
    refundById: (mchid, refundId) => q.refundById.get(mchid, refundId),
    refundsOf: (prepayId) => q.refundsOf.all(prepayId),
    refundedAmount: (prepayId) => q.refunded.get(prepayId),
    /** Records a refund, marks the transaction REFUND and queues the refund notification, atomically. */
    addRefund: db.transaction((refund, delivery) => {
      q.insertRefund.run({ api: 'v3', total: null, reason: null, fundsAccount: null, status: 'SUCCESS', successAt: refund.now, ...refund })
      q.markRefund.run(refund.prepayId)
      if (delivery) q.insertDelivery.run({ ...delivery, now: refund.now })
    }),
    /** ABNORMAL → SUCCESS with its notification; false if it was not ABNORMAL. */
    settleRefund: db.transaction((refundId, receivedAccount, now, buildDelivery) => {
      if (q.settleRefund.run(now, receivedAccount, refundId).changes !== 1) return false
      const delivery = buildDelivery(q.refundByIdOnly.get(refundId))
      if (delivery) q.insertDelivery.run({ ...delivery, now })
      return true
    }),
    dueDeliveries: (now) => q.due.all(now),
    recordAttempt: (id, { attempts, state, nextAt, result }) => q.recordAttempt.run({ id, attempts, state, nextAt, result }),
    /** Transactions paid in [from, to) of a merchant (as the order's merchant or as its service provider). */
    paidBetween: (mchid, from, to) => q.paidBetween.all({ mchid, from, to }),
    refundsBetween: (mchid, from, to) => q.refundsBetween.all({ mchid, from, to }),
    addMedia: (media) => q.insertMedia.run(media),
    addBillFile: (bill) => q.insertBill.run(bill),
    billFile: (token) => q.bill.get(token),
    /** Deletes what has expired or outlived the retention; returns the number of rows per kind. */
    purge: db.transaction((now, retentionMs, billWindowMs) => {
      const args = { now, before: now - retentionMs, billsBefore: now - billWindowMs }
      return purges.reduce((n, s) => n + s.run(args).changes, 0)
    }),
  }
}
