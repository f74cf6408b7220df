// The merchant's opaque session token, kept in storage so a reopened page skips wx.login.
// openid/session_key never reach the mini program: they stay on the server.
import Taro from '@tarojs/taro'
import * as wx from './wx'
import { login } from './merchant'

const KEY = 'merchant-session'

interface Session { token: string; expiresAt: number }

export function currentToken(): string | null {
  const s: Session | '' = Taro.getStorageSync(KEY)
  return s && s.expiresAt > Date.now() ? s.token : null
}

/** A valid token, logging in (wx.login → POST /api/login) when there is none or `fresh` is asked for. */
export async function ensureLogin(fresh = false): Promise<string> {
  const cached = fresh ? null : currentToken()
  if (cached) return cached
  const { code } = await wx.login()
  const { token, expiresIn } = await login(code)
  Taro.setStorageSync(KEY, { token, expiresAt: Date.now() + expiresIn * 1000 })
  return token
}
