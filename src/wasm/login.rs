//! Exports for mini-program login.

use wasm_bindgen::prelude::*;

use super::{JsResult, js, out_json};
use crate::login;

/// The `jscode2session` URL.
#[wasm_bindgen(js_name = code2SessionUrl)]
pub fn code2session_url(base_url: Option<String>, app_id: &str, secret: &str, code: &str) -> JsResult<String> {
    js(login::code2session_url(base_url.as_deref(), app_id, secret, code))
}

/// Parses the `jscode2session` answer: `{openid, session_key, unionid?}`.
#[wasm_bindgen(js_name = parseCode2Session)]
pub fn parse_code2session(body: &[u8]) -> JsResult<String> {
    out_json(&js(login::parse_code2session(body))?)
}
