// One line per event: time, role, event, then key=value pairs. Callers pass only non-secret fields (ids,
// states, statuses); request lines carry the path without its query string, which can hold a secret or a code.
export function createLogger(role, write = (line) => process.stdout.write(`${line}\n`)) {
  const fmt = (v) => (typeof v === 'string' && !/[\s="]/.test(v) ? v : JSON.stringify(v))
  const line = (event, fields = {}) => {
    const kv = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${fmt(v)}`)
    write([new Date().toISOString(), role, event, ...kv].join(' '))
  }
  return { info: line }
}

/** Hono middleware: one line per request. */
export const requestLog = (log) => async (c, next) => {
  const started = performance.now()
  await next()
  log.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) })
}
