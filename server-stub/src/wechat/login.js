// wx.login and jscode2session: a code per login, good once and for a few minutes; a stable openid per
// simulated user and app, as WeChat gives each user one openid per mini program
// (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html).
// DevTools mode (SIM_DEVTOOLS_LOGIN=1, set by the demo only): a code the simulator never issued is taken as one
// WeChat DevTools made, once, for the fixed user `devtools`.
import { z } from 'zod'
import { jsonBody, randomId } from '../http.js'
import { USER } from './cashier.js'
import { openidFor } from './ids.js'

const DEVTOOLS_USER = 'devtools'
const LoginBody = z.object({ user: z.string().regex(USER, 'letters, digits, _ . @ -, at most 32').optional() }).strict()
// What a DevTools code looks like (32 letters and digits today); anything else stays invalid.
const FOREIGN_CODE = /^[0-9A-Za-z_-]{16,128}$/

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
    const a = registry.app(appid)
    if (!a) return fail(40013, 'invalid appid')
    if (secret !== a.appSecret) return fail(40125, 'invalid appsecret')
    let user = store.takeCode(code, now())?.user
    if (!user && config.devtoolsLogin && FOREIGN_CODE.test(code) && store.takeForeignCode(code, DEVTOOLS_USER, now())) {
      log.info('login.devtools_code', { user: DEVTOOLS_USER })
      user = DEVTOOLS_USER
    }
    if (!user) return fail(40029, 'invalid code')
    const sessionKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    return c.json({ openid: openidFor(appid, user), session_key: sessionKey })
  })
}
