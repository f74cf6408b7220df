// The merchant's schema: the .sql files in migrations/, one set for both engines. On SQLite, openDb (db.js)
// applies them like the simulator's migrations; on D1, `wrangler d1 migrations apply` does, or migrateD1() below,
// which records them in d1_migrations exactly as wrangler does, so each sees what the other applied.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** The files, in the order wrangler applies them (by name; ours are numbered 0001_…). */
export const migrationFiles = (dir = MIGRATIONS_DIR) => fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
  .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }))

/** The same files as a migration set for openDb (SQLite): ids `merchant/0001_initial.sql`, … */
export const merchantMigrations = migrationFiles().map(({ name, sql }) => ({ id: `merchant/${name}`, sql }))

// Hand-written rather than wrangler's splitSqlQuery because the Node side does not load wrangler (seconds to
// import); test/wrangler.test.js checks it against splitSqlQuery on every file. It relies on what our files
// keep to: `--` comments, and each statement ending with `;` at the end of a line (no triggers, no `;` in
// strings). D1 needs one statement per prepare(): its exec() splits on newlines and fails on comments.
export const splitStatements = (sql) => sql.replace(/--[^\n]*/g, '').split(/;[ \t]*(?:\r?\n|$)/).map((s) => s.trim()).filter(Boolean)

/** Applies the files not yet recorded in d1_migrations to a D1 database, each in one batch with its record. */
export async function migrateD1(db, files = migrationFiles()) {
  await db.prepare(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`).run()
  const applied = new Set((await db.prepare('SELECT name FROM d1_migrations').all()).results.map((r) => r.name))
  const done = []
  for (const { name, sql } of files) {
    if (applied.has(name)) continue
    await db.batch([...splitStatements(sql).map((s) => db.prepare(s)), db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(name)])
    done.push(name)
  }
  return done
}
