//! API v3 answers: errors, prepay answers, and transactions and refunds bound to the request that asked.
//!
//! Sources: "查询订单" (pay.weixin.qq.com/doc/v3/merchant/4012525153; partner: doc/v3/partner/4012523579): a
//! transaction echoes `appid`, `mchid` (partner: `sp_appid`, `sp_mchid`, `sub_mchid`), `out_trade_no`, and
//! once paid `transaction_id`, `amount.total`; "退款申请" / "查询单笔退款" (doc/v3/merchant/4012552567): a refund
//! echoes `out_refund_no`, `transaction_id`, `out_trade_no`, `amount.total`, `amount.refund`; "错误码"
//! (pay.weixin.qq.com/wiki/doc/apiv3/Share/error_code.shtml): an error answer is `{"code","message","detail"?}`;
//! the prepay pages: JSAPI and APP answer `prepay_id`, H5 `h5_url`, Native `code_url`.

use serde::Deserialize;

use super::{echo, echo_amount, echo_merchant};
use crate::error::{Error, Result, WechatError};
use crate::json::from_slice as strict_json;

/// Whose request it is: a merchant for itself, or a service provider (服务商) for one of its sub-merchants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merchant<'a> {
    /// A merchant paid directly (直连商户): `mchid`.
    Direct {
        /// The merchant id, as in the `Authorization` header.
        mchid: &'a str,
    },
    /// A service provider acting for a sub-merchant: `sp_mchid` (the `Authorization` header's) and `sub_mchid`.
    Partner {
        /// The service provider's merchant id.
        sp_mchid: &'a str,
        /// The sub-merchant's id.
        sub_mchid: &'a str,
    },
}

/// Which order a request names: the merchant's number, or WeChat's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderRef<'a> {
    /// `out_trade_no`: the merchant's order number.
    OutTradeNo(&'a str),
    /// `transaction_id`: WeChat's payment number.
    TransactionId(&'a str),
}

impl OrderRef<'_> {
    fn check(self, out_trade_no: Option<&str>, transaction_id: Option<&str>) -> Result<()> {
        match self {
            OrderRef::OutTradeNo(no) => echo("out_trade_no", no, out_trade_no),
            OrderRef::TransactionId(id) => echo("transaction_id", id, transaction_id),
        }
    }
}

/// The amounts an answer may echo, in fen.
#[derive(Debug, Default, Deserialize)]
struct AmountView {
    total: Option<i64>,
    refund: Option<i64>,
}

/// What the checks read of any answer (transaction, refund, prepay, media): one view for all, so the wasm carries
/// one strict reader rather than one per answer; the members an answer does not have stay `None`.
#[derive(Debug, Default, Deserialize)]
struct AnswerView {
    mchid: Option<String>,
    sp_mchid: Option<String>,
    sub_mchid: Option<String>,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
    trade_state: Option<String>,
    out_refund_no: Option<String>,
    status: Option<String>,
    #[serde(default)]
    amount: AmountView,
    prepay_id: Option<String>,
    h5_url: Option<String>,
    code_url: Option<String>,
    media_id: Option<String>,
}

/// Checks that a verified transaction answer (query by `out_trade_no` or `transaction_id`) is about the order
/// asked for, of the merchant asking, and says its state; a paid one (`SUCCESS`, or `REFUND` after a refund)
/// also says WeChat's payment number and its amount, which the query page returns once the order is paid.
///
/// # Errors
/// - `ERR_MERCHANT_MISMATCH`: another `mchid` (partner: `sp_mchid`, `sub_mchid`);
/// - `ERR_ANSWER_MISMATCH`: another `out_trade_no` / `transaction_id`: a genuine answer about another order;
/// - `ERR_MALFORMED_MESSAGE`: an echoed field or `trade_state` is missing, or a paid order's `transaction_id`
///   or `amount.total`; `ERR_MALFORMED_JSON`.
pub fn check_transaction(merchant: Merchant<'_>, order: OrderRef<'_>, body: &[u8]) -> Result<()> {
    let t: AnswerView = strict_json(body)?;
    check_merchant(merchant, t.mchid.as_deref(), t.sp_mchid.as_deref(), t.sub_mchid.as_deref())?;
    order.check(t.out_trade_no.as_deref(), t.transaction_id.as_deref())?;
    if t.trade_state.as_deref().is_none_or(str::is_empty) {
        return Err(Error::message_field("trade_state", "missing"));
    }
    if matches!(t.trade_state.as_deref(), Some("SUCCESS" | "REFUND")) {
        if t.transaction_id.as_deref().is_none_or(str::is_empty) {
            return Err(Error::message_field("transaction_id", "missing: a paid order has WeChat's payment number"));
        }
        if t.amount.total.is_none() {
            return Err(Error::message_field("amount.total", "missing: a paid order has its amount"));
        }
    }
    Ok(())
}

fn check_merchant(merchant: Merchant<'_>, mchid: Option<&str>, sp: Option<&str>, sub: Option<&str>) -> Result<()> {
    match merchant {
        Merchant::Direct { mchid: expected } => echo_merchant("mchid", expected, mchid),
        Merchant::Partner { sp_mchid, sub_mchid } => {
            echo_merchant("sp_mchid", sp_mchid, sp)?;
            echo_merchant("sub_mchid", sub_mchid, sub)
        }
    }
}

/// What a refund request asked: the refund number always; for a new refund, the order and the amounts sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundAsked<'a> {
    /// `out_refund_no`.
    pub out_refund_no: &'a str,
    /// The order refunded, as the request named it (creating a refund).
    pub order: Option<OrderRef<'a>>,
    /// `amount.refund` sent, in fen (creating a refund).
    pub refund: Option<i64>,
    /// `amount.total` sent, in fen (creating a refund).
    pub total: Option<i64>,
    /// `sub_mchid` sent (partner mode): checked when the answer carries it.
    pub sub_mchid: Option<&'a str>,
}

/// Checks that a verified refund answer (create, or query by `out_refund_no`) is about the refund asked for.
///
/// # Errors
/// - `ERR_ANSWER_MISMATCH`: another `out_refund_no`, order, `amount.refund` or `amount.total`;
/// - `ERR_MERCHANT_MISMATCH`: another `sub_mchid`;
/// - `ERR_MALFORMED_MESSAGE`: an echoed field or `status` is missing; `ERR_MALFORMED_JSON`.
pub fn check_refund(asked: RefundAsked<'_>, body: &[u8]) -> Result<()> {
    let r: AnswerView = strict_json(body)?;
    echo("out_refund_no", asked.out_refund_no, r.out_refund_no.as_deref())?;
    if let (Some(expected), Some(actual)) = (asked.sub_mchid, r.sub_mchid.as_deref()) {
        echo_merchant("sub_mchid", expected, Some(actual))?;
    }
    if let Some(order) = asked.order {
        order.check(r.out_trade_no.as_deref(), r.transaction_id.as_deref())?;
    }
    if let Some(refund) = asked.refund {
        echo_amount("amount.refund", refund, r.amount.refund)?;
    }
    if let Some(total) = asked.total {
        echo_amount("amount.total", total, r.amount.total)?;
    }
    if r.status.as_deref().is_none_or(str::is_empty) {
        return Err(Error::message_field("status", "missing"));
    }
    Ok(())
}

/// The kinds of prepay, by what their answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepay {
    /// JSAPI / mini program and APP: `prepay_id`.
    PrepayId,
    /// H5: `h5_url`, opened in the payer's mobile browser.
    H5Url,
    /// Native: `code_url`, shown as a QR code.
    CodeUrl,
}

impl Prepay {
    /// The answer's field.
    pub const fn field(self) -> &'static str {
        match self {
            Prepay::PrepayId => "prepay_id",
            Prepay::H5Url => "h5_url",
            Prepay::CodeUrl => "code_url",
        }
    }
}

/// The value of a verified prepay answer: `prepay_id`, `h5_url` or `code_url`, present and printable ASCII.
///
/// # Errors
/// `ERR_MALFORMED_MESSAGE` when the field is missing or not a URL or id; `ERR_MALFORMED_JSON`.
pub fn prepay_answer(kind: Prepay, body: &[u8]) -> Result<String> {
    let p: AnswerView = strict_json(body)?;
    let value = match kind {
        Prepay::PrepayId => p.prepay_id,
        Prepay::H5Url => p.h5_url,
        Prepay::CodeUrl => p.code_url,
    };
    let value = value.filter(|v| !v.is_empty()).ok_or_else(|| Error::message_field(kind.field(), "missing"))?;
    let shaped = match kind {
        Prepay::PrepayId => {
            value.len() <= 64 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        Prepay::H5Url | Prepay::CodeUrl => value.len() <= 2048 && value.bytes().all(|b| b.is_ascii_graphic()),
    };
    if !shaped {
        return Err(Error::message_field(kind.field(), "not the id or URL WeChat sends"));
    }
    Ok(value)
}

/// The `media_id` of a verified media upload answer.
///
/// Source: "图片上传" (pay.weixin.qq.com/docs/partner/apis/contracted-merchant-application/upload.html): the answer
/// is `{"media_id"}`, at most 512 characters.
///
/// # Errors
/// `ERR_MALFORMED_MESSAGE` when it is missing or not printable ASCII; `ERR_MALFORMED_JSON`.
pub fn media_answer(body: &[u8]) -> Result<String> {
    let m: AnswerView = strict_json(body)?;
    m.media_id
        .filter(|id| !id.is_empty() && id.len() <= 512 && id.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| Error::message_field("media_id", "missing, or not the id WeChat sends"))
}

const NOT_FOR_THIS_KEY: &str = "the field was not encrypted to this merchant's certificate (RSA-OAEP with SHA-1), \
                                 or it was altered";

/// The ciphertext of a sensitive field of an answer, base64-decoded: one RSA block of 256 to 512 bytes.
///
/// Source: "敏感信息加解密" (pay.weixin.qq.com/docs/partner/development/interface-rules/sensitive-data-encryption.html):
/// answers encrypt sensitive fields to the merchant's API certificate with RSAES-OAEP (SHA-1, MGF1-SHA1).
///
/// # Errors
/// `ERR_DECRYPT_FAILED` for text that is not base64 of one RSA block.
pub fn sensitive_ciphertext(text: &str) -> Result<Vec<u8>> {
    use base64ct::{Base64, Encoding};
    match Base64::decode_vec(text) {
        Ok(bytes) if (256..=512).contains(&bytes.len()) => Ok(bytes),
        _ => Err(Error::DecryptFailed { hint: "not base64 of one RSA block (344 characters for RSA 2048)".into() }),
    }
}

/// The plaintext of a sensitive field, from what the host's RSA-OAEP gave (`None`: it did not decrypt).
///
/// # Errors
/// `ERR_DECRYPT_FAILED` when it did not decrypt or is not UTF-8.
pub fn sensitive_plaintext(plaintext: Option<&[u8]>) -> Result<String> {
    plaintext
        .and_then(|p| std::str::from_utf8(p).ok())
        .map(str::to_owned)
        .ok_or_else(|| Error::DecryptFailed { hint: NOT_FOR_THIS_KEY.into() })
}

/// The parameters of APP 调起支付 (the OpenSDK's `PayReq`), field names as WeChat's APP pages spell them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppPayment {
    /// The mobile app's AppID (`appid` of the order).
    pub appid: String,
    /// The merchant id (partner mode: the sub-merchant's).
    pub partnerid: String,
    /// The bare `prepay_id`.
    pub prepayid: String,
    /// Always `Sign=WXPay`.
    pub package: String,
    /// 1 to 32 letters and digits.
    pub noncestr: String,
    /// Unix seconds.
    pub timestamp: String,
    /// RSA (SHA256withRSA, base64) over `appid\ntimestamp\nnoncestr\nprepayid\n`.
    pub sign: String,
}

/// The message APP 调起支付 signs: `appid\ntimestamp\nnoncestr\nprepayid\n`, the prepay_id bare (not
/// `prepay_id=…` as in JSAPI).
///
/// Source: "APP调起支付签名" (pay.weixin.qq.com/doc/v3/merchant/4012365340).
///
/// # Errors
/// `ERR_INVALID_INPUT` naming a malformed `appId`, `prepayId`, `timeStamp` or `nonceStr`.
pub fn app_payment_message(input: crate::payment::PaymentInput<'_>) -> Result<Vec<u8>> {
    input.check()?;
    Ok(format!("{}\n{}\n{}\n{}\n", input.app_id, input.time_stamp, input.nonce_str, input.prepay_id).into_bytes())
}

/// The APP parameters, once [`app_payment_message`] was signed with the merchant key.
///
/// # Errors
/// As [`app_payment_message`], and `ERR_INVALID_INPUT` for a `partnerId` that is not a merchant id.
pub fn app_payment(input: crate::payment::PaymentInput<'_>, partner_id: &str, signature: &[u8]) -> Result<AppPayment> {
    input.check()?;
    if partner_id.is_empty() || partner_id.len() > 32 || !partner_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::input("partnerId", "the merchant id (商户号), digits"));
    }
    Ok(AppPayment {
        appid: input.app_id.to_owned(),
        partnerid: partner_id.to_owned(),
        prepayid: input.prepay_id.to_owned(),
        package: "Sign=WXPay".to_owned(),
        noncestr: input.nonce_str.to_owned(),
        timestamp: input.time_stamp.to_owned(),
        sign: <base64ct::Base64 as base64ct::Encoding>::encode_string(signature),
    })
}

/// Longest `message` kept from an error answer: WeChat's are one sentence.
const MAX_MESSAGE_CHARS: usize = 512;

/// WeChat's error object; `detail` is kept as the JSON it was (read as strictly as the rest).
#[derive(Debug, Deserialize)]
struct ErrorView {
    code: Option<String>,
    message: Option<String>,
    detail: Option<Box<serde_json::value::RawValue>>,
}

/// The error an API v3 answer with a status other than 2xx stands for: WeChat's `code`, `message` and
/// `detail` when the body is its JSON error object, the status, the `Request-ID`, and whether the answer was
/// signed (an unsigned error answer proves nothing: report it, act on nothing in it).
pub fn error_answer(status: u16, verified: bool, request_id: Option<&str>, body: &[u8]) -> Error {
    let parsed = strict_json::<ErrorView>(body).ok();
    let (code, message, detail) = match parsed {
        Some(e) => (e.code.unwrap_or_default(), e.message, e.detail),
        None => (String::new(), None, None),
    };
    let message = match message {
        Some(m) => m.chars().take(MAX_MESSAGE_CHARS).collect(),
        None if body.is_empty() => "(an empty body)".to_owned(),
        None => format!("(a {}-byte body that is not WeChat's {{code, message}} JSON)", body.len()),
    };
    let code = if code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        code
    } else {
        String::new()
    };
    Error::Wechat(WechatError::V3 {
        status,
        code,
        message,
        detail: detail.map(|d| d.get().to_owned()).filter(|d| d != "null"),
        request_id: request_id.filter(|r| !r.is_empty() && r.len() <= 128).map(str::to_owned),
        verified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIRECT: Merchant<'static> = Merchant::Direct { mchid: "1900007291" };
    const PAID: &str = r#"{"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"A0001","transaction_id":"4200000001","trade_state":"SUCCESS","amount":{"total":888}}"#;

    #[test]
    fn a_transaction_about_the_order_asked() {
        check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), PAID.as_bytes()).unwrap();
        check_transaction(DIRECT, OrderRef::TransactionId("4200000001"), PAID.as_bytes()).unwrap();
    }

    #[test]
    fn a_transaction_about_another_order_is_refused() {
        let e = check_transaction(DIRECT, OrderRef::OutTradeNo("B0002"), PAID.as_bytes()).unwrap_err();
        assert_eq!(e.code(), "ERR_ANSWER_MISMATCH");
        assert!(e.to_string().contains("\"A0001\"") && e.to_string().contains("\"B0002\""));
        let e = check_transaction(DIRECT, OrderRef::TransactionId("4200000002"), PAID.as_bytes()).unwrap_err();
        assert_eq!(e.code(), "ERR_ANSWER_MISMATCH");
        let other = Merchant::Direct { mchid: "1900000001" };
        assert_eq!(
            check_transaction(other, OrderRef::OutTradeNo("A0001"), PAID.as_bytes()).unwrap_err().code(),
            "ERR_MERCHANT_MISMATCH"
        );
    }

    #[test]
    fn duplicate_keys_and_missing_echoes_are_refused() {
        let dup = r#"{"mchid":"1900007291","out_trade_no":"B0002","out_trade_no":"A0001","trade_state":"SUCCESS"}"#;
        assert_eq!(
            check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), dup.as_bytes()).unwrap_err().code(),
            "ERR_MALFORMED_JSON"
        );
        let bare = r#"{"trade_state":"USERPAYING"}"#;
        assert_eq!(
            check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), bare.as_bytes()).unwrap_err().code(),
            "ERR_MALFORMED_MESSAGE"
        );
        for unpaid in [
            r#"{"mchid":"1900007291","out_trade_no":"A0001","trade_state":"SUCCESS","amount":{"total":888}}"#,
            r#"{"mchid":"1900007291","out_trade_no":"A0001","transaction_id":"4200000001","trade_state":"REFUND"}"#,
        ] {
            let e = check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), unpaid.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_MESSAGE", "a paid order without its number or amount: {unpaid}");
        }
        let open = r#"{"mchid":"1900007291","out_trade_no":"A0001","trade_state":"NOTPAY"}"#;
        check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), open.as_bytes()).unwrap();
        let typed = r#"{"mchid":1900007291,"out_trade_no":"A0001","trade_state":"SUCCESS"}"#;
        assert_eq!(
            check_transaction(DIRECT, OrderRef::OutTradeNo("A0001"), typed.as_bytes()).unwrap_err().code(),
            "ERR_MALFORMED_MESSAGE"
        );
    }

    #[test]
    fn partner_transactions_check_both_merchants() {
        let partner = Merchant::Partner { sp_mchid: "1900000100", sub_mchid: "1900000109" };
        let body =
            r#"{"sp_mchid":"1900000100","sub_mchid":"1900000109","out_trade_no":"A0001","trade_state":"NOTPAY"}"#;
        check_transaction(partner, OrderRef::OutTradeNo("A0001"), body.as_bytes()).unwrap();
        let other = Merchant::Partner { sp_mchid: "1900000100", sub_mchid: "1900000110" };
        let e = check_transaction(other, OrderRef::OutTradeNo("A0001"), body.as_bytes()).unwrap_err();
        assert_eq!((e.code(), e.to_string().contains("sub_mchid")), ("ERR_MERCHANT_MISMATCH", true));
    }

    #[test]
    fn refunds_echo_the_number_order_and_amounts() {
        let body = r#"{"refund_id":"50000","out_refund_no":"R1","transaction_id":"4200000001","out_trade_no":"A0001","status":"PROCESSING","amount":{"total":888,"refund":100}}"#;
        let asked = RefundAsked {
            out_refund_no: "R1",
            order: Some(OrderRef::OutTradeNo("A0001")),
            refund: Some(100),
            total: Some(888),
            sub_mchid: None,
        };
        check_refund(asked, body.as_bytes()).unwrap();
        for (wrong, field) in [
            (RefundAsked { out_refund_no: "R2", ..asked }, "out_refund_no"),
            (RefundAsked { order: Some(OrderRef::OutTradeNo("B")), ..asked }, "out_trade_no"),
            (RefundAsked { refund: Some(888), ..asked }, "amount.refund"),
            (RefundAsked { total: Some(1), ..asked }, "amount.total"),
        ] {
            let e = check_refund(wrong, body.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "ERR_ANSWER_MISMATCH", "{field}");
            assert_eq!(serde_json::to_value(e.context()).unwrap()["field"], field);
        }
        let query = RefundAsked { out_refund_no: "R1", order: None, refund: None, total: None, sub_mchid: None };
        check_refund(query, body.as_bytes()).unwrap();
    }

    #[test]
    fn prepay_answers() {
        assert_eq!(prepay_answer(Prepay::PrepayId, br#"{"prepay_id":"wx2014"}"#).unwrap(), "wx2014");
        assert_eq!(
            prepay_answer(Prepay::CodeUrl, br#"{"code_url":"weixin://wxpay/bizpayurl?pr=x"}"#).unwrap(),
            "weixin://wxpay/bizpayurl?pr=x"
        );
        assert_eq!(
            prepay_answer(Prepay::H5Url, br#"{"code_url":"weixin://x"}"#).unwrap_err().code(),
            "ERR_MALFORMED_MESSAGE"
        );
        assert_eq!(
            prepay_answer(Prepay::PrepayId, br#"{"prepay_id":"wx 1"}"#).unwrap_err().code(),
            "ERR_MALFORMED_MESSAGE"
        );
        assert_eq!(prepay_answer(Prepay::PrepayId, b"<html>").unwrap_err().code(), "ERR_MALFORMED_JSON");
    }

    #[test]
    fn error_answers_keep_wechats_words() {
        let body = r#"{"code":"ORDER_NOT_EXIST","message":"订单不存在","detail":{"location":"path"}}"#.as_bytes();
        let e = error_answer(404, true, Some("08F0-123"), body);
        assert_eq!(e.code(), "ERR_WECHAT");
        assert_eq!(e.to_string(), "WeChat Pay answered HTTP 404 ORDER_NOT_EXIST: 订单不存在");
        let context = serde_json::to_value(e.context()).unwrap();
        assert_eq!(context["wechatCode"], "ORDER_NOT_EXIST");
        assert_eq!(context["detail"], serde_json::json!({ "location": "path" }));
        // `detail` exactly as sent, numbers' text and spaces included
        let body = br#"{"code":"PARAM_ERROR","message":"x","detail":{"field": "amount", "value": 1.50}}"#;
        let detail = |e: &Error| match e {
            Error::Wechat(WechatError::V3 { code, detail, .. }) => (code.clone(), detail.clone()),
            other => panic!("{other:?}"),
        };
        let kept = r#"{"field": "amount", "value": 1.50}"#.to_owned();
        assert_eq!(detail(&error_answer(400, true, None, body)), ("PARAM_ERROR".into(), Some(kept)));
        // read as strictly as any answer: a duplicate key, in `detail` too, leaves nothing believed but the status
        for ambiguous in [
            br#"{"code":"PARAM_ERROR","message":"x","detail":{"field":"a","field":"b"}}"#.as_slice(),
            br#"{"code":"PARAM_ERROR","code":"SYSTEM_ERROR","message":"x"}"#,
        ] {
            let e = error_answer(400, true, None, ambiguous);
            assert_eq!(detail(&e), (String::new(), None));
            assert!(e.to_string().contains("not WeChat's {code, message} JSON"), "{e}");
        }
        let html = error_answer(502, false, None, b"<html>bad gateway</html>");
        assert!(html.to_string().contains("HTTP 502 (no code)") && html.to_string().contains("unsigned"));
        assert!(serde_json::to_value(html.context()).unwrap().get("wechatCode").is_none());
    }
}
