// One HTTP exchange on the runtime's fetch, bounded in time: the whole exchange (connection, headers and
// body) under one limit, the caller's signal honoured, and each way it can fail with its own code.
import { core } from '../boundary.js'

/** The longest delay timers take (2^31 - 1 ms, about 24.8 days): a longer one fires at once, in every runtime. */
export const MAX_TIMER_MS = 0x7fffffff

const describe = (e) => (e && typeof e === 'object' ? `${e.name || 'Error'}: ${e.message || ''}` : String(e)).slice(0, 300)

function withCause(error, cause) {
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true })
  return error
}

/** The error of the caller's signal: a TimeoutError reason (AbortSignal.timeout) is a timeout, anything else an abort. */
function signalError(signal) {
  const timedOut = signal.reason && signal.reason.name === 'TimeoutError'
  return withCause(core.transportError(timedOut ? 'timeout' : 'aborted', undefined, undefined), signal.reason)
}

/**
 * `fetch(url, init)` and its body as bytes, within `timeoutMs`. Resolves `{ status, headers, body }`; rejects
 * with ERR_TIMEOUT, ERR_ABORTED or ERR_NETWORK (the runtime's error as `cause`). The limit also holds for a
 * `fetch` that ignores its signal: the exchange is abandoned, not awaited. A redirect is resolved as the answer
 * it is (a 3xx; a browser's opaque redirect has status 0), never followed: WeChat Pay's API does not redirect,
 * and following one would send the signed request (on workerd, its Authorization header too) to another origin.
 */
export async function exchange(fetch, url, init, { timeoutMs, signal }) {
  if (signal && signal.aborted) throw signalError(signal)
  const controller = new AbortController()
  let timer
  let onAbort
  const stopped = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(core.transportError('timeout', timeoutMs, undefined))
      controller.abort()
    }, timeoutMs)
    if (signal) {
      onAbort = () => {
        reject(signalError(signal))
        controller.abort()
      }
      signal.addEventListener('abort', onAbort, { once: true })
    }
  })
  const work = (async () => {
    let res
    try {
      res = await fetch(url, { ...init, redirect: 'manual', signal: controller.signal })
    } catch (e) {
      throw withCause(core.transportError('network', undefined, describe(e)), e)
    }
    try {
      return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) }
    } catch (e) {
      throw withCause(core.transportError('network', undefined, `the answer broke off: ${describe(e)}`), e)
    }
  })()
  // whichever settles first; the loser's rejection is handled so it never surfaces as unhandled
  work.catch(() => {})
  stopped.catch(() => {})
  try {
    return await Promise.race([work, stopped])
  } finally {
    clearTimeout(timer)
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}
