//! The wasm-bindgen layer: the only code that knows JavaScript exists.
//!
//! Exports are internal (`pkg/src/` wraps them into the public API). Inputs cross once: strings, or for the
//! hot paths bytes the facade writes into a scratch buffer. Structured outputs cross once, as plain objects
//! (serde-wasm-bindgen), or as JSON text where that measured faster (`out_json`); bytes the host's crypto
//! needs are viewed in place. Errors become `WechatPayError` through the class the facade registers. Defaults
//! the core refuses to invent (current time, random nonces) are supplied here.

mod boundary;
mod client;
mod login;
mod v2;
#[cfg(feature = "v3")]
mod v3;

use wasm_bindgen::prelude::*;

use crate::error::Result;

#[cfg(feature = "v3")]
pub(crate) use boundary::place;
pub(crate) use boundary::{framed_pairs, framed_values, js, out, out_json};

/// What an export returns: a value, or a thrown `WechatPayError`.
pub(crate) type JsResult<T> = std::result::Result<T, JsValue>;

/// Registers the JS error class (`new WechatPayError(code, message, context)`).
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    boundary::set_error_class(class);
}

/// The error codes with their descriptions and context shapes, `[[code, description, [[[name, type], …], …]], …]`:
/// the source of the `.d.ts` error types (`pkg/build.sh`).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsResult<JsValue> {
    let codes: Vec<_> = crate::error::CODES
        .iter()
        .zip(crate::error::CONTEXTS)
        .map(|((code, description), (_, shapes))| (code, description, shapes))
        .collect();
    out(&codes)
}

/// A random nonce of `length` characters from `[0-9A-Za-z]`, from `crypto.getRandomValues` via getrandom.
#[wasm_bindgen(js_name = nonceStr)]
pub fn nonce_str(length: Option<u32>) -> JsResult<String> {
    js(random_nonce(length.map_or(32, |n| n as usize)))
}

pub(crate) fn random_nonce(len: usize) -> Result<String> {
    crate::nonce::nonce_str(len, getrandom::fill)
}

/// The current Unix time in seconds, as WeChat's `timeStamp` string.
pub(crate) fn now_seconds() -> String {
    ((js_sys::Date::now() / 1000.0).floor() as i64).to_string()
}
