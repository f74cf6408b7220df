// What both roles share at the HTTP edge: the {code, message} error envelope, the 64 KB body limit, a bounded
// body reader (the raw bytes, which signatures are computed over), and JSON validation with zod.
import { bodyLimit } from 'hono/body-limit'

export const MAX_BODY_BYTES = 64 * 1024

/** An error that becomes a `{code, message}` response. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message)
    this.status = status
    this.code = code
  }
}

/**
 * The request body as bytes, at most `MAX_BODY_BYTES`: the declared length is checked first and the stream is
 * counted as it arrives, so an oversized or chunked body is refused before anything reads it whole.
 */
export async function rawBody(c) {
  const cached = c.get('rawBody')
  if (cached) return cached
  const declared = Number(c.req.header('content-length'))
  if (declared > MAX_BODY_BYTES) throw tooLarge()
  const chunks = []
  let size = 0
  if (c.req.raw.body) {
    const reader = c.req.raw.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > MAX_BODY_BYTES) {
        await reader.cancel()
        throw tooLarge()
      }
      chunks.push(value)
    }
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  c.set('rawBody', bytes)
  return bytes
}

const tooLarge = () => new ApiError(413, 'BODY_TOO_LARGE', `the request body is over ${MAX_BODY_BYTES} bytes`)

/**
 * Hono's bodyLimit at MAX_BODY_BYTES, answering 413 {code, message} before the route runs, whether the route reads
 * its body or not: a declared length is checked at once, a chunked body is counted as it arrives.
 */
export const limitBody = () => bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => c.json({ code: 'BODY_TOO_LARGE', message: `the request body is over ${MAX_BODY_BYTES} bytes` }, 413),
})

/** The body as text; bytes that are not UTF-8 are a 400. */
export async function textBody(c) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await rawBody(c))
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw new ApiError(400, 'INVALID_ENCODING', 'the request body is not UTF-8')
  }
}

/** The body parsed as JSON and checked against a zod schema. */
export async function jsonBody(c, schema) {
  let value
  try {
    value = JSON.parse(await textBody(c))
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw new ApiError(400, 'INVALID_JSON', 'the request body is not valid JSON')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new ApiError(400, 'INVALID_REQUEST', describeIssues(parsed.error))
  return parsed.data
}

export const describeIssues = (error) =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ')

/** app.onError: ApiError as itself, anything unexpected as a 500 that reveals nothing. */
export const errorHandler = (log) => (err, c) => {
  if (err instanceof ApiError) return c.json({ code: err.code, message: err.message }, err.status)
  log.info('error', { path: c.req.path, error: String(err && err.stack ? err.stack.split('\n').slice(0, 3).join(' | ') : err) })
  return c.json({ code: 'INTERNAL_ERROR', message: 'internal error' }, 500)
}

export const notFound = (c) => c.json({ code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` }, 404)

/** Random identifiers from the platform's CSPRNG (Web Crypto, so the apps also run on Workers). */
export function randomId(bytes = 16) {
  const b = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
