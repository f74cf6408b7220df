// Identifiers shaped like WeChat's: prepay_id wx + time + random; transaction_id 28 digits from 4200…;
// refund_id 29 digits from 50…; openid per user and app (28 characters from o…).
import { createHash } from 'node:crypto'
import { randomId } from '../http.js'

const digits = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('')

export const newPrepayId = (at) => `wx${new Date(at).toISOString().replace(/\D/g, '').slice(2, 14)}${randomId(15).replace(/[-_]/g, '0')}`
export const newTransactionId = () => `4200${digits(24)}`
export const newRefundId = () => `50${digits(27)}`
/** WeChat gives each user one stable openid per app. */
export const openidFor = (appid, user) => `o${createHash('sha256').update(`${appid}:${user}`).digest('hex').slice(0, 27)}`
