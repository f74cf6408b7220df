//! Exports for API v3. The RSA operations are the host's (pkg/src/host-*.js): these exports prepare them
//! (messages, keys as DER, checks) and finish them (headers, output shapes, the mismatch verdict).
//!
//! A verifier's keys stay in JS (imported host keys); the core gets their serials, joined by `\n`, and names
//! the key to use by its index in that list.

use wasm_bindgen::prelude::*;

use super::{JsResult, js};
use crate::error::{Error, Result};
use crate::payment::PaymentInput;
use crate::v3::{
    self, ApiV3Key, EncryptedResource, Freshness, GcmInput, Notification, PrivateKey, PublicKey, SignatureCheck,
    Signer, WechatpayHeaders,
};

/// `createSigner`: checks `mchid` and `serialNo`, reads the private key; its PKCS#8 DER for the host.
#[wasm_bindgen(js_name = v3SignerKey)]
pub fn signer_key(mchid: &str, serial_no: &str, pem: &str) -> JsResult<Vec<u8>> {
    js(Signer::new(mchid, serial_no).and_then(|_| PrivateKey::from_pem(pem)).map(|k| k.pkcs8_der().to_vec()))
}

/// `authorization`, before signing: the request message.
#[wasm_bindgen(js_name = v3RequestMessage)]
pub fn request_message(method: &str, url: &str, timestamp: &str, nonce: &str, body: &[u8]) -> JsResult<Vec<u8>> {
    js(v3::request_message(method, url, timestamp, nonce, body))
}

/// `authorization`, after signing: the header value.
#[wasm_bindgen(js_name = v3Authorization)]
pub fn authorization(mchid: &str, serial_no: &str, nonce: &str, timestamp: &str, signature: &[u8]) -> JsResult<String> {
    js(Signer::new(mchid, serial_no).and_then(|s| s.authorization(nonce, timestamp, signature)))
}

/// `requestPayment`, before signing: the paySign message.
#[wasm_bindgen(js_name = v3PaymentMessage)]
pub fn payment_message(app_id: &str, prepay_id: &str, time_stamp: &str, nonce_str: &str) -> JsResult<Vec<u8>> {
    let input = PaymentInput { app_id, prepay_id, time_stamp, nonce_str };
    js(crate::payment::request_payment_v3_message(input).map(|(message, _)| message.into_bytes()))
}

/// `requestPayment`, after signing: JSON `{timeStamp, nonceStr, package, signType, paySign}`.
#[wasm_bindgen(js_name = v3RequestPayment)]
pub fn request_payment(
    app_id: &str,
    prepay_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    signature: &[u8],
) -> JsResult<String> {
    let input = PaymentInput { app_id, prepay_id, time_stamp, nonce_str };
    js(v3::request_payment(input, signature).map(|p| p.to_json()))
}

/// `responseHeaders`, before signing: the response message.
#[wasm_bindgen(js_name = v3ResponseMessage)]
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> JsResult<Vec<u8>> {
    js(v3::response_message(timestamp, nonce, body))
}

/// `responseHeaders`, after signing: JSON of the `Wechatpay-*` headers.
#[wasm_bindgen(js_name = v3ResponseHeaders)]
pub fn response_headers(
    mchid: &str,
    serial_no: &str,
    timestamp: &str,
    nonce: &str,
    signature: &[u8],
) -> JsResult<String> {
    js(Signer::new(mchid, serial_no).and_then(|s| s.response_headers(timestamp, nonce, signature)))
}

/// `sign`: the signature as base64.
#[wasm_bindgen(js_name = base64)]
pub fn base64(bytes: &[u8]) -> String {
    v3::base64(bytes)
}

/// `createVerifier`: reads the key configured for `serial`; its SPKI DER for the host.
#[wasm_bindgen(js_name = v3VerifierKey)]
pub fn verifier_key(serial: &str, pem: &str) -> JsResult<Vec<u8>> {
    js(PublicKey::configured(serial, pem).map(|k| k.spki_der().to_vec()))
}

/// `encryptSensitive`: reads the key and checks that `length` plaintext bytes fit; its SPKI DER for the host.
#[wasm_bindgen(js_name = v3OaepKey)]
pub fn oaep_key(pem: &str, length: usize) -> JsResult<Vec<u8>> {
    js(PublicKey::from_pem(pem).and_then(|k| k.check_oaep_sha1_plaintext(length).map(|()| k.spki_der().to_vec())))
}

/// What is left for the host once the core's checks passed: verify `signature` over `message` with key number
/// `key` (none: nothing to verify), then call `conclude`. `result` is the JSON the caller returns.
#[wasm_bindgen(js_name = V3Check)]
pub struct Check {
    check: Option<SignatureCheck>,
    result: String,
}

#[wasm_bindgen(js_class = V3Check)]
impl Check {
    /// Index of the key in the verifier's serial list, or `undefined` when there is no signature to verify.
    #[wasm_bindgen(getter)]
    pub fn key(&self) -> Option<u32> {
        self.check.as_ref().and_then(|c| u32::try_from(c.key).ok())
    }

    /// The signed message.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> Vec<u8> {
        self.check.as_ref().map(|c| c.message.clone()).unwrap_or_default()
    }

    /// The raw signature.
    #[wasm_bindgen(getter)]
    pub fn signature(&self) -> Vec<u8> {
        self.check.as_ref().map(|c| c.signature.clone()).unwrap_or_default()
    }

    /// The caller's result as JSON (empty for notifications, which are opened next).
    #[wasm_bindgen(getter)]
    pub fn result(&self) -> String {
        self.result.clone()
    }

    /// Throws the core's `ERR_SIGNATURE_MISMATCH` unless the host verified the signature.
    pub fn conclude(&self, verified: bool) -> JsResult<()> {
        js(self.check.as_ref().map_or(Ok(()), |c| c.conclude(verified)))
    }
}

/// The verifier's clock reading and tolerance; `now` comes from the user's `now()`. Readings past the year
/// 5000 are refused: they are `Date.now()` milliseconds, the usual mistake.
fn freshness(now: f64, max_skew: u32) -> Result<Freshness> {
    if now.is_finite() && now.fract() == 0.0 && (0.0..1e11).contains(&now) {
        Ok(Freshness { now: now as i64, max_skew })
    } else {
        Err(Error::input("now", "now() returns the current Unix time in seconds (not Date.now() milliseconds)"))
    }
}

fn find_key(serials: &str) -> impl Fn(&str) -> Option<usize> + '_ {
    move |serial| v3::find_serial(serials.split('\n'), serial)
}

/// The headers the facade read, joined by NUL: timestamp, nonce, signature, serial, signature type, request id.
fn headers(joined: &str) -> Result<WechatpayHeaders<'_>> {
    let mut parts = joined.split('\0').map(|v| Some(v).filter(|v| !v.is_empty()));
    let mut next = || parts.next().ok_or_else(|| Error::input("headers", "a header value contains a NUL character"));
    let h = WechatpayHeaders {
        timestamp: next()?,
        nonce: next()?,
        signature: next()?,
        serial: next()?,
        signature_type: next()?,
        request_id: next()?,
    };
    if parts.next().is_some() {
        return Err(Error::input("headers", "a header value contains a NUL character"));
    }
    Ok(h)
}

/// `verifyResponse`: the checks, and what the host must verify.
#[wasm_bindgen(js_name = v3CheckResponse)]
pub fn check_response(
    serials: &str,
    max_skew: u32,
    now: f64,
    status: u16,
    joined_headers: &str,
    body: &[u8],
) -> JsResult<Check> {
    js((|| {
        let h = headers(joined_headers)?;
        let (response, check) = v3::check_response(status, &h, body, freshness(now, max_skew)?, find_key(serials))?;
        Ok(Check { check, result: response.to_json() })
    })())
}

/// `verifyNotification`: the checks, and what the host must verify.
#[wasm_bindgen(js_name = v3CheckNotification)]
pub fn check_notification(
    serials: &str,
    max_skew: u32,
    now: f64,
    joined_headers: &str,
    body: &[u8],
) -> JsResult<Check> {
    js((|| {
        let h = headers(joined_headers)?;
        let check = v3::check_notification(&h, body, freshness(now, max_skew)?, find_key(serials))?;
        Ok(Check { check: Some(check), result: String::new() })
    })())
}

/// `verifyRequest`: the checks, and what the host must verify.
#[wasm_bindgen(js_name = v3CheckRequest)]
pub fn check_request(
    serials: &str,
    max_skew: u32,
    now: f64,
    method: &str,
    url: &str,
    authorization: Option<String>,
    body: &[u8],
) -> JsResult<Check> {
    js((|| {
        let freshness = freshness(now, max_skew)?;
        let (auth, check) =
            v3::check_request(method, url, authorization.as_deref(), body, freshness, find_key(serials))?;
        Ok(Check { check: Some(check), result: auth.to_json() })
    })())
}

/// `verifyRequestPayment`: the checks, and what the host must verify.
#[wasm_bindgen(js_name = v3CheckRequestPayment)]
#[allow(clippy::too_many_arguments)]
pub fn check_request_payment(
    serials: &str,
    serial: &str,
    app_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    package: &str,
    sign_type: &str,
    pay_sign: &str,
) -> JsResult<Check> {
    let params = v3::RequestPaymentParams { time_stamp, nonce_str, package, sign_type, pay_sign };
    js(v3::check_request_payment(app_id, params, serial, find_key(serials))
        .map(|(payment, check)| Check { check: Some(check), result: payment.to_json() }))
}

/// A verified notification whose resource the host decrypts: the decryption's inputs, then `finish` with the
/// plaintext. The parsed envelope stays here in between, so the body is parsed once.
#[wasm_bindgen(js_name = V3Gcm)]
pub struct Gcm {
    notification: Notification,
    input: GcmInput,
}

#[wasm_bindgen(js_class = V3Gcm)]
impl Gcm {
    /// The 12-byte nonce.
    #[wasm_bindgen(getter)]
    pub fn nonce(&self) -> Vec<u8> {
        self.input.nonce.clone()
    }

    /// The associated data.
    #[wasm_bindgen(getter, js_name = associatedData)]
    pub fn associated_data(&self) -> Vec<u8> {
        self.input.associated_data.clone()
    }

    /// Ciphertext ‖ tag.
    #[wasm_bindgen(getter)]
    pub fn ciphertext(&self) -> Vec<u8> {
        self.input.ciphertext.clone()
    }

    /// The result, from the host's plaintext (`undefined`: the decryption did not authenticate).
    pub fn finish(&self, plaintext: Option<Vec<u8>>) -> JsResult<String> {
        js(v3::resource_json(plaintext.as_deref()).map(|resource| self.notification.to_json(&resource)))
    }
}

/// `verifyNotification` with the host's AES-GCM: the envelope parsed, the APIv3 key checked, the inputs decoded.
#[wasm_bindgen(js_name = v3NotificationGcm)]
pub fn notification_gcm(body: &[u8], api_v3_key: &str) -> JsResult<Gcm> {
    js((|| {
        ApiV3Key::new(api_v3_key)?;
        let notification = Notification::parse(body)?;
        let input = notification.resource()?.gcm_input()?;
        Ok(Gcm { notification, input })
    })())
}

/// `verifyNotification` with Rust's AES-GCM: the result.
#[wasm_bindgen(js_name = v3OpenNotification)]
pub fn open_notification(body: &[u8], api_v3_key: &str) -> JsResult<String> {
    js(ApiV3Key::new(api_v3_key).and_then(|key| v3::open_notification(body, &key)))
}

/// `decryptResource`: the plaintext JSON object, as text.
#[wasm_bindgen(js_name = v3DecryptResource)]
pub fn decrypt_resource(
    algorithm: &str,
    ciphertext: &str,
    nonce: &str,
    associated_data: &str,
    api_v3_key: &str,
) -> JsResult<String> {
    let resource = EncryptedResource { algorithm, ciphertext, nonce, associated_data };
    js(ApiV3Key::new(api_v3_key).and_then(|key| v3::decrypt_resource(&resource, &key)))
}

/// `encryptResource`: JSON `{algorithm, ciphertext, nonce, associated_data}`.
#[wasm_bindgen(js_name = v3EncryptResource)]
pub fn encrypt_resource(plaintext: &[u8], api_v3_key: &str, nonce: &str, associated_data: &str) -> JsResult<String> {
    js(ApiV3Key::new(api_v3_key).and_then(|key| v3::encrypt_resource(plaintext, &key, nonce, associated_data)))
}

/// `decryptCertificates`: JSON `[{serialNo, effectiveTime, expireTime, certificate}]`.
#[wasm_bindgen(js_name = v3DecryptCertificates)]
pub fn decrypt_certificates(json: &str, api_v3_key: &str) -> JsResult<String> {
    js(ApiV3Key::new(api_v3_key).and_then(|key| v3::decrypt_certificates(json, &key)))
}
