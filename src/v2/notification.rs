//! 支付结果通知: the API v2 payment notification, and the exact reply WeChat expects.
//!
//! Source: "支付结果通知" (pay.weixin.qq.com/doc/v2/merchant/4011937248): the fields, the duty to verify the
//! signature and the amount, and the reply `<xml><return_code>…</return_code><return_msg>…</return_msg></xml>`.

use super::{ApiKey, Merchant, Origin, SignType, check_return_code, integer_field, parse_message, required};
use crate::error::{Error, Result};
use crate::fields::Fields;
use crate::xml::{self, XmlValue};

/// A verified payment notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentNotification {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// `result_code`: `SUCCESS` when the payment succeeded.
    pub result_code: String,
    /// `out_trade_no`: the merchant's order number.
    pub out_trade_no: String,
    /// `transaction_id`: WeChat's payment number (present on success).
    pub transaction_id: Option<String>,
    /// `total_fee` in fen: compare it with the order's amount before marking it paid.
    pub total_fee: u64,
    /// `cash_fee` in fen (present on success).
    pub cash_fee: Option<u64>,
    /// The algorithm the signature was verified with.
    pub sign_type: SignType,
    /// Every field received, verified (`sign` included).
    pub fields: Fields,
}

impl PaymentNotification {
    /// The JS shape: every field received but `sign`, amounts as numbers.
    pub fn to_json(&self) -> String {
        self.fields.to_json(&["sign"], super::is_integer_field)
    }
}

/// Parses and verifies a payment notification body.
///
/// # Errors
/// - `ERR_MALFORMED_XML` for a body that is not flat XML;
/// - `ERR_MALFORMED_MESSAGE` when `return_code` is not `SUCCESS`: such a notice is unsigned, anyone could send it;
/// - the errors of [`super::verify`]: a missing `sign` is `ERR_MISSING_SIGNATURE`, never a pass;
/// - `ERR_MERCHANT_MISMATCH` when `appid`/`mch_id` differ from `merchant`;
/// - `ERR_MALFORMED_MESSAGE` for a missing required field or a non-integer amount.
pub fn parse_notification(xml: &str, key: &ApiKey, merchant: Merchant<'_>) -> Result<PaymentNotification> {
    let fields = parse_message(xml, "xml")?;
    check_return_code(&fields, Origin::Notification)?;
    let sign_type = super::verify(&fields.pairs(), key)?;
    merchant.check(&fields)?;
    super::check_integer_fields(&fields)?;
    let result_code = required(&fields, "result_code")?.to_owned();
    let success = result_code == "SUCCESS";
    let on_success = |name: &'static str| -> Result<Option<String>> {
        match fields.get_non_empty(name) {
            Some(v) => Ok(Some(v.to_owned())),
            None if success => Err(Error::message_field(name, "missing from a successful payment notification")),
            None => Ok(None),
        }
    };
    let transaction_id = on_success("transaction_id")?;
    on_success("openid")?;
    on_success("time_end")?;
    let cash_fee = integer_field(&fields, "cash_fee")?;
    if success && cash_fee.is_none() {
        return Err(Error::message_field("cash_fee", "missing from a successful payment notification"));
    }
    Ok(PaymentNotification {
        appid: required(&fields, "appid")?.to_owned(),
        mch_id: required(&fields, "mch_id")?.to_owned(),
        out_trade_no: required(&fields, "out_trade_no")?.to_owned(),
        total_fee: integer_field(&fields, "total_fee")?.ok_or_else(|| Error::message_field("total_fee", "missing"))?,
        result_code,
        transaction_id,
        cash_fee,
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
