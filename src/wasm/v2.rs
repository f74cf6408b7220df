//! Exports for API v2 and the v2 `wx.requestPayment` parameters.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::boundary::with_scratch;
use super::{JsResult, framed_pairs, framed_values, js, now_seconds, out_json, random_nonce};
use crate::error::{Error, Result};
use crate::payment::{PaymentInput, request_payment_v2};
use crate::v2::{self, Algorithms, ApiKey, Merchant, SignType};
use crate::xml;

thread_local! {
    /// The last API key used: its HMAC pads are computed once, not per signature.
    static KEY: RefCell<Option<ApiKey>> = const { RefCell::new(None) };
    static CANONICAL: RefCell<String> = const { RefCell::new(String::new()) };
}

fn with_key<T>(key: &str, f: impl FnOnce(&ApiKey) -> Result<T>) -> Result<T> {
    KEY.with_borrow_mut(|cached| {
        let key = match cached {
            Some(k) if k.is(key.as_bytes()) => k,
            _ => cached.insert(ApiKey::new(key)?),
        };
        f(key)
    })
}

/// `signV2`: scratch holds `key ‖ signType ‖ framed params`; the signature is written back to the scratch.
#[wasm_bindgen(js_name = signV2)]
pub fn sign_v2(key_len: usize, type_len: usize, len: usize, count: usize) -> JsResult<usize> {
    with_scratch(len, |bytes| {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::input("params", "not UTF-8"))?;
        let key = text.get(..key_len).ok_or_else(|| Error::key("the API v2 key is 32 ASCII characters"))?;
        let type_end = key_len.saturating_add(type_len);
        let requested = text.get(key_len..type_end).ok_or_else(|| Error::input("signType", "MD5 or HMAC-SHA256"))?;
        let mut pairs = framed_pairs(text.get(type_end..).unwrap_or(""), count)?;
        let sign_type = v2::resolve_sign_type(Some(requested), &pairs)?;
        with_key(key, |key| {
            CANONICAL.with_borrow_mut(|buf| {
                v2::canonical_into(&mut pairs, buf)?;
                Ok(key.sign_canonical(buf.as_bytes(), sign_type))
            })
        })
    })
}

/// The `algorithms` option, joined by `,`; absent: both.
fn algorithms(joined: Option<String>) -> Result<Algorithms> {
    joined.map_or(Ok(Algorithms::ANY), |names| Algorithms::parse(names.split(',')))
}

/// `verifyV2`: verifies the framed params; returns nothing, throws on failure.
#[wasm_bindgen(js_name = verifyV2)]
pub fn verify_v2(framed: &str, count: usize, key: &str, accepted: Option<String>) -> JsResult<()> {
    js((|| {
        let fields = framed_pairs(framed, count)?;
        let accepted = algorithms(accepted)?;
        with_key(key, |key| v2::verify(&fields, key, accepted)).map(|_| ())
    })())
}

/// `toXml`: `<xml>` with CDATA for strings and bare numbers.
#[wasm_bindgen(js_name = toXml)]
pub fn to_xml(framed: &str, count: usize) -> JsResult<String> {
    js(framed_values(framed, count).and_then(|f| xml::build("xml", f)))
}

/// `parseXml`: the fields as a JSON object of strings.
#[wasm_bindgen(js_name = parseXml)]
pub fn parse_xml(text: &str) -> JsResult<String> {
    out_json(&js(xml::parse(text))?.fields)
}

/// `buildUnifiedOrder`: the signed request XML.
#[wasm_bindgen(js_name = buildUnifiedOrder)]
pub fn build_unified_order(
    framed: &str,
    count: usize,
    key: &str,
    sign_type: Option<String>,
    nonce_str: Option<String>,
) -> JsResult<String> {
    js((|| {
        let order = framed_values(framed, count)?;
        let sign_type = sign_type.as_deref().map_or(Ok(SignType::Md5), SignType::parse)?;
        let nonce = nonce_str.map_or_else(|| random_nonce(32), Ok)?;
        with_key(key, |key| v2::build_unified_order(&order, key, sign_type, &nonce))
    })())
}

fn merchant<'a>(app_id: &'a Option<String>, mch_id: &'a Option<String>) -> Merchant<'a> {
    Merchant { appid: app_id.as_deref(), mch_id: mch_id.as_deref() }
}

/// `parseUnifiedOrderResponse`: `{prepayId, tradeType, fields}`.
#[wasm_bindgen(js_name = parseUnifiedOrderResponse)]
pub fn parse_unified_order_response(
    text: &str,
    key: &str,
    app_id: Option<String>,
    mch_id: Option<String>,
    accepted: Option<String>,
) -> JsResult<String> {
    let merchant = merchant(&app_id, &mch_id);
    let accepted = js(algorithms(accepted))?;
    out_json(&js(with_key(key, |key| v2::parse_unified_order_response(text, key, merchant, accepted)))?)
}

/// `parseV2Notification`: the verified fields (without `sign`), amounts as numbers.
#[wasm_bindgen(js_name = parseV2Notification)]
pub fn parse_v2_notification(
    text: &str,
    key: &str,
    app_id: Option<String>,
    mch_id: Option<String>,
    accepted: Option<String>,
) -> JsResult<String> {
    let merchant = merchant(&app_id, &mch_id);
    let accepted = js(algorithms(accepted))?;
    out_json(&js(with_key(key, |key| v2::parse_notification(text, key, merchant, accepted)))?)
}

/// `v2NotificationReply`: the exact reply XML.
#[wasm_bindgen(js_name = v2NotificationReply)]
pub fn v2_notification_reply(ok: bool, message: Option<String>) -> JsResult<String> {
    js(v2::notification_reply(ok, message.as_deref()))
}

/// `decryptV2RefundNotification`: `appid`, `mch_id` and the decrypted fields, amounts as numbers.
#[wasm_bindgen(js_name = decryptV2RefundNotification)]
pub fn decrypt_v2_refund_notification(
    text: &str,
    key: &str,
    app_id: Option<String>,
    mch_id: Option<String>,
) -> JsResult<String> {
    out_json(&js(with_key(key, |key| v2::decrypt_refund_notification(text, key, merchant(&app_id, &mch_id))))?)
}

/// `requestPaymentV2`: `{timeStamp, nonceStr, package, signType, paySign}`.
#[wasm_bindgen(js_name = requestPaymentV2)]
pub fn request_payment_v2_js(
    app_id: &str,
    prepay_id: &str,
    key: &str,
    sign_type: Option<String>,
    time_stamp: Option<String>,
    nonce_str: Option<String>,
) -> JsResult<String> {
    let params = js((|| {
        let sign_type = sign_type.as_deref().map_or(Ok(SignType::Md5), SignType::parse)?;
        let time_stamp = time_stamp.unwrap_or_else(now_seconds);
        let nonce_str = nonce_str.map_or_else(|| random_nonce(32), Ok)?;
        let input = PaymentInput { app_id, prepay_id, time_stamp: &time_stamp, nonce_str: &nonce_str };
        with_key(key, |key| request_payment_v2(input, key, sign_type))
    })())?;
    out_json(&params)
}
