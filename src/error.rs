//! The one error type of the crate, with stable `ERR_*` codes.
//!
//! Every public function returns [`Error`]; its [`Error::code`] is the same string the JS package puts in
//! `WechatPayError.code`. Codes are a public contract: renaming one is a breaking change
//! (`tests/vectors/error_codes.json` pins the list). Messages name the likely mistake and never contain a key,
//! a secret, a session key or a signature.

use std::borrow::Cow;
use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong, with non-secret context.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An argument has the wrong type, format or length (`ERR_INVALID_INPUT`).
    InvalidInput {
        /// The argument or field at fault.
        field: Cow<'static, str>,
        /// What is wrong with it, phrased as advice.
        problem: Cow<'static, str>,
    },
    /// A key, certificate or API secret cannot be used (`ERR_INVALID_KEY`).
    InvalidKey {
        /// What is wrong, without any key material.
        problem: Cow<'static, str>,
    },
    /// A sign type, signature type or encryption algorithm this crate does not implement
    /// (`ERR_UNSUPPORTED_ALGORITHM`).
    UnsupportedAlgorithm {
        /// Where the value came from.
        field: Cow<'static, str>,
        /// The value received.
        value: String,
    },
    /// Input that is not the flat XML WeChat Pay uses, or that is refused for safety (`ERR_MALFORMED_XML`).
    MalformedXml {
        /// What is wrong.
        problem: Cow<'static, str>,
        /// Byte offset in the input where the problem was found.
        offset: usize,
    },
    /// Input that is not valid JSON (`ERR_MALFORMED_JSON`).
    MalformedJson {
        /// What is wrong.
        problem: Cow<'static, str>,
        /// Byte offset in the input where the problem was found.
        offset: usize,
    },
    /// A well-formed message from WeChat lacks a required field or has a bad value (`ERR_MALFORMED_MESSAGE`).
    MalformedMessage {
        /// The field at fault.
        field: Cow<'static, str>,
        /// What is wrong.
        problem: Cow<'static, str>,
    },
    /// An API v2 message has no `sign`, or an empty one: never a pass (`ERR_MISSING_SIGNATURE`).
    MissingSignature,
    /// A signature that cannot be a signature at all: bad base64, wrong length (`ERR_MALFORMED_SIGNATURE`).
    MalformedSignature {
        /// What is wrong.
        problem: Cow<'static, str>,
    },
    /// The signature does not verify (`ERR_SIGNATURE_MISMATCH`).
    SignatureMismatch {
        /// The usual cause, as advice.
        hint: Cow<'static, str>,
    },
    /// A `WECHATPAY/SIGNTEST/` signature: WeChat's deliberate probe, always rejected (`ERR_SIGNATURE_PROBE`).
    SignatureProbe,
    /// A required HTTP header is missing or empty (`ERR_MISSING_HEADER`).
    MissingHeader {
        /// The header name.
        header: Cow<'static, str>,
    },
    /// No key is configured for the `Wechatpay-Serial` received; nothing is fetched (`ERR_UNKNOWN_SERIAL`).
    UnknownSerial {
        /// The serial received (public information).
        serial: String,
    },
    /// `|now - timestamp|` exceeds the allowed skew (`ERR_TIMESTAMP_SKEW`).
    TimestampSkew {
        /// The timestamp received, in Unix seconds.
        timestamp: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
        /// The allowed skew, in seconds.
        max_skew: i64,
    },
    /// Decryption failed: wrong key, tampered data, bad padding, truncated input (`ERR_DECRYPT_FAILED`).
    DecryptFailed {
        /// The usual cause, as advice.
        hint: Cow<'static, str>,
    },
    /// A verified message is for another app or merchant than the one expected (`ERR_MERCHANT_MISMATCH`).
    MerchantMismatch {
        /// `appid` or `mch_id`/`mchid`.
        field: Cow<'static, str>,
        /// The value expected.
        expected: String,
        /// The value received.
        actual: String,
    },
    /// WeChat answered with an error of its own (`ERR_WECHAT`); its codes are kept.
    Wechat(WechatError),
    /// The JavaScript runtime lacks something the package needs, e.g. `crypto.subtle` (`ERR_UNSUPPORTED_RUNTIME`).
    UnsupportedRuntime {
        /// What is missing.
        problem: Cow<'static, str>,
    },
    /// A call to WeChat did not complete in time: no answer, or an answer that stopped half-way (`ERR_TIMEOUT`).
    Timeout {
        /// The client's time limit, in milliseconds; `None` when the caller's own signal timed out.
        timeout_ms: Option<u64>,
    },
    /// The caller's `AbortSignal` cancelled a call to WeChat (`ERR_ABORTED`).
    Aborted,
    /// A call to WeChat failed below HTTP: DNS, a refused or reset connection, TLS (`ERR_NETWORK`).
    Network {
        /// What the runtime reported (its error's name and message).
        problem: String,
    },
    /// A verified answer from WeChat is about something other than what was asked (`ERR_ANSWER_MISMATCH`).
    AnswerMismatch {
        /// The field of the answer, e.g. `out_trade_no` or `amount.total`.
        field: Cow<'static, str>,
        /// What the request asked about.
        expected: String,
        /// What the answer says (empty when the field is missing).
        actual: String,
    },
    /// A downloaded file does not have the digest WeChat announced for it (`ERR_DIGEST_MISMATCH`).
    DigestMismatch {
        /// The digest announced (lower-case hex).
        expected: String,
        /// The digest of the bytes received (lower-case hex).
        actual: String,
    },
}

/// An error reported by WeChat, with its own codes, exactly as received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WechatError {
    /// `jscode2session` answered with a non-zero `errcode`.
    Login {
        /// WeChat's `errcode`.
        errcode: i64,
        /// WeChat's `errmsg`.
        errmsg: String,
    },
    /// API v2 `return_code` is not `SUCCESS`: the request did not get through (signature, format, parameters).
    V2Return {
        /// WeChat's `return_code`.
        return_code: String,
        /// WeChat's `return_msg`.
        return_msg: String,
    },
    /// API v2 `result_code` is not `SUCCESS`: the business operation failed.
    V2Result {
        /// WeChat's `err_code`.
        err_code: String,
        /// WeChat's `err_code_des`.
        err_code_des: String,
    },
    /// An API v3 answer with a status other than 2xx: `{"code","message","detail"?}`.
    V3 {
        /// The HTTP status.
        status: u16,
        /// WeChat's `code` (`PARAM_ERROR`, `ORDER_NOT_EXIST`, …); empty when the body had none.
        code: String,
        /// WeChat's `message`.
        message: String,
        /// WeChat's `detail`, as JSON text, when present.
        detail: Option<String>,
        /// The `Request-ID` answer header, for WeChat Pay's support.
        request_id: Option<String>,
        /// Whether the answer was signed and verified; an unsigned error answer proves nothing.
        verified: bool,
    },
}

/// A value attached to an error as context (a JS property on `WechatPayError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A string property.
    Str(String),
    /// An integer property.
    Int(i64),
    /// A boolean property.
    Bool(bool),
    /// A property holding a JSON value (WeChat's `detail`), as its text.
    Json(String),
}

/// Every code with a one-line description, in the order of the README's table.
pub const CODES: &[(&str, &str)] = &[
    ("ERR_INVALID_INPUT", "an argument has the wrong type, format or length"),
    ("ERR_INVALID_KEY", "a key, certificate or API secret cannot be used"),
    ("ERR_UNSUPPORTED_ALGORITHM", "a sign type, signature type or encryption algorithm that is not implemented"),
    ("ERR_MALFORMED_XML", "not WeChat's flat XML, or refused for safety (DOCTYPE, entities, size, depth)"),
    ("ERR_MALFORMED_JSON", "not valid JSON"),
    ("ERR_MALFORMED_MESSAGE", "a message from WeChat lacks a required field or has a bad value"),
    ("ERR_MISSING_SIGNATURE", "an API v2 message has no sign"),
    ("ERR_MALFORMED_SIGNATURE", "a signature with bad base64 or a wrong length"),
    ("ERR_SIGNATURE_MISMATCH", "the signature does not verify"),
    ("ERR_SIGNATURE_PROBE", "a WECHATPAY/SIGNTEST/ probe signature"),
    ("ERR_MISSING_HEADER", "a required Wechatpay-* header is missing"),
    ("ERR_UNKNOWN_SERIAL", "no key is configured for the Wechatpay-Serial received"),
    ("ERR_TIMESTAMP_SKEW", "the timestamp is too far from the current time"),
    ("ERR_DECRYPT_FAILED", "decryption failed: wrong key, tampered or truncated data, bad padding"),
    ("ERR_MERCHANT_MISMATCH", "the message is for another appid or merchant"),
    ("ERR_WECHAT", "WeChat answered with an error of its own"),
    ("ERR_UNSUPPORTED_RUNTIME", "the JavaScript runtime lacks a required API"),
    ("ERR_TIMEOUT", "WeChat did not answer in time, or the answer stopped half-way"),
    ("ERR_ABORTED", "the caller's AbortSignal cancelled the call"),
    ("ERR_NETWORK", "the call failed below HTTP: DNS, a refused or reset connection, TLS"),
    ("ERR_ANSWER_MISMATCH", "a verified answer is about something other than what was asked"),
    ("ERR_DIGEST_MISMATCH", "a downloaded file does not have the digest WeChat announced"),
];

impl Error {
    /// The stable code, e.g. `"ERR_SIGNATURE_MISMATCH"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "ERR_INVALID_INPUT",
            Error::InvalidKey { .. } => "ERR_INVALID_KEY",
            Error::UnsupportedAlgorithm { .. } => "ERR_UNSUPPORTED_ALGORITHM",
            Error::MalformedXml { .. } => "ERR_MALFORMED_XML",
            Error::MalformedJson { .. } => "ERR_MALFORMED_JSON",
            Error::MalformedMessage { .. } => "ERR_MALFORMED_MESSAGE",
            Error::MissingSignature => "ERR_MISSING_SIGNATURE",
            Error::MalformedSignature { .. } => "ERR_MALFORMED_SIGNATURE",
            Error::SignatureMismatch { .. } => "ERR_SIGNATURE_MISMATCH",
            Error::SignatureProbe => "ERR_SIGNATURE_PROBE",
            Error::MissingHeader { .. } => "ERR_MISSING_HEADER",
            Error::UnknownSerial { .. } => "ERR_UNKNOWN_SERIAL",
            Error::TimestampSkew { .. } => "ERR_TIMESTAMP_SKEW",
            Error::DecryptFailed { .. } => "ERR_DECRYPT_FAILED",
            Error::MerchantMismatch { .. } => "ERR_MERCHANT_MISMATCH",
            Error::Wechat(_) => "ERR_WECHAT",
            Error::UnsupportedRuntime { .. } => "ERR_UNSUPPORTED_RUNTIME",
            Error::Timeout { .. } => "ERR_TIMEOUT",
            Error::Aborted => "ERR_ABORTED",
            Error::Network { .. } => "ERR_NETWORK",
            Error::AnswerMismatch { .. } => "ERR_ANSWER_MISMATCH",
            Error::DigestMismatch { .. } => "ERR_DIGEST_MISMATCH",
        }
    }

    /// Non-secret context, as (name, value) pairs; the JS package sets them as properties of the error.
    pub fn context(&self) -> Vec<(&'static str, ContextValue)> {
        use ContextValue::{Bool, Int, Json, Str};
        let s = |v: &str| Str(v.to_owned());
        match self {
            Error::InvalidInput { field, .. } | Error::MalformedMessage { field, .. } => {
                vec![("field", s(field))]
            }
            Error::UnsupportedAlgorithm { field, value } => {
                vec![("field", s(field)), ("value", s(value))]
            }
            Error::MalformedXml { offset, .. } | Error::MalformedJson { offset, .. } => {
                vec![("offset", Int(i64::try_from(*offset).unwrap_or(i64::MAX)))]
            }
            Error::MissingHeader { header } => vec![("header", s(header))],
            Error::UnknownSerial { serial } => vec![("serial", s(serial))],
            Error::TimestampSkew { timestamp, now, max_skew } => {
                vec![("timestamp", Int(*timestamp)), ("now", Int(*now)), ("maxSkewSeconds", Int(*max_skew))]
            }
            Error::MerchantMismatch { field, expected, actual } | Error::AnswerMismatch { field, expected, actual } => {
                vec![("field", s(field)), ("expected", s(expected)), ("actual", s(actual))]
            }
            Error::DigestMismatch { expected, actual } => vec![("expected", s(expected)), ("actual", s(actual))],
            Error::Timeout { timeout_ms } => {
                timeout_ms.map(|ms| vec![("timeoutMs", Int(i64::try_from(ms).unwrap_or(i64::MAX)))]).unwrap_or_default()
            }
            Error::Wechat(WechatError::V3 { status, code, message, detail, request_id, verified }) => {
                let mut context = vec![("status", Int(i64::from(*status))), ("verified", Bool(*verified))];
                if !code.is_empty() {
                    context.push(("wechatCode", s(code)));
                }
                context.push(("wechatMessage", s(message)));
                if let Some(detail) = detail {
                    context.push(("detail", Json(detail.clone())));
                }
                if let Some(request_id) = request_id {
                    context.push(("requestId", s(request_id)));
                }
                context
            }
            Error::Wechat(WechatError::Login { errcode, errmsg }) => {
                vec![("errcode", Int(*errcode)), ("errmsg", s(errmsg))]
            }
            Error::Wechat(WechatError::V2Return { return_code, return_msg }) => {
                vec![("return_code", s(return_code)), ("return_msg", s(return_msg))]
            }
            Error::Wechat(WechatError::V2Result { err_code, err_code_des }) => {
                vec![("err_code", s(err_code)), ("err_code_des", s(err_code_des))]
            }
            Error::InvalidKey { .. }
            | Error::MissingSignature
            | Error::MalformedSignature { .. }
            | Error::SignatureMismatch { .. }
            | Error::SignatureProbe
            | Error::DecryptFailed { .. }
            | Error::UnsupportedRuntime { .. }
            | Error::Aborted
            | Error::Network { .. } => Vec::new(),
        }
    }

    pub(crate) fn input(field: impl Into<Cow<'static, str>>, problem: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidInput { field: field.into(), problem: problem.into() }
    }

    pub(crate) fn message_field(field: impl Into<Cow<'static, str>>, problem: impl Into<Cow<'static, str>>) -> Self {
        Error::MalformedMessage { field: field.into(), problem: problem.into() }
    }

    /// An unsupported algorithm, echoing the value only when it is shaped like an algorithm's name: a key passed
    /// in the wrong option must not end up in a message or a property.
    pub(crate) fn unsupported(field: impl Into<Cow<'static, str>>, value: &str) -> Self {
        let named = value.len() <= 32 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/".contains(&b));
        let value = if named { value.to_owned() } else { "(not shown)".to_owned() };
        Error::UnsupportedAlgorithm { field: field.into(), value }
    }

    pub(crate) fn key(problem: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidKey { problem: problem.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { field, problem } => write!(f, "invalid {field}: {problem}"),
            Error::InvalidKey { problem } => write!(f, "invalid key: {problem}"),
            Error::UnsupportedAlgorithm { field, value } => write!(f, "unsupported {field} \"{value}\""),
            Error::MalformedXml { problem, offset } => write!(f, "malformed XML at byte {offset}: {problem}"),
            Error::MalformedJson { problem, offset } => write!(f, "malformed JSON at byte {offset}: {problem}"),
            Error::MalformedMessage { field, problem } => write!(f, "malformed message, field {field}: {problem}"),
            Error::MissingSignature => {
                f.write_str("the message has no sign (or an empty one); an unsigned message is never accepted")
            }
            Error::MalformedSignature { problem } => write!(f, "malformed signature: {problem}"),
            Error::SignatureMismatch { hint } => write!(f, "signature mismatch: {hint}"),
            Error::SignatureProbe => {
                f.write_str("WECHATPAY/SIGNTEST/ signature: WeChat's signature-verification probe, rejected by design")
            }
            Error::MissingHeader { header } => write!(
                f,
                "missing header {header}: a 2xx response or notification from WeChat Pay always carries it; \
                 treat the message as forged"
            ),
            Error::UnknownSerial { serial } => write!(
                f,
                "no key is configured for Wechatpay-Serial \"{serial}\"; add the platform certificate or the \
                 WeChat Pay public key (PUB_KEY_ID_…) for that serial to the verifier's keys"
            ),
            Error::TimestampSkew { timestamp, now, max_skew } => write!(
                f,
                "Wechatpay-Timestamp {timestamp} is {} s from now ({now}); at most {max_skew} s are allowed: \
                 a replayed message, or a wrong server clock",
                now.saturating_sub(*timestamp).saturating_abs()
            ),
            Error::DecryptFailed { hint } => write!(f, "decryption failed: {hint}"),
            Error::MerchantMismatch { field, expected, actual } => {
                write!(f, "{field} is \"{actual}\", expected \"{expected}\": the message is for another merchant")
            }
            Error::Wechat(WechatError::Login { errcode, errmsg }) => {
                write!(f, "jscode2session errcode {errcode} ({errmsg}): {}", login_advice(*errcode))
            }
            Error::Wechat(WechatError::V2Return { return_code, return_msg }) => write!(
                f,
                "WeChat Pay return_code {return_code}: {return_msg} (the request itself was refused: check \
                 the signature, the key and the parameters)"
            ),
            Error::Wechat(WechatError::V2Result { err_code, err_code_des }) => {
                write!(f, "WeChat Pay err_code {err_code}: {err_code_des}")
            }
            Error::UnsupportedRuntime { problem } => write!(f, "unsupported runtime: {problem}"),
            Error::Wechat(WechatError::V3 { status, code, message, verified, .. }) => {
                let code = if code.is_empty() { "(no code)" } else { code };
                write!(f, "WeChat Pay answered HTTP {status} {code}: {message}")?;
                if !verified {
                    f.write_str(" (unsigned: report it, but act on nothing in it)")?;
                }
                Ok(())
            }
            Error::Timeout { timeout_ms: Some(ms) } => write!(
                f,
                "WeChat Pay did not answer within {ms} ms; the request may still have been processed: query before \
                 retrying, and retry with the same out_trade_no / out_refund_no"
            ),
            Error::Timeout { timeout_ms: None } => f.write_str(
                "the caller's signal timed out before WeChat Pay answered; the request may still have been processed",
            ),
            Error::Aborted => f.write_str(
                "the caller's AbortSignal cancelled the call; the request may still have reached WeChat Pay",
            ),
            Error::Network { problem } => write!(
                f,
                "WeChat Pay could not be reached ({problem}): check the base URL, DNS, the network and, for API v2 \
                 refunds, the client certificate"
            ),
            Error::AnswerMismatch { field, expected, actual } => write!(
                f,
                "the answer's {field} is \"{actual}\", but the request asked about \"{expected}\": a genuine answer \
                 about something else (replayed or misrouted); nothing in it was used"
            ),
            Error::DigestMismatch { expected, actual } => write!(
                f,
                "the downloaded file's SHA-1 is {actual}, but WeChat announced {expected}: truncated or altered; \
                 download it again"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// What each documented `jscode2session` errcode usually means (auth.code2Session).
fn login_advice(errcode: i64) -> &'static str {
    match errcode {
        -1 => "WeChat is busy; retry after a moment",
        40029 => "the code is invalid or was already used; each wx.login code works once, for about 5 minutes",
        45011 => "rate limit reached (100 calls per minute per user); slow down",
        40226 => "WeChat blocked this high-risk user from logging in",
        40013 => "the appid is invalid; check the mini program's AppID",
        40125 => "the appsecret is invalid; check it in the mini program's admin console",
        41002 => "the appid is missing",
        41004 => "the secret is missing",
        41008 => "the code is missing",
        _ => "see WeChat's auth.code2Session error codes",
    }
}
