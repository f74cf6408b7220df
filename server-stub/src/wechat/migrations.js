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
