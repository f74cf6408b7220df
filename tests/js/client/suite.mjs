// The client suite: every operation of createClient and createV2Client against server-stub's WeChat simulator
// over real HTTP, and every way an answer can be wrong against the helper's misbehaving servers (world.mjs).
// Runtime-agnostic: each runner imports the package its own way and calls `runClient(api, { helper })`.
// `scope: 'jsapi'` runs the mini-program payment flow only (browsers, with `sameOrigin`: through the helper);
// `tlsFetch`, when the runtime can present a client certificate, runs the API v2 refund over mutual TLS.

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const bytesOf = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** The day in Beijing time, as bills name it. */
const billDate = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

export async function runClient(api, { helper, scope = 'all', tlsFetch, log = () => {}, runtime = 'js', sameOrigin = false } = {}) {
  const results = []
  const check = (name, ok, info = '') => {
    results.push({ name, ok, info })
    if (!ok) log(`FAIL ${name}${info ? ' — ' + info : ''}`)
  }
  /** Runs `fn`; expects it to throw WechatPayError `code` (with `context`), else records why not. */
  const expectError = async (name, code, fn, context = {}) => {
    try {
      const r = await fn()
      check(name, false, `no error: ${JSON.stringify(r)?.slice(0, 200)}`)
    } catch (e) {
      const ctx = Object.entries(context).every(([k, v]) => (typeof v === 'function' ? v(e[k]) : e[k] === v))
      check(name, api.isWechatPayError(e) && e.code === code && ctx, `${e && e.code} ${e && e.message}`)
    }
  }
  const step = async (name, fn) => {
    try {
      return await fn()
    } catch (e) {
      check(name, false, `${e && e.code} ${e && e.message} ${e && e.stack ? e.stack.split('\n').slice(1, 3).join(' ') : ''}`)
      return undefined
    }
  }

  const config = await (await fetch(`${helper}/config`)).json()
  // browsers reach the simulator through the helper, from their own origin (cross-origin, the Wechatpay-* headers
  // are not exposed to scripts, and every answer would be refused as unsigned)
  const sim = sameOrigin ? helper : config.simulator
  const m = config.merchant
  const p = config.partner
  const run = `${runtime.replace(/\W/g, '').slice(-8)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.slice(-20)
  let seq = 0
  const tradeNo = () => `T${run}${(seq++).toString(36)}`.slice(0, 32)
  const notifyUrl = (tag) => `${config.helper}/notify/${tag}`
  const json = async (url, body) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: res.status, body: await res.json() }
  }
  const login = async (appId, appSecret, user) => {
    const { body } = await json(`${sim}/sim/wx/login`, { user })
    const url = api.code2SessionUrl({ baseUrl: sim, appId, secret: appSecret, code: body.code })
    return api.parseCode2Session(await (await fetch(url)).text())
  }
  const notificationsOf = async (tag, count = 1) => {
    for (let i = 0; i < 400; i++) {
      const list = await (await fetch(`${config.helper}/notifications/${tag}`)).json()
      if (list.length >= count) return list
      await sleep(25)
    }
    return []
  }

  const clientFor = (merchant, options = {}) => api.createClient({
    mchid: merchant.mchid, serialNo: merchant.merchantSerialNo, privateKey: merchant.merchantPrivateKey,
    keys: { [merchant.wechatpayPublicKeyId]: merchant.wechatpayPublicKey }, apiV3Key: merchant.apiV3Key,
    appid: merchant.appId, baseUrl: sim, ...options,
  })
  const client = clientFor(m)
  const user = `u${run}`
  const order = (out_trade_no, tag, extra = {}) => ({
    description: '香皂', out_trade_no, notify_url: notifyUrl(tag), amount: { total: 888, currency: 'CNY' }, ...extra,
  })

  // ---- the mini-program flow: login, prepay, pay, notification, query, refund, close
  const openid = (await step('jsapi: login at the simulator', () => login(m.appId, m.appSecret, user)))?.openid
  const paidNo = tradeNo()
  const prepay = await step('jsapi: prepayJsapi', () => client.prepayJsapi(order(paidNo, paidNo, { payer: { openid } })))
  check('jsapi: prepayId and the requestPayment params, signed for the order\'s appid', !!prepay &&
    /^wx\w+$/.test(prepay.prepayId) && prepay.appId === m.appId && prepay.payParams.package === `prepay_id=${prepay.prepayId}` &&
    prepay.payParams.signType === 'RSA' && /^\d{10}$/.test(prepay.payParams.timeStamp))
  const paid = await step('jsapi: the cashier accepts the params', () => json(`${sim}/sim/cashier/confirm`, { ...prepay.payParams, payer: user }))
  check('jsapi: wx.requestPayment:ok at the cashier', paid?.body?.errMsg === 'requestPayment:ok', JSON.stringify(paid?.body))
  const [delivered] = await notificationsOf(paidNo)
  const notice = delivered && await step('jsapi: verifyNotification', () => client.verifyNotification({ headers: delivered.headers, body: delivered.body }))
  check('jsapi: the payment notification verifies and decrypts', notice?.eventType === 'TRANSACTION.SUCCESS' &&
    notice.resource.out_trade_no === paidNo && notice.resource.amount.total === 888)
  const tx = await step('jsapi: queryOrder by out_trade_no', () => client.queryOrder({ out_trade_no: paidNo }))
  check('jsapi: queryOrder says SUCCESS, with its transaction_id', tx?.trade_state === 'SUCCESS' && /^\d{28}$/.test(tx.transaction_id) &&
    tx.mchid === m.mchid && tx.amount.total === 888)
  if (scope === 'jsapi') return finish(results)

  const byId = await step('queryOrder by transaction_id', () => client.queryOrder({ transaction_id: tx.transaction_id }))
  check('queryOrder by transaction_id: the same order', byId?.out_trade_no === paidNo && byId.trade_state === 'SUCCESS')

  const outRefundNo = `R${paidNo}`.slice(0, 64)
  const refund = await step('refund', () => client.refund({
    out_trade_no: paidNo, out_refund_no: outRefundNo, reason: '测试', notify_url: notifyUrl(outRefundNo), amount: { refund: 100, total: 888, currency: 'CNY' },
  }))
  check('refund: accepted, about this refund', refund?.status === 'PROCESSING' && refund.out_refund_no === outRefundNo && refund.amount.refund === 100)
  const again = await step('refund: the same out_refund_no again', () => client.refund({
    out_trade_no: paidNo, out_refund_no: outRefundNo, reason: '测试', notify_url: notifyUrl(outRefundNo), amount: { refund: 100, total: 888, currency: 'CNY' },
  }))
  check('refund: retried with the same out_refund_no, the same refund', again?.refund_id === refund?.refund_id)
  const refunded = await step('queryRefund', () => client.queryRefund({ out_refund_no: outRefundNo }))
  check('queryRefund: SUCCESS', refunded?.status === 'SUCCESS' && refunded.refund_id === refund?.refund_id)
  const [refundDelivery] = await notificationsOf(outRefundNo)
  const refundNotice = refundDelivery && await step('refund notification', () => client.verifyNotification(refundDelivery))
  check('refund notification: REFUND.SUCCESS for this refund', refundNotice?.eventType === 'REFUND.SUCCESS' && refundNotice.resource.out_refund_no === outRefundNo)
  await expectError('refund: another amount under the same out_refund_no is WeChat\'s INVALID_REQUEST', 'ERR_WECHAT',
    () => client.refund({ out_trade_no: paidNo, out_refund_no: outRefundNo, amount: { refund: 200, total: 888, currency: 'CNY' } }),
    { status: 400, wechatCode: 'INVALID_REQUEST', verified: true })

  const openNo = tradeNo()
  await step('close: prepay an order to close', () => client.prepayJsapi(order(openNo, openNo, { payer: { openid } })))
  const closed = await step('closeOrder', () => client.closeOrder({ out_trade_no: openNo }))
  check('closeOrder: resolves nothing (204)', closed === undefined)
  check('closeOrder: the order is CLOSED', (await step('query closed', () => client.queryOrder({ out_trade_no: openNo })))?.trade_state === 'CLOSED')
  await expectError('closeOrder of a paid order: ERR_WECHAT ORDERPAID', 'ERR_WECHAT', () => client.closeOrder({ out_trade_no: paidNo }),
    { wechatCode: 'ORDERPAID', verified: true, requestId: (v) => typeof v === 'string' && v.length > 0 })
  await expectError('queryOrder of an order never placed: ERR_WECHAT 404 ORDER_NOT_EXIST', 'ERR_WECHAT',
    () => client.queryOrder({ out_trade_no: tradeNo() }), { status: 404, wechatCode: 'ORDER_NOT_EXIST' })

  // ---- APP, H5, Native
  const appNo = tradeNo()
  const app = await step('prepayApp', () => client.prepayApp(order(appNo, appNo)))
  check('prepayApp: the APP params, prepayid bare, package Sign=WXPay', app?.payParams.prepayid === app?.prepayId &&
    app.payParams.partnerid === m.mchid && app.payParams.package === 'Sign=WXPay' && app.payParams.appid === m.appId)
  const appPaid = await step('APP: the simulated OpenSDK accepts the params', () => json(`${sim}/sim/cashier/app`, { ...app.payParams, payer: user }))
  check('APP: paid (errCode 0)', appPaid?.body?.errCode === 0, JSON.stringify(appPaid?.body))
  check('APP: the order is paid', (await step('APP query', () => client.queryOrder({ out_trade_no: appNo })))?.trade_state === 'SUCCESS')

  const h5No = tradeNo()
  const h5 = await step('prepayH5', () => client.prepayH5(order(h5No, h5No, { scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } })))
  check('prepayH5: h5_url', typeof h5?.h5Url === 'string' && h5.h5Url.includes('prepay_id='))
  const h5Paid = await step('H5: paid at the cashier', () => json(`${sim}/sim/cashier/h5`, { h5_url: h5.h5Url, payer: user }))
  check('H5: paid', h5Paid?.status === 200, JSON.stringify(h5Paid?.body))

  const nativeNo = tradeNo()
  const native = await step('prepayNative', () => client.prepayNative(order(nativeNo, nativeNo)))
  check('prepayNative: weixin:// code_url', /^weixin:\/\/wxpay\/bizpayurl\?pr=/.test(native?.codeUrl ?? ''))
  const nativePaid = await step('Native: paid by scanning', () => json(`${sim}/sim/cashier/native`, { code_url: native.codeUrl, payer: user }))
  check('Native: paid', nativePaid?.status === 200, JSON.stringify(nativePaid?.body))
  check('Native: the order is paid', (await step('Native query', () => client.queryOrder({ out_trade_no: nativeNo })))?.trade_state === 'SUCCESS')

  // ---- request(): any call
  const raw = await step('request: GET a transaction', () => client.request({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${paidNo}`, query: { mchid: m.mchid } }))
  check('request: status, data, requestId', raw?.status === 200 && raw.data.out_trade_no === paidNo && typeof raw.requestId === 'string')
  await expectError('request: a 404 is ERR_WECHAT with WeChat\'s code, message, status, requestId', 'ERR_WECHAT',
    () => client.request({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${tradeNo()}`, query: { mchid: m.mchid } }),
    { status: 404, wechatCode: 'ORDER_NOT_EXIST', wechatMessage: (v) => typeof v === 'string' && v.length > 0, verified: true })
  await expectError('request: PARAM_ERROR keeps WeChat\'s detail', 'ERR_WECHAT',
    () => client.request({ method: 'POST', path: '/v3/pay/transactions/jsapi', body: { appid: m.appId, mchid: m.mchid } }),
    { status: 400, wechatCode: 'PARAM_ERROR', detail: (d) => d !== null && typeof d === 'object' })

  // ---- bills: applied, downloaded (gzip or not), digest checked, parsed
  const trade = await step('tradeBill (GZIP)', () => client.tradeBill({ bill_date: billDate(), bill_type: 'ALL', tar_type: 'GZIP' }))
  const mine = trade?.rows.filter((r) => r.out_trade_no === paidNo) ?? []
  check('tradeBill: the paid order\'s payment and refund rows, amounts in fen', mine.length === 2 &&
    mine.some((r) => r.trade_state === 'SUCCESS' && r.total === 888 && Number.isInteger(r.fee_milli_fen)) &&
    mine.some((r) => r.trade_state === 'REFUND' && r.refund === 100 && r.out_refund_no === outRefundNo), JSON.stringify(mine).slice(0, 300))
  check('tradeBill: totals count the rows', trade?.totals.count === trade?.rows.length && Number.isInteger(trade.totals.total))
  const refundBill = await step('tradeBill REFUND (not compressed)', () => client.tradeBill({ bill_date: billDate(), bill_type: 'REFUND' }))
  check('tradeBill REFUND: 退款申请时间 and 退款成功时间 columns', refundBill?.rows.some((r) => r.out_refund_no === outRefundNo &&
    typeof r.refund_apply_time === 'string' && typeof r.refund_success_time === 'string'))
  const fund = await step('fundFlowBill', () => client.fundFlowBill({ bill_date: billDate(), account_type: 'BASIC', tar_type: 'GZIP' }))
  check('fundFlowBill: income rows in fen, totals', fund?.rows.some((r) => r.direction === '收入' && r.amount === 888) &&
    fund.totals.count === fund.rows.length)
  const applied = await step('applyTradeBill', () => client.applyTradeBill({ bill_date: billDate() }))
  check('applyTradeBill: SHA1 and a download_url on the simulator', applied?.hash_type === 'SHA1' && /^[0-9a-f]{40}$/.test(applied.hash_value) &&
    applied.download_url.startsWith(sim))
  const file = applied && await step('downloadBill', () => client.downloadBill(applied))
  check('downloadBill: the bytes whose SHA-1 is hash_value', !!file && hex(new Uint8Array(await crypto.subtle.digest('SHA-1', file))) === applied.hash_value)
  check('parseTradeBill: the downloaded bytes parse', api.parseTradeBill(file).rows.length === trade?.rows.length)
  await expectError('downloadBill: a hash_value that is not the file\'s', 'ERR_DIGEST_MISMATCH',
    () => client.downloadBill({ ...applied, hash_value: '0'.repeat(40) }), { expected: '0'.repeat(40), actual: applied?.hash_value })
  await expectError('downloadBill: a download_url on another host is never fetched', 'ERR_MALFORMED_MESSAGE',
    () => client.downloadBill({ ...applied, download_url: 'https://evil.example/v3/billdownload/file?token=x' }), { field: 'download_url' })
  await expectError('applyTradeBill: a day without activity is NO_STATEMENT_EXIST', 'ERR_WECHAT',
    () => client.applyTradeBill({ bill_date: new Date(Date.now() - 40 * 86400000).toISOString().slice(0, 10) }), { wechatCode: 'NO_STATEMENT_EXIST' })

  // ---- media
  const png = bytesOf(PNG_1X1)
  let sent
  const capturing = clientFor(m, { fetch: async (url, init) => { sent = { url, init }; return fetch(url, init) } })
  const media = await step('uploadMedia', () => capturing.uploadMedia({ filename: 'soap.png', file: png }))
  check('uploadMedia: media_id', typeof media?.media_id === 'string' && media.media_id.length > 0)
  const form = sent && await new Response(sent.init.body, { headers: { 'content-type': sent.init.headers['Content-Type'] } }).formData()
  const meta = form && JSON.parse(await (typeof form.get('meta') === 'string' ? form.get('meta') : form.get('meta').text()))
  const part = form?.get('file')
  check('uploadMedia: the runtime\'s multipart parser reads meta (filename, sha256 of the file) and the part file',
    meta?.filename === 'soap.png' && meta.sha256 === hex(new Uint8Array(await crypto.subtle.digest('SHA-256', png))) &&
    !!part && hex(new Uint8Array(await part.arrayBuffer())) === hex(png))
  await expectError('uploadMedia: a PNG named .jpg is refused by WeChat', 'ERR_WECHAT', () => client.uploadMedia({ filename: 'soap.jpg', file: png }),
    { status: 400, wechatCode: 'PARAM_ERROR' })

  // ---- sensitive fields: encrypted for WeChat (abnormal refund), decrypted from WeChat (sub-merchant bill key)
  await step('quirk refund-abnormal on', () => json(`${sim}/sim/merchants/${m.mchid}/settings`, { quirks: ['refund-abnormal'] }))
  try {
    const abnormalNo = `A${paidNo}`.slice(0, 64)
    const abnormal = await step('refund that ends ABNORMAL', () => client.refund({ out_trade_no: paidNo, out_refund_no: abnormalNo, amount: { refund: 1, total: 888, currency: 'CNY' } }))
    check('refund: ABNORMAL once queried', (await step('queryRefund abnormal', () => client.queryRefund({ out_refund_no: abnormalNo })))?.status === 'ABNORMAL')
    const applied2 = await step('apply-abnormal-refund with encrypted bank_account and real_name', async () => client.request({
      method: 'POST', path: `/v3/refund/domestic/refunds/${abnormal.refund_id}/apply-abnormal-refund`,
      body: { out_refund_no: abnormalNo, type: 'USER_BANK_CARD', bank_type: 'ICBC_DEBIT', bank_account: await client.encrypt('6222021234567890'), real_name: await client.encrypt('张三') },
    }))
    check('encrypt: WeChat decrypts the fields (the account\'s last 4 digits come back)', applied2?.status === 200 &&
      (await step('queryRefund after', () => client.queryRefund({ out_refund_no: abnormalNo })))?.user_received_account?.includes('7890'))
  } finally {
    await json(`${sim}/sim/merchants/${m.mchid}/settings`, { quirks: [] })
  }
  // ---- partner (服务商): sp_/sub_ fields, partner endpoints, requestPayment signed with the paying app
  const partnerClient = clientFor(p, { partner: true })
  const subUser = await step('partner: login in the sub-merchant\'s mini program', () => login(p.subAppId, p.subAppSecret, user))
  const spUser = await step('partner: login in the service provider\'s mini program', () => login(p.appId, p.appSecret, user))
  const subNo = tradeNo()
  const subOrder = { sub_mchid: p.subMchid, sub_appid: p.subAppId, ...order(subNo, subNo, { payer: { sub_openid: subUser?.openid } }) }
  const sp = await step('partner prepayJsapi (sub_openid)', () => partnerClient.prepayJsapi(subOrder))
  check('partner: paid in the sub-merchant\'s app, paySign is for sub_appid', sp?.appId === p.subAppId)
  const spPaid = await step('partner: the cashier accepts', () => json(`${sim}/sim/cashier/confirm`, { ...sp.payParams, payer: user }))
  check('partner: requestPayment:ok', spPaid?.body?.errMsg === 'requestPayment:ok', JSON.stringify(spPaid?.body))
  const subTx = await step('partner queryOrder', () => partnerClient.queryOrder({ out_trade_no: subNo, sub_mchid: p.subMchid }))
  check('partner queryOrder: sp_mchid and sub_mchid, SUCCESS', subTx?.sp_mchid === p.mchid && subTx.sub_mchid === p.subMchid && subTx.trade_state === 'SUCCESS')
  const subRefund = await step('partner refund', () => partnerClient.refund({ sub_mchid: p.subMchid, transaction_id: subTx.transaction_id, out_refund_no: `R${subNo}`, amount: { refund: 888, total: 888, currency: 'CNY' } }))
  check('partner refund: accepted', subRefund?.out_refund_no === `R${subNo}`)
  check('partner queryRefund: SUCCESS', (await step('partner queryRefund', () => partnerClient.queryRefund({ out_refund_no: `R${subNo}`, sub_mchid: p.subMchid })))?.status === 'SUCCESS')
  // a sensitive field out: the sub-merchant's fund-flow bill key, encrypted to the merchant certificate
  const subBill = await step('sub-merchant fund-flow bill: encrypt_key to the merchant certificate', () => partnerClient.request({
    method: 'GET', path: '/v3/bill/sub-merchant-fundflowbill', query: { sub_mchid: p.subMchid, bill_date: billDate(), account_type: 'BASIC', algorithm: 'AEAD_AES_256_GCM' },
  }))
  const encryptKey = subBill?.data?.download_bill_list?.[0]?.encrypt_key
  const decrypted = encryptKey && await step('decrypt', () => partnerClient.decrypt(encryptKey))
  check('decrypt: the bill\'s AES key (32 characters) from RSA-OAEP', typeof decrypted === 'string' && decrypted.length === 32, String(decrypted))
  await expectError('decrypt: a field encrypted to another key', 'ERR_DECRYPT_FAILED', () => client.decrypt(encryptKey ?? 'x'))
  await expectError('decrypt: not base64 of an RSA block', 'ERR_DECRYPT_FAILED', () => client.decrypt('bm90IGEgYmxvY2s='))
  // the same bill as one call: its key decrypted, the file decrypted (AES-256-GCM), its digest checked, parsed
  const subQuery = { sub_mchid: p.subMchid, bill_date: billDate(), account_type: 'BASIC' }
  const subFund = await step('subMerchantFundFlowBill', () => partnerClient.subMerchantFundFlowBill(subQuery))
  check('subMerchantFundFlowBill: the sub-merchant\'s income row in fen, totals', subFund?.rows.some((r) => r.direction === '收入' && r.amount === 888) &&
    subFund.totals.count === subFund.rows.length, JSON.stringify(subFund?.rows?.slice(0, 2)))
  const subFiles = await step('applySubMerchantFundFlowBill', () => partnerClient.applySubMerchantFundFlowBill(subQuery))
  const oneFile = await step('downloadSubMerchantBill', () => partnerClient.downloadSubMerchantBill(subFiles))
  // two applies: the same bill under two download URLs; listed second, the first part must be fetched first
  const laterFiles = await step('applySubMerchantFundFlowBill again', () => partnerClient.applySubMerchantFundFlowBill(subQuery))
  const fetched = []
  const recording = clientFor(p, { partner: true, fetch: (url, init) => { fetched.push(String(url)); return fetch(url, init) } })
  const twoFiles = subFiles && laterFiles && await step('downloadSubMerchantBill: two files joined in bill_sequence order',
    () => recording.downloadSubMerchantBill([{ ...laterFiles[0], bill_sequence: 2 }, subFiles[0]]))
  check('downloadSubMerchantBill: the files fetched and joined in bill_sequence order, not as listed', oneFile?.length > 0 &&
    twoFiles?.length === 2 * oneFile.length && hex(twoFiles.subarray(oneFile.length)) === hex(oneFile) &&
    fetched.length === 2 && fetched[0] === subFiles[0].download_url && fetched[1] === laterFiles[0].download_url, JSON.stringify(fetched))
  const subFile = subFiles?.[0] ?? {}
  await expectError('downloadSubMerchantBill: another nonce', 'ERR_DECRYPT_FAILED', () => partnerClient.downloadSubMerchantBill([{ ...subFile, nonce: subFile.nonce + 'x' }]))
  await expectError('downloadSubMerchantBill: another hash_value', 'ERR_DIGEST_MISMATCH',
    () => partnerClient.downloadSubMerchantBill([{ ...subFile, hash_value: '0'.repeat(40) }]))
  await expectError('downloadSubMerchantBill: a key encrypted to another merchant\'s certificate', 'ERR_DECRYPT_FAILED', () => client.downloadSubMerchantBill([subFile]))
  await expectError('downloadSubMerchantBill: a gap in bill_sequence', 'ERR_MALFORMED_MESSAGE', () => partnerClient.downloadSubMerchantBill([{ ...subFile, bill_sequence: 2 }]), { field: 'bill_sequence' })
  await expectError('downloadSubMerchantBill: a download_url elsewhere', 'ERR_MALFORMED_MESSAGE',
    () => partnerClient.downloadSubMerchantBill([{ ...subFile, download_url: 'https://evil.example/v3/billdownload/file?token=x' }]), { field: 'download_url' })
  await expectError('downloadSubMerchantBill: a byte of the file changed', 'ERR_DECRYPT_FAILED',
    () => clientFor(p, { partner: true, baseUrl: config.bad.digest }).subMerchantFundFlowBill(subQuery))
  await expectError('applySubMerchantFundFlowBill: another algorithm', 'ERR_INVALID_INPUT',
    () => partnerClient.applySubMerchantFundFlowBill({ ...subQuery, algorithm: 'SM4' }), { field: 'algorithm' })
  await expectError('applySubMerchantFundFlowBill: not a service provider', 'ERR_WECHAT', () => client.applySubMerchantFundFlowBill(subQuery), { status: 403, wechatCode: 'NO_AUTH', verified: true })

  const spNo = tradeNo()
  const spPrepay = await step('partner prepayJsapi (sp_openid)', () => partnerClient.prepayJsapi({ sub_mchid: p.subMchid, ...order(spNo, spNo, { payer: { sp_openid: spUser?.openid } }) }))
  check('partner: paid in the service provider\'s app, paySign is for sp_appid', spPrepay?.appId === p.appId)
  check('partner: the cashier accepts the sp_appid params', (await step('partner sp cashier', () => json(`${sim}/sim/cashier/confirm`, { ...spPrepay.payParams, payer: user })))?.body?.errMsg === 'requestPayment:ok')
  const spOpen = tradeNo()
  await step('partner: an order to close', () => partnerClient.prepayNative({ sub_mchid: p.subMchid, ...order(spOpen, spOpen) }))
  await step('partner closeOrder', () => partnerClient.closeOrder({ out_trade_no: spOpen, sub_mchid: p.subMchid }))
  check('partner closeOrder: CLOSED', (await step('partner query closed', () => partnerClient.queryOrder({ out_trade_no: spOpen, sub_mchid: p.subMchid })))?.trade_state === 'CLOSED')
  await expectError('partner: both sp_openid and sub_openid is ambiguous', 'ERR_INVALID_INPUT',
    () => partnerClient.prepayJsapi({ ...subOrder, out_trade_no: tradeNo(), payer: { sp_openid: 'a', sub_openid: 'b' } }), { field: 'payer' })
  await expectError('partner: sub_openid without sub_appid', 'ERR_INVALID_INPUT',
    () => partnerClient.prepayJsapi({ ...subOrder, sub_appid: undefined, out_trade_no: tradeNo() }), { field: 'sub_appid' })
  await expectError('partner: a query without sub_mchid', 'ERR_INVALID_INPUT', () => partnerClient.queryOrder({ out_trade_no: subNo }), { field: 'sub_mchid' })
  await expectError('partner: an answer about another sub-merchant\'s order is another merchant\'s', 'ERR_WECHAT',
    () => partnerClient.queryOrder({ out_trade_no: subNo, sub_mchid: '1900000000' }))

  // ---- platform certificates: a merchant not on public keys
  await step('key mode certificate', () => json(`${sim}/sim/merchants/${m.mchid}/settings`, { keyMode: 'certificate' }))
  try {
    let certificateCalls = 0
    let via = null // another server to send the calls to (the path, which is signed, stays)
    const counting = async (url, init) => {
      if (String(url).includes('/v3/certificates')) certificateCalls++
      return fetch(via ? via + new URL(url).pathname + new URL(url).search : url, init)
    }
    const certClient = api.createClient({ mchid: m.mchid, serialNo: m.merchantSerialNo, privateKey: m.merchantPrivateKey, apiV3Key: m.apiV3Key, appid: m.appId, baseUrl: sim, fetch: counting })
    await expectError('certificates: before refreshCertificates, nothing verifies (and nothing is fetched)', 'ERR_UNKNOWN_SERIAL',
      () => certClient.queryOrder({ out_trade_no: paidNo }))
    check('certificates: an unknown serial fetched nothing', certificateCalls === 0)
    const certs = await step('refreshCertificates', () => certClient.refreshCertificates())
    check('refreshCertificates: the platform certificate, by serial', certs?.length >= 1 && certs.some((c) => c.serialNo.toUpperCase() === m.platformSerialNo.toUpperCase()), JSON.stringify(certs))
    check('certificates: answers signed by the platform certificate now verify',
      (await step('query with certificates', () => certClient.queryOrder({ out_trade_no: paidNo })))?.trade_state !== undefined)
    const certNo = tradeNo()
    const certPay = await step('certificates: prepay', () => certClient.prepayJsapi(order(certNo, certNo, { payer: { openid } })))
    await step('certificates: pay', () => json(`${sim}/sim/cashier/confirm`, { ...certPay.payParams, payer: user }))
    const [certNotice] = await notificationsOf(certNo)
    check('certificates: a notification signed by the platform certificate verifies',
      (await step('certificates: verifyNotification', () => certClient.verifyNotification(certNotice)))?.resource?.out_trade_no === certNo)
    await expectError('certificates: a public-key client refuses the certificate-signed answers', 'ERR_UNKNOWN_SERIAL',
      () => client.queryOrder({ out_trade_no: paidNo }), { serial: (s) => s?.toUpperCase() === m.platformSerialNo.toUpperCase() })
    for (const [server, codes] of [['tamper', ['ERR_SIGNATURE_MISMATCH', 'ERR_DECRYPT_FAILED']], ['unsigned', ['ERR_MISSING_HEADER']], ['unsigned5xx', ['ERR_WECHAT']]]) {
      via = config.bad[server]
      try {
        await certClient.refreshCertificates()
        check(`refreshCertificates against ${server}: refused`, false)
      } catch (e) {
        check(`refreshCertificates against ${server}: refused`, codes.includes(e.code), `${e.code} ${e.message}`)
      } finally {
        via = null
      }
      check(`refreshCertificates against ${server}: the certificates in use stay`,
        (await step('query after a failed refresh', () => certClient.queryOrder({ out_trade_no: paidNo })))?.out_trade_no === paidNo)
    }
    // the set must be signed by one of its own certificates: a signature by another key the client trusts is not
    // WeChat vouching for this set
    const trusting = clientFor(m, { baseUrl: config.bad.resign })
    check('resign: the proxy\'s answers verify with the WeChat Pay public key', !!(await step('resign query', () => trusting.queryOrder({ out_trade_no: paidNo }))))
    await expectError('refreshCertificates: a set signed by another trusted key, not by one it carries', 'ERR_UNKNOWN_SERIAL',
      () => trusting.refreshCertificates(), { serial: m.wechatpayPublicKeyId })
    const before = certificateCalls
    const stop = certClient.startCertificateRefresh({ intervalMs: 1000, onError: (e) => log(`refresh error ${e.code}`) })
    for (let i = 0; i < 200 && certificateCalls === before; i++) await sleep(25)
    stop()
    const after = certificateCalls
    await sleep(1300)
    check('startCertificateRefresh: refreshes on its interval, and stops', after > before && certificateCalls === after, `${before} ${after} ${certificateCalls}`)
  } finally {
    await json(`${sim}/sim/merchants/${m.mchid}/settings`, { keyMode: 'public-key' })
  }
  await expectError('refreshCertificates: a merchant on public keys gets WeChat\'s 404', 'ERR_WECHAT', () => client.refreshCertificates(),
    { status: 404, wechatCode: 'RESOURCE_NOT_EXISTS' })

  // ---- answers bound to their request: a genuine answer about another order, replayed
  const replayClient = clientFor(m, { baseUrl: config.bad.replay })
  const unpaidNo = tradeNo()
  await step('replay: an unpaid order', () => client.prepayJsapi(order(unpaidNo, unpaidNo, { payer: { openid } })))
  await fetch(`${config.bad.replay}/__record`, { method: 'POST' })
  const genuine = await step('replay: a genuine answer about the paid order', () => replayClient.queryOrder({ out_trade_no: paidNo }))
  check('replay: the recorded answer is genuine and verifies', genuine?.out_trade_no === paidNo)
  await fetch(`${config.bad.replay}/__replay`, { method: 'POST' })
  await expectError('replay: the paid order\'s signed answer, replayed for the unpaid one, is refused', 'ERR_ANSWER_MISMATCH',
    () => replayClient.queryOrder({ out_trade_no: unpaidNo }), { field: 'out_trade_no', expected: unpaidNo, actual: paidNo })
  await expectError('replay: ... and by transaction_id', 'ERR_ANSWER_MISMATCH', () => replayClient.queryOrder({ transaction_id: '4200000000000000000000000000' }),
    { field: 'transaction_id' })
  await expectError('replay: a transaction answer replayed for a refund', 'ERR_MALFORMED_MESSAGE', () => replayClient.queryRefund({ out_refund_no: outRefundNo }))
  await fetch(`${config.bad.replay}/__record`, { method: 'POST' })
  await step('replay: record a refund answer', () => replayClient.queryRefund({ out_refund_no: outRefundNo }))
  await fetch(`${config.bad.replay}/__replay`, { method: 'POST' })
  await expectError('replay: a refund answer replayed for another refund', 'ERR_ANSWER_MISMATCH',
    () => replayClient.refund({ out_trade_no: paidNo, out_refund_no: `X${paidNo}`, amount: { refund: 1, total: 888, currency: 'CNY' } }), { field: 'out_refund_no' })
  const otherMerchant = clientFor(p, { baseUrl: config.bad.replay, keys: { [m.wechatpayPublicKeyId]: m.wechatpayPublicKey } })
  await fetch(`${config.bad.replay}/__record`, { method: 'POST' })
  await step('replay: record a transaction', () => replayClient.queryOrder({ out_trade_no: paidNo }))
  await fetch(`${config.bad.replay}/__replay`, { method: 'POST' })
  await expectError('replay: an answer about another merchant\'s order', 'ERR_MERCHANT_MISMATCH', () => otherMerchant.queryOrder({ out_trade_no: paidNo }), { field: 'mchid' })
  check('replay: the unpaid order is still unpaid', (await step('unpaid query', () => client.queryOrder({ out_trade_no: unpaidNo })))?.trade_state === 'NOTPAY')

  // ---- every operation against each way an answer can be wrong; nothing half-done
  const operations = {
    prepayJsapi: (c) => c.prepayJsapi(order(tradeNo(), 'x', { payer: { openid } })),
    queryOrder: (c) => c.queryOrder({ out_trade_no: paidNo }),
    closeOrder: (c) => c.closeOrder({ out_trade_no: unpaidNo }),
    refund: (c) => c.refund({ out_trade_no: paidNo, out_refund_no: outRefundNo, reason: '测试', notify_url: notifyUrl(outRefundNo), amount: { refund: 100, total: 888, currency: 'CNY' } }),
    queryRefund: (c) => c.queryRefund({ out_refund_no: outRefundNo }),
    applyTradeBill: (c) => c.applyTradeBill({ bill_date: billDate() }),
    uploadMedia: (c) => c.uploadMedia({ filename: 'soap.png', file: png }),
    request: (c) => c.request({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${paidNo}`, query: { mchid: m.mchid } }),
  }
  // a short limit only where nothing ever answers: the proxies wait on the simulator, however busy the machine is
  const bad = (name, options = {}) => clientFor(m, { baseUrl: config.bad[name], timeoutMs: ['silent', 'stalled'].includes(name) ? 400 : 10000, ...options })
  const cases = [
    ['tamper', 'ERR_SIGNATURE_MISMATCH', {}],
    ['unsigned', 'ERR_MISSING_HEADER', { header: 'Wechatpay-Timestamp' }],
    ['unsigned5xx', 'ERR_WECHAT', { status: 500, wechatCode: 'SYSTEM_ERROR', verified: false }],
    ['html', 'ERR_WECHAT', { status: 502, verified: false, wechatCode: undefined }],
    ['nonJson', 'ERR_MALFORMED_JSON', {}],
    ['silent', 'ERR_TIMEOUT', { timeoutMs: 400 }],
    ['stalled', 'ERR_TIMEOUT', { timeoutMs: 400 }],
    ['reset', 'ERR_NETWORK', { cause: (c) => c !== undefined }],
    ['closed', 'ERR_NETWORK', {}],
    // a redirect is not an answer: never followed (it would carry the signed request, and on some runtimes
    // the Authorization header, to another origin)
    ['redirect', 'ERR_WECHAT', { status: 307, verified: false }],
  ]
  for (const [server, code, context] of cases) {
    const c = bad(server)
    for (const [op, fn] of Object.entries(operations)) {
      // close answers 204: its tampered form is a changed nonce; a 204 has no body to be non-JSON
      if (server === 'nonJson' && (op === 'closeOrder' || op === 'request')) continue
      await expectError(`${server}: ${op}`, code, () => fn(c), context)
    }
  }
  await expectError('nonJson: request', 'ERR_MALFORMED_JSON', () => bad('nonJson').request({ method: 'GET', path: '/v3/x' }))
  await expectError('redirect: a bill file redirected to another origin is not fetched there', 'ERR_WECHAT',
    () => clientFor(m, { baseUrl: config.bad.billRedirect }).tradeBill({ bill_date: billDate() }), { verified: false })
  await expectError('redirect: v2 orderQuery', 'ERR_WECHAT', () => api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: config.bad.redirect })
    .orderQuery({ out_trade_no: paidNo }))
  const sinkHits = await (await fetch(`${config.bad.sink}/__hits`)).json()
  check('redirect: the other origin was never asked anything', sinkHits === 0, `${sinkHits} requests reached it`)
  const digestClient = clientFor(m, { baseUrl: config.bad.digest })
  await expectError('wrong digest: tradeBill', 'ERR_DIGEST_MISMATCH', () => digestClient.tradeBill({ bill_date: billDate() }))
  await expectError('wrong digest: gzip tradeBill (a byte of the gzip changed)', 'ERR_MALFORMED_MESSAGE',
    () => digestClient.tradeBill({ bill_date: billDate(), tar_type: 'GZIP' }))
  await expectError('wrong digest: fundFlowBill', 'ERR_DIGEST_MISMATCH', () => digestClient.fundFlowBill({ bill_date: billDate() }))
  check('after the negatives: the order refunded once, its refund intact',
    (await step('refund intact', () => client.queryRefund({ out_refund_no: outRefundNo })))?.amount?.refund === 100)

  // ---- arguments refused before anything is signed or sent
  let asked = 0
  const counting = clientFor(m, { fetch: (url, init) => { asked++; return fetch(url, init) } })
  for (const [name, call, field] of [
    ['queryOrder: out_trade_no ".." (the URL would resolve it to /v3/pay/transactions/)', () => counting.queryOrder({ out_trade_no: '..' }), 'out_trade_no'],
    ['queryOrder: transaction_id "."', () => counting.queryOrder({ transaction_id: '.' }), 'transaction_id'],
    ['closeOrder: out_trade_no ".." (it would POST /v3/pay/transactions/close)', () => counting.closeOrder({ out_trade_no: '..' }), 'out_trade_no'],
    ['queryRefund: out_refund_no ".."', () => counting.queryRefund({ out_refund_no: '..' }), 'out_refund_no'],
    ['request: a header name with a space', () => counting.request({ method: 'GET', path: '/v3/x', headers: { 'a b': 'x' } }), 'headers'],
    ['request: a header value with a line break', () => counting.request({ method: 'GET', path: '/v3/x', headers: { 'X-A': 'x\r\nX-B: y' } }), 'headers'],
    ['request: a header value that is not text', () => counting.request({ method: 'GET', path: '/v3/x', headers: { 'X-A': Object.create(null) } }), 'headers'],
    ['request: a GET with a body (fetch refuses it: it was ERR_NETWORK)', () => counting.request({ method: 'get', path: '/v3/x', body: { mchid: m.mchid } }), 'body'],
  ]) await expectError(name, 'ERR_INVALID_INPUT', call, { field })
  const countingV2 = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: sim, fetch: (url, init) => { asked++; return fetch(url, init) } })
  await expectError('v2 unifiedOrder: another appid than the client\'s (its answer would be refused after WeChat made the order)', 'ERR_INVALID_INPUT',
    () => countingV2.unifiedOrder({ appid: p.appId, body: '香皂', out_trade_no: tradeNo(), total_fee: 1, spbill_create_ip: '203.0.113.7', notify_url: notifyUrl('x'), openid: 'o' }), { field: 'appid' })
  check('refused arguments: nothing was sent', asked === 0, `${asked} requests`)
  // timers longer than 2^31 - 1 ms fire at once: a timeout would expire at once, a refresh would run every millisecond
  await expectError('createClient: timeoutMs beyond what a timer can wait', 'ERR_INVALID_INPUT', async () => clientFor(m, { timeoutMs: 2 ** 31 }), { field: 'timeoutMs' })
  await expectError('createV2Client: timeoutMs beyond what a timer can wait', 'ERR_INVALID_INPUT',
    async () => api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: sim, timeoutMs: 2 ** 31 }), { field: 'timeoutMs' })
  await expectError('startCertificateRefresh: intervalMs beyond what a timer can wait', 'ERR_INVALID_INPUT', async () => {
    const stop = counting.startCertificateRefresh({ intervalMs: 2 ** 31 })
    await sleep(50)
    stop()
    return `${asked} requests in 50 ms`
  }, { field: 'intervalMs' })

  // ---- the caller's signal, and the time limit
  const controller = new AbortController()
  const pending = bad('silent', { timeoutMs: 60000 }).queryOrder({ out_trade_no: paidNo }, { signal: controller.signal })
  controller.abort()
  await expectError('signal: aborted by the caller', 'ERR_ABORTED', () => pending)
  await expectError('signal: already aborted', 'ERR_ABORTED', () => client.queryOrder({ out_trade_no: paidNo }, { signal: AbortSignal.abort() }))
  await expectError('signal: AbortSignal.timeout is a timeout', 'ERR_TIMEOUT',
    () => bad('silent', { timeoutMs: 60000 }).queryOrder({ out_trade_no: paidNo }, { signal: AbortSignal.timeout(200) }))
  const ignoring = bad('silent', { fetch: () => new Promise(() => {}), timeoutMs: 300 })
  await expectError('timeout: a fetch that ignores its signal is abandoned on time', 'ERR_TIMEOUT', () => ignoring.queryOrder({ out_trade_no: paidNo }))

  // ---- API v2
  const v2 = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: sim })
  const v2No = tradeNo()
  const unified = await step('v2 unifiedOrder', () => v2.unifiedOrder({
    body: '香皂', out_trade_no: v2No, total_fee: 888, spbill_create_ip: '203.0.113.7', notify_url: notifyUrl(v2No), openid,
  }))
  check('v2 unifiedOrder: prepayId and HMAC-SHA256 payParams', !!unified?.prepayId && unified.payParams.signType === 'HMAC-SHA256')
  check('v2: the cashier accepts the params', (await step('v2 cashier', () => json(`${sim}/sim/cashier/confirm`, { ...unified.payParams, payer: user })))?.body?.errMsg === 'requestPayment:ok')
  const v2Tx = await step('v2 orderQuery', () => v2.orderQuery({ out_trade_no: v2No }))
  check('v2 orderQuery: SUCCESS, total_fee a number', v2Tx?.trade_state === 'SUCCESS' && v2Tx.total_fee === 888 && typeof v2Tx.transaction_id === 'string')
  check('v2 orderQuery by transaction_id', (await step('v2 orderQuery id', () => v2.orderQuery({ transaction_id: v2Tx.transaction_id })))?.out_trade_no === v2No)
  const v2Open = tradeNo()
  await step('v2 an order to close', () => v2.unifiedOrder({ body: '香皂', out_trade_no: v2Open, total_fee: 1, spbill_create_ip: '203.0.113.7', notify_url: notifyUrl(v2Open), openid }))
  check('v2 closeOrder', (await step('v2 closeOrder', () => v2.closeOrder({ out_trade_no: v2Open })))?.result_code === 'SUCCESS')
  await expectError('v2 closeOrder of a paid order: ORDERPAID', 'ERR_WECHAT', () => v2.closeOrder({ out_trade_no: v2No }), { err_code: 'ORDERPAID' })
  await expectError('v2 orderQuery of an unknown order: ORDERNOTEXIST', 'ERR_WECHAT', () => v2.orderQuery({ out_trade_no: tradeNo() }), { err_code: 'ORDERNOTEXIST' })
  await expectError('v2 refundQuery of an unknown refund: REFUNDNOTEXIST', 'ERR_WECHAT', () => v2.refundQuery({ out_refund_no: tradeNo() }), { err_code: 'REFUNDNOTEXIST' })
  await expectError('v2 refund without the client certificate (plain port)', 'ERR_WECHAT',
    () => v2.refund({ out_trade_no: v2No, out_refund_no: `R${v2No}`, total_fee: 888, refund_fee: 100 }))
  if (tlsFetch) {
    const v2tls = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: config.simulatorTls, fetch: tlsFetch(m, config.ca) })
    const r = await step('v2 refund over mutual TLS', () => v2tls.refund({ out_trade_no: v2No, out_refund_no: `R${v2No}`, total_fee: 888, refund_fee: 100 }))
    check('v2 refund: accepted, about this refund', r?.out_refund_no === `R${v2No}` && r.refund_fee === 100 && typeof r.refund_id === 'string')
    const q = await step('v2 refundQuery', () => v2.refundQuery({ out_refund_no: `R${v2No}` }))
    check('v2 refundQuery: the refund asked, its status and amount', q?.refund?.refund_id === r?.refund_id && q.refund.refund_fee === 100 &&
      ['SUCCESS', 'PROCESSING'].includes(q.refund.refund_status), JSON.stringify(q?.refund))
    const other = api.createV2Client({ appid: p.appId, mchid: p.mchid, key: p.apiV2Key, baseUrl: config.simulatorTls, fetch: tlsFetch(m, config.ca) })
    await expectError('v2 refund with another merchant\'s certificate', 'ERR_WECHAT',
      () => other.refund({ out_trade_no: v2No, out_refund_no: `S${v2No}`, total_fee: 888, refund_fee: 100 }))
  }
  const v2Replay = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: config.bad.replay })
  await fetch(`${config.bad.replay}/__record`, { method: 'POST' })
  await step('v2 replay: record', () => v2Replay.orderQuery({ out_trade_no: v2No }))
  await fetch(`${config.bad.replay}/__replay`, { method: 'POST' })
  await expectError('v2 replay: the paid order\'s signed answer for another order', 'ERR_ANSWER_MISMATCH',
    () => v2Replay.orderQuery({ out_trade_no: v2Open }), { field: 'out_trade_no', expected: v2Open, actual: v2No })
  for (const [server, code] of [['tamper', 'ERR_SIGNATURE_MISMATCH'], ['html', 'ERR_WECHAT'], ['silent', 'ERR_TIMEOUT'], ['reset', 'ERR_NETWORK']]) {
    const c = api.createV2Client({ appid: m.appId, mchid: m.mchid, key: m.apiV2Key, baseUrl: config.bad[server], timeoutMs: server === 'silent' ? 400 : 10000 })
    await expectError(`v2 ${server}: orderQuery`, code, () => c.orderQuery({ out_trade_no: v2No }))
  }

  return finish(results)
}

function finish(results) {
  const failed = results.filter((r) => !r.ok)
  return { passed: results.length - failed.length, failed: failed.length, failures: failed }
}
