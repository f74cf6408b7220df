//! WeChat Pay API v2: XML messages signed with MD5 or HMAC-SHA256.
//!
//! Source: pay.weixin.qq.com API v2 (JSAPI / 小程序支付) pages, cited per module.

mod notification;
mod refund;
mod sign;
mod unified_order;

pub use notification::{PaymentNotification, PaymentResult, notification_reply, parse_notification};
pub use refund::{RefundNotification, decrypt_refund_notification, encrypt_req_info};
pub use sign::{Algorithms, ApiKey, SignType, Signature, canonical, canonical_into, resolve_sign_type, sign, verify};
pub(crate) use unified_order::check_nonce;
pub use unified_order::{UnifiedOrderResponse, build_unified_order, parse_unified_order_response};

use crate::error::{Error, Result};
use crate::fields::Fields;

/// The merchant a verified message must be for; `None` skips that check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Merchant<'a> {
    /// The expected `appid`.
    pub appid: Option<&'a str>,
    /// The expected `mch_id`.
    pub mch_id: Option<&'a str>,
}

impl Merchant<'_> {
    pub(crate) fn check(&self, fields: &Fields) -> Result<()> {
        for (name, expected) in [("appid", self.appid), ("mch_id", self.mch_id)] {
            if let Some(expected) = expected {
                let actual = fields.get(name).unwrap_or_default();
                if actual != expected {
                    return Err(Error::MerchantMismatch {
                        field: name.into(),
                        expected: expected.to_owned(),
                        actual: actual.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Fields whose values are integers (fen, counts); they are typed as numbers in parsed messages.
pub fn is_integer_field(name: &str) -> bool {
    matches!(
        name,
        "total_fee"
            | "settlement_total_fee"
            | "cash_fee"
            | "coupon_fee"
            | "coupon_count"
            | "refund_fee"
            | "settlement_refund_fee"
    ) || name.strip_prefix("coupon_fee_").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Every amount or count field received must be a canonical non-negative integer.
pub(crate) fn check_integer_fields(fields: &Fields) -> Result<()> {
    match fields.iter().find(|&(k, v)| is_integer_field(k) && !v.is_empty() && parse_amount(v).is_none()) {
        Some((name, _)) => Err(Error::message_field(name.to_owned(), "expected an integer")),
        None => Ok(()),
    }
}

/// A non-negative integer field of a received message (amounts in fen, counts).
pub(crate) fn integer_field(fields: &Fields, name: &'static str) -> Result<Option<u64>> {
    match fields.get_non_empty(name) {
        None => Ok(None),
        Some(v) => parse_amount(v).map(Some).ok_or_else(|| Error::message_field(name, "expected an integer")),
    }
}

/// Parses a non-negative decimal integer without sign, leading zeros or separators (at most 15 digits).
pub(crate) fn parse_amount(v: &str) -> Option<u64> {
    let canonical = v == "0" || (!v.starts_with('0') && v.len() <= 15);
    if canonical && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) { v.parse().ok() } else { None }
}

pub(crate) fn required<'f>(fields: &'f Fields, name: &'static str) -> Result<&'f str> {
    fields.get_non_empty(name).ok_or_else(|| Error::message_field(name, "missing"))
}

/// Reads an API v2 message: flat XML whose root element is `root` (`xml`, or `root` inside a refund's `req_info`).
pub(crate) fn parse_message(text: &str, root: &'static str) -> Result<Fields> {
    let doc = crate::xml::parse(text)?;
    if doc.root != root {
        return Err(Error::message_field("(root element)", format!("expected <{root}>")));
    }
    Ok(doc.fields)
}

/// Where a message comes from, which decides what an unsigned failure means.
#[derive(Clone, Copy)]
pub(crate) enum Origin {
    /// WeChat's answer to our request, over TLS: a failure is WeChat's, reported as `ERR_WECHAT`.
    Response,
    /// A notification posted to us by anyone: an unsigned failure authenticates nothing.
    Notification,
}

/// `return_code` must be `SUCCESS`: otherwise the message is an unsigned failure notice.
pub(crate) fn check_return_code(fields: &Fields, origin: Origin) -> Result<()> {
    match (fields.get("return_code"), origin) {
        (Some("SUCCESS"), _) => Ok(()),
        (None, _) => Err(Error::message_field("return_code", "missing")),
        (Some(code), Origin::Response) => Err(Error::Wechat(crate::error::WechatError::V2Return {
            return_code: code.to_owned(),
            return_msg: fields.get("return_msg").unwrap_or_default().to_owned(),
        })),
        (Some(_), Origin::Notification) => Err(Error::message_field(
            "return_code",
            "not SUCCESS: an unsigned failure notice, which anyone could have sent; nothing in it is trusted",
        )),
    }
}
