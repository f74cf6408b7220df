//! 退款结果通知: decrypting the API v2 refund notification's `req_info`.
//!
//! Source: "退款结果通知" (pay.weixin.qq.com/wiki/doc/api/wxpay/ch/pay/NativePay/chapter8_8.shtml): the
//! message carries no `sign`; `req_info` is base64 of AES-256-ECB with PKCS#7 padding, keyed with the lower-case
//! hex MD5 of the API key (32 ASCII bytes). ECB authenticates nothing, so the padding is checked strictly, the
//! plaintext parsed strictly, and `appid`/`mch_id` matched; treat the result as a reason to query the refund.

use aes::Aes256;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use base64ct::{Base64, Encoding};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{ApiKey, Merchant, Origin, check_return_code, integer_field, parse_message, required};
use crate::error::{Error, Result};
use crate::fields::{Fields, Typed};

/// A decrypted refund notification; serialized as `appid`, `mch_id`, then the decrypted fields, amounts as
/// numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundNotification {
    /// `appid` of the outer message.
    pub appid: String,
    /// `mch_id` of the outer message.
    pub mch_id: String,
    /// `out_trade_no`.
    pub out_trade_no: String,
    /// `out_refund_no`.
    pub out_refund_no: String,
    /// `transaction_id`: WeChat's payment number.
    pub transaction_id: String,
    /// `refund_id`: WeChat's refund number.
    pub refund_id: String,
    /// `refund_status`: `SUCCESS`, `CHANGE` or `REFUNDCLOSE`.
    pub refund_status: String,
    /// `total_fee` in fen.
    pub total_fee: u64,
    /// `refund_fee` in fen.
    pub refund_fee: u64,
    /// Every field of the decrypted `<root>`.
    pub fields: Fields,
}

impl Serialize for RefundNotification {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let inner = Typed { fields: &self.fields, skip: &["appid", "mch_id"], is_integer: super::is_integer_field };
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("appid", &self.appid)?;
        map.serialize_entry("mch_id", &self.mch_id)?;
        inner.entries(&mut map)?;
        map.end()
    }
}

/// Decrypts and parses a refund notification.
///
/// # Errors
/// - `ERR_MALFORMED_XML` for an outer message or plaintext that is not flat XML;
/// - `ERR_MALFORMED_MESSAGE` when `return_code` is not `SUCCESS` (an unsigned notice);
/// - `ERR_MERCHANT_MISMATCH` when `appid`/`mch_id` differ from `merchant`;
/// - `ERR_DECRYPT_FAILED` for bad base64, a length that is not whole blocks, bad padding, or non-UTF-8
///   plaintext (usually the wrong API key, or a truncated `req_info`);
/// - `ERR_MALFORMED_MESSAGE` for a missing field or a non-integer amount.
pub fn decrypt_refund_notification(xml: &str, key: &ApiKey, merchant: Merchant<'_>) -> Result<RefundNotification> {
    let outer = parse_message(xml, "xml")?;
    check_return_code(&outer, Origin::Notification)?;
    merchant.check(&outer)?;
    let plaintext = decrypt_req_info(required(&outer, "req_info")?, key)?;
    let inner = parse_message(&plaintext, "root")?;
    super::check_integer_fields(&inner)?;
    let amount = |name| integer_field(&inner, name)?.ok_or_else(|| Error::message_field(name, "missing"));
    Ok(RefundNotification {
        appid: required(&outer, "appid")?.to_owned(),
        mch_id: required(&outer, "mch_id")?.to_owned(),
        out_trade_no: required(&inner, "out_trade_no")?.to_owned(),
        out_refund_no: required(&inner, "out_refund_no")?.to_owned(),
        transaction_id: required(&inner, "transaction_id")?.to_owned(),
        refund_id: required(&inner, "refund_id")?.to_owned(),
        refund_status: required(&inner, "refund_status")?.to_owned(),
        total_fee: amount("total_fee")?,
        refund_fee: amount("refund_fee")?,
        fields: inner,
    })
}

const WRONG_KEY: &str = "check the API v2 key (req_info is keyed with MD5 of it) and that req_info is complete";

/// AES-256-ECB decryption of `req_info` with a strict PKCS#7 check.
pub(crate) fn decrypt_req_info(req_info: &str, key: &ApiKey) -> Result<String> {
    let fail = |hint: &'static str| Error::DecryptFailed { hint: hint.into() };
    let mut data = Zeroizing::new(Base64::decode_vec(req_info.trim()).map_err(|_| fail("req_info is not base64"))?);
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(fail("req_info is not a whole number of AES blocks: it was truncated"));
    }
    let aes_key = Zeroizing::new(lower_hex(&Md5::digest(key.secret())));
    let cipher = Aes256::new_from_slice(aes_key.as_bytes()).map_err(|_| fail(WRONG_KEY))?;
    for block in data.chunks_exact_mut(16) {
        let block = <&mut aes::Block>::try_from(block).map_err(|_| fail(WRONG_KEY))?;
        cipher.decrypt_block(block);
    }
    let pad = usize::from(data.last().copied().unwrap_or(0));
    let body_len = data.len().checked_sub(pad).filter(|_| (1..=16).contains(&pad)).ok_or_else(|| fail(WRONG_KEY))?;
    if !data.get(body_len..).unwrap_or(&[]).iter().all(|&b| usize::from(b) == pad) {
        return Err(fail(WRONG_KEY));
    }
    data.truncate(body_len);
    String::from_utf8(data.to_vec()).map_err(|_| fail(WRONG_KEY))
}

/// WeChat's side of `req_info` decryption: AES-256-ECB with PKCS#7 padding, base64; for simulators and tests.
pub fn encrypt_req_info(plaintext: &[u8], key: &ApiKey) -> String {
    let aes_key = Zeroizing::new(lower_hex(&Md5::digest(key.secret())));
    let pad = 16 - plaintext.len() % 16;
    let mut data = Zeroizing::new(plaintext.to_vec());
    data.resize(plaintext.len() + pad, u8::try_from(pad).unwrap_or(16));
    if let Ok(cipher) = Aes256::new_from_slice(aes_key.as_bytes()) {
        for block in data.chunks_exact_mut(16) {
            if let Ok(block) = <&mut aes::Block>::try_from(block) {
                cipher.encrypt_block(block);
            }
        }
    }
    Base64::encode_string(&data)
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
        for text in ["", "<root><a>1</a></root>", "sixteen bytes!!!"] {
            assert_eq!(decrypt_req_info(&encrypt_req_info(text.as_bytes(), &key), &key).unwrap(), text);
        }
    }
}
