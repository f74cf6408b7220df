//! Exports for API v3. The RSA operations are the host's (pkg/src/host-*.js): these exports prepare them
//! (messages, keys as DER, checks) and finish them (headers, output shapes, the mismatch verdict).
//!
//! A verifier's keys stay in JS (imported host keys); the core gets their serials, joined by `\n`, and names
//! the key to use by its index in that list. What the host verifies or decrypts stays in wasm memory, held by
//! the [`Check`] or `PendingNotification` that made it: the facade views it in place (`layout`) and hands
//! the views to the host's crypto before its next call into the core.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{JsResult, js, out, place};
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

/// `requestPayment`, after signing: `{timeStamp, nonceStr, package, signType, paySign}`.
#[wasm_bindgen(js_name = v3RequestPayment)]
pub fn request_payment(
    app_id: &str,
    prepay_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    signature: &[u8],
) -> JsResult<JsValue> {
    let input = PaymentInput { app_id, prepay_id, time_stamp, nonce_str };
    out(&js(v3::request_payment(input, signature))?)
}

/// `responseHeaders`, before signing: the response message.
#[wasm_bindgen(js_name = v3ResponseMessage)]
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> JsResult<Vec<u8>> {
    js(v3::response_message(timestamp, nonce, body))
}

/// `responseHeaders`, after signing: the `Wechatpay-*` headers.
#[wasm_bindgen(js_name = v3ResponseHeaders)]
pub fn response_headers(
    mchid: &str,
    serial_no: &str,
    timestamp: &str,
    nonce: &str,
    signature: &[u8],
) -> JsResult<JsValue> {
    out(&js(Signer::new(mchid, serial_no).and_then(|s| s.response_headers(timestamp, nonce, signature)))?)
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

/// What is left for the host once the core's checks passed: verify the signature over the message with key
/// number `key` (none: nothing to verify), then call `conclude`. `result` is what the caller returns.
#[wasm_bindgen(js_name = V3Check)]
pub struct Check {
    check: Option<SignatureCheck>,
    result: JsValue,
}

/// `[key, messageAddress, messageLength, signatureAddress, signatureLength]`; no key (`u32::MAX`) when there is
/// nothing to verify.
fn check_layout(check: Option<&SignatureCheck>) -> Vec<u32> {
    match check {
        Some(c) => {
            let [m, ml] = place(&c.message);
            let [s, sl] = place(&c.signature);
            vec![u32::try_from(c.key).unwrap_or(u32::MAX), m, ml, s, sl]
        }
        None => vec![u32::MAX, 0, 0, 0, 0],
    }
}

#[wasm_bindgen(js_class = V3Check)]
impl Check {
    /// Where the key index, the signed message and the raw signature are (see [`check_layout`]).
    pub fn layout(&self) -> Vec<u32> {
        check_layout(self.check.as_ref())
    }

    /// The caller's result.
    #[wasm_bindgen(getter)]
    pub fn result(&self) -> JsValue {
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
    let h = js(headers(joined_headers))?;
    let freshness = js(freshness(now, max_skew))?;
    let (response, check) = js(v3::check_response(status, &h, body, freshness, find_key(serials)))?;
    Ok(Check { check, result: out(&response)? })
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
    let freshness = js(freshness(now, max_skew))?;
    let (auth, check) =
        js(v3::check_request(method, url, authorization.as_deref(), body, freshness, find_key(serials)))?;
    Ok(Check { check: Some(check), result: out(&auth)? })
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
    let (payment, check) = js(v3::check_request_payment(app_id, params, serial, find_key(serials)))?;
    Ok(Check { check: Some(check), result: out(&payment)? })
}

/// A notification between the core's checks and its opening: its headers checked, its envelope parsed and
/// checked, the APIv3 key checked. The host verifies the signature, then decrypts the resource (or the core
/// does), then the core checks the resource and gives the result. Held in [`PENDING`] under a number the
/// facade passes back: cheaper than a JS object per notification (and its finalizer), and released by the
/// call that opens it, or by `v3NotificationRelease` when a check failed.
struct PendingNotification {
    check: SignatureCheck,
    notification: Notification,
    gcm: GcmInput,
    key: ApiV3Key,
}

thread_local! {
    static PENDING: RefCell<Vec<Option<PendingNotification>>> = const { RefCell::new(Vec::new()) };
}

/// The envelope's fields as `verifyNotification` returns them; `resource` is the decrypted resource's text
/// when the core decrypted it (the facade parses the text it checked).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Opened<'a> {
    id: &'a str,
    event_type: &'a str,
    create_time: &'a str,
    resource_type: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
}

/// As JSON text, which the facade parses: for these five short strings, measured side by side against building
/// the object from wasm (serde-wasm-bindgen), a whole verifyNotification was 0 to 3 % faster so.
fn opened(n: &Notification, resource: Option<&str>) -> JsResult<String> {
    let opened = Opened {
        id: &n.id,
        event_type: &n.event_type,
        create_time: &n.create_time,
        resource_type: &n.resource_type,
        summary: &n.summary,
        resource,
    };
    super::out_json(&opened)
}

fn pending<T>(handle: u32, f: impl FnOnce(&PendingNotification) -> JsResult<T>) -> JsResult<T> {
    PENDING.with_borrow(|slots| match slots.get(handle as usize) {
        Some(Some(p)) => f(p),
        _ => Err(super::boundary::to_js(&Error::input("notification", "already opened or released"))),
    })
}

fn release(handle: u32) {
    PENDING.with_borrow_mut(|slots| {
        if let Some(slot) = slots.get_mut(handle as usize) {
            *slot = None;
        }
    });
}

/// `verifyNotification`: every check before the host's RSA, in one call; the body is the first `body_len`
/// bytes of the scratch buffer. Returns `[handle, key, message…, signature…, nonce…, associatedData…,
/// ciphertext…]`, each part as address and length (see [`check_layout`]).
#[wasm_bindgen(js_name = v3CheckNotification)]
pub fn check_notification(
    serials: &str,
    max_skew: u32,
    now: f64,
    joined_headers: &str,
    body_len: usize,
    api_v3_key: &str,
) -> JsResult<Vec<u32>> {
    let pending = js(super::boundary::read_scratch(body_len, |body| {
        let h = headers(joined_headers)?;
        let check = v3::check_notification(&h, body, freshness(now, max_skew)?, find_key(serials))?;
        let key = ApiV3Key::new(api_v3_key)?;
        let notification = Notification::parse(body)?;
        let gcm = notification.resource.gcm_input()?;
        Ok(PendingNotification { check, notification, gcm, key })
    }))?;
    let layout = notification_layout(&pending);
    let handle = PENDING.with_borrow_mut(|slots| {
        let free = slots.iter().position(Option::is_none).unwrap_or(slots.len());
        if free == slots.len() {
            slots.push(None);
        }
        if let Some(slot) = slots.get_mut(free) {
            *slot = Some(pending);
        }
        u32::try_from(free).unwrap_or(u32::MAX)
    });
    Ok([vec![handle], layout].concat())
}

fn notification_layout(p: &PendingNotification) -> Vec<u32> {
    let mut layout = check_layout(Some(&p.check));
    for part in [&p.gcm.nonce, &p.gcm.associated_data, &p.gcm.ciphertext] {
        layout.extend(place(part));
    }
    layout
}

/// Where the held notification's bytes are now (the same layout as `v3CheckNotification`, without the handle).
#[wasm_bindgen(js_name = v3NotificationLayout)]
pub fn notification_layout_of(handle: u32) -> JsResult<Vec<u32>> {
    pending(handle, |p| Ok(notification_layout(p)))
}

/// Throws the core's `ERR_SIGNATURE_MISMATCH` unless the host verified the signature.
#[wasm_bindgen(js_name = v3NotificationConclude)]
pub fn notification_conclude(handle: u32, verified: bool) -> JsResult<()> {
    pending(handle, |p| js(p.check.conclude(verified)))
}

/// The result, from the host's plaintext (`undefined`: the decryption did not authenticate); without the
/// resource, which the facade parses from the plaintext the core has checked here. Releases the notification.
#[wasm_bindgen(js_name = v3NotificationOpen)]
pub fn notification_open(handle: u32, plaintext: Option<Vec<u8>>) -> JsResult<String> {
    let result = pending(handle, |p| {
        js(p.notification.check_resource(plaintext.as_deref()))?;
        opened(&p.notification, None)
    });
    release(handle);
    result
}

/// The result, decrypted by the core: `resource` is the checked plaintext, as text. Releases the notification.
#[wasm_bindgen(js_name = v3NotificationDecrypt)]
pub fn notification_decrypt(handle: u32) -> JsResult<String> {
    let result = pending(handle, |p| {
        let plaintext = js(p.gcm.decrypt(&p.key))?;
        js(p.notification.check_resource(Some(&plaintext)))?;
        opened(&p.notification, Some(js(crate::json::utf8(&plaintext))?))
    });
    release(handle);
    result
}

/// Releases a notification that will not be opened (a check failed, or the host threw).
#[wasm_bindgen(js_name = v3NotificationRelease)]
pub fn notification_release(handle: u32) {
    release(handle);
}

/// `decryptResource`: the plaintext, checked to be a strict JSON object, as text.
#[wasm_bindgen(js_name = v3DecryptResource)]
pub fn decrypt_resource(
    algorithm: &str,
    ciphertext: &str,
    nonce: &str,
    associated_data: &str,
    api_v3_key: &str,
) -> JsResult<String> {
    let resource = EncryptedResource {
        algorithm: algorithm.to_owned(),
        ciphertext: ciphertext.to_owned(),
        nonce: nonce.to_owned(),
        associated_data: associated_data.to_owned(),
        original_type: None,
    };
    js(ApiV3Key::new(api_v3_key).and_then(|key| v3::decrypt_resource_text(&resource, &key)))
}

/// `encryptResource`: `{algorithm, ciphertext, nonce, associated_data}`.
#[wasm_bindgen(js_name = v3EncryptResource)]
pub fn encrypt_resource(plaintext: &[u8], api_v3_key: &str, nonce: &str, associated_data: &str) -> JsResult<JsValue> {
    out(&js(ApiV3Key::new(api_v3_key).and_then(|key| v3::encrypt_resource(plaintext, &key, nonce, associated_data)))?)
}

/// `decryptCertificates`: `[{serialNo, effectiveTime, expireTime, certificate}]`.
#[wasm_bindgen(js_name = v3DecryptCertificates)]
pub fn decrypt_certificates(json: &[u8], api_v3_key: &str) -> JsResult<JsValue> {
    out(&js(ApiV3Key::new(api_v3_key).and_then(|key| v3::decrypt_certificates(json, &key)))?)
}
