// Shared inputs of the v3 benchmarks: the official WeChat Pay test key (public, labelled as such) plays both the
// merchant's key and WeChat's, and a payment notification with a 1 KB resource, as WeChat Pay sends it.
import { readFileSync } from 'node:fs'
import { createSigner, encryptResource } from 'wechatpay-wasm'

const vector = (name) => readFileSync(new URL(`../../tests/vectors/${name}`, import.meta.url), 'utf8')
export const PRIVATE_KEY = vector('official_test_private_key.pem')
export const PUBLIC_KEY = vector('official_test_public_key.pem')
export const MCHID = '1900007291'
export const SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB'
export const PUB_KEY_ID = 'PUB_KEY_ID_0114232204102025021100381800000000'
export const API_V3_KEY = '0123456789abcdef0123456789abcdef'
export const APPID = 'wxd678efh567hg6787'
export const URL_PATH = '/v3/pay/transactions/jsapi'
export const ORDER_BODY = JSON.stringify({
  appid: APPID, mchid: MCHID, description: '香皂', out_trade_no: 'SOAP20261127001', notify_url: 'https://shop.example.com/pay/notify',
  amount: { total: 888, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
})

const wechat = createSigner({ mchid: MCHID, serialNo: PUB_KEY_ID, privateKey: PRIVATE_KEY })

/** WeChat's answer to the JSAPI order: the body and its Wechatpay-* headers, signed now. */
export async function signedResponse() {
  const body = JSON.stringify({ prepay_id: 'wx201410272009395522657a690389285100' })
  return { status: 200, body, headers: await wechat.responseHeaders({ body }) }
}

/** A TRANSACTION.SUCCESS notification whose decrypted resource is about 1 KB, signed now. */
export async function signedNotification() {
  const transaction = {
    appid: APPID, mchid: MCHID, out_trade_no: 'SOAP20261127001', transaction_id: '4200000000202611270000000001',
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS',
    attach: 'x'.repeat(600), success_time: '2026-11-27T12:00:00+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 888, payer_total: 888, currency: 'CNY', payer_currency: 'CNY' },
  }
  const body = JSON.stringify({
    id: 'EV-2026112700000001', create_time: '2026-11-27T12:00:00+08:00', resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', ...encryptResource(transaction, API_V3_KEY, { associatedData: 'transaction' }) },
  })
  return { body, headers: await wechat.responseHeaders({ body }), plaintextBytes: JSON.stringify(transaction).length }
}
