//! Exports for the client (pkg/src/client/): the checks that decide whether an answer is believed, transport
//! errors, bills, API v2 calls, and mini-program open data. The HTTP is the facade's.

use wasm_bindgen::prelude::*;

use super::{JsResult, framed_values, js, random_nonce};
use crate::client::bill::{self, BillKind};
use crate::client::{v2 as client_v2, v3 as client_v3};
use crate::error::{Error, Result};
use crate::fields::{Fields, Typed};
use crate::payment::PaymentInput;
use crate::v2::{ApiKey, Merchant, SignType};

/// The error a failed call stands for, to throw (with the runtime's error as `cause`): `kind` is `timeout`
/// (with the client's limit in ms, or none for the caller's own signal), `aborted` or `network`.
#[wasm_bindgen(js_name = transportError)]
pub fn transport_error(kind: &str, timeout_ms: Option<f64>, problem: Option<String>) -> JsValue {
    let error = match kind {
        "timeout" => {
            Error::Timeout { timeout_ms: timeout_ms.filter(|ms| ms.is_finite() && *ms >= 0.0).map(|ms| ms as u64) }
        }
        "aborted" => Error::Aborted,
        _ => Error::Network { problem: problem.unwrap_or_default().chars().take(300).collect() },
    };
    js::<()>(Err(error)).err().unwrap_or(JsValue::UNDEFINED)
}

/// Throws the `ERR_WECHAT` a non-2xx API v3 answer stands for.
#[wasm_bindgen(js_name = v3ErrorAnswer)]
pub fn v3_error_answer(status: u16, verified: bool, request_id: Option<String>, body: &[u8]) -> JsResult<()> {
    js(Err(client_v3::error_answer(status, verified, request_id.as_deref(), body)))
}

fn merchant<'a>(
    mchid: &'a Option<String>,
    sub_mchid: &'a Option<String>,
    partner: bool,
) -> Result<client_v3::Merchant<'a>> {
    let mchid = mchid.as_deref().ok_or_else(|| Error::input("mchid", "missing"))?;
    match (partner, sub_mchid.as_deref()) {
        (false, _) => Ok(client_v3::Merchant::Direct { mchid }),
        (true, Some(sub_mchid)) => Ok(client_v3::Merchant::Partner { sp_mchid: mchid, sub_mchid }),
        (true, None) => Err(Error::input("sub_mchid", "required in partner (服务商) mode")),
    }
}

fn order<'a>(out_trade_no: &'a Option<String>, transaction_id: &'a Option<String>) -> Result<client_v3::OrderRef<'a>> {
    match (out_trade_no.as_deref(), transaction_id.as_deref()) {
        (Some(no), None) => Ok(client_v3::OrderRef::OutTradeNo(no)),
        (None, Some(id)) => Ok(client_v3::OrderRef::TransactionId(id)),
        _ => Err(Error::input("out_trade_no", "exactly one of out_trade_no and transaction_id")),
    }
}

/// A JS number that must be a whole amount in fen.
fn fen(value: Option<f64>, field: &'static str) -> Result<Option<i64>> {
    match value {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&v) => Ok(Some(v as i64)),
        Some(_) => Err(Error::input(field, "an amount in fen: a whole number")),
    }
}

/// Checks a verified transaction answer against the order asked about.
#[wasm_bindgen(js_name = v3CheckTransaction)]
pub fn v3_check_transaction(
    mchid: Option<String>,
    sub_mchid: Option<String>,
    partner: bool,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
    body: &[u8],
) -> JsResult<()> {
    js((|| {
        client_v3::check_transaction(
            merchant(&mchid, &sub_mchid, partner)?,
            order(&out_trade_no, &transaction_id)?,
            body,
        )
    })())
}

/// Checks a verified refund answer against the refund asked about.
#[wasm_bindgen(js_name = v3CheckRefund)]
#[allow(clippy::too_many_arguments)]
pub fn v3_check_refund(
    out_refund_no: &str,
    sub_mchid: Option<String>,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
    refund: Option<f64>,
    total: Option<f64>,
    body: &[u8],
) -> JsResult<()> {
    js((|| {
        let order = match (&out_trade_no, &transaction_id) {
            (None, None) => None,
            _ => Some(order(&out_trade_no, &transaction_id)?),
        };
        let asked = client_v3::RefundAsked {
            out_refund_no,
            order,
            refund: fen(refund, "amount.refund")?,
            total: fen(total, "amount.total")?,
            sub_mchid: sub_mchid.as_deref(),
        };
        client_v3::check_refund(asked, body)
    })())
}

/// The `prepay_id`, `h5_url` or `code_url` of a verified prepay answer.
#[wasm_bindgen(js_name = v3PrepayAnswer)]
pub fn v3_prepay_answer(field: &str, body: &[u8]) -> JsResult<String> {
    let kind = match field {
        "h5_url" => client_v3::Prepay::H5Url,
        "code_url" => client_v3::Prepay::CodeUrl,
        _ => client_v3::Prepay::PrepayId,
    };
    js(client_v3::prepay_answer(kind, body))
}

/// A verified bill apply answer, checked: JSON `{hash_type, hash_value, download_url}`.
#[wasm_bindgen(js_name = billFile)]
pub fn bill_file(body: &[u8], origin: &str) -> JsResult<String> {
    js(bill::check_bill_file(body, origin).and_then(|f| to_json(&f)))
}

/// Compares the SHA-1 of a downloaded bill with the announced `hash_value`.
#[wasm_bindgen(js_name = billDigest)]
pub fn bill_digest(hash_value: &str, sha1: &[u8]) -> JsResult<()> {
    js(bill::check_digest(hash_value, sha1))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::input("output", e.to_string()))
}

/// A bill read in chunks of whole lines: `feed` returns the rows as a JSON array, `finish` the totals.
#[wasm_bindgen(js_name = BillReader)]
pub struct BillReaderJs(Option<bill::BillReader>);

#[wasm_bindgen(js_class = BillReader)]
impl BillReaderJs {
    /// `trade` or `fundflow`.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str) -> JsResult<BillReaderJs> {
        let kind = match kind {
            "trade" => BillKind::Trade,
            "fundflow" => BillKind::FundFlow,
            _ => return js(Err(Error::input("kind", "trade or fundflow"))),
        };
        Ok(BillReaderJs(Some(bill::BillReader::new(kind))))
    }

    /// The data rows of these whole lines, as a JSON array.
    pub fn feed(&mut self, lines: &str) -> JsResult<String> {
        js(match self.0.as_mut() {
            Some(reader) => reader.feed(lines).and_then(|rows| to_json(&rows)),
            None => Err(Error::input("bill", "already finished")),
        })
    }

    /// The totals, as a JSON object.
    pub fn finish(&mut self) -> JsResult<String> {
        js(match self.0.take() {
            Some(reader) => reader.finish().and_then(|totals| to_json(&totals)),
            None => Err(Error::input("bill", "already finished")),
        })
    }
}

/// `decryptMiniProgramData`: the open data's JSON text, its watermark checked.
#[wasm_bindgen(js_name = decryptMiniProgramData)]
pub fn decrypt_mini_program_data(encrypted_data: &str, iv: &str, session_key: &str, app_id: &str) -> JsResult<String> {
    js(crate::miniprogram::decrypt_open_data(encrypted_data, iv, session_key, app_id))
}

/// An API v2 request, signed (`sign_type` and a random `nonce_str` added).
#[wasm_bindgen(js_name = v2BuildRequest)]
pub fn v2_build_request(framed: &str, count: usize, key: &str, sign_type: &str) -> JsResult<String> {
    js((|| {
        let fields = framed_values(framed, count)?;
        client_v2::build_request(&fields, &ApiKey::new(key)?, SignType::parse(sign_type)?, &random_nonce(32)?)
    })())
}

/// Whose answers the v2 client takes: this merchant's, signed with its key and the algorithm of its requests.
fn answerer<'a>(
    key: &'a ApiKey,
    app_id: &'a str,
    mch_id: &'a str,
    sign_type: &str,
) -> Result<client_v2::V2Answerer<'a>> {
    Ok(client_v2::V2Answerer {
        key,
        merchant: Merchant { appid: Some(app_id), mch_id: Some(mch_id) },
        sign_type: SignType::parse(sign_type)?,
    })
}

fn v2_order<'a>(
    out_trade_no: &'a Option<String>,
    transaction_id: &'a Option<String>,
) -> Result<client_v2::V2Order<'a>> {
    match (out_trade_no.as_deref(), transaction_id.as_deref()) {
        (Some(no), None) => Ok(client_v2::V2Order::OutTradeNo(no)),
        (None, Some(id)) => Ok(client_v2::V2Order::TransactionId(id)),
        _ => Err(Error::input("out_trade_no", "exactly one of out_trade_no and transaction_id")),
    }
}

/// A verified answer's fields as JSON, amounts typed; with `refund`, that refund as a member `refund`.
fn fields_json(fields: &Fields, refund: Option<&client_v2::V2RefundStatus>) -> Result<String> {
    struct Answer<'a>(&'a Fields, Option<&'a client_v2::V2RefundStatus>);
    impl serde::Serialize for Answer<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(None)?;
            Typed { fields: self.0, skip: &[], is_integer: crate::v2::is_integer_field }.entries(&mut map)?;
            if let Some(refund) = self.1 {
                map.serialize_entry("refund", refund)?;
            }
            map.end()
        }
    }
    to_json(&Answer(fields, refund))
}

/// A verified orderquery answer about the order asked, as JSON.
#[wasm_bindgen(js_name = v2OrderQuery)]
#[allow(clippy::too_many_arguments)]
pub fn v2_order_query(
    xml: &str,
    key: &str,
    app_id: &str,
    mch_id: &str,
    sign_type: &str,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
) -> JsResult<String> {
    js((|| {
        let order = v2_order(&out_trade_no, &transaction_id)?;
        let key = ApiKey::new(key)?;
        fields_json(&client_v2::parse_order_query(xml, answerer(&key, app_id, mch_id, sign_type)?, order)?, None)
    })())
}

/// A verified closeorder answer, as JSON.
#[wasm_bindgen(js_name = v2CloseOrder)]
pub fn v2_close_order(xml: &str, key: &str, app_id: &str, mch_id: &str, sign_type: &str) -> JsResult<String> {
    js((|| {
        let key = ApiKey::new(key)?;
        fields_json(&client_v2::parse_close_order(xml, answerer(&key, app_id, mch_id, sign_type)?)?, None)
    })())
}

/// A verified refund answer about the refund asked, as JSON.
#[wasm_bindgen(js_name = v2Refund)]
#[allow(clippy::too_many_arguments)]
pub fn v2_refund(
    xml: &str,
    key: &str,
    app_id: &str,
    mch_id: &str,
    sign_type: &str,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
    out_refund_no: &str,
    total_fee: f64,
    refund_fee: f64,
) -> JsResult<String> {
    js((|| {
        let asked = client_v2::V2RefundAsked {
            order: v2_order(&out_trade_no, &transaction_id)?,
            out_refund_no,
            total_fee: fen(Some(total_fee), "total_fee")?.unwrap_or_default(),
            refund_fee: fen(Some(refund_fee), "refund_fee")?.unwrap_or_default(),
        };
        let key = ApiKey::new(key)?;
        fields_json(&client_v2::parse_refund(xml, answerer(&key, app_id, mch_id, sign_type)?, asked)?, None)
    })())
}

/// `appPayment`, before signing: the message.
#[wasm_bindgen(js_name = appPaymentMessage)]
pub fn app_payment_message(app_id: &str, prepay_id: &str, time_stamp: &str, nonce_str: &str) -> JsResult<Vec<u8>> {
    js(client_v3::app_payment_message(PaymentInput { app_id, prepay_id, time_stamp, nonce_str }))
}

/// `appPayment`, after signing: JSON `{appid, partnerid, prepayid, package, noncestr, timestamp, sign}`.
#[wasm_bindgen(js_name = appPayment)]
pub fn app_payment(
    app_id: &str,
    partner_id: &str,
    prepay_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    signature: &[u8],
) -> JsResult<String> {
    let input = PaymentInput { app_id, prepay_id, time_stamp, nonce_str };
    js(client_v3::app_payment(input, partner_id, signature).and_then(|p| to_json(&p)))
}

/// The `media_id` of a verified upload answer.
#[wasm_bindgen(js_name = v3MediaAnswer)]
pub fn v3_media_answer(body: &[u8]) -> JsResult<String> {
    js(client_v3::media_answer(body))
}

/// `decrypt`, before the host's RSA-OAEP: the ciphertext bytes.
#[wasm_bindgen(js_name = sensitiveCiphertext)]
pub fn sensitive_ciphertext(text: &str) -> JsResult<Vec<u8>> {
    js(client_v3::sensitive_ciphertext(text))
}

/// `decrypt`, after the host's RSA-OAEP (`undefined`: it did not decrypt): the text.
#[wasm_bindgen(js_name = sensitivePlaintext)]
pub fn sensitive_plaintext(plaintext: Option<Vec<u8>>) -> JsResult<String> {
    js(client_v3::sensitive_plaintext(plaintext.as_deref()))
}

/// A verified refundquery answer, as JSON: its fields, and `refund`, the refund asked for.
#[wasm_bindgen(js_name = v2RefundQuery)]
pub fn v2_refund_query(
    xml: &str,
    key: &str,
    app_id: &str,
    mch_id: &str,
    sign_type: &str,
    out_refund_no: &str,
) -> JsResult<String> {
    js((|| {
        let key = ApiKey::new(key)?;
        let (fields, refund) =
            client_v2::parse_refund_query(xml, answerer(&key, app_id, mch_id, sign_type)?, out_refund_no)?;
        fields_json(&fields, Some(&refund))
    })())
}
