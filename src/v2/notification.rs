//! 支付结果通知: the API v2 payment notification, and the exact reply WeChat expects.
//!
//! Source: "支付结果通知" (pay.weixin.qq.com/doc/v2/merchant/4011937248): the fields, the duty to verify the
//! signature and the amount, and the reply `<xml><return_code>…</return_code><return_msg>…</return_msg></xml>`.

use serde::{Serialize, Serializer};

use super::{
    Algorithms, ApiKey, Merchant, Origin, SignType, check_return_code, integer_field, parse_message, required,
};
use crate::error::{Error, Result};
use crate::fields::{Fields, Typed};
use crate::xml::{self, XmlValue};

/// A verified payment notification: a payment that succeeded, or one that failed (`result_code` FAIL, signed
/// like a success). Serialized as every field received but `sign`, amounts as numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentNotification {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// `out_trade_no`: the merchant's order number.
    pub out_trade_no: String,
    /// `total_fee` in fen: compare it with the order's amount before marking it paid.
    pub total_fee: u64,
    /// What `result_code` says happened.
    pub result: PaymentResult,
    /// The algorithm the signature was verified with.
    pub sign_type: SignType,
    /// Every field received, verified (`sign` included).
    pub fields: Fields,
}

/// `result_code` and the fields that come with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentResult {
    /// `SUCCESS`: paid.
    Success {
        /// `transaction_id`: WeChat's payment number.
        transaction_id: String,
        /// `openid` of the payer.
        openid: String,
        /// `time_end`: yyyyMMddHHmmss, China time.
        time_end: String,
        /// `cash_fee` in fen.
        cash_fee: u64,
    },
    /// `FAIL`: the payment failed; nothing was paid.
    Fail {
        /// `err_code`, when WeChat sent one.
        err_code: Option<String>,
        /// `err_code_des`, when WeChat sent one.
        err_code_des: Option<String>,
    },
}

impl PaymentNotification {
    /// Whether the payment succeeded (`result_code` SUCCESS).
    pub fn is_paid(&self) -> bool {
        matches!(self.result, PaymentResult::Success { .. })
    }
}

impl Serialize for PaymentNotification {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Typed { fields: &self.fields, skip: &["sign"], is_integer: super::is_integer_field }.serialize(s)
    }
}

/// Parses and verifies a payment notification body. A signed `result_code` FAIL is returned as
/// [`PaymentResult::Fail`]: check [`PaymentNotification::is_paid`] before marking anything paid.
///
/// # Errors
/// - `ERR_MALFORMED_XML` for a body that is not flat XML;
/// - `ERR_MALFORMED_MESSAGE` when `return_code` is not `SUCCESS`: such a notice is unsigned, anyone could send it;
/// - the errors of [`super::verify`]: a missing `sign` is `ERR_MISSING_SIGNATURE`, never a pass; an algorithm
///   `algorithms` does not list is `ERR_ALGORITHM_NOT_ALLOWED`;
/// - `ERR_MERCHANT_MISMATCH` when `appid`/`mch_id` differ from `merchant`;
/// - `ERR_MALFORMED_MESSAGE` for a missing required field, a `result_code` other than SUCCESS or FAIL, or a
///   non-integer amount.
pub fn parse_notification(
    xml: &str,
    key: &ApiKey,
    merchant: Merchant<'_>,
    algorithms: Algorithms,
) -> Result<PaymentNotification> {
    let fields = parse_message(xml, "xml")?;
    check_return_code(&fields, Origin::Notification)?;
    let sign_type = super::verify(&fields.pairs(), key, algorithms)?;
    merchant.check(&fields)?;
    super::check_integer_fields(&fields)?;
    let owned = |name| required(&fields, name).map(str::to_owned);
    let result = match required(&fields, "result_code")? {
        "SUCCESS" => PaymentResult::Success {
            transaction_id: owned("transaction_id")?,
            openid: owned("openid")?,
            time_end: owned("time_end")?,
            cash_fee: integer_field(&fields, "cash_fee")?.ok_or_else(|| Error::message_field("cash_fee", "missing"))?,
        },
        "FAIL" => PaymentResult::Fail {
            err_code: fields.get_non_empty("err_code").map(str::to_owned),
            err_code_des: fields.get_non_empty("err_code_des").map(str::to_owned),
        },
        _ => return Err(Error::message_field("result_code", "expected SUCCESS or FAIL")),
    };
    Ok(PaymentNotification {
        appid: owned("appid")?,
        mch_id: owned("mch_id")?,
        out_trade_no: owned("out_trade_no")?,
        total_fee: integer_field(&fields, "total_fee")?.ok_or_else(|| Error::message_field("total_fee", "missing"))?,
        result,
        sign_type,
        fields,
    })
}

/// The reply body to a notification: `SUCCESS`/`OK` when `ok`, else `FAIL` with `message` (WeChat retries).
///
/// # Errors
/// `ERR_INVALID_INPUT` for a message holding characters XML cannot carry.
pub fn notification_reply(ok: bool, message: Option<&str>) -> Result<String> {
    let (code, default) = if ok { ("SUCCESS", "OK") } else { ("FAIL", "FAIL") };
    xml::build(
        "xml",
        [("return_code", XmlValue::Text(code)), ("return_msg", XmlValue::Text(message.unwrap_or(default)))],
    )
}
