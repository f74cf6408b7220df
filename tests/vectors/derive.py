#!/usr/bin/env python3
"""Recomputes every derived (non-official) value in the v2 vector files, independently of the package:
Python's hashlib/hmac for the signatures and the openssl CLI for AES-256-ECB. Run it and compare with the
JSON files; `node derive-check.mjs` recomputes the same values with node:crypto."""
import base64, hashlib, hmac, json, subprocess

def canonical(fields):
    return '&'.join(f'{k}={v}' for k, v in sorted(fields.items()) if v != '' and k != 'sign')

def sign(fields, key, sign_type):
    s = (canonical(fields) + '&key=' + key).encode()
    if sign_type == 'HMAC-SHA256':
        return hmac.new(key.encode(), s, hashlib.sha256).hexdigest().upper()
    return hashlib.md5(s).hexdigest().upper()

def record(name, kind, value, **inputs):
    out.append(dict(name=name, kind=kind, value=value, **inputs))

def ecb_encrypt(plaintext, api_key):
    aes_key = hashlib.md5(api_key.encode()).hexdigest().encode().hex()
    out = subprocess.run(['openssl', 'enc', '-aes-256-ecb', '-K', aes_key, '-nosalt'],
                         input=plaintext.encode(), capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()

def ecb_encrypt_nopad(data, api_key):
    aes_key = hashlib.md5(api_key.encode()).hexdigest().encode().hex()
    out = subprocess.run(['openssl', 'enc', '-aes-256-ecb', '-K', aes_key, '-nosalt', '-nopad'],
                         input=data, capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()

KEY = '192006250b4c09247ec02edce69f6a2d'
PAY_KEY = 'qazwsxedcrfvtgbyhnujmikolp111111'
out = []

pay = dict(appId='wxd678efh567hg6787', nonceStr='5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
           package='prepay_id=wx2017033010242291fcfe0db70013231072', signType='HMAC-SHA256', timeStamp='1490840662')
record('requestPaymentV2 HMAC paySign', 'v2sign', sign(pay, PAY_KEY, 'HMAC-SHA256'), fields=pay, key=PAY_KEY, signType='HMAC-SHA256')

order = dict(appid='wxd930ea5d5a258f4f', mch_id='10000100', body='腾讯充值中心-QQ会员充值',
             out_trade_no='20150806125346', total_fee='888', spbill_create_ip='123.12.12.123',
             notify_url='https://www.weixin.qq.com/wxpay/pay.php', openid='oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
             trade_type='JSAPI', nonce_str='5K8264ILTKCH16CQ2502SI8ZNMTM67VS')
for t in ('MD5', 'HMAC-SHA256'):
    record(f'unifiedorder {t} sign', 'v2sign', sign(dict(order, sign_type=t), KEY, t), fields=dict(order, sign_type=t), key=KEY, signType=t)

resp = dict(return_code='SUCCESS', return_msg='OK', appid='wxd930ea5d5a258f4f', mch_id='10000100',
            nonce_str='IITRi8Iabbblz1Jc', result_code='SUCCESS', prepay_id='wx201411101639507cbf6ffd8b0779950874',
            trade_type='JSAPI')
record('unifiedorder response MD5 sign', 'v2sign', sign(resp, KEY, 'MD5'), fields=resp, key=KEY, signType='MD5')
fail = dict(return_code='SUCCESS', return_msg='OK', appid='wxd930ea5d5a258f4f', mch_id='10000100',
            nonce_str='IITRi8Iabbblz1Jc', result_code='FAIL', err_code='ORDERPAID', err_code_des='该订单已支付')
record('unifiedorder FAIL response MD5 sign', 'v2sign', sign(fail, KEY, 'MD5'), fields=fail, key=KEY, signType='MD5')

notify = dict(appid='wxd930ea5d5a258f4f', attach='支付测试', bank_type='CFT', fee_type='CNY', is_subscribe='Y',
              mch_id='10000100', nonce_str='5d2b6c2a8db53831f7eda20af46e531c', openid='oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
              out_trade_no='1409811653', result_code='SUCCESS', return_code='SUCCESS', time_end='20140903131540',
              total_fee='1', coupon_fee='10', coupon_count='1', coupon_type_0='CASH', coupon_id_0='10000',
              coupon_fee_0='100', trade_type='JSAPI', transaction_id='1004400740201409030005092168', cash_fee='1')
record('notification MD5 sign (no sign_type)', 'v2sign', sign(notify, KEY, 'MD5'), fields=notify, key=KEY, signType='MD5')
record('notification HMAC sign (sign_type)', 'v2sign', sign(dict(notify, sign_type='HMAC-SHA256'), KEY, 'HMAC-SHA256'), fields=dict(notify, sign_type='HMAC-SHA256'), key=KEY, signType='HMAC-SHA256')
failed = dict(appid='wxd930ea5d5a258f4f', mch_id='10000100', nonce_str='5d2b6c2a8db53831f7eda20af46e531c',
              out_trade_no='1409811654', result_code='FAIL', return_code='SUCCESS', err_code='NOTENOUGH',
              err_code_des='余额不足', total_fee='1', trade_type='JSAPI', openid='oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')
record('FAIL notification MD5 sign (no sign_type)', 'v2sign', sign(failed, KEY, 'MD5'), fields=failed, key=KEY, signType='MD5')
record('FAIL notification HMAC sign (sign_type)', 'v2sign', sign(dict(failed, sign_type='HMAC-SHA256'), KEY, 'HMAC-SHA256'), fields=dict(failed, sign_type='HMAC-SHA256'), key=KEY, signType='HMAC-SHA256')

root = ('<root><out_refund_no><![CDATA[131811191610442717309]]></out_refund_no>'
        '<out_trade_no><![CDATA[71106718111915575302817]]></out_trade_no>'
        '<refund_account><![CDATA[REFUND_SOURCE_RECHARGE_FUNDS]]></refund_account>'
        '<refund_fee><![CDATA[3960]]></refund_fee>'
        '<refund_id><![CDATA[50000408942018111907145868882]]></refund_id>'
        '<refund_recv_accout><![CDATA[支付用户零钱]]></refund_recv_accout>'
        '<refund_request_source><![CDATA[API]]></refund_request_source>'
        '<refund_status><![CDATA[SUCCESS]]></refund_status>'
        '<settlement_refund_fee><![CDATA[3960]]></settlement_refund_fee>'
        '<settlement_total_fee><![CDATA[3960]]></settlement_total_fee>'
        '<success_time><![CDATA[2018-11-19 16:24:13]]></success_time>'
        '<total_fee><![CDATA[3960]]></total_fee>'
        '<transaction_id><![CDATA[4200000215201811190261405420]]></transaction_id></root>')
record('refund req_info', 'ecb', ecb_encrypt(root, KEY), plaintext=root, key=KEY, pkcs7=True)
padded = root.encode() + b'\x00' * (16 - len(root.encode()) % 16)
record('refund req_info zero padding (bad PKCS#7)', 'ecb', ecb_encrypt_nopad(padded, KEY), plaintext=padded.decode(), key=KEY, pkcs7=False)
record('refund req_info other key', 'ecb', ecb_encrypt(root, PAY_KEY), plaintext=root, key=PAY_KEY, pkcs7=True)
if __name__ == '__main__':
    print(json.dumps(out, ensure_ascii=False, indent=2))
