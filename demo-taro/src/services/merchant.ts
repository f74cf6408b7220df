// Typed client for the merchant backend (server-stub). The mini program only ever talks to the merchant:
// it never signs anything and never holds a key.
import Taro from '@tarojs/taro'

const API = process.env.TARO_APP_API

export interface Product {
  id: string
  name: string
  description: string
  /** fen: 1 = ¥0.01 */
  price: number
  /** display strings, e.g. { size, silkiness } for the soap */
  specs: Record<string, string>
}

/** Exactly what wx.requestPayment takes; passed through untouched. */
export interface PayParams {
  timeStamp: string
  nonceStr: string
  package: string
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA'
  paySign: string
}

export interface CreatedOrder {
  orderId: string
  outTradeNo: string
  amount: number
  description: string
  payParams: PayParams
}

export type OrderState = 'CREATED' | 'PAID' | 'CLOSED' | 'REFUNDED'

export interface OrderStatus {
  orderId: string
  state: OrderState
  amount: number
  transactionId?: string
}

/** One order of this buyer, as GET /api/orders lists it (newest first). */
export interface OrderView extends OrderStatus {
  outTradeNo: string
  description: string
  productId: string
  quantity: number
  /** when the order was placed (ISO 8601 or epoch ms, as the server sends it) */
  createdAt: string | number
}

/** A failed merchant call: the server's `{code, message}`, or code NETWORK when it could not be reached. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0) {
    super(message)
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, data?: object, token?: string): Promise<T> {
  const header: Record<string, string> = { 'content-type': 'application/json' }
  if (token) header.Authorization = `Bearer ${token}`
  let res: Taro.request.SuccessCallbackResult<any>
  try {
    res = await Taro.request({ url: API + path, method, data, header, dataType: 'json' })
  } catch (e) {
    console.warn(`[demo] ${method} ${API}${path} failed: ${describeWxError(e)}`)
    throw new ApiError('NETWORK', `cannot reach the merchant at ${API}`)
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const body = res.data && typeof res.data === 'object' ? res.data : {}
    const error = new ApiError(body.code || `HTTP_${res.statusCode}`, body.message || `HTTP ${res.statusCode}`, res.statusCode)
    // The server's own words are for the developer (English, in the console); the buyer gets buyerMessage().
    console.warn(`[demo] ${method} ${path} → ${res.statusCode} ${error.code}: ${error.message}`)
    throw error
  }
  return res.data as T
}

export const login = (code: string) => call<{ token: string; expiresIn: number }>('POST', '/api/login', { code })
export const listProducts = () => call<Product[]>('GET', '/api/products')
export const getProduct = (id: string) => call<Product>('GET', `/api/products/${encodeURIComponent(id)}`)
export const createOrder = (token: string, productId: string, quantity: number) =>
  call<CreatedOrder>('POST', '/api/orders', { productId, quantity }, token)
export const getOrder = (token: string, orderId: string) =>
  call<OrderStatus>('GET', `/api/orders/${encodeURIComponent(orderId)}`, undefined, token)
export const listOrders = (token: string) => call<OrderView[]>('GET', '/api/orders', undefined, token)
/** For a CREATED order the merchant asks WeChat Pay (rate-limited) and applies a paid answer. */
export const syncOrder = (token: string, orderId: string) =>
  call<OrderStatus>('POST', `/api/orders/${encodeURIComponent(orderId)}/sync`, {}, token)

/** fen → "¥12.30" without floating point */
export const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`

export const STATE_LABELS: Record<OrderState, string> = { CREATED: '待支付', PAID: '已支付', CLOSED: '已关闭', REFUNDED: '已退款' }

// What the buyer reads for each of the merchant's stable error codes.
const BUYER_MESSAGES: Record<string, string> = {
  NETWORK: '无法连接商户服务器,请检查网络后重试',
  INVALID_LOGIN_CODE: '微信登录凭证无效或已过期,请重试',
  UNAUTHORIZED: '登录已过期,请重试',
  WECHAT_LOGIN_FAILED: '微信登录失败,请稍后重试',
  WECHAT_UNREACHABLE: '暂时无法连接微信,请稍后重试',
  WECHATPAY_ERROR: '微信支付暂时无法下单,请稍后重试',
  WECHATPAY_UNREACHABLE: '暂时无法连接微信支付,请稍后重试',
  PRODUCT_NOT_FOUND: '商品不存在或已下架',
  ORDER_NOT_FOUND: '订单不存在',
  ORDER_PAID: '订单已支付',
  ORDER_NOT_PAID: '订单尚未支付',
  ORDER_CLOSED: '订单已关闭',
  RATE_LIMITED: '查询过于频繁,请稍后再试',
  INVALID_REQUEST: '请求有误,请返回重试',
  INVALID_JSON: '请求有误,请返回重试',
  INVALID_ENCODING: '请求有误,请返回重试',
  BODY_TOO_LARGE: '请求有误,请返回重试'
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s)

/** The reason inside a wx `{errMsg: 'api:fail reason'}`, or the whole errMsg. */
function describeWxError(e: unknown): string {
  if (e && typeof e === 'object' && 'errMsg' in e) return String((e as { errMsg: unknown }).errMsg)
  return e instanceof Error ? e.message : String(e)
}

/** One Chinese line for any failure the buyer should see: a merchant ApiError, a wx `{errMsg}`, anything thrown. */
export function buyerMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const known = BUYER_MESSAGES[e.code]
    if (e.code === 'NETWORK') return known
    return known ? `${known} (错误码 ${e.code})` : `商户服务器出错,请稍后重试 (错误码 ${e.code})`
  }
  const text = describeWxError(e)
  const reason = text.replace(/^\w+:fail\s*/, '')
  // The simulator's reasons are Chinese already; WeChat's own are often English: those go to the console.
  if (reason && hasChinese(reason)) return reason
  if (text.startsWith('login:')) return '微信登录失败,请稍后重试'
  if (text.startsWith('requestPayment:')) return '微信支付未能完成'
  return '出错了,请稍后重试'
}

/** The wx error text for the console, where a developer reads it. */
export const developerMessage = describeWxError
