-- The merchant's schema, on SQLite (better-sqlite3) and on D1 alike. Applied in name order and recorded in
-- d1_migrations, by `wrangler d1 migrations apply` or by src/merchant/migrations.js. Append new files; never edit
-- one that has shipped. IF NOT EXISTS: a database made before these files existed already has these tables.

CREATE TABLE IF NOT EXISTS users (
  openid TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  unionid TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Only a hash of each token is kept, so a copy of the database cannot be used to log in.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  openid TEXT NOT NULL REFERENCES users(openid),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL UNIQUE,
  openid TEXT NOT NULL REFERENCES users(openid),
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  amount INTEGER NOT NULL CHECK (amount > 0),
  description TEXT NOT NULL,
  api TEXT NOT NULL CHECK (api IN ('v2', 'v3')),
  state TEXT NOT NULL CHECK (state IN ('CREATED', 'PAID', 'CLOSED', 'REFUNDED')),
  prepay_id TEXT,
  transaction_id TEXT UNIQUE,
  close_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  paid_at INTEGER
);
CREATE INDEX IF NOT EXISTS orders_by_openid ON orders(openid);

-- Every notification applied, by WeChat's id (v2 has none: 'v2:' + transaction_id), so a retry is never applied twice.
CREATE TABLE IF NOT EXISTS notifications (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  event_type TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS refunds (
  out_refund_no TEXT PRIMARY KEY,
  order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  state TEXT NOT NULL CHECK (state IN ('PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')),
  refund_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
