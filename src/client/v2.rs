//! API v2 calls beyond unifiedorder: orderquery, closeorder and refund, each request signed and each answer
//! verified and bound to the request.
//!
//! Sources: "查询订单" (pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_2), "关闭订单" (chapter=9_3), "申请退款"
//! (chapter=9_4; `POST /secapi/pay/refund` over TLS with the merchant's client certificate), "查询退款"
//! (chapter=9_5; per refund `$n` from 0: `out_refund_no_$n`, `refund_id_$n`, `refund_fee_$n`, `refund_status_$n`
//! SUCCESS / REFUNDCLOSE / PROCESSING / CHANGE, `refund_success_time_$n`): every answer has
//! `return_code` (the request got through), then signed `appid`, `mch_id`, `result_code`, `err_code`; an
//! orderquery answer echoes `out_trade_no` (and `transaction_id` once paid), a refund answer `out_trade_no`,
//! `transaction_id`, `out_refund_no`, `total_fee` and `refund_fee`.

use crate::error::{Error, Result, WechatError};
use crate::fields::Fields;
use crate::v2::{self, Algorithms, ApiKey, Merchant, Origin, SignType};
use crate::xml::{self, XmlValue};

use super::{echo, echo_amount};

/// Which order an API v2 request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V2Order<'a> {
    /// `out_trade_no`.
    OutTradeNo(&'a str),
    /// `transaction_id`.
    TransactionId(&'a str),
}

impl V2Order<'_> {
    fn check(self, fields: &Fields) -> Result<()> {
        match self {
            V2Order::OutTradeNo(no) => echo("out_trade_no", no, fields.get("out_trade_no")),
            V2Order::TransactionId(id) => echo("transaction_id", id, fields.get("transaction_id")),
        }
    }
}

/// Builds the signed XML of an API v2 request: `fields` (WeChat's names, `appid` and `mch_id` among them)
/// plus `nonce_str`, `sign_type` and `sign`.
///
/// # Errors
/// `ERR_INVALID_INPUT` for a field this function adds itself, a missing `appid` or `mch_id`, or a bad nonce.
pub fn build_request(
    fields: &[(&str, XmlValue<'_>)],
    key: &ApiKey,
    sign_type: SignType,
    nonce_str: &str,
) -> Result<String> {
    v2::check_nonce(nonce_str)?;
    for (name, _) in fields {
        if matches!(*name, "sign" | "sign_type" | "nonce_str") {
            return Err(Error::input(name.to_string(), "added by the client; pass signType in its options instead"));
        }
    }
    for name in ["appid", "mch_id"] {
        if !fields.iter().any(|(k, v)| *k == name && !v.text().is_empty()) {
            return Err(Error::input(name, "required in every API v2 request"));
        }
    }
    let mut all: Vec<(&str, XmlValue<'_>)> = fields.to_vec();
    all.push(("nonce_str", XmlValue::Text(nonce_str)));
    all.push(("sign_type", XmlValue::Text(sign_type.as_str())));
    let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.text())).collect();
    let signature = v2::sign(&pairs, key, sign_type)?;
    all.push(("sign", XmlValue::Text(signature.as_str())));
    xml::build("xml", all)
}

/// Who the answers must come from: the merchant (`appid`, `mch_id`), its key, and the algorithm its requests
/// are signed with (WeChat signs an answer with the request's `sign_type`; nothing else is accepted).
#[derive(Debug, Clone, Copy)]
pub struct V2Answerer<'a> {
    /// The API v2 key.
    pub key: &'a ApiKey,
    /// The merchant the answer must be for.
    pub merchant: Merchant<'a>,
    /// The algorithm accepted.
    pub sign_type: SignType,
}

/// The checks every answer takes: `return_code`, the signature, the merchant, `result_code`, integer amounts.
fn verified_answer(xml: &str, from: V2Answerer<'_>) -> Result<Fields> {
    let (key, merchant) = (from.key, from.merchant);
    let fields = v2::parse_message(xml, "xml")?;
    v2::check_return_code(&fields, Origin::Response)?;
    v2::verify(&fields.pairs(), key, Algorithms::only(from.sign_type))?;
    merchant.check(&fields)?;
    if fields.get("result_code") != Some("SUCCESS") {
        return Err(Error::Wechat(WechatError::V2Result {
            err_code: fields.get("err_code").unwrap_or_default().to_owned(),
            err_code_des: fields.get("err_code_des").unwrap_or_default().to_owned(),
        }));
    }
    v2::check_integer_fields(&fields)?;
    Ok(fields)
}

/// A verified orderquery answer about the order asked for: its fields (the amounts, [`v2::is_integer_field`],
/// are checked to be integers).
///
/// # Errors
/// `ERR_WECHAT` (`return_code` FAIL, or `err_code` such as `ORDERNOTEXIST`), the signature errors of
/// [`v2::verify`], `ERR_MERCHANT_MISMATCH`, `ERR_ANSWER_MISMATCH` (another order), `ERR_MALFORMED_MESSAGE`
/// (a missing `trade_state` or echo), `ERR_MALFORMED_XML`.
pub fn parse_order_query(xml: &str, from: V2Answerer<'_>, order: V2Order<'_>) -> Result<Fields> {
    let fields = verified_answer(xml, from)?;
    order.check(&fields)?;
    v2::required(&fields, "trade_state")?;
    Ok(fields)
}

/// A verified closeorder answer (it echoes no order number: the signature and merchant are what bind it).
///
/// # Errors
/// As [`parse_order_query`]; `err_code` `ORDERPAID` means the order was paid: query it, do not close.
pub fn parse_close_order(xml: &str, from: V2Answerer<'_>) -> Result<Fields> {
    verified_answer(xml, from)
}

/// What a refund request asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V2RefundAsked<'a> {
    /// The order refunded, as named in the request.
    pub order: V2Order<'a>,
    /// `out_refund_no`.
    pub out_refund_no: &'a str,
    /// `total_fee`, in fen.
    pub total_fee: i64,
    /// `refund_fee`, in fen.
    pub refund_fee: i64,
}

/// A verified refund answer about the refund asked for.
///
/// # Errors
/// As [`parse_order_query`]; `ERR_ANSWER_MISMATCH` for another order, `out_refund_no`, `total_fee` or
/// `refund_fee`.
pub fn parse_refund(xml: &str, from: V2Answerer<'_>, asked: V2RefundAsked<'_>) -> Result<Fields> {
    let fields = verified_answer(xml, from)?;
    asked.order.check(&fields)?;
    echo("out_refund_no", asked.out_refund_no, fields.get("out_refund_no"))?;
    let amount = |name| v2::parse_amount(fields.get(name).unwrap_or_default()).and_then(|n| i64::try_from(n).ok());
    echo_amount("total_fee", asked.total_fee, amount("total_fee"))?;
    echo_amount("refund_fee", asked.refund_fee, amount("refund_fee"))?;
    v2::required(&fields, "refund_id")?;
    Ok(fields)
}

/// The refund a refundquery answer names, by the `out_refund_no` asked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct V2RefundStatus {
    /// `out_refund_no_$n`: the number asked.
    pub out_refund_no: String,
    /// `refund_id_$n`: WeChat's refund number.
    pub refund_id: String,
    /// `refund_fee_$n`, in fen.
    pub refund_fee: i64,
    /// `refund_status_$n`: `SUCCESS`, `REFUNDCLOSE`, `PROCESSING` or `CHANGE` (abnormal).
    pub refund_status: String,
    /// `refund_success_time_$n`, once `SUCCESS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_success_time: Option<String>,
}

/// Most refunds one answer lists (WeChat pages them by 10; an order has at most 50).
const MAX_REFUNDS: usize = 50;

/// A verified refundquery answer, and in it the refund asked for by `out_refund_no`.
///
/// # Errors
/// As [`parse_order_query`] (`err_code` `REFUNDNOTEXIST`); `ERR_ANSWER_MISMATCH` when the answer lists other
/// refunds only; `ERR_MALFORMED_MESSAGE` when the refund's id, amount or status is missing.
pub fn parse_refund_query(xml: &str, from: V2Answerer<'_>, out_refund_no: &str) -> Result<(Fields, V2RefundStatus)> {
    let fields = verified_answer(xml, from)?;
    let named = |n: usize| fields.get(&format!("out_refund_no_{n}")).map(str::to_owned);
    let n = (0..MAX_REFUNDS).find(|&n| named(n).as_deref() == Some(out_refund_no)).ok_or_else(|| match named(0) {
        Some(other) => {
            Error::AnswerMismatch { field: "out_refund_no".into(), expected: out_refund_no.to_owned(), actual: other }
        }
        None => Error::message_field("out_refund_no_0", "missing"),
    })?;
    let field = |name: &str| {
        fields
            .get_non_empty(&format!("{name}_{n}"))
            .map(str::to_owned)
            .ok_or_else(|| Error::message_field(format!("{name}_{n}"), "missing"))
    };
    let refund_fee = v2::parse_amount(&field("refund_fee")?)
        .and_then(|a| i64::try_from(a).ok())
        .ok_or_else(|| Error::message_field(format!("refund_fee_{n}"), "expected an integer"))?;
    let status = V2RefundStatus {
        out_refund_no: out_refund_no.to_owned(),
        refund_id: field("refund_id")?,
        refund_fee,
        refund_status: field("refund_status")?,
        refund_success_time: field("refund_success_time").ok(),
    };
    Ok((fields, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
    const MERCHANT: Merchant<'static> = Merchant { appid: Some("wxd930ea5d5a258f4f"), mch_id: Some("10000100") };

    fn from<'a>(key: &'a ApiKey, merchant: Merchant<'a>) -> V2Answerer<'a> {
        V2Answerer { key, merchant, sign_type: SignType::Md5 }
    }

    fn answer(fields: &[(&str, &str)]) -> String {
        let key = ApiKey::new(KEY).unwrap();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let sign = v2::sign(&all, &key, SignType::Md5).unwrap();
        all.push(("sign", sign.as_str()));
        xml::build("xml", all.iter().map(|(k, v)| (*k, XmlValue::Text(v)))).unwrap()
    }

    const PAID: &[(&str, &str)] = &[
        ("return_code", "SUCCESS"),
        ("appid", "wxd930ea5d5a258f4f"),
        ("mch_id", "10000100"),
        ("nonce_str", "abc"),
        ("result_code", "SUCCESS"),
        ("trade_state", "SUCCESS"),
        ("out_trade_no", "A0001"),
        ("transaction_id", "4200000001"),
        ("total_fee", "888"),
    ];

    #[test]
    fn order_query_is_bound_to_the_order() {
        let key = ApiKey::new(KEY).unwrap();
        let xml = answer(PAID);
        let fields = parse_order_query(&xml, from(&key, MERCHANT), V2Order::OutTradeNo("A0001")).unwrap();
        assert_eq!(fields.get("trade_state"), Some("SUCCESS"));
        let e = parse_order_query(&xml, from(&key, MERCHANT), V2Order::OutTradeNo("B0002")).unwrap_err();
        assert_eq!(e.code(), "ERR_ANSWER_MISMATCH");
        let other = Merchant { appid: Some("wxd930ea5d5a258f4f"), mch_id: Some("10000101") };
        assert_eq!(
            parse_order_query(&xml, from(&key, other), V2Order::OutTradeNo("A0001")).unwrap_err().code(),
            "ERR_MERCHANT_MISMATCH"
        );
        let hmac = V2Answerer { sign_type: SignType::HmacSha256, ..from(&key, MERCHANT) };
        let e = parse_order_query(&xml, hmac, V2Order::OutTradeNo("A0001")).unwrap_err();
        assert_eq!(e.code(), "ERR_ALGORITHM_NOT_ALLOWED", "an MD5 answer to an HMAC-SHA256 request");
        let tampered = xml.replace("888", "1");
        assert_eq!(
            parse_order_query(&tampered, from(&key, MERCHANT), V2Order::OutTradeNo("A0001")).unwrap_err().code(),
            "ERR_SIGNATURE_MISMATCH"
        );
    }

    #[test]
    fn refund_answers_echo_the_amounts() {
        let key = ApiKey::new(KEY).unwrap();
        let mut fields = PAID.to_vec();
        fields.extend([("out_refund_no", "R1"), ("refund_id", "5000"), ("refund_fee", "100")]);
        let xml = answer(&fields);
        let asked =
            V2RefundAsked { order: V2Order::OutTradeNo("A0001"), out_refund_no: "R1", total_fee: 888, refund_fee: 100 };
        parse_refund(&xml, from(&key, MERCHANT), asked).unwrap();
        for wrong in [
            V2RefundAsked { out_refund_no: "R2", ..asked },
            V2RefundAsked { total_fee: 889, ..asked },
            V2RefundAsked { refund_fee: 888, ..asked },
            V2RefundAsked { order: V2Order::TransactionId("4200000002"), ..asked },
        ] {
            assert_eq!(parse_refund(&xml, from(&key, MERCHANT), wrong).unwrap_err().code(), "ERR_ANSWER_MISMATCH");
        }
    }

    #[test]
    fn refund_query_finds_the_refund_asked() {
        let key = ApiKey::new(KEY).unwrap();
        let mut fields = PAID.to_vec();
        fields.extend([
            ("refund_count", "2"),
            ("out_refund_no_0", "R0"),
            ("refund_id_0", "500"),
            ("refund_fee_0", "100"),
            ("refund_status_0", "SUCCESS"),
            ("refund_success_time_0", "2026-11-27 12:00:00"),
            ("out_refund_no_1", "R1"),
            ("refund_id_1", "501"),
            ("refund_fee_1", "200"),
            ("refund_status_1", "PROCESSING"),
        ]);
        let xml = answer(&fields);
        let (_, r) = parse_refund_query(&xml, from(&key, MERCHANT), "R1").unwrap();
        assert_eq!((r.refund_id.as_str(), r.refund_fee, r.refund_status.as_str()), ("501", 200, "PROCESSING"));
        assert_eq!(r.refund_success_time, None);
        let (_, r0) = parse_refund_query(&xml, from(&key, MERCHANT), "R0").unwrap();
        assert_eq!(r0.refund_success_time.as_deref(), Some("2026-11-27 12:00:00"));
        let e = parse_refund_query(&xml, from(&key, MERCHANT), "R9").unwrap_err();
        assert_eq!((e.code(), e.to_string().contains("\"R0\"")), ("ERR_ANSWER_MISMATCH", true));
    }

    #[test]
    fn business_failures_are_wechat_errors() {
        let key = ApiKey::new(KEY).unwrap();
        let xml = answer(&[
            ("return_code", "SUCCESS"),
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("result_code", "FAIL"),
            ("err_code", "ORDERPAID"),
            ("err_code_des", "订单已支付"),
        ]);
        let e = parse_close_order(&xml, from(&key, MERCHANT)).unwrap_err();
        assert_eq!((e.code(), e.to_string().contains("ORDERPAID")), ("ERR_WECHAT", true));
    }

    #[test]
    fn requests_are_signed() {
        let key = ApiKey::new(KEY).unwrap();
        let fields = [
            ("appid", XmlValue::Text("wxd930ea5d5a258f4f")),
            ("mch_id", XmlValue::Text("10000100")),
            ("out_trade_no", XmlValue::Text("A0001")),
        ];
        let xml = build_request(&fields, &key, SignType::HmacSha256, "n0nce").unwrap();
        let parsed = v2::parse_message(&xml, "xml").unwrap();
        v2::verify(&parsed.pairs(), &key, Algorithms::ANY).unwrap();
        assert_eq!(parsed.get("sign_type"), Some("HMAC-SHA256"));
        let sneaky = [("appid", XmlValue::Text("wx1")), ("mch_id", XmlValue::Text("1")), ("sign", XmlValue::Text("x"))];
        assert_eq!(build_request(&sneaky, &key, SignType::Md5, "n").unwrap_err().code(), "ERR_INVALID_INPUT");
    }
}
