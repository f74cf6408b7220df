// Delivers the outbox to merchants' notify_url as WeChat Pay does: at once, then on WeChat's retry schedule
// (scaled down by `timeScale`) until the merchant acknowledges. v3 counts any 2xx; v2 needs return_code SUCCESS.
// A redirect is not an acknowledgement and is never followed: the simulator requests the notify_url's host only.
// Every attempt, body included, is bounded by `timeoutMs` (WeChat waits 5 s).
import { parseXml } from 'wechatpay-wasm'

// At most this many deliveries at once: a burst of payments should queue here, not time out at the merchant.
const MAX_IN_FLIGHT = 16

export function createNotifier({ store, registry, fetch, now, schedule, timeScale, timeoutMs, log }) {
  const inflight = new Map()
  let timer

  async function attempt(d) {
    let ok = false
    let result
    try {
      const headers = d.api === 'v3'
        ? { 'content-type': 'application/json', ...(await registry.signer(registry.byMchid(d.mchid)).responseHeaders({ body: d.body, timestamp: Math.floor(now() / 1000) })) }
        : { 'content-type': 'text/xml' }
      const res = await fetch(d.notify_url, { method: 'POST', headers, body: d.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
      const text = await res.text()
      ok = res.ok && (d.api === 'v3' || v2Acknowledged(text))
      result = `HTTP ${res.status}`
    } catch (e) {
      result = e.name === 'TimeoutError' ? 'timeout' : 'unreachable'
    }
    const attempts = d.attempts + 1
    const wait = schedule[attempts - 1]
    const state = ok ? 'DELIVERED' : wait === undefined ? 'GAVE_UP' : 'PENDING'
    const nextAt = state === 'PENDING' ? now() + Math.round(wait * 1000 * timeScale) : null
    store.recordAttempt(d.id, { attempts, state, nextAt, result })
    log.info('notify.attempt', { delivery: d.id, event: d.event_type, attempt: attempts, result, state })
  }

  /** Waits until no delivery is in flight (tests, shutdown). */
  async function idle() {
    while (inflight.size) await Promise.all(inflight.values())
  }

  /** Starts the due deliveries not already in flight, up to the cap; each one done makes room for the next. */
  function startDue() {
    for (const d of store.dueDeliveries(now())) {
      if (inflight.size >= MAX_IN_FLIGHT) break
      if (inflight.has(d.id)) continue
      const p = attempt(d)
        .catch((e) => log.info('notify.error', { delivery: d.id, error: String(e) }))
        .finally(() => {
          inflight.delete(d.id)
          startDue()
        })
      inflight.set(d.id, p)
    }
  }

  /** Starts what is due; resolves when nothing is in flight. */
  function runDue() {
    startDue()
    return idle()
  }

  return {
    runDue,
    idle,
    /** Delivers what was just queued without waiting for the next poll. */
    kick: () => void setTimeout(startDue, 0),
    start() {
      // Poll about twice per shortest retry interval, within 10 ms … 1 s.
      const pollMs = Math.min(1000, Math.max(10, (schedule[0] * 1000 * timeScale) / 2))
      timer = setInterval(startDue, pollMs)
      startDue()
    },
    async stop() {
      clearInterval(timer)
      await idle()
    },
  }
}

function v2Acknowledged(text) {
  try {
    return parseXml(text).return_code === 'SUCCESS'
  } catch {
    return false
  }
}
