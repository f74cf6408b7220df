//! 统一下单 (unifiedorder) with `trade_type=JSAPI`, the mini-program order.
//!
//! Source: "统一下单" (pay.weixin.qq.com/doc/v2/merchant/4011940985, mini-program variant): required fields,
//! their formats, and the response (`return_code`, then the signed business fields and `prepay_id`).

use std::net::IpAddr;

use serde::Serialize;

use super::{
    Algorithms, ApiKey, Merchant, Origin, SignType, check_return_code, parse_amount, parse_message, required, sign,
};
use crate::error::{Error, Result, WechatError};
use crate::fields::Fields;
use crate::xml::{self, XmlValue};

/// The useful part of a successful unifiedorder response; serialized as `{prepayId, tradeType, fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnifiedOrderResponse {
    /// `prepay_id`, valid for two hours; the mini program pays with `package: 'prepay_id=…'`.
    pub prepay_id: String,
    /// `trade_type` as echoed by WeChat.
    pub trade_type: String,
    /// Every field of the response, verified.
    pub fields: Fields,
}

/// Builds the signed XML body of a JSAPI unifiedorder request.
///
/// `order` holds WeChat's field names (`appid`, `mch_id`, `body`, `out_trade_no`, `total_fee`,
/// `spbill_create_ip`, `notify_url`, `openid`, and any optional ones); `trade_type` defaults to `JSAPI`.
/// `nonce_str`, `sign_type` and `sign` are added here.
///
/// # Errors
/// `ERR_INVALID_INPUT` naming the first field that is missing or malformed (or that must not be passed:
/// `sign`, `sign_type`, `nonce_str`).
pub fn build_unified_order(
    order: &[(&str, XmlValue<'_>)],
    key: &ApiKey,
    sign_type: SignType,
    nonce_str: &str,
) -> Result<String> {
    check_nonce(nonce_str)?;
    for (name, value) in order {
        check_field(name, value.text())?;
    }
    for name in REQUIRED {
        if !order.iter().any(|(k, v)| *k == name && !v.text().is_empty()) {
            return Err(Error::input(name, "required for a JSAPI unifiedorder"));
        }
    }
    let mut fields: Vec<(&str, XmlValue<'_>)> = order.to_vec();
    if !fields.iter().any(|(k, _)| *k == "trade_type") {
        fields.push(("trade_type", XmlValue::Text("JSAPI")));
    }
    fields.push(("nonce_str", XmlValue::Text(nonce_str)));
    fields.push(("sign_type", XmlValue::Text(sign_type.as_str())));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.text())).collect();
    let signature = sign(&pairs, key, sign_type)?;
    fields.push(("sign", XmlValue::Text(signature.as_str())));
    xml::build("xml", fields)
}

const REQUIRED: [&str; 8] =
    ["appid", "mch_id", "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url", "openid"];

pub(crate) fn check_nonce(nonce: &str) -> Result<()> {
    if (1..=32).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(Error::input("nonceStr", "1 to 32 ASCII letters and digits"))
    }
}

fn check_field(name: &str, value: &str) -> Result<()> {
    let chars = value.chars().count();
    let bad = |problem: &'static str| Err(Error::input(name.to_owned(), problem));
    match name {
        "sign" | "sign_type" | "nonce_str" => {
            bad("computed by buildUnifiedOrder; pass signType and nonceStr in the options instead")
        }
        "appid" if !crate::payment::is_app_id(value) => bad("the mini program's AppID (wx…), ASCII letters and digits"),
        "mch_id" if !(1..=32).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) => {
            bad("the merchant number, digits only")
        }
        "body" if chars == 0 || chars > 127 => bad("1 to 127 characters"),
        "out_trade_no"
            if !(1..=32).contains(&value.len())
                || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*".contains(&b)) =>
        {
            bad("1 to 32 characters from 0-9 A-Z a-z _ - | *")
        }
        "total_fee" if !parse_amount(value).is_some_and(|n| (1..=i32::MAX as u64).contains(&n)) => {
            bad("a positive integer amount in fen (1 = ¥0.01)")
        }
        "spbill_create_ip" if value.len() > 64 || value.parse::<IpAddr>().is_err() => {
            bad("the payer's IPv4 or IPv6 address")
        }
        "notify_url"
            if value.len() > 256
                || !(value.starts_with("https://") || value.starts_with("http://"))
                || value.contains(['?', '#'])
                || value.chars().any(char::is_whitespace) =>
        {
            bad("an absolute http(s) URL of at most 256 characters, without query string or fragment")
        }
        "openid" if !(1..=128).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_graphic()) => {
            bad("the payer's openid from jscode2session")
        }
        "trade_type" if value != "JSAPI" => {
            bad("only JSAPI (mini program) is built here; sign other trade types with signV2 and toXml")
        }
        "attach" if chars > 127 => bad("at most 127 characters"),
        "device_info" | "goods_tag" if chars > 32 => bad("at most 32 characters"),
        "fee_type" if value != "CNY" => bad("CNY is the only currency of JSAPI payments"),
        "time_start" | "time_expire" if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) => {
            bad("yyyyMMddHHmmss, China time")
        }
        "limit_pay" if value != "no_credit" => bad("the only value is no_credit"),
        "detail" if chars > 6000 => bad("at most 6000 characters"),
        _ => Ok(()),
    }
}

/// Parses and verifies a unifiedorder response, and returns the `prepay_id`.
///
/// # Errors
/// - `ERR_MALFORMED_XML` for a body that is not flat XML;
/// - `ERR_WECHAT` with `return_code`/`return_msg` when WeChat refused the request, or with
///   `err_code`/`err_code_des` when the order failed (`ORDERPAID`, `OUT_TRADE_NO_USED`, …);
/// - the errors of [`super::verify`] for an unsigned or badly signed response, or one signed with an algorithm
///   `algorithms` does not list;
/// - `ERR_MERCHANT_MISMATCH` when `appid`/`mch_id` differ from `merchant`;
/// - `ERR_MALFORMED_MESSAGE` when `prepay_id` or `trade_type` is missing.
pub fn parse_unified_order_response(
    xml: &str,
    key: &ApiKey,
    merchant: Merchant<'_>,
    algorithms: Algorithms,
) -> Result<UnifiedOrderResponse> {
    let fields = parse_message(xml, "xml")?;
    check_return_code(&fields, Origin::Response)?;
    super::verify(&fields.pairs(), key, algorithms)?;
    merchant.check(&fields)?;
    if fields.get("result_code") != Some("SUCCESS") {
        return Err(Error::Wechat(WechatError::V2Result {
            err_code: fields.get("err_code").unwrap_or_default().to_owned(),
            err_code_des: fields.get("err_code_des").unwrap_or_default().to_owned(),
        }));
    }
    Ok(UnifiedOrderResponse {
        prepay_id: required(&fields, "prepay_id")?.to_owned(),
        trade_type: required(&fields, "trade_type")?.to_owned(),
        fields,
    })
}
