// API v3 prepay, every kind: JSAPI / mini program, APP, H5, Native, for direct merchants
// (POST /v3/pay/transactions/{jsapi,app,h5,native}, pay.weixin.qq.com/doc/v3/merchant/4012525182, 4012525153,
// 4012265144) and service providers (POST /v3/pay/partner/transactions/…, doc/v3/partner/4012523579).
// Prepay is idempotent by out_trade_no: the same parameters get the same prepay_id, changed ones are refused.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { isPaid, TRADE_TYPES } from './events.js'
import { newPrepayId } from './ids.js'
import { parseRfc3339 } from './time.js'
import { notifyUrl, parse, WxError } from './v3.js'

const DAY = 24 * 3600 * 1000
const id32 = z.string().min(1).max(32)
const common = {
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/, '6-32 of 0-9 A-Z a-z _ - | *'),
  time_expire: z.string().max(64).optional(),
  attach: z.string().max(128).optional(),
  notify_url: notifyUrl(255),
  goods_tag: z.string().max(32).optional(),
  support_fapiao: z.boolean().optional(),
  limit_pay: z.array(z.string()).optional(),
  amount: z.object({ total: z.number().int().min(1).max(1e10), currency: z.literal('CNY').optional() }),
  detail: z.object({
    cost_price: z.number().int().optional(),
    invoice_id: z.string().max(32).optional(),
    goods_detail: z.array(z.object({
      merchant_goods_id: z.string().min(1).max(32),
      wechatpay_goods_id: z.string().max(32).optional(),
      goods_name: z.string().max(256).optional(),
      quantity: z.number().int().min(1),
      unit_price: z.number().int().min(0),
    })).optional(),
  }).optional(),
  settle_info: z.object({ profit_sharing: z.boolean().optional() }).optional(),
}
const sceneInfo = (h5) => z.object({
  payer_client_ip: z.string().min(1).max(45).refine((ip) => /^[\d.]+$|:/.test(ip), 'an IPv4 or IPv6 address'),
  device_id: z.string().max(32).optional(),
  store_info: z.object({ id: z.string().min(1).max(32), name: z.string().max(256).optional(), area_code: z.string().max(32).optional(), address: z.string().max(512).optional() }).optional(),
  h5_info: h5
    ? z.object({ type: z.enum(['iOS', 'Android', 'Wap']), app_name: z.string().max(64).optional(), app_url: z.string().max(128).optional(), bundle_id: z.string().max(128).optional(), package_name: z.string().max(128).optional() })
    : z.unknown().optional(),
})

const direct = (kind) => z.object({
  appid: id32,
  mchid: id32,
  ...common,
  payer: kind === 'jsapi' ? z.object({ openid: z.string().min(1).max(128) }) : z.object({ openid: z.string().min(1).max(128).optional() }).optional(),
  scene_info: kind === 'h5' ? sceneInfo(true) : sceneInfo(false).optional(),
})
const partner = (kind) => z.object({
  sp_appid: id32,
  sp_mchid: id32,
  sub_appid: id32.optional(),
  sub_mchid: id32,
  ...common,
  payer: kind === 'jsapi'
    ? z.object({ sp_openid: z.string().min(1).max(128).optional(), sub_openid: z.string().min(1).max(128).optional() })
      .refine((p) => p.sp_openid || p.sub_openid, 'payer.sp_openid or payer.sub_openid is required')
    : z.object({ sp_openid: z.string().max(128).optional(), sub_openid: z.string().max(128).optional() }).optional(),
  scene_info: kind === 'h5' ? sceneInfo(true) : sceneInfo(false).optional(),
})

// Key order does not change what was asked: the digest is over the body with its keys sorted.
const canonical = (v) => (Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v)
const digest = (body) => createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex')

/** The order's time_expire: default 7 days; earlier than now + 1 min is raised to that; at most 90 days. */
function timeExpire(value, now) {
  if (value === undefined) return now + 7 * DAY
  const t = parseRfc3339(value)
  if (Number.isNaN(t)) throw new WxError(400, 'PARAM_ERROR', 'time_expire 格式错误，应为 rfc3339 格式，如 2018-06-08T10:34:56+08:00', { location: 'body', field: 'time_expire' })
  if (t > now + 90 * DAY) throw new WxError(400, 'PARAM_ERROR', 'time_expire 超过最长有效期', { location: 'body', field: 'time_expire' })
  return Math.max(t, now + 60_000)
}

export function prepayRoutes(app, { v3, config, store, registry, log, now }) {
  /** The answer for an open order: prepay_id, h5_url or code_url. */
  const answer = (c, kind, prepayId) => {
    const origin = new URL(c.req.url).origin
    if (kind === 'h5') {
      const pkg = BigInt(`0x${createHash('sha256').update(prepayId).digest('hex').slice(0, 12)}`).toString().slice(0, 10)
      return { h5_url: `${origin}/sim/checkmweb?prepay_id=${prepayId}&package=${pkg}` }
    }
    if (kind === 'native') return { code_url: `weixin://wxpay/bizpayurl?pr=${prepayId}` }
    return { prepay_id: prepayId }
  }

  /** Creates the order, or answers again for an identical repeat; `order` is what the store keeps. */
  function place(c, kind, body, order) {
    const at = now()
    const requestDigest = digest({ kind, ...body })
    const existing = store.transactionByTradeNo(order.mchid, order.outTradeNo)
    if (existing) {
      if (isPaid(existing)) throw new WxError(400, 'ORDERPAID', '该订单已支付')
      if (existing.request_digest !== requestDigest) throw new WxError(400, 'INVALID_REQUEST', '请求重入时，参数与首次请求时不一致')
      if (existing.state === 'CLOSED' || (existing.time_expire && existing.time_expire <= at)) throw new WxError(400, 'ORDER_CLOSED', '订单已关闭')
      if (existing.expires_at > at) return { body: answer(c, kind, existing.prepay_id) }
      // The prepay_id expired (2 h) but the order is open: a new one, as WeChat issues.
      const prepayId = newPrepayId(at)
      if (!store.renewPrepay(existing.prepay_id, prepayId, Math.min(at + config.prepayTtlSeconds * 1000, existing.time_expire ?? Infinity))) {
        throw new WxError(400, 'ORDER_CLOSED', '订单已关闭')
      }
      return { body: answer(c, kind, prepayId) }
    }
    if (store.tradeNoClosedBeforeUse(order.mchid, order.outTradeNo)) throw new WxError(400, 'INVALID_REQUEST', '请求重入时，参数与首次请求时不一致')
    const expire = timeExpire(body.time_expire, at)
    const prepayId = newPrepayId(at)
    store.createTransaction({
      ...order, prepayId, api: 'v3', signType: null, tradeType: TRADE_TYPES[kind], description: body.description, amount: body.amount.total,
      notifyUrl: body.notify_url, attach: body.attach ?? null, now: at, requestDigest, timeExpire: expire,
      expiresAt: Math.min(at + config.prepayTtlSeconds * 1000, expire),
    })
    log.info('transaction.state', { out_trade_no: order.outTradeNo, to: 'NOTPAY', api: 'v3', trade_type: TRADE_TYPES[kind] })
    return { body: answer(c, kind, prepayId) }
  }

  for (const kind of Object.keys(TRADE_TYPES)) {
    const directSchema = direct(kind)
    app.post(`/v3/pay/transactions/${kind}`, v3.signed(async (c, m, text) => {
      const o = parse(directSchema, text)
      if (o.mchid !== m.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid 与签名商户号不一致 (mchid is not the signer\'s)', { location: 'body', field: 'mchid' })
      const a = registry.app(o.appid)
      if (!a || a.merchant !== m || a.subMerchant) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配')
      const openid = (kind === 'jsapi' || kind === 'h5') ? o.payer?.openid ?? '' : ''
      return place(c, kind, o, { mchid: m.mchid, appid: o.appid, outTradeNo: o.out_trade_no, openid, payerField: openid ? 'openid' : null })
    }))

    const partnerSchema = partner(kind)
    app.post(`/v3/pay/partner/transactions/${kind}`, v3.signed(async (c, m, text) => {
      const o = parse(partnerSchema, text)
      if (o.sp_mchid !== m.mchid) throw new WxError(400, 'PARAM_ERROR', 'sp_mchid 与签名商户号不一致 (sp_mchid is not the signer\'s)', { location: 'body', field: 'sp_mchid' })
      if (!m.subMerchants.length) throw new WxError(403, 'NO_AUTH', '商户号无服务商权限 (not a service provider)')
      if (o.sp_appid !== m.appId) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'sp_appid和sp_mchid不匹配')
      const sub = registry.subMerchant(m, o.sub_mchid)
      if (!sub) throw new WxError(400, 'INVALID_REQUEST', '受理关系不存在 (sub_mchid is not a sub-merchant of sp_mchid)')
      if (o.sub_appid !== undefined && o.sub_appid !== sub.appId) throw new WxError(400, 'INVALID_REQUEST', 'sub_appid与sub_mchid不匹配')
      if (o.payer?.sub_openid && !o.sub_appid) throw new WxError(400, 'PARAM_ERROR', '传了sub_openid时sub_appid必填，且需与sub_openid对应', { location: 'body', field: 'sub_appid' })
      const payerField = kind === 'jsapi' || kind === 'h5' ? (o.payer?.sub_openid ? 'sub_openid' : o.payer?.sp_openid ? 'sp_openid' : null) : null
      return place(c, kind, o, {
        mchid: sub.mchid, spMchid: m.mchid, appid: o.sp_appid, subAppid: o.sub_appid ?? null, outTradeNo: o.out_trade_no,
        openid: payerField ? o.payer[payerField] : '', payerField,
      })
    }))
  }
}
