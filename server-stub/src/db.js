// SQLite through better-sqlite3: WAL for a file (readers never block the writer), migrations applied on open.
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'

/** Opens `file` (or ':memory:') and applies every migration not yet recorded in `migrations`. */
export function openDb(file, migrationSets) {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  if (file !== ':memory:') db.pragma('journal_mode = WAL')
  // Merchant and simulator may be two processes on one file: wait for the other's write instead of failing.
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  db.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
  const applied = new Set(db.prepare('SELECT id FROM migrations').pluck().all())
  const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)')
  for (const { id, sql } of migrationSets.flat()) {
    if (applied.has(id)) continue
    db.transaction(() => {
      db.exec(sql)
      record.run(id, Date.now())
    }).immediate()
  }
  return db
}
