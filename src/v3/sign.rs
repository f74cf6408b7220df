//! Signing: the messages a merchant signs, and what is built from the signature.
//!
//! Source: "签名生成" (pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_0.shtml): the message
//! is `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, URL being the path and query exactly as sent and BODY the exact
//! bytes sent (empty for GET); the signature is base64 of SHA256withRSA with the merchant API private key; the
//! header is `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",
//! serial_no="…"`, `serial_no` being the merchant API certificate's. WeChat's own responses and notifications
//! are signed over `TIMESTAMP\nNONCE\nBODY\n` (built here too, for simulators and tests).

use serde::Serialize;

use super::{SIGNATURE_TYPE, base64, lines};
use crate::error::{Error, Result};
use crate::payment::{PaymentInput, RequestPayment, check_timestamp, request_payment_v3_message};

/// Who signs: the merchant ID and the serial number of the certificate (or WeChat Pay public key) of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    mchid: String,
    serial_no: String,
}

impl Signer {
    /// Checks the merchant ID and the serial number.
    ///
    /// # Errors
    /// `ERR_INVALID_INPUT` for an `mchid` or `serialNo` that is empty, too long or has characters other than
    /// ASCII letters, digits, `_` and `-` (they are quoted into the `Authorization` header).
    pub fn new(mchid: &str, serial_no: &str) -> Result<Self> {
        if !token(mchid, 32) {
            return Err(Error::input("mchid", "the merchant ID (商户号), e.g. 1900007291"));
        }
        if !token(serial_no, 64) {
            return Err(Error::input(
                "serialNo",
                "the serial number of the merchant API certificate (40 hex digits: openssl x509 -noout -serial)",
            ));
        }
        Ok(Signer { mchid: mchid.to_owned(), serial_no: serial_no.to_owned() })
    }

    /// The `Authorization` header value for a request signed with `signature` (the raw RSA signature of the
    /// [`request_message`] built from the same `nonce` and `timestamp`).
    ///
    /// # Errors
    /// `ERR_INVALID_INPUT` for a malformed `nonceStr` or `timestamp`.
    pub fn authorization(&self, nonce: &str, timestamp: &str, signature: &[u8]) -> Result<String> {
        crate::v2::check_nonce(nonce)?;
        check_timestamp("timestamp", timestamp)?;
        Ok(format!(
            "{SIGNATURE_TYPE} mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"{}\",timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.mchid,
            base64(signature),
            self.serial_no
        ))
    }

    /// WeChat's side: the `Wechatpay-*` headers of a response or notification whose [`response_message`] was
    /// signed with `signature`; `Wechatpay-Serial` is this signer's serial number.
    ///
    /// # Errors
    /// `ERR_INVALID_INPUT` for a malformed `nonce` or `timestamp`.
    pub fn response_headers(&self, timestamp: &str, nonce: &str, signature: &[u8]) -> Result<ResponseHeaders> {
        check_response_nonce(nonce)?;
        check_timestamp("timestamp", timestamp)?;
        Ok(ResponseHeaders {
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
            signature: base64(signature),
            serial: self.serial_no.clone(),
            signature_type: SIGNATURE_TYPE,
        })
    }
}

/// The `Wechatpay-*` headers that sign a response or notification; serialized with the header names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseHeaders {
    /// `Wechatpay-Timestamp`.
    #[serde(rename = "Wechatpay-Timestamp")]
    pub timestamp: String,
    /// `Wechatpay-Nonce`.
    #[serde(rename = "Wechatpay-Nonce")]
    pub nonce: String,
    /// `Wechatpay-Signature`: base64.
    #[serde(rename = "Wechatpay-Signature")]
    pub signature: String,
    /// `Wechatpay-Serial`.
    #[serde(rename = "Wechatpay-Serial")]
    pub serial: String,
    /// `Wechatpay-Signature-Type`: `WECHATPAY2-SHA256-RSA2048`.
    #[serde(rename = "Wechatpay-Signature-Type")]
    pub signature_type: &'static str,
}

/// 1 to `max` ASCII letters, digits, `_` or `-`.
fn token(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn check_response_nonce(nonce: &str) -> Result<()> {
    if token(nonce, 64) { Ok(()) } else { Err(Error::input("nonce", "1 to 64 ASCII letters and digits")) }
}

/// The message a request is signed over: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`.
///
/// `method` is upper-cased; `url` is the path and query as sent, or an absolute URL whose scheme and host are
/// dropped. `body` is the exact bytes sent (empty for GET; the `meta` JSON for uploads).
///
/// # Errors
/// `ERR_INVALID_INPUT` naming `method` (not letters), `url` (no path, a fragment, spaces or non-ASCII: send and
/// sign the percent-encoded form), `timestamp` or `nonceStr`.
pub fn request_message(method: &str, url: &str, timestamp: &str, nonce: &str, body: &[u8]) -> Result<Vec<u8>> {
    let method = canonical_method(method)?;
    let url = canonical_url(url)?;
    check_timestamp("timestamp", timestamp)?;
    crate::v2::check_nonce(nonce)?;
    Ok(lines(&[method.as_bytes(), url.as_bytes(), timestamp.as_bytes(), nonce.as_bytes(), body]))
}

/// The message a response or notification is signed over: `TIMESTAMP\nNONCE\nBODY\n`.
///
/// # Errors
/// `ERR_INVALID_INPUT` naming a malformed `timestamp` or `nonce`.
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> Result<Vec<u8>> {
    check_timestamp("timestamp", timestamp)?;
    check_response_nonce(nonce)?;
    Ok(lines(&[timestamp.as_bytes(), nonce.as_bytes(), body]))
}

pub(crate) fn canonical_method(method: &str) -> Result<String> {
    if (1..=16).contains(&method.len()) && method.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(method.to_ascii_uppercase())
    } else {
        Err(Error::input("method", "an HTTP method such as GET or POST"))
    }
}

/// The path and query of `url` as sent: an absolute `http(s)://host…` URL loses its scheme and host.
pub(crate) fn canonical_url(url: &str) -> Result<String> {
    let path = match url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        Some(rest) => match rest.find(['/', '?']).and_then(|at| rest.get(at..)) {
            Some(query) if query.starts_with('?') => format!("/{query}"),
            Some(path) => path.to_owned(),
            None => "/".to_owned(),
        },
        None => url.to_owned(),
    };
    if !path.starts_with('/') {
        return Err(Error::input("url", "the path and query as sent (/v3/…), or an absolute https:// URL"));
    }
    if path.contains('#') {
        return Err(Error::input("url", "a fragment (#…) is never sent; remove it"));
    }
    if !path.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::input("url", "spaces or non-ASCII characters: sign and send the percent-encoded URL"));
    }
    Ok(path)
}

/// v3 `wx.requestPayment` parameters from the RSA signature of [`request_payment_v3_message`]`(input)`:
/// `signType` is `RSA` (not signed), `paySign` the base64 signature.
///
/// Source: "小程序调起支付" (pay.weixin.qq.com/doc/v3/merchant/4012365341).
///
/// # Errors
/// `ERR_INVALID_INPUT` naming a malformed `appId`, `prepayId`, `timeStamp` or `nonceStr`.
pub fn request_payment(input: PaymentInput<'_>, signature: &[u8]) -> Result<RequestPayment> {
    let (_, package) = request_payment_v3_message(input)?;
    Ok(RequestPayment {
        time_stamp: input.time_stamp.to_owned(),
        nonce_str: input.nonce_str.to_owned(),
        package,
        sign_type: "RSA".to_owned(),
        pay_sign: base64(signature),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_path_and_query_as_sent() {
        assert_eq!(canonical_url("/v3/certificates").unwrap(), "/v3/certificates");
        assert_eq!(canonical_url("https://api.mch.weixin.qq.com/v3/x?a=1&b=2").unwrap(), "/v3/x?a=1&b=2");
        assert_eq!(canonical_url("https://api.mch.weixin.qq.com").unwrap(), "/");
        assert_eq!(canonical_url("https://h?x=1").unwrap(), "/?x=1");
        for bad in ["v3/x", "/v3/x#frag", "/v3/x y", "/v3/é", "ftp://h/x", ""] {
            assert_eq!(canonical_url(bad).unwrap_err().code(), "ERR_INVALID_INPUT", "{bad}");
        }
    }

    #[test]
    fn get_has_an_empty_body_line() {
        let m = request_message("get", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", b"");
        assert_eq!(m.unwrap(), b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    }
}
