//! The parameters of `wx.requestPayment` / `Taro.requestPayment`, built on the server.
//!
//! Sources: "小程序调起支付API" (pay.weixin.qq.com/doc/v2/merchant/4011939566) for v2: `paySign` is the v2
//! signature over exactly `appId, nonceStr, package, signType, timeStamp` (capital I in `appId`); "小程序调起支付"
//! (pay.weixin.qq.com/doc/v3/merchant/4012365341) for v3: `paySign` is RSA over `appId\ntimeStamp\nnonceStr\npackage\n`
//! and `signType` is `RSA`, not signed. `appId` is signed but not passed to `wx.requestPayment`.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::v2::{ApiKey, SignType};

/// The object `wx.requestPayment` takes, serialized with the field names exactly as WeChat spells them:
/// `{timeStamp, nonceStr, package, signType, paySign}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestPayment {
    /// `timeStamp`: Unix seconds, as a string.
    pub time_stamp: String,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `package`: `prepay_id=…`.
    pub package: String,
    /// `signType`: `MD5`, `HMAC-SHA256` (v2) or `RSA` (v3).
    pub sign_type: String,
    /// `paySign`.
    pub pay_sign: String,
}

/// What the v2 and v3 payment parameters have in common, checked once.
#[derive(Debug, Clone, Copy)]
pub struct PaymentInput<'a> {
    /// The mini program's AppID.
    pub app_id: &'a str,
    /// The `prepay_id` from unifiedorder (v2) or `/v3/pay/transactions/jsapi` (v3), without `prepay_id=`.
    pub prepay_id: &'a str,
    /// Unix seconds as decimal digits.
    pub time_stamp: &'a str,
    /// 1 to 32 ASCII letters and digits.
    pub nonce_str: &'a str,
}

impl PaymentInput<'_> {
    pub(crate) fn check(&self) -> Result<String> {
        if !is_app_id(self.app_id) {
            return Err(Error::input("appId", "the mini program's AppID (wx…)"));
        }
        if self.prepay_id.starts_with("prepay_id=") {
            return Err(Error::input("prepayId", "pass the bare prepay_id; package is built from it"));
        }
        if self.prepay_id.is_empty()
            || self.prepay_id.len() > 64
            || !self.prepay_id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Error::input("prepayId", "the prepay_id WeChat returned (ASCII, at most 64 characters)"));
        }
        check_timestamp("timeStamp", self.time_stamp)?;
        crate::v2::check_nonce(self.nonce_str)?;
        Ok(format!("prepay_id={}", self.prepay_id))
    }
}

/// A mini program's AppID (`wx…`): 1 to 32 ASCII letters and digits.
pub(crate) fn is_app_id(s: &str) -> bool {
    (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A timestamp argument: Unix seconds, as 1 to 12 digits.
pub(crate) fn check_timestamp(field: &'static str, timestamp: &str) -> Result<()> {
    if (1..=12).contains(&timestamp.len()) && timestamp.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::input(field, "Unix time in seconds, as digits"))
    }
}

/// v2 `wx.requestPayment` parameters, `paySign` computed with the API v2 key.
///
/// ```
/// use wechatpay_wasm::payment::{PaymentInput, request_payment_v2};
/// use wechatpay_wasm::v2::{ApiKey, SignType};
///
/// // the example of WeChat's 小程序调起支付API page
/// let key = ApiKey::new("qazwsxedcrfvtgbyhnujmikolp111111")?;
/// let input = PaymentInput {
///     app_id: "wxd678efh567hg6787",
///     prepay_id: "wx2017033010242291fcfe0db70013231072",
///     time_stamp: "1490840662",
///     nonce_str: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
/// };
/// let params = request_payment_v2(input, &key, SignType::Md5)?;
/// assert_eq!(params.pay_sign, "22D9B4E54AB1950F51E0649E8810ACD6");
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// `ERR_INVALID_INPUT` naming a malformed `appId`, `prepayId`, `timeStamp` or `nonceStr`.
pub fn request_payment_v2(input: PaymentInput<'_>, key: &ApiKey, sign_type: SignType) -> Result<RequestPayment> {
    let package = input.check()?;
    let fields = [
        ("appId", input.app_id),
        ("nonceStr", input.nonce_str),
        ("package", package.as_str()),
        ("signType", sign_type.as_str()),
        ("timeStamp", input.time_stamp),
    ];
    let pay_sign = crate::v2::sign(&fields, key, sign_type)?;
    Ok(RequestPayment {
        time_stamp: input.time_stamp.to_owned(),
        nonce_str: input.nonce_str.to_owned(),
        package,
        sign_type: sign_type.as_str().to_owned(),
        pay_sign: pay_sign.as_str().to_owned(),
    })
}

/// The v3 message to sign for `paySign`: `appId\ntimeStamp\nnonceStr\npackage\n`; returns it with `package`.
///
/// # Errors
/// `ERR_INVALID_INPUT` naming a malformed `appId`, `prepayId`, `timeStamp` or `nonceStr`.
pub fn request_payment_v3_message(input: PaymentInput<'_>) -> Result<(String, String)> {
    let package = input.check()?;
    let message = format!("{}\n{}\n{}\n{}\n", input.app_id, input.time_stamp, input.nonce_str, package);
    Ok((message, package))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_v2_example() {
        let key = ApiKey::new("qazwsxedcrfvtgbyhnujmikolp111111").unwrap();
        let input = PaymentInput {
            app_id: "wxd678efh567hg6787",
            prepay_id: "wx2017033010242291fcfe0db70013231072",
            time_stamp: "1490840662",
            nonce_str: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        };
        let p = request_payment_v2(input, &key, SignType::Md5).unwrap();
        assert_eq!(p.pay_sign, "22D9B4E54AB1950F51E0649E8810ACD6");
        assert_eq!(p.package, "prepay_id=wx2017033010242291fcfe0db70013231072");
    }
}
