// SQLite through better-sqlite3: WAL for a file (readers never block the writer), the simulator's migrations
// applied on open, and the D1 client API over it for the merchant, whose one store runs on SQLite and on D1.
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'

/** Opens `file` (or ':memory:') and applies every migration not yet recorded in `migrations`. */
export function openDb(file, migrationSets = []) {
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

/**
 * better-sqlite3 behind the part of D1's client API the merchant's store uses: `prepare(sql).bind(...)` with
 * `first()`, `all()`, `run()`, and `batch([...])`, all-or-nothing in one transaction as D1's is. Hand-written: no
 * maintained package offers D1's API over better-sqlite3 (Miniflare 2's did, on an SQLite it no longer ships);
 * test/store.test.js runs the same store tests on this and on D1 itself.
 */
export function d1Api(db) {
  const cache = new Map()
  const compiled = (sql) => {
    let s = cache.get(sql)
    if (!s) cache.set(sql, (s = db.prepare(sql)))
    return s
  }
  const changes = db.prepare('SELECT changes()').pluck()
  // D1 answers { results, meta: { changes } } for every statement: rows from a SELECT or a write … RETURNING,
  // and the rows the last write changed (a SELECT changes none).
  const execute = ({ sql, args }) => {
    const s = compiled(sql)
    if (s.reader) {
      const results = s.all(...args)
      return { success: true, results, meta: { changes: /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql) ? changes.get() : 0 } }
    }
    const r = s.run(...args)
    return { success: true, results: [], meta: { changes: r.changes, last_row_id: Number(r.lastInsertRowid) } }
  }
  const statement = (sql, args = []) => ({
    sql,
    args,
    bind: (...values) => statement(sql, values),
    all: async () => execute({ sql, args }),
    run: async () => execute({ sql, args }),
    first: async (column) => {
      const row = execute({ sql, args }).results[0] ?? null
      return column === undefined || row === null ? row : row[column]
    },
  })
  return {
    prepare: (sql) => statement(sql),
    batch: async (statements) => db.transaction(() => statements.map(execute)).immediate(),
  }
}
