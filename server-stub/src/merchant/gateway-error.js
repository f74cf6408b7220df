// A failed call to WeChat: its own code and message when it answered, or why its answer was not trusted or
// never came. `status` is the HTTP status of an answer; `verified` whether that answer's signature verified.
export class GatewayError extends Error {
  constructor(code, message, status, verified = false) {
    super(message)
    this.code = code
    this.status = status
    this.verified = verified
  }
}

/**
 * One call to WeChat's login API (jscode2session; WeChat Pay is called through the package's clients) with a deadline: the answer's status, headers and text, read within `timeoutMs` (headers and
 * body alike), or a GatewayError: WECHAT_TIMEOUT when the deadline passed, WECHAT_UNREACHABLE when no answer came.
 */
export async function fetchText(fetch, url, init, timeoutMs) {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    return { status: res.status, ok: res.ok, headers: res.headers, text: await res.text() }
  } catch (e) {
    if (e?.name === 'TimeoutError') throw new GatewayError('WECHAT_TIMEOUT', `no answer within ${timeoutMs} ms`)
    throw new GatewayError('WECHAT_UNREACHABLE', `no answer: ${e?.message ?? e}`)
  }
}

/**
 * Whether WeChat answered and refused: a signed 4xx other than 429 FREQUENCY_LIMITED, so asking again with the
 * same parameters would be refused again. Anything else (no answer, a timeout, 5xx, 429, an unsigned or
 * unverified answer) leaves the outcome unknown, and WeChat's documents say to ask again with the same parameters.
 */
export const isRefusal = (e) => e instanceof GatewayError && e.verified && e.status >= 400 && e.status < 500 && e.status !== 429
