// Login (wx.login code → jscode2session → our own opaque token) and the session check of every /api/orders route.
import { code2SessionUrl, isWechatPayError, parseCode2Session } from 'wechatpay-wasm'
import { z } from 'zod'
import { ApiError, jsonBody, randomId, sha256Hex } from '../http.js'
import { fetchText } from './gateway-error.js'

// wx.login codes are short printable ASCII; anything else (a space, a newline, a NUL, non-ASCII) is not one.
const LoginBody = z.object({ code: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'the code from wx.login: 1 to 128 printable ASCII characters, no spaces') }).strict()

// jscode2session errcodes that mean the client's code is bad, not that WeChat is unwell.
const BAD_CODE = new Set([40029, 40163])

export function loginRoutes(app, { config, store, fetch, log, now }) {
  app.post('/api/login', async (c) => {
    const { code } = await jsonBody(c, LoginBody)
    const url = code2SessionUrl({ appId: config.appId, secret: config.appSecret, code, baseUrl: config.wechatApiBaseUrl })
    let text
    try {
      ({ text } = await fetchText(fetch, url, {}, config.wechatTimeoutMs))
    } catch (e) {
      if (e.code === 'WECHAT_TIMEOUT') throw new ApiError(504, 'WECHAT_TIMEOUT', 'the WeChat login service did not answer in time; try again')
      throw new ApiError(502, 'WECHAT_UNREACHABLE', 'the WeChat login service could not be reached')
    }
    let session
    try {
      session = parseCode2Session(text)
    } catch (e) {
      if (!isWechatPayError(e)) throw e
      if (e.code === 'ERR_WECHAT' && BAD_CODE.has(e.errcode)) throw new ApiError(401, 'INVALID_LOGIN_CODE', 'the login code is invalid, expired or already used: call wx.login again')
      throw new ApiError(502, 'WECHAT_LOGIN_FAILED', `jscode2session failed${e.errcode !== undefined ? ` (errcode ${e.errcode})` : ''}`)
    }
    const token = randomId(32)
    const at = now()
    await store.saveLogin({
      openid: session.openid,
      sessionKey: session.session_key,
      unionid: session.unionid,
      tokenHash: await sha256Hex(token),
      now: at,
      expiresAt: at + config.sessionTtlSeconds * 1000,
    })
    log.info('session.created', { expires_in: config.sessionTtlSeconds })
    return c.json({ token, expiresIn: config.sessionTtlSeconds })
  })
}

/** Middleware: a valid, unexpired Bearer token, or 401. Sets c.var.openid. */
export const requireSession = ({ store, now }) => async (c, next) => {
  const m = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(c.req.header('authorization') || '')
  const openid = m && await store.sessionOpenid(await sha256Hex(m[1]), now())
  if (!openid) throw new ApiError(401, 'UNAUTHORIZED', 'log in first: the session token is missing, unknown or expired')
  c.set('openid', openid)
  await next()
}
