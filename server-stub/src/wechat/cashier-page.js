// The cashier as a page, for a developer in WeChat DevTools, where wx.requestPayment cannot pay with the tourist
// appid: open GET /sim/cashier?timeStamp=…&nonceStr=…&package=…&signType=…&paySign=… (or paste the five
// params), see the order, pay as the DevTools user (or another), and the notification goes out as after a real
// payment. Also the page behind an H5 order's h5_url (GET /sim/checkmweb?prepay_id=…). Plain HTML, no build.
const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>微信支付模拟收银台</title>
<style>
  body { font-family: -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 34rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.25rem; } .hint { color: #666; font-size: .875rem; }
  label { display: block; margin: .6rem 0 .2rem; font-size: .875rem; color: #444; }
  input, textarea { width: 100%; box-sizing: border-box; padding: .45rem; font: inherit; font-size: .875rem; border: 1px solid #ccc; border-radius: 4px; }
  textarea { height: 6rem; font-family: ui-monospace, monospace; }
  button { margin: .8rem .5rem 0 0; padding: .55rem 1.2rem; font: inherit; border: 0; border-radius: 4px; background: #eee; cursor: pointer; }
  button.pay { background: #07c160; color: #fff; } button:disabled { opacity: .5; }
  .order { margin-top: 1rem; padding: .8rem; border-radius: 6px; background: #f6f6f6; } .amount { font-size: 1.6rem; font-weight: 600; }
  .ok { color: #07c160; } .fail { color: #d33; } #result { margin-top: 1rem; font-weight: 600; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>微信支付模拟收银台</h1>
<p class="hint">在微信开发者工具里，游客 AppID 无法调起 wx.requestPayment。把小程序拿到的五个支付参数（timeStamp、nonceStr、package、signType、paySign）粘贴到下面，或用带参数的链接打开本页，即可以指定的微信用户付款；付款后模拟器照常向商户发送支付通知。</p>
<div id="jsapi">
  <label for="params">支付参数（JSON，或 URL 查询串）</label>
  <textarea id="params" placeholder='{"timeStamp":"…","nonceStr":"…","package":"prepay_id=wx…","signType":"RSA","paySign":"…"}'></textarea>
  <button id="read">读取参数并查看订单</button>
</div>
<label for="payer">付款的微信用户（/sim/wx/login 的 user；开发者工具登录的用户是 devtools）</label>
<input id="payer" value="devtools" maxlength="32">
<div class="order" id="order" hidden>
  <div id="merchant"></div>
  <div id="description"></div>
  <div class="amount" id="amount"></div>
</div>
<button class="pay" id="pay" disabled>确认支付</button>
<button id="cancel" disabled>取消</button>
<div id="result" role="status"></div>
<script>
  const $ = (id) => document.getElementById(id)
  const FIELDS = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign']
  const query = new URLSearchParams(location.search)
  const h5 = location.pathname.endsWith('/checkmweb')
  let params = null
  const show = (text, ok) => { $('result').textContent = text; $('result').className = ok ? 'ok' : 'fail' }
  async function post(path, body) {
    const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { ok: r.ok, data: await r.json().catch(() => ({})) }
  }
  function parse(text) {
    text = text.trim()
    const raw = text.startsWith('{') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text.replace(/^[^?]*\\?/, '')))
    const p = {}
    for (const k of FIELDS) { if (raw[k] === undefined || raw[k] === '') throw new Error('缺少 ' + k); p[k] = String(raw[k]) }
    if (raw.payer) $('payer').value = raw.payer
    return p
  }
  async function preview(pkg) {
    $('pay').disabled = $('cancel').disabled = true
    const r = await post('/sim/cashier/preview', { package: pkg })
    if (!r.ok) { $('order').hidden = true; return show('无法支付：' + (r.data.message || r.data.code || '未知错误'), false) }
    $('merchant').textContent = '收款方：' + r.data.merchantName
    $('description').textContent = '商品：' + r.data.description
    $('amount').textContent = '¥' + (r.data.amount / 100).toFixed(2)
    $('order').hidden = false
    $('pay').disabled = $('cancel').disabled = false
    show('', true)
  }
  $('read').onclick = () => {
    try { params = parse($('params').value) } catch (e) { return show('参数有误：' + e.message, false) }
    preview(params.package)
  }
  $('pay').onclick = async () => {
    $('pay').disabled = true
    const payer = $('payer').value.trim()
    const r = h5 ? await post('/sim/cashier/h5', { h5_url: location.href, payer }) : await post('/sim/cashier/confirm', { ...params, payer })
    if (r.ok) { show('支付成功：通知已发往商户，小程序里的订单稍后显示已支付。', true); $('cancel').disabled = true }
    else { show('支付失败：' + (r.data.errMsg || r.data.message || r.data.code), false); $('pay').disabled = false }
  }
  $('cancel').onclick = async () => {
    if (!h5) await post('/sim/cashier/cancel', { package: params.package }).catch(() => undefined)
    show('已取消支付 (requestPayment:fail cancel)', false)
    $('pay').disabled = $('cancel').disabled = true
  }
  if (query.get('payer')) $('payer').value = query.get('payer')
  if (h5) { $('jsapi').hidden = true; preview('prepay_id=' + (query.get('prepay_id') || '')) }
  else if (query.get('package')) { $('params').value = location.search.slice(1); $('read').onclick() }
</script>
</body>
</html>
`

export function cashierPageRoutes(app) {
  const page = (c) => c.html(PAGE, 200, { 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'" })
  app.get('/sim/cashier', page)
  app.get('/sim/checkmweb', page)
}
