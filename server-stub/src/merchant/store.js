// The merchant's data, written once against D1's client API (D1 on Workers; better-sqlite3 through db.js on
// Node). D1 has no interactive transactions, so nothing here reads, decides and writes inside one: every state
// change is a single conditional statement, guarded by the state it expects (UPDATE … WHERE state = 'CREATED'
// RETURNING id), and what must happen with it goes in the same batch(), which D1 runs all-or-nothing. A race or a
// retry can therefore never apply a change twice, on either engine.

const ORDER_COLUMNS = `o.id, o.out_trade_no, o.openid, o.product_id, o.quantity, o.amount, o.description, o.api, o.state,
  o.prepay_id, o.transaction_id, o.close_reason, o.created_at, o.updated_at, o.paid_at, o.queried_at,
  r.out_refund_no AS refund_no, r.state AS refund_state, r.amount AS refund_amount`

export function createMerchantStore(db) {
  const stmt = (sql, ...args) => db.prepare(sql).bind(...args)
  const first = (sql, ...args) => stmt(sql, ...args).first()
  const all = async (sql, ...args) => (await stmt(sql, ...args).all()).results
  const changed = async (sql, ...args) => (await stmt(sql, ...args).run()).meta.changes === 1

  const order = (id) => first(`SELECT ${ORDER_COLUMNS} FROM orders o LEFT JOIN refunds r ON r.order_id = o.id WHERE o.id = ?`, id)
  const orderByTradeNo = (outTradeNo) => first(`SELECT ${ORDER_COLUMNS} FROM orders o LEFT JOIN refunds r ON r.order_id = o.id WHERE o.out_trade_no = ?`, outTradeNo)
  const refund = (outRefundNo) => first('SELECT * FROM refunds WHERE out_refund_no = ?', outRefundNo)
  const seen = async (notificationId) => Boolean(notificationId && await first('SELECT 1 AS x FROM notifications WHERE id = ?', notificationId))
  // Records a notification for `orderId` only if `effect` (an SQL condition) holds after the batch's gate, so a
  // rejected one leaves no trace and WeChat's retry of it is checked afresh.
  const recordNotification = ({ notificationId, eventType, now, orderId }, effect, ...effectArgs) => stmt(
    `INSERT INTO notifications (id, event_type, received_at, order_id) SELECT ?, ?, ?, ? WHERE ${effect} ON CONFLICT (id) DO NOTHING`,
    notificationId, eventType, now, orderId, ...effectArgs,
  )

  return {
    async saveLogin({ openid, sessionKey, unionid, tokenHash, now, expiresAt }) {
      await db.batch([
        stmt(`INSERT INTO users (openid, session_key, unionid, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (openid) DO UPDATE SET session_key = excluded.session_key, unionid = coalesce(excluded.unionid, unionid), updated_at = excluded.updated_at`,
        openid, sessionKey, unionid ?? null, now, now),
        stmt('INSERT INTO sessions (token_hash, openid, created_at, expires_at) VALUES (?, ?, ?, ?)', tokenHash, openid, now, expiresAt),
      ])
    },
    /** The openid of an unexpired session, or null. */
    sessionOpenid: async (tokenHash, now) => (await first('SELECT openid FROM sessions WHERE token_hash = ? AND expires_at > ?', tokenHash, now))?.openid ?? null,

    createOrder: (o) => stmt(`INSERT INTO orders (id, out_trade_no, openid, product_id, quantity, amount, description, api, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'CREATED', ?, ?)`, o.id, o.outTradeNo, o.openid, o.productId, o.quantity, o.amount, o.description, o.api, o.now, o.now).run(),
    setPrepay: (id, prepayId, now) => changed("UPDATE orders SET prepay_id = ?, updated_at = ? WHERE id = ? AND state = 'CREATED'", prepayId, now, id),
    order,
    /** A buyer's orders, newest first. */
    ordersOf: (openid, limit) => all(`SELECT ${ORDER_COLUMNS} FROM orders o LEFT JOIN refunds r ON r.order_id = o.id
      WHERE o.openid = ? ORDER BY o.created_at DESC, o.rowid DESC LIMIT ?`, openid, limit),
    close: (id, reason, now) => changed("UPDATE orders SET state = 'CLOSED', close_reason = ?, updated_at = ? WHERE id = ? AND state = 'CREATED'", reason, now, id),

    /**
     * Claims the right to ask WeChat about a CREATED order: true for at most one caller per `intervalMs` (the
     * per-order rate limit of sync and of the scheduled job), false when someone asked less than that ago.
     */
    claimQuery: async (id, now, intervalMs) => (await all(
      `UPDATE orders SET queried_at = ? WHERE id = ? AND state = 'CREATED' AND (queried_at IS NULL OR queried_at <= ?) RETURNING id`,
      now, id, now - intervalMs,
    )).length === 1,
    /** CREATED orders with a prepay_id that nobody asked WeChat about in the last `intervalMs`, least recently asked first. */
    unsettledOrders: (now, intervalMs, limit) => all(
      `SELECT ${ORDER_COLUMNS} FROM orders o LEFT JOIN refunds r ON r.order_id = o.id WHERE o.state = 'CREATED' AND o.prepay_id IS NOT NULL
        AND (o.queried_at IS NULL OR o.queried_at <= ?) ORDER BY coalesce(o.queried_at, 0), o.created_at LIMIT ?`, now - intervalMs, limit,
    ),
    /** CREATED orders without a prepay_id (the prepay call never came back) older than `before`: nobody can pay them. */
    orphanOrders: (before, limit) => all("SELECT id FROM orders WHERE state = 'CREATED' AND prepay_id IS NULL AND created_at <= ? LIMIT ?", before, limit),

    /**
     * Applies a verified payment (a notification, or a query's answer): CREATED → PAID once. `check(order)` compares
     * what WeChat said with the stored order (immutable fields: amount, out_trade_no) and returns a reason to reject.
     * Returns { outcome: 'applied' | 'duplicate' | 'rejected', order, reason }.
     */
    async applyPayment({ notificationId, eventType, outTradeNo, transactionId, amount, check, now }) {
      if (await seen(notificationId)) return { outcome: 'duplicate', order: await orderByTradeNo(outTradeNo) }
      const o = await orderByTradeNo(outTradeNo)
      if (!o) return { outcome: 'rejected', reason: 'unknown out_trade_no' }
      const reason = check(o)
      if (reason) return { outcome: 'rejected', order: o, reason }
      // The gate: one statement moves the order, only from CREATED, only with the amount checked, and only if the
      // transaction pays no other order. Exactly one of any number of concurrent callers gets the row back.
      const batch = [stmt(`UPDATE orders SET state = 'PAID', transaction_id = ?, paid_at = ?, updated_at = ?
        WHERE id = ? AND state = 'CREATED' AND amount = ? AND NOT EXISTS (SELECT 1 FROM orders WHERE transaction_id = ?) RETURNING id`,
      transactionId, now, now, o.id, amount, transactionId)]
      if (notificationId) {
        batch.push(recordNotification({ notificationId, eventType, now, orderId: o.id },
          "EXISTS (SELECT 1 FROM orders WHERE id = ? AND transaction_id = ? AND state IN ('PAID', 'REFUNDED'))", o.id, transactionId))
      }
      const [gate] = await db.batch(batch)
      const after = await order(o.id)
      if (gate.results.length === 1) return { outcome: 'applied', order: after }
      if (after.transaction_id === transactionId) return { outcome: 'duplicate', order: after }
      return { outcome: 'rejected', order: after, reason: after.state === 'CREATED' ? 'transaction_id already pays another order' : `order is ${after.state}${after.transaction_id ? ' by another transaction' : ''}` }
    },

    /** Starts the one refund of a PAID order, or finds the one already started. Returns it, or null if not PAID. */
    async startRefund(outRefundNo, orderId, now) {
      await stmt(`INSERT INTO refunds (out_refund_no, order_id, amount, state, created_at, updated_at)
        SELECT ?, id, amount, 'PROCESSING', ?, ? FROM orders WHERE id = ? AND state = 'PAID' ON CONFLICT DO NOTHING`,
      outRefundNo, now, now, orderId).run()
      return first('SELECT * FROM refunds WHERE order_id = ?', orderId)
    },
    refundOfOrder: (orderId) => first('SELECT * FROM refunds WHERE order_id = ?', orderId),
    /** Counts one submission of a refund WeChat has not answered yet. */
    refundAttempted: (outRefundNo, now) => stmt('UPDATE refunds SET attempts = attempts + 1, last_attempt_at = ? WHERE out_refund_no = ?', now, outRefundNo).run(),
    /** WeChat took the refund (it has a refund_id): no more resubmissions. */
    refundAccepted: (outRefundNo, refundId, now) => stmt('UPDATE refunds SET refund_id = coalesce(refund_id, ?), last_error = NULL, updated_at = ? WHERE out_refund_no = ?', refundId, now, outRefundNo).run(),
    refundFailed: (outRefundNo, error, now) => stmt('UPDATE refunds SET last_error = ?, updated_at = ? WHERE out_refund_no = ?', error, now, outRefundNo).run(),
    /** WeChat refused it outright (nothing was refunded): forget it, so the buyer can ask again. */
    dropRefund: (outRefundNo) => changed("DELETE FROM refunds WHERE out_refund_no = ? AND state = 'PROCESSING' AND refund_id IS NULL", outRefundNo),
    /** Refunds WeChat has not answered, last tried before `before`, oldest first. */
    unansweredRefunds: (before, limit) => all(`SELECT r.*, o.out_trade_no FROM refunds r JOIN orders o ON o.id = r.order_id
      WHERE r.state = 'PROCESSING' AND r.refund_id IS NULL AND (r.last_attempt_at IS NULL OR r.last_attempt_at <= ?) ORDER BY r.created_at LIMIT ?`, before, limit),

    /**
     * Applies a verified refund result (a notification, or the refund call's answer): the refund leaves PROCESSING
     * once, and ABNORMAL (the money did not reach the buyer) once more, for SUCCESS or CLOSED when the merchant
     * has settled it at WeChat; SUCCESS moves the order PAID → REFUNDED in the same batch. `from` is the state
     * the refund had when read.
     */
    async applyRefund({ notificationId, eventType, outRefundNo, refundId, status, check, now }) {
      if (await seen(notificationId)) return { outcome: 'duplicate' }
      const r = await refund(outRefundNo)
      if (!r) return { outcome: 'rejected', reason: 'unknown out_refund_no' }
      const reason = check(r)
      if (reason) return { outcome: 'rejected', reason }
      const state = status === 'SUCCESS' ? 'SUCCESS' : status === 'CLOSED' ? 'CLOSED' : 'ABNORMAL'
      const batch = [
        stmt(`UPDATE refunds SET state = ?, refund_id = coalesce(?, refund_id), updated_at = ? WHERE out_refund_no = ?
          AND (state = 'PROCESSING' OR (state = 'ABNORMAL' AND ? <> 'ABNORMAL')) RETURNING out_refund_no`,
        state, refundId ?? null, now, outRefundNo, state),
        stmt(`UPDATE orders SET state = 'REFUNDED', updated_at = ? WHERE id = ? AND state = 'PAID'
          AND EXISTS (SELECT 1 FROM refunds WHERE order_id = ? AND state = 'SUCCESS')`, now, r.order_id, r.order_id),
      ]
      if (notificationId) {
        batch.push(recordNotification({ notificationId, eventType, now, orderId: r.order_id },
          "EXISTS (SELECT 1 FROM refunds WHERE out_refund_no = ? AND state <> 'PROCESSING')", outRefundNo))
      }
      const [gate] = await db.batch(batch)
      return { outcome: gate.results.length === 1 ? 'applied' : 'duplicate', from: r.state, refund: await refund(outRefundNo), order: await order(r.order_id) }
    },

    /**
     * Deletes what nobody needs any more, at most `limit` rows of each kind per call (one D1 batch stays short):
     * expired sessions, closed unpaid orders, logins with neither a session nor an order, and notification records
     * (WeChat stops retrying after about 24 h), the last three once `retentionMs` old. Returns the counts.
     */
    async purge(now, retentionMs, limit) {
      const before = now - retentionMs
      const [sessions, orders, users, notifications] = await db.batch([
        stmt('DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at <= ? LIMIT ?)', now, limit),
        stmt(`DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE state = 'CLOSED' AND transaction_id IS NULL AND updated_at <= ? LIMIT ?)`, before, limit),
        stmt(`DELETE FROM users WHERE openid IN (SELECT openid FROM users u WHERE u.updated_at <= ?
          AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.openid = u.openid) AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.openid = u.openid) LIMIT ?)`, before, limit),
        stmt('DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE received_at <= ? LIMIT ?)', before, limit),
      ])
      return { sessions: sessions.meta.changes, orders: orders.meta.changes, users: users.meta.changes, notifications: notifications.meta.changes }
    },
  }
}
