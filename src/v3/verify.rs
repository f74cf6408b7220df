//! Verifying: every check around the RSA operation, failing closed, each with its own code.
//!
//! The RSA verification itself is the caller's (the host's crypto in JavaScript, [`super::PublicKey::verify`]
//! natively): the checks here return a [`SignatureCheck`], and [`SignatureCheck::conclude`] turns the RSA
//! outcome into the result.
//!
//! Source: "如何使用微信支付公钥验签" (pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html)
//! and "如何使用平台证书验签名" (pay.weixin.qq.com/doc/v3/partner/4013059030): the message is
//! `Wechatpay-Timestamp\nWechatpay-Nonce\nBODY\n` over the raw body, verified with the key that
//! `Wechatpay-Serial` names; a timestamp more than 5 minutes from now is rejected ("如果时间戳与当前时间的偏差超过
//! 5分钟，您应拒绝处理"); a 2xx response without signature headers is forged (wechatpay3_3); a `Wechatpay-Signature`
//! starting `WECHATPAY/SIGNTEST/` is WeChat's probe and must fail (doc/v3/merchant/4016241880).

use super::sign::{canonical_method, canonical_url};
use super::{SIGNATURE_TYPE, lines};
use serde::Serialize;

use crate::error::{Error, Result};

/// The `Wechatpay-*` headers of a response or notification, as received (`None` or empty: absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WechatpayHeaders<'a> {
    /// `Wechatpay-Timestamp`.
    pub timestamp: Option<&'a str>,
    /// `Wechatpay-Nonce`.
    pub nonce: Option<&'a str>,
    /// `Wechatpay-Signature`.
    pub signature: Option<&'a str>,
    /// `Wechatpay-Serial`.
    pub serial: Option<&'a str>,
    /// `Wechatpay-Signature-Type`.
    pub signature_type: Option<&'a str>,
    /// `Request-ID`, for WeChat's support.
    pub request_id: Option<&'a str>,
}

/// The verifier's clock and tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// The current time, Unix seconds.
    pub now: i64,
    /// The largest `|now − timestamp|` accepted, in seconds (WeChat recommends 300).
    pub max_skew: u32,
}

impl Freshness {
    fn check(self, header: &'static str, timestamp: &str) -> Result<i64> {
        let ts = (!timestamp.is_empty() && timestamp.len() <= 12 && timestamp.bytes().all(|b| b.is_ascii_digit()))
            .then(|| timestamp.parse::<i64>().ok())
            .flatten()
            .ok_or_else(|| Error::message_field(header, "expected Unix time in seconds"))?;
        if self.now.abs_diff(ts) > u64::from(self.max_skew) {
            return Err(Error::TimestampSkew { timestamp: ts, now: self.now, max_skew: i64::from(self.max_skew) });
        }
        Ok(ts)
    }
}

/// What remains once every other check passed: RSASSA-PKCS1-v1_5/SHA-256 of `message` under key number `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Index of the key, in the order `find_key` numbers them.
    pub key: usize,
    /// The signed message.
    pub message: Vec<u8>,
    /// The raw signature.
    pub signature: Vec<u8>,
    hint: &'static str,
}

impl SignatureCheck {
    /// The verdict, given whether the RSA signature verified.
    ///
    /// # Errors
    /// `ERR_SIGNATURE_MISMATCH` when it did not, with the usual cause as advice.
    pub fn conclude(&self, verified: bool) -> Result<()> {
        if verified { Ok(()) } else { Err(Error::SignatureMismatch { hint: self.hint.into() }) }
    }
}

const RAW_BODY: &str = "pass the raw body exactly as received (a string or bytes, not re-serialised JSON: e.g. \
                        express.raw(), await request.text()), and check that the key configured for this \
                        Wechatpay-Serial is WeChat Pay's public key or platform certificate with that serial";

/// Signatures are base64 of 256 to 512 bytes (RSA 2048 to 4096).
fn decode_signature(text: &str) -> Result<Vec<u8>> {
    let bytes = super::decode_public_base64(text).ok_or_else(|| Error::MalformedSignature {
        problem: "not base64 (a 2048-bit RSA signature is 344 base64 characters)".into(),
    })?;
    if (256..=512).contains(&bytes.len()) {
        Ok(bytes)
    } else {
        Err(Error::MalformedSignature {
            problem: format!("{} bytes; an RSA signature of WeChat Pay has 256", bytes.len()).into(),
        })
    }
}

fn printable(header: &'static str, value: &str) -> Result<()> {
    if value.len() <= 256 && value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Error::message_field(header, "expected at most 256 printable ASCII characters"))
    }
}

/// A checked signed message: what its headers said.
struct Signed<'a> {
    serial: &'a str,
    timestamp: i64,
    nonce: &'a str,
    check: SignatureCheck,
}

/// The checks shared by responses and notifications, in this order: headers present, signature type,
/// probe, timestamp, serial, signature encoding.
fn check_signed<'a>(
    headers: &WechatpayHeaders<'a>,
    body: &[u8],
    freshness: Freshness,
    find_key: impl Fn(&str) -> Option<usize>,
) -> Result<Signed<'a>> {
    let required = |value: Option<&'a str>, header: &'static str| {
        value.filter(|v| !v.is_empty()).ok_or(Error::MissingHeader { header: header.into() })
    };
    let timestamp = required(headers.timestamp, "Wechatpay-Timestamp")?;
    let nonce = required(headers.nonce, "Wechatpay-Nonce")?;
    let signature = required(headers.signature, "Wechatpay-Signature")?;
    let serial = required(headers.serial, "Wechatpay-Serial")?;
    if let Some(t) = headers.signature_type.filter(|t| !t.is_empty() && *t != SIGNATURE_TYPE) {
        return Err(Error::unsupported("Wechatpay-Signature-Type", t));
    }
    if signature.starts_with("WECHATPAY/SIGNTEST/") {
        return Err(Error::SignatureProbe);
    }
    let ts = freshness.check("Wechatpay-Timestamp", timestamp)?;
    printable("Wechatpay-Nonce", nonce)?;
    printable("Wechatpay-Serial", serial)?;
    let key = find_key(serial).ok_or_else(|| Error::UnknownSerial { serial: serial.to_owned() })?;
    let signature = decode_signature(signature)?;
    let message = lines(&[timestamp.as_bytes(), nonce.as_bytes(), body]);
    Ok(Signed { serial, timestamp: ts, nonce, check: SignatureCheck { key, message, signature, hint: RAW_BODY } })
}

/// What `verifyResponse` returns: whether the response was signed (and so verified), and by what; serialized
/// as `{verified, serial?, timestamp?, nonce?, requestId?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedResponse<'a> {
    /// `false` only for a non-2xx response without `Wechatpay-Signature` (WeChat's error bodies are often
    /// unsigned); the caller reads its `{code, message}` as untrusted.
    pub verified: bool,
    /// `Wechatpay-Serial`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<&'a str>,
    /// `Wechatpay-Timestamp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// `Wechatpay-Nonce`: cache it for the skew window to refuse replays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<&'a str>,
    /// `Request-ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<&'a str>,
}

/// Checks a response from WeChat Pay. A 2xx must carry every `Wechatpay-*` header; a non-2xx is checked the
/// same way when it has a `Wechatpay-Signature`, else it is returned unverified with no check to run.
/// `find_key` maps a serial to a key index.
///
/// # Errors
/// - `ERR_INVALID_INPUT`: `status` is not an HTTP status;
/// - `ERR_MISSING_HEADER`: a `Wechatpay-*` header is missing (names it);
/// - `ERR_UNSUPPORTED_ALGORITHM`: a `Wechatpay-Signature-Type` other than `WECHATPAY2-SHA256-RSA2048`;
/// - `ERR_SIGNATURE_PROBE`: a `WECHATPAY/SIGNTEST/` signature;
/// - `ERR_MALFORMED_MESSAGE`: a timestamp that is not Unix seconds, a nonce or serial that is not printable;
/// - `ERR_TIMESTAMP_SKEW`: `|now − timestamp| > max_skew`;
/// - `ERR_UNKNOWN_SERIAL`: no key for `Wechatpay-Serial` (nothing is ever fetched);
/// - `ERR_MALFORMED_SIGNATURE`: a signature that is not base64 of 256 to 512 bytes.
pub fn check_response<'a>(
    status: u16,
    headers: &WechatpayHeaders<'a>,
    body: &[u8],
    freshness: Freshness,
    find_key: impl Fn(&str) -> Option<usize>,
) -> Result<(VerifiedResponse<'a>, Option<SignatureCheck>)> {
    if !(100..=599).contains(&status) {
        return Err(Error::input("status", "an HTTP status code (100 to 599)"));
    }
    let request_id = headers.request_id.filter(|r| !r.is_empty());
    if !(200..300).contains(&status) && headers.signature.is_none_or(str::is_empty) {
        let unsigned = VerifiedResponse { verified: false, serial: None, timestamp: None, nonce: None, request_id };
        return Ok((unsigned, None));
    }
    let s = check_signed(headers, body, freshness, find_key)?;
    let response = VerifiedResponse {
        verified: true,
        serial: Some(s.serial),
        timestamp: Some(s.timestamp),
        nonce: Some(s.nonce),
        request_id,
    };
    Ok((response, Some(s.check)))
}

/// Checks a notification (a `POST` from WeChat Pay to your `notify_url`): every `Wechatpay-*` header is
/// required. Open it with [`super::open_notification`] once the signature verified.
///
/// # Errors
/// As [`check_response`], but for `status`.
pub fn check_notification(
    headers: &WechatpayHeaders<'_>,
    body: &[u8],
    freshness: Freshness,
    find_key: impl Fn(&str) -> Option<usize>,
) -> Result<SignatureCheck> {
    check_signed(headers, body, freshness, find_key).map(|s| s.check)
}

/// A merchant request's parsed `Authorization` header (WeChat's side: simulators and tests); serialized as
/// `{mchid, serialNo, timestamp, nonceStr}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization<'a> {
    /// `mchid`.
    pub mchid: &'a str,
    /// `serial_no`: the merchant certificate's serial.
    pub serial_no: &'a str,
    /// `timestamp`.
    pub timestamp: i64,
    /// `nonce_str`.
    pub nonce_str: &'a str,
}

/// Checks a merchant's request the way WeChat Pay does: the `Authorization` header's five items, the skew,
/// the key for its `serial_no`, and the message `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`.
///
/// # Errors
/// - `ERR_MISSING_HEADER`: no `Authorization`;
/// - `ERR_UNSUPPORTED_ALGORITHM`: a scheme other than `WECHATPAY2-SHA256-RSA2048`;
/// - `ERR_MALFORMED_SIGNATURE`: items missing, repeated, unknown or unquoted, or a bad signature encoding;
/// - `ERR_INVALID_INPUT`: a malformed `method` or `url`;
/// - `ERR_TIMESTAMP_SKEW`, `ERR_UNKNOWN_SERIAL`, `ERR_MALFORMED_MESSAGE` as for responses.
pub fn check_request<'a>(
    method: &str,
    url: &str,
    authorization: Option<&'a str>,
    body: &[u8],
    freshness: Freshness,
    find_key: impl Fn(&str) -> Option<usize>,
) -> Result<(Authorization<'a>, SignatureCheck)> {
    let method = canonical_method(method)?;
    let url = canonical_url(url)?;
    let header =
        authorization.filter(|a| !a.is_empty()).ok_or(Error::MissingHeader { header: "Authorization".into() })?;
    let items = parse_authorization(header)?;
    let item = |name: &str| items.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or_default();
    let (mchid, nonce, signature, timestamp, serial) =
        (item("mchid"), item("nonce_str"), item("signature"), item("timestamp"), item("serial_no"));
    if signature.starts_with("WECHATPAY/SIGNTEST/") {
        return Err(Error::SignatureProbe);
    }
    let ts = freshness.check("timestamp", timestamp)?;
    for (name, value) in [("mchid", mchid), ("nonce_str", nonce), ("serial_no", serial)] {
        printable(name, value)?;
    }
    let key = find_key(serial).ok_or_else(|| Error::UnknownSerial { serial: serial.to_owned() })?;
    let signature = decode_signature(signature)?;
    let message = lines(&[method.as_bytes(), url.as_bytes(), timestamp.as_bytes(), nonce.as_bytes(), body]);
    let hint = "sign the method, the path and query exactly as sent, and the raw body, with the private key \
                of the certificate whose serial_no is sent";
    Ok((
        Authorization { mchid, serial_no: serial, timestamp: ts, nonce_str: nonce },
        SignatureCheck { key, message, signature, hint },
    ))
}

/// A verified `wx.requestPayment` paySign (WeChat's side: simulators and tests); serialized as `{prepayId}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedPayment<'a> {
    /// The `prepay_id` inside `package`.
    pub prepay_id: &'a str,
}

/// Checks v3 `wx.requestPayment` parameters the way WeChat's client does before it shows the cashier:
/// `signType` is `RSA`, `package` is `prepay_id=…`, and `paySign` is to be verified over
/// `appId\ntimeStamp\nnonceStr\npackage\n` with the key of `serial` (the merchant certificate that placed
/// the order). Source: "小程序调起支付" (pay.weixin.qq.com/doc/v3/merchant/4012365341).
///
/// # Errors
/// - `ERR_UNSUPPORTED_ALGORITHM`: a `signType` other than `RSA` (MD5 and HMAC-SHA256 are API v2's);
/// - `ERR_INVALID_INPUT`: a malformed `appId`, `package`, `timeStamp` or `nonceStr`;
/// - `ERR_UNKNOWN_SERIAL`: no key for `serial`;
/// - `ERR_MALFORMED_SIGNATURE`: a `paySign` that is not base64 of 256 to 512 bytes.
pub fn check_request_payment<'a>(
    app_id: &str,
    params: RequestPaymentParams<'a>,
    serial: &str,
    find_key: impl Fn(&str) -> Option<usize>,
) -> Result<(VerifiedPayment<'a>, SignatureCheck)> {
    if params.sign_type != "RSA" {
        return Err(Error::unsupported("signType", params.sign_type));
    }
    let prepay_id = params
        .package
        .strip_prefix("prepay_id=")
        .ok_or_else(|| Error::input("package", "prepay_id=… as requestPayment built it"))?;
    let input =
        crate::payment::PaymentInput { app_id, prepay_id, time_stamp: params.time_stamp, nonce_str: params.nonce_str };
    let (message, _) = crate::payment::request_payment_v3_message(input)?;
    let key = find_key(serial).ok_or_else(|| Error::UnknownSerial { serial: serial.chars().take(64).collect() })?;
    let signature = decode_signature(params.pay_sign)?;
    let hint = "paySign is RSA over appId\ntimeStamp\nnonceStr\npackage\n with the private key of the merchant \
                certificate that placed the order; check the appId and that key";
    Ok((VerifiedPayment { prepay_id }, SignatureCheck { key, message: message.into_bytes(), signature, hint }))
}

/// The parameters a mini program passes to `wx.requestPayment`, as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestPaymentParams<'a> {
    /// `timeStamp`.
    pub time_stamp: &'a str,
    /// `nonceStr`.
    pub nonce_str: &'a str,
    /// `package`: `prepay_id=…`.
    pub package: &'a str,
    /// `signType`: `RSA`.
    pub sign_type: &'a str,
    /// `paySign`.
    pub pay_sign: &'a str,
}

/// `WECHATPAY2-SHA256-RSA2048 k="v",…`: the five items, each once, in any order ("无顺序要求").
fn parse_authorization(header: &str) -> Result<Vec<(&str, &str)>> {
    const ITEMS: [&str; 5] = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"];
    let malformed = |problem: &'static str| Error::MalformedSignature { problem: problem.into() };
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if scheme != SIGNATURE_TYPE {
        return Err(Error::unsupported("Authorization", scheme));
    }
    let mut items: Vec<(&str, &str)> = Vec::with_capacity(5);
    for part in rest.split(',') {
        let (name, value) =
            part.trim().split_once('=').ok_or_else(|| malformed("Authorization items are name=\"value\""))?;
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .ok_or_else(|| malformed("Authorization values are quoted"))?;
        if !ITEMS.contains(&name) {
            return Err(malformed("Authorization has an unknown item"));
        }
        if items.iter().any(|(k, _)| *k == name) {
            return Err(malformed("Authorization repeats an item"));
        }
        items.push((name, value));
    }
    if items.len() != ITEMS.len() || items.iter().any(|(_, v)| v.is_empty()) {
        return Err(malformed("Authorization needs mchid, nonce_str, signature, timestamp and serial_no"));
    }
    Ok(items)
}

/// The index of `serial` among `serials`, ignoring ASCII case (serials are hex or `PUB_KEY_ID_` + digits).
pub fn find_serial<'s>(serials: impl IntoIterator<Item = &'s str>, serial: &str) -> Option<usize> {
    serials.into_iter().position(|s| s.eq_ignore_ascii_case(serial))
}
