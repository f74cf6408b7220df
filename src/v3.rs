//! WeChat Pay API v3: JSON messages signed with SHA256withRSA, resources encrypted with AES-256-GCM.
//!
//! The core does everything around the RSA operation: keys and certificates ([`PrivateKey`], [`PublicKey`]),
//! the messages to sign ([`request_message`], [`response_message`]), the `Authorization` header ([`Signer`]),
//! the checks before a signature is worth verifying ([`check_response`], [`check_notification`],
//! [`check_request`]), and the notification's AES-GCM resource ([`Notification`], [`decrypt_resource`]). The RSA
//! operation itself is the caller's: the JavaScript package hands it to the host (node:crypto or WebCrypto),
//! native callers use [`PrivateKey::sign`] and [`PublicKey::verify`] (feature `rsa`).
//!
//! Sources are cited per module.

mod der;
mod keys;
mod pem;
mod resource;
#[cfg(feature = "rsa")]
mod rsa;
mod sign;
mod verify;

use base64ct::{Base64, Encoding};

pub use keys::{MAX_RSA_BITS, MIN_RSA_BITS, PrivateKey, PublicKey};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[cfg(all(feature = "wasm", target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use resource::decrypt_resource_text;
pub use resource::{
    AEAD_AES_256_GCM, ApiV3Key, EncryptedResource, EventKind, GcmInput, JsonObject, Notification, Payer,
    PlatformCertificate, Refund, RefundAmount, Resource, Transaction, TransactionAmount, VerifiedNotification,
    decrypt_certificates, decrypt_resource, encrypt_resource, open_notification,
};
pub use sign::{ResponseHeaders, Signer, request_message, request_payment, response_message};
pub use verify::{
    Authorization, Freshness, RequestPaymentParams, SignatureCheck, VerifiedPayment, VerifiedResponse,
    WechatpayHeaders, check_notification, check_request, check_request_payment, check_response, find_serial,
};

/// The signature scheme of RSA merchants: the `Authorization` scheme and `Wechatpay-Signature-Type`.
pub const SIGNATURE_TYPE: &str = "WECHATPAY2-SHA256-RSA2048";

/// Standard base64 with padding, as signatures are sent.
pub fn base64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Standard base64 with canonical padding, decoded fast and not in constant time: only for public data
/// (ciphertexts, signatures). `None` when it is not base64.
fn decode_public_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// Each part followed by `\n`: the shape of every v3 signed message.
fn lines(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for part in parts {
        out.extend_from_slice(part);
        out.push(b'\n');
    }
    out
}
