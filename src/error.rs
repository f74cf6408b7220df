//! The one error type of the crate, with stable `ERR_*` codes.
//!
//! Every public function returns [`Error`]; its [`Error::code`] is the same string the JS package puts in
//! `WechatPayError.code`. Codes are a public contract: renaming one is a breaking change
//! (`tests/vectors/error_codes.json` pins the list). Messages name the likely mistake and never contain a key,
//! a secret, a session key or a signature.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

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
    /// A message signed with an algorithm the caller does not accept (`ERR_ALGORITHM_NOT_ALLOWED`), the way
    /// jose's `algorithms` option works: API v2 signs with MD5 or HMAC-SHA256, and a verifier may pin one.
    AlgorithmNotAllowed {
        /// Where the algorithm was read: `sign_type`, or `sign` when its length named it.
        field: Cow<'static, str>,
        /// The algorithm of the message.
        value: &'static str,
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
        /// What the answer says.
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
        /// WeChat's `detail`, as the JSON text it was sent as.
        detail: Option<String>,
        /// The `Request-ID` answer header, for WeChat Pay's support.
        request_id: Option<String>,
        /// Whether the answer was signed and verified; an unsigned error answer proves nothing.
        verified: bool,
    },
}

/// The non-secret context of an error: the properties `WechatPayError` carries beside `code` and `message`.
///
/// Each code has the shapes [`CONTEXTS`] lists (the JS types are generated from that list, and a test checks
/// that every variant serializes to one of its code's shapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ErrorContext<'a> {
    /// No context.
    None {},
    /// The argument or field at fault.
    Field {
        /// Its name.
        field: &'a str,
    },
    /// An algorithm refused, and where it came from.
    Algorithm {
        /// Where the value came from (`signType`, `sign_type`, `Wechatpay-Signature-Type`, …).
        field: &'a str,
        /// The algorithm's name, or `(not shown)` when it is not shaped like one.
        value: &'a str,
    },
    /// Where in the input a syntax problem was found.
    Offset {
        /// Byte offset in the UTF-8 input (not a JavaScript string index).
        offset: usize,
    },
    /// The header missing.
    Header {
        /// Its name.
        header: &'a str,
    },
    /// The `Wechatpay-Serial` without a key.
    Serial {
        /// The serial received.
        serial: &'a str,
    },
    /// A timestamp outside the window.
    Skew {
        /// The timestamp received, in Unix seconds.
        timestamp: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
        /// The allowed skew, in seconds.
        #[serde(rename = "maxSkewSeconds")]
        max_skew_seconds: i64,
    },
    /// Whose message it was, against whose it should have been.
    Merchant {
        /// `appid` or `mch_id`.
        field: &'a str,
        /// The value expected.
        expected: &'a str,
        /// The value received.
        actual: &'a str,
    },
    /// A `jscode2session` error.
    Login {
        /// WeChat's `errcode`.
        errcode: i64,
        /// WeChat's `errmsg`.
        errmsg: &'a str,
    },
    /// An API v2 `return_code` failure.
    V2Return {
        /// WeChat's `return_code`.
        return_code: &'a str,
        /// WeChat's `return_msg`.
        return_msg: &'a str,
    },
    /// An API v2 `result_code` failure.
    V2Result {
        /// WeChat's `err_code`.
        err_code: &'a str,
        /// WeChat's `err_code_des`.
        err_code_des: &'a str,
    },
    /// An API v3 error answer.
    V3 {
        /// The HTTP status.
        status: u16,
        /// WeChat's `code`, when the body had one.
        #[serde(rename = "wechatCode", skip_serializing_if = "str::is_empty")]
        wechat_code: &'a str,
        /// WeChat's `message`.
        #[serde(rename = "wechatMessage")]
        wechat_message: &'a str,
        /// WeChat's `detail`, as sent.
        #[serde(skip_serializing_if = "Option::is_none")]
        // the npm package's layer sets it with JavaScript's `JSON.parse` (src/wasm/boundary.rs): a JSON value
        // built in Rust would take serde_json's `Value` into the wasm, 14 KB for one member of one error
        #[cfg_attr(all(feature = "wasm", target_arch = "wasm32", target_os = "unknown"), serde(skip))]
        detail: Option<Detail<'a>>,
        /// The `Request-ID` answer header.
        #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
        request_id: Option<&'a str>,
        /// Whether the answer was signed and verified.
        verified: bool,
    },
    /// A client's time limit.
    Timeout {
        /// The limit that passed, in milliseconds (absent: the caller's signal timed out).
        #[serde(rename = "timeoutMs", skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
    },
    /// A digest announced, against the one computed.
    Digest {
        /// The digest announced.
        expected: &'a str,
        /// The digest of the bytes received.
        actual: &'a str,
    },
}

/// WeChat's `detail` (JSON text) serialized as the JSON value it is, so it reaches JavaScript as an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail<'a>(pub &'a str);

impl Serialize for Detail<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match serde_json::from_str::<serde_json::Value>(self.0) {
            Ok(value) => value.serialize(serializer),
            Err(_) => serializer.serialize_str(self.0),
        }
    }
}

/// One shape of context: its properties as `(name, JavaScript type)`.
pub type ContextShape = &'static [(&'static str, &'static str)];

/// The context properties of each code, one [`ContextShape`] per shape the code has: the source of the per-code
/// `WechatPayError` types (`pkg/build.sh` generates them).
pub const CONTEXTS: &[(&str, &[ContextShape])] = &[
    ("ERR_INVALID_INPUT", &[&[("field", "string")]]),
    ("ERR_INVALID_KEY", &[&[]]),
    ("ERR_UNSUPPORTED_ALGORITHM", &[&[("field", "string"), ("value", "string")]]),
    ("ERR_ALGORITHM_NOT_ALLOWED", &[&[("field", "string"), ("value", "string")]]),
    ("ERR_MALFORMED_XML", &[&[("offset", "number")]]),
    ("ERR_MALFORMED_JSON", &[&[("offset", "number")]]),
    ("ERR_MALFORMED_MESSAGE", &[&[("field", "string")]]),
    ("ERR_MISSING_SIGNATURE", &[&[]]),
    ("ERR_MALFORMED_SIGNATURE", &[&[]]),
    ("ERR_SIGNATURE_MISMATCH", &[&[]]),
    ("ERR_SIGNATURE_PROBE", &[&[]]),
    ("ERR_MISSING_HEADER", &[&[("header", "string")]]),
    ("ERR_UNKNOWN_SERIAL", &[&[("serial", "string")]]),
    ("ERR_TIMESTAMP_SKEW", &[&[("timestamp", "number"), ("now", "number"), ("maxSkewSeconds", "number")]]),
    ("ERR_DECRYPT_FAILED", &[&[]]),
    ("ERR_MERCHANT_MISMATCH", &[&[("field", "string"), ("expected", "string"), ("actual", "string")]]),
    (
        "ERR_WECHAT",
        &[
            &[("errcode", "number"), ("errmsg", "string")],
            &[("return_code", "string"), ("return_msg", "string")],
            &[("err_code", "string"), ("err_code_des", "string")],
            &[
                ("status", "number"),
                ("wechatCode?", "string"),
                ("wechatMessage", "string"),
                ("detail?", "unknown"),
                ("requestId?", "string"),
                ("verified", "boolean"),
            ],
        ],
    ),
    ("ERR_UNSUPPORTED_RUNTIME", &[&[]]),
    ("ERR_TIMEOUT", &[&[("timeoutMs?", "number")]]),
    ("ERR_ABORTED", &[&[]]),
    ("ERR_NETWORK", &[&[]]),
    ("ERR_ANSWER_MISMATCH", &[&[("field", "string"), ("expected", "string"), ("actual", "string")]]),
    ("ERR_DIGEST_MISMATCH", &[&[("expected", "string"), ("actual", "string")]]),
];

/// Every code with a one-line description, in the order of the README's table.
pub const CODES: &[(&str, &str)] = &[
    ("ERR_INVALID_INPUT", "an argument has the wrong type, format or length"),
    ("ERR_INVALID_KEY", "a key, certificate or API secret cannot be used"),
    ("ERR_UNSUPPORTED_ALGORITHM", "a sign type, signature type or encryption algorithm that is not implemented"),
    ("ERR_ALGORITHM_NOT_ALLOWED", "a message signed with an algorithm the caller's algorithms option does not accept"),
    ("ERR_MALFORMED_XML", "not WeChat's flat XML, or refused for safety (DOCTYPE, entities, size, depth)"),
    ("ERR_MALFORMED_JSON", "not strict JSON: invalid, duplicate keys, too deep or too large"),
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
            Error::AlgorithmNotAllowed { .. } => "ERR_ALGORITHM_NOT_ALLOWED",
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

    /// Non-secret context; the JS package sets it as properties of the error.
    pub fn context(&self) -> ErrorContext<'_> {
        use ErrorContext as C;
        match self {
            Error::InvalidInput { field, .. } | Error::MalformedMessage { field, .. } => C::Field { field },
            Error::UnsupportedAlgorithm { field, value } => C::Algorithm { field, value },
            Error::AlgorithmNotAllowed { field, value } => C::Algorithm { field, value },
            Error::MalformedXml { offset, .. } | Error::MalformedJson { offset, .. } => C::Offset { offset: *offset },
            Error::MissingHeader { header } => C::Header { header },
            Error::UnknownSerial { serial } => C::Serial { serial },
            Error::TimestampSkew { timestamp, now, max_skew } => {
                C::Skew { timestamp: *timestamp, now: *now, max_skew_seconds: *max_skew }
            }
            Error::MerchantMismatch { field, expected, actual } | Error::AnswerMismatch { field, expected, actual } => {
                C::Merchant { field, expected, actual }
            }
            Error::DigestMismatch { expected, actual } => C::Digest { expected, actual },
            Error::Timeout { timeout_ms } => C::Timeout { timeout_ms: *timeout_ms },
            Error::Wechat(WechatError::V3 { status, code, message, detail, request_id, verified }) => C::V3 {
                status: *status,
                wechat_code: code,
                wechat_message: message,
                detail: detail.as_deref().map(Detail),
                request_id: request_id.as_deref(),
                verified: *verified,
            },
            Error::Wechat(WechatError::Login { errcode, errmsg }) => C::Login { errcode: *errcode, errmsg },
            Error::Wechat(WechatError::V2Return { return_code, return_msg }) => C::V2Return { return_code, return_msg },
            Error::Wechat(WechatError::V2Result { err_code, err_code_des }) => C::V2Result { err_code, err_code_des },
            Error::InvalidKey { .. }
            | Error::MissingSignature
            | Error::MalformedSignature { .. }
            | Error::SignatureMismatch { .. }
            | Error::SignatureProbe
            | Error::DecryptFailed { .. }
            | Error::UnsupportedRuntime { .. }
            | Error::Aborted
            | Error::Network { .. } => C::None {},
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
            Error::AlgorithmNotAllowed { field, value } => write!(
                f,
                "the message is signed with {value} ({field}), which the algorithms option does not accept: \
                 refused before its signature was checked"
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every variant: the match makes a new variant a compile error here until it has a sample.
    fn samples() -> Vec<Error> {
        let all = vec![
            Error::input("f", "p"),
            Error::key("p"),
            Error::unsupported("signType", "RSA"),
            Error::AlgorithmNotAllowed { field: "sign_type".into(), value: "MD5" },
            Error::MalformedXml { problem: "p".into(), offset: 3 },
            Error::MalformedJson { problem: "p".into(), offset: 3 },
            Error::message_field("f", "p"),
            Error::MissingSignature,
            Error::MalformedSignature { problem: "p".into() },
            Error::SignatureMismatch { hint: "h".into() },
            Error::SignatureProbe,
            Error::MissingHeader { header: "Wechatpay-Nonce".into() },
            Error::UnknownSerial { serial: "S".into() },
            Error::TimestampSkew { timestamp: 1, now: 1000, max_skew: 300 },
            Error::DecryptFailed { hint: "h".into() },
            Error::MerchantMismatch { field: "appid".into(), expected: "a".into(), actual: "b".into() },
            Error::Wechat(WechatError::Login { errcode: 40029, errmsg: "m".into() }),
            Error::Wechat(WechatError::V2Return { return_code: "FAIL".into(), return_msg: "m".into() }),
            Error::Wechat(WechatError::V2Result { err_code: "E".into(), err_code_des: "d".into() }),
            Error::UnsupportedRuntime { problem: "p".into() },
            Error::Wechat(WechatError::V3 {
                status: 404,
                code: "ORDER_NOT_EXIST".into(),
                message: "m".into(),
                detail: Some(r#"{"location":"path"}"#.into()),
                request_id: Some("R".into()),
                verified: true,
            }),
            Error::Wechat(WechatError::V3 {
                status: 502,
                code: String::new(),
                message: "m".into(),
                detail: None,
                request_id: None,
                verified: false,
            }),
            Error::Timeout { timeout_ms: Some(10_000) },
            Error::Timeout { timeout_ms: None },
            Error::Aborted,
            Error::Network { problem: "p".into() },
            Error::AnswerMismatch { field: "out_trade_no".into(), expected: "a".into(), actual: "b".into() },
            Error::DigestMismatch { expected: "a".into(), actual: "b".into() },
        ];
        for e in &all {
            match e {
                Error::InvalidInput { .. }
                | Error::InvalidKey { .. }
                | Error::UnsupportedAlgorithm { .. }
                | Error::AlgorithmNotAllowed { .. }
                | Error::MalformedXml { .. }
                | Error::MalformedJson { .. }
                | Error::MalformedMessage { .. }
                | Error::MissingSignature
                | Error::MalformedSignature { .. }
                | Error::SignatureMismatch { .. }
                | Error::SignatureProbe
                | Error::MissingHeader { .. }
                | Error::UnknownSerial { .. }
                | Error::TimestampSkew { .. }
                | Error::DecryptFailed { .. }
                | Error::MerchantMismatch { .. }
                | Error::Wechat(
                    WechatError::Login { .. }
                    | WechatError::V2Return { .. }
                    | WechatError::V2Result { .. }
                    | WechatError::V3 { .. },
                )
                | Error::UnsupportedRuntime { .. }
                | Error::Timeout { .. }
                | Error::Aborted
                | Error::Network { .. }
                | Error::AnswerMismatch { .. }
                | Error::DigestMismatch { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_context_is_a_listed_shape_and_every_shape_occurs() {
        let kind = |v: &serde_json::Value| match v {
            serde_json::Value::Number(_) => "number",
            serde_json::Value::Bool(_) => "boolean",
            serde_json::Value::String(_) => "string",
            _ => "unknown",
        };
        // a shape's property `name?` may be absent; `unknown` takes any value
        let fits = |shape: ContextShape, got: &serde_json::Map<String, serde_json::Value>| {
            let props: Vec<(&str, bool, &str)> =
                shape.iter().map(|(n, t)| (n.trim_end_matches('?'), n.ends_with('?'), *t)).collect();
            got.iter().all(|(k, v)| props.iter().any(|(n, _, t)| n == k && (*t == "unknown" || *t == kind(v))))
                && props.iter().all(|(n, optional, _)| *optional || got.contains_key(*n))
        };
        let mut seen = Vec::new();
        for e in samples() {
            let json = serde_json::to_value(e.context()).unwrap();
            let got = json.as_object().unwrap();
            let (_, shapes) = CONTEXTS.iter().find(|(c, _)| *c == e.code()).unwrap();
            let listed = shapes.iter().position(|s| fits(s, got));
            let listed = listed.unwrap_or_else(|| panic!("{}: {json} is not a shape CONTEXTS lists", e.code()));
            seen.push((e.code(), listed));
        }
        for (code, shapes) in CONTEXTS {
            for i in 0..shapes.len() {
                assert!(seen.contains(&(code, i)), "{code} shape {i} is never produced");
            }
        }
        let codes: Vec<&str> = CODES.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, CONTEXTS.iter().map(|(c, _)| *c).collect::<Vec<_>>());
    }
}
