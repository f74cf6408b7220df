//! `AEAD_AES_256_GCM` resources: notifications, `/v3/certificates` replies, and encrypting for simulators.
//!
//! Source: "如何解密回调报文和平台证书" (pay.weixin.qq.com/docs/partner/products/platform-certificate/decryption-certificate.html):
//! the key is the APIv3 key's 32 ASCII bytes, the nonce the 12-character `nonce`, the AAD `associated_data`
//! (`transaction`, `refund`, `certificate`, or empty), and `ciphertext` is base64 of the ciphertext followed by
//! the 16-byte tag. A notification is `{"id","create_time","resource_type","event_type","summary","resource":{
//! "original_type","algorithm","ciphertext","associated_data","nonce"}}`; its `event_type` is
//! `TRANSACTION.SUCCESS` for a payment ("支付回调和查单实现指引",
//! pay.weixin.qq.com/docs/merchant/products/query-order/callback-and-query-order.html) and `REFUND.SUCCESS`,
//! `REFUND.ABNORMAL` or `REFUND.CLOSED` for a refund ("退款结果回调通知", pay.weixin.qq.com/doc/v3/merchant/4012791865,
//! which lists the refund's fields).

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::PublicKey;
use crate::error::{Error, Result};
use crate::json::{self, amount};

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

/// An encrypted resource as WeChat sends it, and as [`encrypt_resource`] writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct EncryptedResource {
    /// `algorithm`: `AEAD_AES_256_GCM`.
    pub algorithm: String,
    /// `ciphertext`: base64 of ciphertext ‖ tag.
    pub ciphertext: String,
    /// `nonce`: 12 characters.
    pub nonce: String,
    /// `associated_data` (empty when absent or null).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub associated_data: String,
    /// `original_type`: `transaction`, `refund`, … (notifications only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_type: Option<String>,
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

impl EncryptedResource {
    /// Decodes and checks the fields.
    ///
    /// # Errors
    /// `ERR_UNSUPPORTED_ALGORITHM` for an algorithm other than `AEAD_AES_256_GCM`; `ERR_MALFORMED_MESSAGE` for
    /// a nonce that is not 12 bytes; `ERR_DECRYPT_FAILED` for a ciphertext that is not base64 or is shorter
    /// than the tag.
    pub fn gcm_input(&self) -> Result<GcmInput> {
        if self.algorithm != AEAD_AES_256_GCM {
            return Err(Error::unsupported("algorithm", &self.algorithm));
        }
        if self.nonce.len() != 12 {
            return Err(Error::message_field("nonce", "the AES-GCM nonce of a resource has 12 characters"));
        }
        let ciphertext = super::decode_public_base64(&self.ciphertext)
            .ok_or_else(|| Error::DecryptFailed { hint: "ciphertext is not base64".into() })?;
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

/// A decrypted resource: any JSON object (`decryptResource`).
pub type JsonObject = Map<String, Value>;

/// Decrypts a resource (`decryptResource`) into its JSON object.
///
/// # Errors
/// As [`EncryptedResource::gcm_input`] and [`GcmInput::decrypt`]; `ERR_MALFORMED_JSON` for a plaintext that is
/// not strict JSON, `ERR_MALFORMED_MESSAGE` for one that is not an object.
pub fn decrypt_resource(resource: &EncryptedResource, key: &ApiV3Key) -> Result<JsonObject> {
    let plaintext = resource.gcm_input()?.decrypt(key)?;
    json::from_slice(&plaintext).map_err(within_resource)
}

/// [`decrypt_resource`] for the JS package, which parses the text itself once it is checked here.
#[cfg(all(feature = "wasm", target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn decrypt_resource_text(resource: &EncryptedResource, key: &ApiV3Key) -> Result<String> {
    let plaintext = resource.gcm_input()?.decrypt(key)?;
    json::from_slice::<json::CheckedObject>(&plaintext).map_err(within_resource)?;
    json::utf8(&plaintext).map(str::to_owned)
}

/// Errors in a decrypted resource name their field from the resource (`resource.amount.total`).
fn within_resource(e: Error) -> Error {
    match e {
        Error::MalformedMessage { field, problem } if field == "(body)" => Error::message_field("resource", problem),
        Error::MalformedMessage { field, problem } => Error::message_field(format!("resource.{field}"), problem),
        Error::MalformedJson { problem, offset } => {
            Error::MalformedJson { problem: format!("in the decrypted resource: {problem}").into(), offset }
        }
        other => other,
    }
}

/// Encrypts `plaintext` as WeChat Pay does (`encryptResource`, for simulators and tests).
///
/// # Errors
/// `ERR_INVALID_INPUT` for a `nonce` that is not 12 printable ASCII characters.
pub fn encrypt_resource(
    plaintext: &[u8],
    key: &ApiV3Key,
    nonce: &str,
    associated_data: &str,
) -> Result<EncryptedResource> {
    if nonce.len() != 12 || !nonce.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::input("nonce", "12 printable ASCII characters"));
    }
    let fail = || Error::input("plaintext", "cannot be encrypted");
    let cipher = Aes256Gcm::new_from_slice(key.as_bytes()).map_err(|_| fail())?;
    let n = <&aes_gcm::Nonce<_>>::try_from(nonce.as_bytes()).map_err(|_| fail())?;
    let ciphertext =
        cipher.encrypt(n, Payload { msg: plaintext, aad: associated_data.as_bytes() }).map_err(|_| fail())?;
    Ok(EncryptedResource {
        algorithm: AEAD_AES_256_GCM.to_owned(),
        ciphertext: Base64::encode_string(&ciphertext),
        nonce: nonce.to_owned(),
        associated_data: associated_data.to_owned(),
        original_type: None,
    })
}

/// `null` read as an empty string, as WeChat leaves some strings out or sends `null` for them.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A notification's envelope, parsed from the raw body (after its signature verified).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Notification {
    /// `id`: process each notification once.
    pub id: String,
    /// `create_time`.
    pub create_time: String,
    /// `event_type`: `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, …
    pub event_type: String,
    /// `resource_type`: `encrypt-resource`.
    pub resource_type: String,
    /// `summary` (empty when absent or null).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub summary: String,
    /// The encrypted `resource`.
    pub resource: EncryptedResource,
}

/// What a notification is about, from its `event_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// `TRANSACTION.*`: the resource is a [`Transaction`].
    Transaction,
    /// `REFUND.*`: the resource is a [`Refund`].
    Refund,
}

impl Notification {
    /// Parses the envelope.
    ///
    /// # Errors
    /// `ERR_MALFORMED_JSON` for a body that is not UTF-8 strict JSON; `ERR_MALFORMED_MESSAGE` naming a missing
    /// or mistyped field (`id`, `create_time`, `event_type`, `resource_type`, `resource` and its `algorithm`,
    /// `ciphertext`, `nonce`), or an `event_type` that is neither `TRANSACTION.*` nor `REFUND.*`.
    pub fn parse(body: &[u8]) -> Result<Self> {
        let n: Notification = json::from_slice(body)?;
        n.kind()?;
        Ok(n)
    }

    /// The kind of resource, from `event_type`.
    ///
    /// # Errors
    /// `ERR_MALFORMED_MESSAGE` for an `event_type` that is neither a payment's nor a refund's.
    pub fn kind(&self) -> Result<EventKind> {
        if self.event_type.starts_with("TRANSACTION.") {
            Ok(EventKind::Transaction)
        } else if self.event_type.starts_with("REFUND.") {
            Ok(EventKind::Refund)
        } else {
            Err(Error::message_field(
                "event_type",
                "neither a payment (TRANSACTION.*) nor a refund (REFUND.*) notification; verify other \
                 notifications as a response (verifyResponse with status 200) and decrypt them with decryptResource",
            ))
        }
    }

    /// The notification, from the decrypted resource (`None`: the decryption did not authenticate, as the
    /// host's AES-GCM reports it).
    ///
    /// # Errors
    /// `ERR_DECRYPT_FAILED` for `None`; `ERR_MALFORMED_JSON` for a plaintext that is not strict JSON;
    /// `ERR_MALFORMED_MESSAGE` for one that is not the event's resource (naming the field).
    pub fn open(self, plaintext: Option<&[u8]>) -> Result<VerifiedNotification> {
        let resource = self.resource_of(plaintext)?;
        Ok(VerifiedNotification {
            id: self.id,
            event_type: self.event_type,
            create_time: self.create_time,
            resource_type: self.resource_type,
            summary: self.summary,
            resource,
        })
    }
}

impl Notification {
    fn resource_of(&self, plaintext: Option<&[u8]>) -> Result<Resource> {
        let plaintext = plaintext.ok_or_else(|| Error::DecryptFailed { hint: WRONG_KEY.into() })?;
        Ok(match self.kind()? {
            EventKind::Transaction => Resource::Transaction(json::from_slice(plaintext).map_err(within_resource)?),
            EventKind::Refund => Resource::Refund(json::from_slice(plaintext).map_err(within_resource)?),
        })
    }

    /// The checks of [`Notification::open`] alone, for a caller that reads the plaintext itself: the same
    /// types, their strings read without being kept.
    ///
    /// # Errors
    /// As [`Notification::open`].
    pub fn check_resource(&self, plaintext: Option<&[u8]>) -> Result<()> {
        let plaintext = plaintext.ok_or_else(|| Error::DecryptFailed { hint: WRONG_KEY.into() })?;
        match self.kind()? {
            EventKind::Transaction => {
                json::from_slice::<Transaction<json::Checked, json::CheckedObject>>(plaintext).map(|_| ())
            }
            EventKind::Refund => json::from_slice::<Refund<json::Checked>>(plaintext).map(|_| ()),
        }
        .map_err(within_resource)
    }
}

/// A verified, decrypted notification; serialized as the JS package returns it,
/// `{id, eventType, createTime, resourceType, summary, resource}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedNotification {
    /// `id`: process each notification once (WeChat retries until it gets a 2xx).
    pub id: String,
    /// `event_type`.
    pub event_type: String,
    /// `create_time`.
    pub create_time: String,
    /// `resource_type`.
    pub resource_type: String,
    /// `summary`.
    pub summary: String,
    /// The decrypted resource, of the kind `event_type` names.
    pub resource: Resource,
}

/// A decrypted notification resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resource {
    /// A payment (`TRANSACTION.*`).
    Transaction(Transaction),
    /// A refund (`REFUND.*`).
    Refund(Refund),
}

/// A payment as WeChat Pay describes it. Fields not named here are not kept (the JS package returns every field).
/// `S`, the type of its strings, is `String`, and `O`, of its free-form objects, [`JsonObject`]; the core checks
/// a resource it does not keep with types that read strings and objects without keeping them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Transaction<S = String, O = JsonObject> {
    /// `appid`.
    pub appid: S,
    /// `mchid`.
    pub mchid: S,
    /// `out_trade_no`: the merchant's order number.
    pub out_trade_no: S,
    /// `transaction_id`: WeChat Pay's.
    pub transaction_id: S,
    /// `trade_type`: `JSAPI` for mini programs.
    pub trade_type: S,
    /// `trade_state`: `SUCCESS` when paid.
    pub trade_state: S,
    /// `trade_state_desc` (whether WeChat always sends it is not documented clearly, so it may be absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_state_desc: Option<S>,
    /// `bank_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_type: Option<S>,
    /// `attach`: echoed from the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach: Option<S>,
    /// `success_time` (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<S>,
    /// `payer`.
    pub payer: Payer<S>,
    /// `amount`, in fen.
    pub amount: TransactionAmount<S>,
    /// `scene_info`, when WeChat sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_info: Option<O>,
    /// `promotion_detail`: the coupons and discounts applied, when there were any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_detail: Option<Vec<O>>,
}

/// `payer` of a transaction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Payer<S = String> {
    /// The payer's openid under the order's appid.
    pub openid: S,
}

/// `amount` of a transaction, in fen.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TransactionAmount<S = String> {
    /// `total`: compare it with the order before marking it paid.
    #[serde(deserialize_with = "amount::deserialize")]
    pub total: u64,
    /// `payer_total`: what the payer paid (less discounts).
    #[serde(default, deserialize_with = "amount::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<u64>,
    /// `currency`: `CNY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<S>,
    /// `payer_currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_currency: Option<S>,
}

/// A refund as WeChat Pay describes it ("退款结果回调通知"). Fields not named here are not kept (the JS package
/// returns every field).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Refund<S = String> {
    /// `mchid`.
    pub mchid: S,
    /// `out_trade_no`.
    pub out_trade_no: S,
    /// `transaction_id`.
    pub transaction_id: S,
    /// `out_refund_no`: the merchant's refund number.
    pub out_refund_no: S,
    /// `refund_id`: WeChat Pay's.
    pub refund_id: S,
    /// `refund_status`: `SUCCESS`, `CLOSED` or `ABNORMAL`.
    pub refund_status: S,
    /// `success_time` (RFC 3339), when it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<S>,
    /// `user_received_account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_received_account: Option<S>,
    /// `amount`, in fen (a partner notification was seen without it, so it may be absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<RefundAmount>,
}

/// `amount` of a refund, in fen.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct RefundAmount {
    /// `total`: the order's amount.
    #[serde(deserialize_with = "amount::deserialize")]
    pub total: u64,
    /// `refund`: the amount refunded.
    #[serde(deserialize_with = "amount::deserialize")]
    pub refund: u64,
    /// `payer_total`.
    #[serde(default, deserialize_with = "amount::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<u64>,
    /// `payer_refund`: what goes back to the payer.
    #[serde(default, deserialize_with = "amount::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub payer_refund: Option<u64>,
}

/// Parses and decrypts a notification whose signature verified (Rust's AES-GCM).
///
/// # Errors
/// As [`Notification::parse`], [`EncryptedResource::gcm_input`], [`GcmInput::decrypt`] and
/// [`Notification::open`].
pub fn open_notification(body: &[u8], key: &ApiV3Key) -> Result<VerifiedNotification> {
    let n = Notification::parse(body)?;
    let plaintext = n.resource.gcm_input()?.decrypt(key)?;
    n.open(Some(&plaintext))
}

/// A `GET /v3/certificates` reply, as WeChat sends it.
#[derive(Debug, Clone, Deserialize)]
struct CertificatesReply {
    data: Vec<CertificateItem>,
}

#[derive(Debug, Clone, Deserialize)]
struct CertificateItem {
    serial_no: String,
    effective_time: String,
    expire_time: String,
    encrypt_certificate: EncryptedResource,
}

/// A platform certificate, decrypted and checked; serialized as `{serialNo, effectiveTime, expireTime,
/// certificate}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformCertificate {
    /// The serial number: the key for a verifier's `keys`.
    pub serial_no: String,
    /// `effective_time`.
    pub effective_time: String,
    /// `expire_time`.
    pub expire_time: String,
    /// The X.509 certificate, PEM.
    pub certificate: String,
}

/// Decrypts a `GET /v3/certificates` reply: each certificate checked to be an RSA certificate whose serial is
/// the `serial_no` announced.
///
/// Source: "获取平台证书列表" (pay.weixin.qq.com/docs/merchant/products/platform-certificate/apilist.html): `data[]` of `serial_no`,
/// `effective_time`, `expire_time` and `encrypt_certificate` (AEAD_AES_256_GCM, `associated_data`
/// `certificate`). The reply must have been verified first (with a certificate already trusted, or the WeChat
/// Pay public key).
///
/// # Errors
/// `ERR_MALFORMED_JSON`, `ERR_MALFORMED_MESSAGE` (a missing field, or a certificate whose serial differs),
/// `ERR_DECRYPT_FAILED`, `ERR_UNSUPPORTED_ALGORITHM`, `ERR_INVALID_KEY` (a certificate that is not RSA 2048+).
pub fn decrypt_certificates(json_text: &[u8], key: &ApiV3Key) -> Result<Vec<PlatformCertificate>> {
    let reply: CertificatesReply = json::from_slice(json_text)?;
    reply
        .data
        .into_iter()
        .map(|item| {
            let plaintext = item.encrypt_certificate.gcm_input()?.decrypt(key)?;
            let pem = json::utf8(&plaintext)?;
            let certificate = PublicKey::from_pem(pem)?;
            if !certificate.certificate_serial().is_some_and(|s| s.eq_ignore_ascii_case(&item.serial_no)) {
                return Err(Error::message_field("serial_no", "differs from the serial of the decrypted certificate"));
            }
            Ok(PlatformCertificate {
                serial_no: item.serial_no,
                effective_time: item.effective_time,
                expire_time: item.expire_time,
                certificate: pem.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn derived_vector_b7() {
        let key = ApiV3Key::new(KEY).unwrap();
        let r = encrypt_resource(b"Hello World", &key, "abcdefghijkl", "certificate").unwrap();
        assert_eq!(r.ciphertext, "Iaml06TFOrwRcJZafyok5IwmWSN9bT/ChyeS");
        assert_eq!(r.gcm_input().unwrap().decrypt(&key).unwrap().as_slice(), b"Hello World");
        let tampered = EncryptedResource { associated_data: "transaction".into(), ..r };
        assert_eq!(tampered.gcm_input().unwrap().decrypt(&key).unwrap_err().code(), "ERR_DECRYPT_FAILED");
    }

    /// The checks the JS package relies on (`check_resource`) are those of the typed read: free-form objects
    /// must be objects, strictly read; a duplicate key anywhere is malformed JSON.
    #[test]
    fn checked_resources_are_read_as_strictly_as_typed_ones() {
        let notification = Notification {
            id: "id".into(),
            create_time: "2026-12-02T00:00:00+08:00".into(),
            event_type: "TRANSACTION.SUCCESS".into(),
            resource_type: "encrypt-resource".into(),
            summary: String::new(),
            resource: encrypt_resource(b"{}", &ApiV3Key::new(KEY).unwrap(), "abcdefghijkl", "transaction").unwrap(),
        };
        let transaction = |extra: &str| {
            format!(
                r#"{{"appid":"wx","mchid":"1","out_trade_no":"o","transaction_id":"t","trade_type":"JSAPI",
                "trade_state":"SUCCESS","payer":{{"openid":"o"}},"amount":{{"total":1}}{extra}}}"#
            )
        };
        let check = |extra: &str| notification.check_resource(Some(transaction(extra).as_bytes()));
        let typed = |extra: &str| notification.clone().open(Some(transaction(extra).as_bytes())).map(|_| ());
        for extra in ["", r#","scene_info":{"device_id":"d"},"promotion_detail":[{"coupon_id":"c"}]"#] {
            assert!(check(extra).is_ok() && typed(extra).is_ok(), "{extra}");
        }
        for (extra, field) in [
            (r#","scene_info":"d""#, "resource.scene_info"),
            (r#","promotion_detail":[{},1]"#, "resource.promotion_detail[1]"),
            (r#","trade_state_desc":1"#, "resource.trade_state_desc"),
        ] {
            for e in [check(extra).unwrap_err(), typed(extra).unwrap_err()] {
                assert_eq!(e.context(), crate::error::ErrorContext::Field { field }, "{extra}: {e}");
            }
        }
        for extra in [r#","scene_info":{"a":1,"a":1}"#, r#","promotion_detail":[{"a":[{"b":1,"b":2}]}]"#] {
            assert_eq!(check(extra).unwrap_err().code(), "ERR_MALFORMED_JSON", "{extra}");
            assert_eq!(typed(extra).unwrap_err().code(), "ERR_MALFORMED_JSON", "{extra}");
        }
    }

    #[test]
    fn key_length_is_exact() {
        assert_eq!(ApiV3Key::new("testAPIv3Key0000").unwrap_err().code(), "ERR_INVALID_KEY");
        let e = ApiV3Key::new(&format!(" {KEY}\n")).unwrap_err();
        assert!(e.to_string().contains("whitespace") && !e.to_string().contains(KEY));
    }
}
