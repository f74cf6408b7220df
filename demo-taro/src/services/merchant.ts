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
  } catch {
    throw new ApiError('NETWORK', `无法连接商户服务器 (${API})`)
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const body = res.data && typeof res.data === 'object' ? res.data : {}
    throw new ApiError(body.code || `HTTP_${res.statusCode}`, body.message || `商户服务器错误 HTTP ${res.statusCode}`, res.statusCode)
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

/** fen → "¥12.30" without floating point */
export const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`

/** One readable line for any failure: ApiError, a wx `{errMsg}` result, or anything thrown. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (${e.code})` : e.message
  if (e && typeof e === 'object' && 'errMsg' in e) return String((e as { errMsg: unknown }).errMsg)
  return e instanceof Error ? e.message : String(e)
}
