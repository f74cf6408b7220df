// API v3 bills, built from the simulator's own transactions and refunds of that Beijing day: the trade bill and
// the fund-flow bill (pay.weixin.qq.com/doc/v3/merchant/4012556654, 4013071254), the service provider's
// sub-merchant fund-flow bill whose files are encrypted (encrypt_key RSA-OAEP to the merchant certificate), and
// the download: a signed GET whose answer is not signed: the client checks SHA-1 of the uncompressed bill.
// CSV as WeChat writes it (docs/merchant/products/bill-download/format-trade.html): UTF-8 with a BOM, a header
// line, every field of every row prefixed with a backtick (values are not quoted: split on ",`"), then the
// summary header and the summary line; yuan with 2 decimals, fees with 5; every line ends in CRLF. (The BOM and
// the line ending are what the SDKs' bill parsers expect, e.g. wechatpay-axios-plugin's castCsvBill.)
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { z } from 'zod'
import { randomId } from '../http.js'
import { beijingDay, beijingToday, v2Time } from './time.js'
import { WxError } from './v3.js'

const BILL_URL_TTL_MS = 5 * 60 * 1000
const BILL_WINDOW_DAYS = 92
// The simulated fee rate: 0.6 %, WeChat's common one. In units of 1e-5 yuan, a fee is 6 × the amount in fen.
const RATE = '0.60%'
const yuan = (fen) => (fen / 100).toFixed(2)
const fee5 = (fen) => ((6 * fen) / 1e5).toFixed(5)

const ALL = ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类',
  '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率',
  '订单金额', '申请退款金额', '费率备注']
const REFUND_COLUMNS = ['微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态']
const HEADERS = {
  ALL,
  SUCCESS: ALL.filter((h) => !REFUND_COLUMNS.includes(h) && h !== '申请退款金额'),
  REFUND: [...ALL.slice(0, ALL.indexOf('微信退款单号')), '退款申请时间', '退款成功时间', ...ALL.slice(ALL.indexOf('微信退款单号'))],
}
const SUMMARY = {
  ALL: ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'],
  SUCCESS: ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额'],
  REFUND: ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'],
}
const FUND_HEADER = ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额(元)', '账户结余(元)', '资金变更提交申请人', '备注', '业务凭证号']
const FUND_SUMMARY = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额']

// WeChat keeps the fund-flow bill's free text on one line: CR and LF become literal \r and \n.
const cell = (v) => `\`${String(v ?? '').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}`
const csv = (header, rows, summaryHeader, summary) =>
  '\uFEFF' + [header.join(','), ...rows.map((r) => r.map(cell).join(',')), summaryHeader.join(','), summary.map(cell).join(',')].join('\r\n') + '\r\n'

/** The trade bill of `bill_type` for `mchid` (and, for a service provider, optionally one sub-merchant). */
export function tradeBill({ store, mchid, from, to, billType, subMchid }) {
  const mine = (t) => (t.sp_mchid ? t.sp_mchid === mchid && (!subMchid || t.mchid === subMchid) : t.mchid === mchid && !subMchid)
  const paid = billType === 'REFUND' ? [] : store.paidBetween(mchid, from, to).filter(mine)
  const refunds = billType === 'SUCCESS' ? [] : store.refundsBetween(mchid, from, to).filter((r) => mine({ ...r, mchid: r.order_mchid }))
  if (!paid.length && !refunds.length) return null
  const base = (t, at, state) => ({
    交易时间: v2Time(at), 公众账号ID: t.appid, 商户号: t.sp_mchid ?? t.mchid, 特约商户号: t.sp_mchid ? (t.order_mchid ?? t.mchid) : '0', 设备号: '',
    微信订单号: t.transaction_id, 商户订单号: t.out_trade_no, 用户标识: t.openid, 交易类型: t.trade_type, 交易状态: state, 付款银行: 'OTHERS', 货币种类: 'CNY',
    代金券金额: '0.00', 商品名称: t.description, 商户数据包: t.attach ?? '', 费率: RATE, 费率备注: '',
  })
  const rows = [
    ...paid.map((t) => ({
      ...base(t, t.paid_at, 'SUCCESS'), 应结订单金额: yuan(t.amount), 微信退款单号: '0', 商户退款单号: '0', 退款金额: '0.00', 充值券退款金额: '0.00',
      退款类型: '', 退款状态: '', 手续费: fee5(t.amount), 订单金额: yuan(t.amount), 申请退款金额: '0.00', _order: t.amount, _refund: 0, _fee: 6 * t.amount,
    })),
    ...refunds.map((r) => ({
      ...base(r, r.success_at, 'REFUND'), 应结订单金额: '0.00', 退款申请时间: v2Time(r.created_at), 退款成功时间: v2Time(r.success_at), 微信退款单号: r.refund_id,
      商户退款单号: r.out_refund_no, 退款金额: yuan(r.amount), 充值券退款金额: '0.00', 退款类型: 'ORIGINAL', 退款状态: 'SUCCESS', 手续费: `-${fee5(r.amount)}`,
      订单金额: '0.00', 申请退款金额: yuan(r.amount), _order: 0, _refund: r.amount, _fee: -6 * r.amount,
    })),
  ]
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0)
  const settled = sum('_order')
  const totals = {
    总交易单数: rows.length, 应结订单总金额: yuan(settled), 退款总金额: yuan(sum('_refund')), 充值券退款总金额: '0.00',
    手续费总金额: (sum('_fee') / 1e5).toFixed(5), 订单总金额: yuan(settled), 申请退款总金额: yuan(sum('_refund')),
  }
  return csv(HEADERS[billType], rows.map((r) => HEADERS[billType].map((h) => r[h])), SUMMARY[billType], SUMMARY[billType].map((h) => totals[h]))
}

/** The fund-flow bill of the BASIC account: each payment in, its fee and each refund out; balance from zero. */
export function fundFlowBill({ store, mchid, from, to, subMchid }) {
  const mine = (t) => (subMchid ? t.sp_mchid === mchid && (t.order_mchid ?? t.mchid) === subMchid : t.mchid === mchid && !t.sp_mchid)
  const entries = [
    ...store.paidBetween(mchid, from, to).filter(mine).flatMap((t) => [
      { at: t.paid_at, id: t.transaction_id, name: '交易', type: '交易', amount: t.amount * 1000, no: t.out_trade_no },
      { at: t.paid_at, id: t.transaction_id, name: '扣除交易手续费', type: '扣除交易手续费', amount: -6 * t.amount, no: t.out_trade_no },
    ]),
    ...store.refundsBetween(mchid, from, to).filter((r) => mine({ ...r, mchid: r.order_mchid })).flatMap((r) => [
      { at: r.success_at, id: r.refund_id, name: '退款', type: '退款', amount: -r.amount * 1000, no: r.out_refund_no },
      { at: r.success_at, id: r.refund_id, name: '退还交易手续费', type: '退还交易手续费', amount: 6 * r.amount, no: r.out_refund_no },
    ]),
  ].sort((a, b) => a.at - b.at)
  if (!entries.length) return null
  // Amounts in units of 1e-5 yuan until printed (yuan, 2 decimals: fees are rounded to the fen).
  let balance = 0
  const y = (units) => (Math.round(units / 1000) / 100).toFixed(2)
  const rows = entries.map((e, i) => {
    balance += e.amount
    return [v2Time(e.at), e.id, `${e.at}${String(i).padStart(6, '0')}`, e.name, e.type, e.amount >= 0 ? '收入' : '支出', y(Math.abs(e.amount)), y(balance), 'system', '', e.no]
  })
  const income = entries.filter((e) => e.amount >= 0)
  const spent = entries.filter((e) => e.amount < 0)
  const total = (l) => y(Math.abs(l.reduce((s, e) => s + e.amount, 0)))
  return csv(FUND_HEADER, rows, FUND_SUMMARY, [entries.length, income.length, total(income), spent.length, total(spent)])
}

const sha1 = (text) => createHash('sha1').update(text).digest('hex')
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd')
const TradeQuery = z.object({ bill_date: date, bill_type: z.enum(['ALL', 'SUCCESS', 'REFUND']).default('ALL'), tar_type: z.literal('GZIP').optional(), sub_mchid: z.string().max(12).optional() })
const FundQuery = z.object({ bill_date: date, account_type: z.enum(['BASIC', 'OPERATION', 'FEES']).default('BASIC'), tar_type: z.literal('GZIP').optional() })
const SubFundQuery = z.object({ sub_mchid: z.string().min(1).max(32), bill_date: date, account_type: z.enum(['BASIC', 'OPERATION', 'FEES']), algorithm: z.literal('AEAD_AES_256_GCM'), tar_type: z.literal('GZIP').optional() })

export function billRoutes(app, { v3, store, registry, now }) {
  const query = (c, schema) => {
    const r = schema.safeParse(c.req.query())
    if (!r.success) {
      const i = r.error.issues[0]
      throw new WxError(400, 'PARAM_ERROR', `参数错误: ${i.path.join('.')}: ${i.message}`, { location: 'query', field: i.path.join('.') })
    }
    return r.data
  }
  /** [from, to) of a bill_date WeChat can bill: not in the future, at most three months back. */
  const day = (billDate) => {
    const range = beijingDay(billDate)
    if (!range) throw new WxError(400, 'PARAM_ERROR', 'bill_date 不是有效日期', { location: 'query', field: 'bill_date' })
    // Deviation: WeChat bills a day from 09:00 the next day; the simulator bills today as well, so far.
    if (billDate > beijingToday(now())) throw new WxError(400, 'PARAM_ERROR', 'bill_date 不能晚于今天', { location: 'query', field: 'bill_date' })
    if (range[0] < now() - BILL_WINDOW_DAYS * 24 * 3600 * 1000) throw new WxError(400, 'PARAM_ERROR', '只能下载三个月以内的账单', { location: 'query', field: 'bill_date' })
    return range
  }
  const subOf = (m, subMchid) => {
    if (subMchid === undefined) return undefined
    if (!registry.subMerchant(m, subMchid)) throw new WxError(400, 'INVALID_REQUEST', '受理关系不存在 (sub_mchid is not a sub-merchant of this service provider)')
    return subMchid
  }
  const noStatement = () => new WxError(400, 'NO_STATEMENT_EXIST', '账单不存在：当日无交易 (no statement for that day)')
  /** Keeps the bill as applied for and answers its digest and download URL. */
  const offer = (c, m, content, { tarType, extra = {} } = {}) => {
    const token = randomId(24)
    store.addBillFile({ token, mchid: m.mchid, content: Buffer.from(content), tarType: tarType ?? null, expiresAt: now() + BILL_URL_TTL_MS })
    const url = `${new URL(c.req.url).origin}/v3/billdownload/file?token=${token}${tarType ? '&tartype=gzip' : ''}`
    return { hash_type: 'SHA1', hash_value: sha1(extra.plaintext ?? content), download_url: url }
  }

  app.get('/v3/bill/tradebill', v3.signed(async (c, m) => {
    const q = query(c, TradeQuery)
    const [from, to] = day(q.bill_date)
    const content = tradeBill({ store, mchid: m.mchid, from, to, billType: q.bill_type, subMchid: subOf(m, q.sub_mchid) })
    if (!content) throw noStatement()
    return { body: offer(c, m, content, { tarType: q.tar_type }) }
  }))

  app.get('/v3/bill/fundflowbill', v3.signed(async (c, m) => {
    const q = query(c, FundQuery)
    const [from, to] = day(q.bill_date)
    const content = q.account_type === 'BASIC' ? fundFlowBill({ store, mchid: m.mchid, from, to }) : null
    if (!content) throw noStatement()
    return { body: offer(c, m, content, { tarType: q.tar_type }) }
  }))

  // The answer carries a sensitive field: encrypt_key, the file's AES key, encrypted to the merchant certificate.
  app.get('/v3/bill/sub-merchant-fundflowbill', v3.signed(async (c, m) => {
    const q = query(c, SubFundQuery)
    if (!m.subMerchants.length) throw new WxError(403, 'NO_AUTH', '商户号无服务商权限 (not a service provider)')
    const [from, to] = day(q.bill_date)
    const content = q.account_type === 'BASIC' ? fundFlowBill({ store, mchid: m.mchid, from, to, subMchid: subOf(m, q.sub_mchid) }) : null
    if (!content) throw noStatement()
    const key = randomId(24) // 32 characters: the AES-256 key
    const nonce = randomBytes(6).toString('hex')
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce))
    const encrypted = Buffer.concat([cipher.update(content, 'utf8'), cipher.final(), cipher.getAuthTag()])
    const file = offer(c, m, encrypted, { extra: { plaintext: content } })
    return {
      body: {
        download_bill_count: 1,
        download_bill_list: [{ bill_sequence: 1, download_url: file.download_url, encrypt_key: registry.encryptToMerchant(m, key), hash_type: 'SHA1', hash_value: file.hash_value, nonce }],
      },
    }
  }))

  app.get('/v3/billdownload/file', v3.signed(async (c, m) => {
    const bill = store.billFile(c.req.query('token') ?? '')
    if (!bill || bill.expires_at <= now()) throw new WxError(400, 'INVALID_REQUEST', '账单下载链接无效或已过期，请重新申请 (the download URL is unknown or expired)')
    if (bill.mchid !== m.mchid) throw new WxError(403, 'NO_AUTH', '无权下载该账单 (the bill belongs to another merchant)')
    const bytes = bill.tar_type === 'GZIP' ? gzipSync(bill.content) : bill.content
    return { raw: c.body(bytes, 200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) }) }
  }))
}
