//! Mini-program open data (`encryptedData`): decrypted with the user's session key, and checked to be for your
//! mini program.
//!
//! Source: "开放数据校验与解密" (developers.weixin.qq.com/miniprogram/dev/framework/open-ability/signature.html):
//! AES-128-CBC with PKCS#7 padding, the key being the base64-decoded `session_key` (16 bytes), the IV the
//! base64-decoded `iv` (16 bytes), the ciphertext the base64-decoded `encryptedData`; the plaintext is JSON
//! carrying `watermark.appid`, which must be your AppID. CBC authenticates nothing: the padding is checked
//! strictly, the JSON parsed strictly, and the watermark required.

use aes::Aes128;
use base64ct::{Base64, Encoding};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// What open data must carry, whatever else it holds: its watermark.
#[derive(serde::Deserialize)]
struct OpenData {
    watermark: Option<Watermark>,
}

#[derive(serde::Deserialize)]
struct Watermark {
    appid: Option<String>,
}

/// Decrypts `encryptedData` (getUserInfo, the legacy getPhoneNumber, getShareInfo…) and returns its JSON text,
/// once its `watermark.appid` is `app_id`.
///
/// # Errors
/// - `ERR_INVALID_KEY`: `session_key` is not base64 of 16 bytes;
/// - `ERR_INVALID_INPUT`: `iv` is not base64 of 16 bytes, or `encryptedData` not base64;
/// - `ERR_DECRYPT_FAILED`: not whole blocks, bad padding, or a plaintext that is not UTF-8 (a wrong or stale
///   session key, usually: `wx.login` again and use the new one);
/// - `ERR_MALFORMED_JSON`, `ERR_MALFORMED_MESSAGE` (no `watermark.appid`);
/// - `ERR_MERCHANT_MISMATCH`: the data is for another mini program.
pub fn decrypt_open_data(encrypted_data: &str, iv: &str, session_key: &str, app_id: &str) -> Result<String> {
    let key = Zeroizing::new(
        Base64::decode_vec(session_key)
            .ok()
            .and_then(|k| <[u8; 16]>::try_from(k.as_slice()).ok())
            .ok_or_else(|| Error::key("the session_key from jscode2session is 24 base64 characters (16 bytes)"))?,
    );
    let iv = Base64::decode_vec(iv).ok().and_then(|v| <[u8; 16]>::try_from(v.as_slice()).ok()).ok_or_else(|| {
        Error::input("iv", "the iv the mini program received with encryptedData: 24 base64 characters")
    })?;
    let mut buffer = Base64::decode_vec(encrypted_data).map_err(|_| Error::input("encryptedData", "not base64"))?;
    let stale = "wrong or stale session_key (each wx.login replaces it: decrypt with the one from the latest \
                 login), or altered encryptedData/iv";
    let plaintext = cbc::Decryptor::<Aes128>::new(&(*key).into(), &iv.into())
        .decrypt_padded::<Pkcs7>(&mut buffer)
        .map_err(|_| Error::DecryptFailed { hint: stale.into() })?;
    let text = std::str::from_utf8(plaintext).map_err(|_| Error::DecryptFailed { hint: stale.into() })?.to_owned();
    let data: OpenData = crate::json::from_str(&text)?;
    match data.watermark.and_then(|w| w.appid).as_deref() {
        None => Err(Error::message_field("watermark.appid", "missing: open data always carries its watermark")),
        Some(appid) if appid == app_id => Ok(text),
        Some(appid) => Err(Error::MerchantMismatch {
            field: "watermark.appid".into(),
            expected: app_id.to_owned(),
            actual: appid.to_owned(),
        }),
    }
}
