// H5 has no WeChat, and Taro's H5 login/requestPayment are stubs that *resolve* (a false 支付成功).
// These stand-ins talk to the WeChat simulator instead and keep the mini-program result shapes:
// login resolves {code}; requestPayment resolves {errMsg:'requestPayment:ok'} or rejects {errMsg:'requestPayment:fail …'}.
import type { PayParams } from './merchant'
import { askUser } from '../sim/cashier-sheet'

const SIM = process.env.TARO_APP_SIM
// The simulated WeChat user this browser is logged in as: the cashier pays as the logged-in user, and WeChat
// refuses a payer whose openid is not the one the order was placed for.
const WECHAT_USER = 'default'

interface SimAnswer { ok: boolean; data: any; why: string }

async function post(path: string, body: object): Promise<SimAnswer> {
  const r = await fetch(SIM + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const data = (await r.json().catch(() => null)) ?? {}
  // The simulator's errors are {code, message} (the cashier's confirm adds errMsg); anything else shows its status.
  return { ok: r.ok, data, why: data.message || data.code || `HTTP ${r.status}` }
}

export async function login(): Promise<{ code: string }> {
  let r: SimAnswer
  try {
    r = await post('/sim/wx/login', { user: WECHAT_USER })
  } catch {
    throw { errMsg: `login:fail 无法连接微信模拟器 (${SIM})` }
  }
  if (!r.ok || !r.data.code) throw { errMsg: `login:fail ${r.ok ? 'no code' : r.why}` }
  return { code: r.data.code }
}

export async function requestPayment(p: PayParams): Promise<{ errMsg: string }> {
  let r: SimAnswer
  try {
    const preview = await post('/sim/cashier/preview', { package: p.package })
    if (!preview.ok) throw { errMsg: `requestPayment:fail ${preview.why}` }
    if (!(await askUser(preview.data))) {
      // The cancel is the user's decision; telling the simulator only mirrors it, so its failure changes nothing.
      await post('/sim/cashier/cancel', { package: p.package }).catch(() => undefined)
      throw { errMsg: 'requestPayment:fail cancel' }
    }
    r = await post('/sim/cashier/confirm', { ...p, payer: WECHAT_USER })
  } catch (e) {
    if (e && typeof e === 'object' && 'errMsg' in e) throw e
    throw { errMsg: `requestPayment:fail 无法连接微信模拟器 (${SIM})` }
  }
  if (r.ok && r.data.errMsg === 'requestPayment:ok') return r.data
  throw { errMsg: r.data.errMsg || `requestPayment:fail ${r.why}` }
}
