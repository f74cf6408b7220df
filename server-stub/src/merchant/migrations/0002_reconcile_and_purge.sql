-- What the scheduled job and POST /api/orders/:id/sync need: when WeChat was last asked about an order (the
-- per-order rate limit), each refund's submissions (resubmitted with the same out_refund_no until WeChat
-- answers), and indexes for the job's scans and the buyer's order list.

ALTER TABLE orders ADD COLUMN queried_at INTEGER;
ALTER TABLE refunds ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN last_attempt_at INTEGER;
ALTER TABLE refunds ADD COLUMN last_error TEXT;

DROP INDEX IF EXISTS orders_by_openid;
CREATE INDEX orders_by_buyer ON orders(openid, created_at);
CREATE INDEX orders_by_state ON orders(state, created_at);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE INDEX sessions_by_openid ON sessions(openid);
CREATE INDEX notifications_by_order ON notifications(order_id);
CREATE INDEX notifications_by_age ON notifications(received_at);
CREATE INDEX refunds_unanswered ON refunds(state, refund_id);
