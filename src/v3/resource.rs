//! `AEAD_AES_256_GCM` resources: notifications, `/v3/certificates` replies, and encrypting for simulators.
//!
//! Source: "如何解密回调报文和平台证书" (pay.weixin.qq.com/docs/partner/products/platform-certificate/decryption-certificate.html):
//! the key is the APIv3 key's 32 ASCII bytes, the nonce the 12-character `nonce`, the AAD `associated_data`
//! (`transaction`, `refund`, `certificate`, or empty), and `ciphertext` is base64 of the ciphertext followed by
//! the 16-byte tag. A notification is `{"id","create_time","resource_type","event_type","summary","resource":{
//! "original_type","algorithm","ciphertext","associated_data","nonce"}}` (wechatpay4_2).

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

use super::PublicKey;
use crate::error::{Error, Result};
use crate::json::{self, ObjectWriter, Value};

/// The only algorithm WeChat Pay uses for RSA merchants.
pub const AEAD_AES_256_GCM: &str = "AEAD_AES_256_GCM";

/// The APIv3 key (商户平台 → API安全 → APIv3密钥): 32 ASCII characters, the AES-256 key as they are.
#[derive(Clone)]
pub struct ApiV3Key(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiV3Key(…)")
    }
}

impl ApiV3Key {
    /// Checks the key's length: a 16-byte key would silently select AES-128 elsewhere.
    ///
    /// # Errors
    /// `ERR_INVALID_KEY` unless the key is exactly 32 bytes (whitespace around it is named as the likely cause).
    pub fn new(key: &str) -> Result<Self> {
        let bytes = <[u8; 32]>::try_from(key.as_bytes()).map_err(|_| {
            let hint = if key.trim().len() == 32 { "; remove the surrounding whitespace or newline" } else { "" };
            Error::key(format!(
                "the APIv3 key is the 32-character key set in 商户平台 → API安全 → APIv3密钥 (not the API v2 key); \
                 got {} bytes{hint}",
                key.len()
            ))
        })?;
        Ok(ApiV3Key(Zeroizing::new(bytes)))
    }

    /// The key bytes, for the host's AES-GCM.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// An encrypted resource as WeChat sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptedResource<'a> {
    /// `algorithm`: `AEAD_AES_256_GCM`.
    pub algorithm: &'a str,
    /// `ciphertext`: base64 of ciphertext ‖ tag.
    pub ciphertext: &'a str,
    /// `nonce`: 12 characters.
    pub nonce: &'a str,
    /// `associated_data` (empty when absent).
    pub associated_data: &'a str,
}

/// The decoded inputs of one AES-256-GCM decryption, for whichever implementation runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GcmInput {
    /// The 12-byte nonce.
    pub nonce: Vec<u8>,
    /// The associated data.
    pub associated_data: Vec<u8>,
    /// Ciphertext followed by the 16-byte tag (WebCrypto's layout).
    pub ciphertext: Vec<u8>,
}

const WRONG_KEY: &str = "the APIv3 key does not match (商户平台 → API安全 → APIv3密钥; not the API v2 key), or the \
                         resource was altered (ciphertext, nonce or associated_data)";

impl EncryptedResource<'_> {
    /// Decodes and checks the fields.
    ///
    /// # Errors
    /// `ERR_UNSUPPORTED_ALGORITHM` for an algorithm other than `AEAD_AES_256_GCM`; `ERR_MALFORMED_MESSAGE` for
    /// a nonce that is not 12 bytes; `ERR_DECRYPT_FAILED` for a ciphertext that is not base64 or is shorter
    /// than the tag.
    pub fn gcm_input(&self) -> Result<GcmInput> {
        if self.algorithm != AEAD_AES_256_GCM {
            return Err(Error::unsupported("algorithm", self.algorithm));
        }
        if self.nonce.len() != 12 {
            return Err(Error::message_field("nonce", "the AES-GCM nonce of a resource has 12 characters"));
        }
        let ciphertext = Base64::decode_vec(self.ciphertext)
            .map_err(|_| Error::DecryptFailed { hint: "ciphertext is not base64".into() })?;
        if ciphertext.len() < 16 {
            return Err(Error::DecryptFailed { hint: "ciphertext is shorter than the 16-byte tag: truncated".into() });
        }
        Ok(GcmInput {
            nonce: self.nonce.as_bytes().to_vec(),
            associated_data: self.associated_data.as_bytes().to_vec(),
            ciphertext,
        })
    }
}

impl GcmInput {
    /// AES-256-GCM decryption in Rust.
    ///
    /// # Errors
    /// `ERR_DECRYPT_FAILED` when the tag does not authenticate (usually the wrong APIv3 key).
    pub fn decrypt(&self, key: &ApiV3Key) -> Result<Zeroizing<Vec<u8>>> {
        let fail = || Error::DecryptFailed { hint: WRONG_KEY.into() };
        let cipher = Aes256Gcm::new_from_slice(key.as_bytes()).map_err(|_| fail())?;
        let nonce = <&aes_gcm::Nonce<_>>::try_from(self.nonce.as_slice()).map_err(|_| fail())?;
        let payload = Payload { msg: &self.ciphertext, aad: &self.associated_data };
        cipher.decrypt(nonce, payload).map(Zeroizing::new).map_err(|_| fail())
    }
}

/// The decrypted resource as JSON text, checked to be a JSON object; `None` means the decryption did not
/// authenticate (the host's AES-GCM reports it that way).
///
/// # Errors
/// `ERR_DECRYPT_FAILED` for `None`; `ERR_MALFORMED_JSON` for a plaintext that is not UTF-8 JSON;
/// `ERR_MALFORMED_MESSAGE` for JSON that is not an object.
pub fn resource_json(plaintext: Option<&[u8]>) -> Result<String> {
    let plaintext = plaintext.ok_or_else(|| Error::DecryptFailed { hint: WRONG_KEY.into() })?;
    let text = utf8(plaintext)?;
    match json::parse(text)? {
        Value::Object(_) => Ok(text.to_owned()),
        _ => Err(Error::message_field("resource", "the decrypted resource is not a JSON object")),
    }
}

/// Decrypts a resource (`decryptResource`): the plaintext JSON object, as text.
///
/// # Errors
/// As [`EncryptedResource::gcm_input`], [`GcmInput::decrypt`] and [`resource_json`].
pub fn decrypt_resource(resource: &EncryptedResource<'_>, key: &ApiV3Key) -> Result<String> {
    resource_json(Some(&resource.gcm_input()?.decrypt(key)?))
}

/// Encrypts `plaintext` as WeChat Pay does (`encryptResource`, for simulators and tests): JSON
/// `{algorithm, ciphertext, nonce, associated_data}`.
///
/// # Errors
/// `ERR_INVALID_INPUT` for a `nonce` that is not 12 printable ASCII characters.
pub fn encrypt_resource(plaintext: &[u8], key: &ApiV3Key, nonce: &str, associated_data: &str) -> Result<String> {
    if nonce.len() != 12 || !nonce.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::input("nonce", "12 printable ASCII characters"));
    }
    let fail = || Error::input("plaintext", "cannot be encrypted");
    let cipher = Aes256Gcm::new_from_slice(key.as_bytes()).map_err(|_| fail())?;
    let n = <&aes_gcm::Nonce<_>>::try_from(nonce.as_bytes()).map_err(|_| fail())?;
    let ciphertext =
        cipher.encrypt(n, Payload { msg: plaintext, aad: associated_data.as_bytes() }).map_err(|_| fail())?;
    Ok(ObjectWriter::new()
        .str("algorithm", AEAD_AES_256_GCM)
        .str("ciphertext", &Base64::encode_string(&ciphertext))
        .str("nonce", nonce)
        .str("associated_data", associated_data)
        .finish())
}

fn utf8(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes)
        .map_err(|e| Error::MalformedJson { problem: "not UTF-8".into(), offset: e.valid_up_to() })
}

fn string<'v>(v: &'v Value, name: &'static str) -> Result<&'v str> {
    v.get(name).and_then(Value::as_str).ok_or_else(|| Error::message_field(name, "missing, or not a string"))
}

fn optional_string<'v>(v: &'v Value, name: &'static str) -> Result<&'v str> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::message_field(name, "not a string")),
    }
}

fn encrypted(v: &Value) -> Result<EncryptedResource<'_>> {
    Ok(EncryptedResource {
        algorithm: string(v, "algorithm")?,
        ciphertext: string(v, "ciphertext")?,
        nonce: string(v, "nonce")?,
        associated_data: optional_string(v, "associated_data")?,
    })
}

/// A notification's envelope, parsed from the raw body (after its signature verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    envelope: Value,
}

impl Notification {
    /// Parses the envelope.
    ///
    /// # Errors
    /// `ERR_MALFORMED_JSON` for a body that is not UTF-8 JSON; `ERR_MALFORMED_MESSAGE` naming a missing field
    /// (`id`, `create_time`, `event_type`, `resource_type`, `resource` and its `algorithm`, `ciphertext`,
    /// `nonce`).
    pub fn parse(body: &[u8]) -> Result<Self> {
        let envelope = json::parse(utf8(body)?)?;
        for name in ["id", "create_time", "event_type", "resource_type"] {
            string(&envelope, name)?;
        }
        optional_string(&envelope, "summary")?;
        let n = Notification { envelope };
        n.resource()?;
        Ok(n)
    }

    /// The encrypted `resource`.
    ///
    /// # Errors
    /// `ERR_MALFORMED_MESSAGE` naming a missing field.
    pub fn resource(&self) -> Result<EncryptedResource<'_>> {
        match self.envelope.get("resource") {
            Some(r @ Value::Object(_)) => encrypted(r),
            _ => Err(Error::message_field("resource", "missing, or not an object")),
        }
    }

    /// The JS shape, `{id, eventType, createTime, resourceType, summary, resource}`, with `resource_json` (from
    /// [`resource_json`]) as the resource.
    pub fn to_json(&self, resource_json: &str) -> String {
        let field = |name| self.envelope.get(name).and_then(Value::as_str).unwrap_or_default();
        ObjectWriter::new()
            .str("id", field("id"))
            .str("eventType", field("event_type"))
            .str("createTime", field("create_time"))
            .str("resourceType", field("resource_type"))
            .str("summary", field("summary"))
            .raw("resource", resource_json)
            .finish()
    }
}

/// Parses and decrypts a notification whose signature verified (Rust's AES-GCM): the JS shape.
///
/// # Errors
/// As [`Notification::parse`] and [`decrypt_resource`].
pub fn open_notification(body: &[u8], key: &ApiV3Key) -> Result<String> {
    let n = Notification::parse(body)?;
    Ok(n.to_json(&decrypt_resource(&n.resource()?, key)?))
}

/// Decrypts a `GET /v3/certificates` reply: JSON `[{serialNo, effectiveTime, expireTime, certificate}]`, each
/// certificate checked to be an RSA certificate whose serial is the `serial_no` announced.
///
/// Source: "获取平台证书列表" (wechatpay-api.gitbook.io/wechatpay-api-v3, protocol.md §3.5). The reply must
/// have been verified first (with a certificate already trusted, or the WeChat Pay public key).
///
/// # Errors
/// `ERR_MALFORMED_JSON`, `ERR_MALFORMED_MESSAGE` (a missing field, or a certificate whose serial differs),
/// `ERR_DECRYPT_FAILED`, `ERR_UNSUPPORTED_ALGORITHM`, `ERR_INVALID_KEY` (a certificate that is not RSA 2048+).
pub fn decrypt_certificates(json_text: &str, key: &ApiV3Key) -> Result<String> {
    let reply = json::parse(json_text)?;
    let Some(Value::Array(items)) = reply.get("data") else {
        return Err(Error::message_field("data", "missing, or not an array"));
    };
    let mut out = String::from("[");
    for item in items {
        let serial = string(item, "serial_no")?;
        let encrypted = match item.get("encrypt_certificate") {
            Some(r @ Value::Object(_)) => encrypted(r)?,
            _ => return Err(Error::message_field("encrypt_certificate", "missing, or not an object")),
        };
        let plaintext = encrypted.gcm_input()?.decrypt(key)?;
        let pem = utf8(&plaintext)?;
        let certificate = PublicKey::from_pem(pem)?;
        if !certificate.certificate_serial().is_some_and(|s| s.eq_ignore_ascii_case(serial)) {
            return Err(Error::message_field("serial_no", "differs from the serial of the decrypted certificate"));
        }
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(
            &ObjectWriter::new()
                .str("serialNo", serial)
                .str("effectiveTime", string(item, "effective_time")?)
                .str("expireTime", string(item, "expire_time")?)
                .str("certificate", pem)
                .finish(),
        );
    }
    out.push(']');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn derived_vector_b7() {
        let key = ApiV3Key::new(KEY).unwrap();
        let r = EncryptedResource {
            algorithm: AEAD_AES_256_GCM,
            ciphertext: "Iaml06TFOrwRcJZafyok5IwmWSN9bT/ChyeS",
            nonce: "abcdefghijkl",
            associated_data: "certificate",
        };
        assert_eq!(r.gcm_input().unwrap().decrypt(&key).unwrap().as_slice(), b"Hello World");
        let tampered = EncryptedResource { associated_data: "transaction", ..r };
        assert_eq!(tampered.gcm_input().unwrap().decrypt(&key).unwrap_err().code(), "ERR_DECRYPT_FAILED");
        let again = encrypt_resource(b"Hello World", &key, "abcdefghijkl", "certificate").unwrap();
        assert!(again.contains("\"Iaml06TFOrwRcJZafyok5IwmWSN9bT/ChyeS\""));
    }

    #[test]
    fn key_length_is_exact() {
        assert_eq!(ApiV3Key::new("testAPIv3Key0000").unwrap_err().code(), "ERR_INVALID_KEY");
        let e = ApiV3Key::new(&format!(" {KEY}\n")).unwrap_err();
        assert!(e.to_string().contains("whitespace") && !e.to_string().contains(KEY));
    }
}
