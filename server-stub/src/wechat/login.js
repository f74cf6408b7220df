// wx.login and jscode2session: a code per login, good once and for a few minutes; a stable openid per
// simulated user and app, as WeChat gives each user one openid per mini program.
import { z } from 'zod'
import { jsonBody, randomId, sha256Hex } from '../http.js'

const LoginBody = z.object({ user: z.string().regex(/^[\w.@-]{1,32}$/, 'letters, digits, _ . @ -, at most 32').optional() }).strict()

export function loginRoutes(app, { config, store, registry, log, now }) {
  app.post('/sim/wx/login', async (c) => {
    const { user = 'default' } = await jsonBody(c, LoginBody)
    const code = randomId(24)
    store.insertCode(code, user, now() + config.loginCodeTtlSeconds * 1000)
    log.info('login.code', { user })
    return c.json({ code })
  })

  // WeChat answers 200 with an errcode for every failure; the merchant must read the body.
  app.get('/sns/jscode2session', async (c) => {
    const { appid, secret, js_code: code, grant_type: grantType } = c.req.query()
    const fail = (errcode, errmsg) => c.json({ errcode, errmsg })
    if (!appid) return fail(41002, 'appid missing')
    if (!secret) return fail(41004, 'appsecret missing')
    if (!code) return fail(41008, 'missing code')
    if (grantType !== 'authorization_code') return fail(40002, 'invalid grant_type')
    const merchant = registry.byAppId(appid)
    if (!merchant) return fail(40013, 'invalid appid')
    if (secret !== merchant.appSecret) return fail(40125, 'invalid appsecret')
    const row = store.takeCode(code, now())
    if (!row) return fail(40029, 'invalid code')
    const openid = `o${(await sha256Hex(`${appid}:${row.user}`)).slice(0, 27)}`
    const sessionKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    return c.json({ openid, session_key: sessionKey })
  })
}
