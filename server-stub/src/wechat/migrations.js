// The simulator's schema (WeChat's side of the world). Append new migrations; never edit one that has shipped.
export const wechatMigrations = [{
  id: 'wechat/001-initial',
  sql: `
    CREATE TABLE wx_login_codes (
      code TEXT PRIMARY KEY,
      user TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    );
    CREATE TABLE wx_transactions (
      prepay_id TEXT PRIMARY KEY,
      mchid TEXT NOT NULL,
      appid TEXT NOT NULL,
      out_trade_no TEXT NOT NULL,
      api TEXT NOT NULL CHECK (api IN ('v2', 'v3')),
      sign_type TEXT,
      description TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      openid TEXT NOT NULL,
      notify_url TEXT NOT NULL,
      attach TEXT,
      state TEXT NOT NULL CHECK (state IN ('NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND')),
      transaction_id TEXT UNIQUE,
      paid_at INTEGER,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      UNIQUE (mchid, out_trade_no)
    );
    CREATE TABLE wx_refunds (
      refund_id TEXT PRIMARY KEY,
      mchid TEXT NOT NULL,
      out_refund_no TEXT NOT NULL,
      prepay_id TEXT NOT NULL REFERENCES wx_transactions(prepay_id),
      amount INTEGER NOT NULL CHECK (amount > 0),
      notify_url TEXT,
      created_at INTEGER NOT NULL,
      UNIQUE (mchid, out_refund_no)
    );
    -- The outbox of notifications: kept across restarts, so a pending retry survives a crash.
    CREATE TABLE wx_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      mchid TEXT NOT NULL,
      api TEXT NOT NULL CHECK (api IN ('v2', 'v3')),
      event_type TEXT NOT NULL,
      notify_url TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'GAVE_UP')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER,
      last_result TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX wx_deliveries_due ON wx_deliveries(state, next_at);`,
}]

// Every kind of prepay (JSAPI, APP, H5, Native; direct and partner), idempotent prepay, refund states and
// bookkeeping, v2 refunds, media, bill files, and out_trade_nos closed before any order existed.
wechatMigrations.push({
  id: 'wechat/002-every-operation',
  sql: `
    -- mchid is the merchant the order belongs to (partner mode: the sub-merchant); appid the order's appid
    -- (partner: sp_appid). openid is '' when the order has no payer yet (APP, H5, Native).
    ALTER TABLE wx_transactions ADD COLUMN trade_type TEXT NOT NULL DEFAULT 'JSAPI';
    ALTER TABLE wx_transactions ADD COLUMN sp_mchid TEXT;
    ALTER TABLE wx_transactions ADD COLUMN sub_appid TEXT;
    ALTER TABLE wx_transactions ADD COLUMN payer_field TEXT;
    ALTER TABLE wx_transactions ADD COLUMN payer_user TEXT;
    ALTER TABLE wx_transactions ADD COLUMN request_digest TEXT;
    ALTER TABLE wx_transactions ADD COLUMN time_expire INTEGER;
    ALTER TABLE wx_transactions ADD COLUMN closed_at INTEGER;
    ALTER TABLE wx_refunds ADD COLUMN api TEXT NOT NULL DEFAULT 'v3';
    ALTER TABLE wx_refunds ADD COLUMN status TEXT NOT NULL DEFAULT 'SUCCESS';
    ALTER TABLE wx_refunds ADD COLUMN success_at INTEGER;
    ALTER TABLE wx_refunds ADD COLUMN total INTEGER;
    ALTER TABLE wx_refunds ADD COLUMN reason TEXT;
    ALTER TABLE wx_refunds ADD COLUMN funds_account TEXT;
    ALTER TABLE wx_refunds ADD COLUMN received_account TEXT;
    UPDATE wx_refunds SET success_at = created_at WHERE success_at IS NULL;
    CREATE INDEX wx_transactions_paid ON wx_transactions(paid_at);
    CREATE INDEX wx_transactions_expiry ON wx_transactions(state, expires_at);
    CREATE INDEX wx_refunds_success ON wx_refunds(success_at);
    CREATE INDEX wx_login_codes_expiry ON wx_login_codes(expires_at);
    CREATE TABLE wx_closed_trade_nos (
      mchid TEXT NOT NULL,
      out_trade_no TEXT NOT NULL,
      closed_at INTEGER NOT NULL,
      PRIMARY KEY (mchid, out_trade_no)
    );
    CREATE TABLE wx_media (
      media_id TEXT PRIMARY KEY,
      mchid TEXT NOT NULL,
      filename TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      size INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );
    -- A bill as it was when applied for: the download serves exactly what hash_value describes.
    CREATE TABLE wx_bill_files (
      token TEXT PRIMARY KEY,
      mchid TEXT NOT NULL,
      content BLOB NOT NULL,
      tar_type TEXT,
      expires_at INTEGER NOT NULL
    );`,
})
