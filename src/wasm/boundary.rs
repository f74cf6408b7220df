//! Crossing the boundary: errors and structured results out, framed objects in, and the scratch buffer of the
//! hot path.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Error, Result, WechatError};
use crate::xml::XmlValue;

use super::JsResult;

thread_local! {
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Bytes the facade writes before a call and reads after it; grows, never moves otherwise.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

pub(super) fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with_borrow_mut(|c| *c = Some(class));
}

/// Converts a core error into a thrown `WechatPayError`.
pub(crate) fn js<T>(result: Result<T>) -> JsResult<T> {
    result.map_err(|e| to_js(&e))
}

/// A structured result as a JS value: structs and maps become plain objects.
pub(crate) fn out<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    value.serialize(&serializer()).map_err(|e| {
        let problem = format!("the result could not be handed to JavaScript: {e}");
        to_js(&Error::UnsupportedRuntime { problem: problem.into() })
    })
}

/// A structured result as JSON text, which the facade parses: for objects of many fields (a v2 notification's
/// two dozen) `JSON.parse` was measured faster than building them from wasm (bench/boundary.mjs).
pub(crate) fn out_json<T: Serialize + ?Sized>(value: &T) -> JsResult<String> {
    serde_json::to_string(value).map_err(|e| {
        let problem = format!("the result could not be written: {e}");
        to_js(&Error::UnsupportedRuntime { problem: problem.into() })
    })
}

fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)
}

/// `new WechatPayError(code, message, context)`. Nothing is dropped on the way: a context that cannot be
/// built, or a class that cannot be constructed, is said in the error thrown instead.
pub(crate) fn to_js(e: &Error) -> JsValue {
    let code = JsValue::from_str(e.code());
    let mut message = e.to_string();
    let context = e.context().serialize(&serializer()).unwrap_or_else(|failed| {
        message.push_str(&format!(" (its context could not be attached: {failed})"));
        js_sys::Object::new().into()
    });
    // WeChat's `detail` (JSON text the client read strictly), as the value it is: parsed by JavaScript, so that
    // the wasm carries no JSON value type of its own (the context's Serialize skips it here)
    if let Error::Wechat(WechatError::V3 { detail: Some(detail), .. }) = e {
        let value = js_sys::JSON::parse(detail).unwrap_or_else(|_| JsValue::from_str(detail));
        if js_sys::Reflect::set(&context, &"detail".into(), &value).is_err() {
            message.push_str(" (its detail could not be attached)");
        }
    }
    let args = js_sys::Array::of3(&code, &JsValue::from_str(&message), &context);
    match ERROR_CLASS.with_borrow(Clone::clone) {
        Some(class) => js_sys::Reflect::construct(&class, &args).unwrap_or_else(|thrown| thrown),
        None => {
            let error = js_sys::Error::new(&format!("{message} (the WechatPayError class was not registered)"));
            let _ = js_sys::Reflect::set(&error, &"code".into(), &code);
            js_sys::Object::assign(&error, &context.into());
            error.into()
        }
    }
}

/// Makes the scratch buffer at least `capacity` bytes long and returns its address in wasm memory.
#[wasm_bindgen]
pub fn scratch(capacity: usize) -> usize {
    SCRATCH.with_borrow_mut(|s| {
        if s.len() < capacity {
            s.resize(capacity, 0);
        }
        s.as_ptr() as usize
    })
}

/// Runs `f` on the first `len` scratch bytes, which the facade wrote.
#[cfg(feature = "v3")]
pub(crate) fn read_scratch<R>(len: usize, f: impl FnOnce(&[u8]) -> Result<R>) -> Result<R> {
    SCRATCH.with_borrow(|s| f(s.get(..len).ok_or_else(|| Error::input("body", "larger than the scratch buffer"))?))
}

/// Runs `f` on the first `len` scratch bytes and writes its answer back at the start; returns its length.
pub(crate) fn with_scratch<R: AsRef<[u8]>>(len: usize, f: impl FnOnce(&[u8]) -> Result<R>) -> JsResult<usize> {
    SCRATCH.with_borrow_mut(|s| {
        let input = s.get(..len).ok_or_else(|| to_js(&Error::input("input", "larger than the scratch buffer")))?;
        let out = js(f(input))?;
        let out = out.as_ref();
        let dest =
            s.get_mut(..out.len()).ok_or_else(|| to_js(&Error::input("output", "larger than the scratch buffer")))?;
        dest.copy_from_slice(out);
        Ok(out.len())
    })
}

#[cfg(feature = "v3")]
/// Where bytes held by the core are in wasm memory, `[address, length]`, for the facade to view them in place
/// until its next call into the core.
pub(crate) fn place(bytes: &[u8]) -> [u32; 2] {
    [bytes.as_ptr() as usize as u32, bytes.len() as u32]
}

/// The byte offset of the first byte of `bytes` that is not UTF-8 (the facade asks after its decoder refused).
#[wasm_bindgen(js_name = utf8ValidUpTo)]
pub fn utf8_valid_up_to(bytes: &[u8]) -> usize {
    std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len)
}

/// Reads a JS object the facade flattened into `name \0 kind value \0 …`, `kind` being `s` (string) or `n`
/// (number), mapping each field with `each`; one allocation.
///
/// A NUL inside a name or value shifts the separators, so the count the facade passes no longer matches and
/// the input is refused rather than misread.
pub(crate) fn framed<'a, T>(text: &'a str, count: usize, each: impl Fn(&'a str, XmlValue<'a>) -> T) -> Result<Vec<T>> {
    let mut fields = Vec::with_capacity(count);
    let mut start = 0;
    let mut name = None;
    // a byte scan: `str::split` costs twice as much on this hot path (signV2)
    for (i, _) in text.bytes().enumerate().filter(|&(_, b)| b == 0) {
        let part = text.get(start..i).ok_or_else(nul_error)?;
        start = i + 1;
        let Some(n) = name.take() else {
            name = Some(part);
            continue;
        };
        let value = if let Some(v) = part.strip_prefix('s') {
            XmlValue::Text(v)
        } else if let Some(v) = part.strip_prefix('n') {
            XmlValue::Number(v)
        } else {
            return Err(nul_error());
        };
        fields.push(each(n, value));
    }
    if fields.len() != count || name.is_some() || start != text.len() {
        return Err(nul_error());
    }
    Ok(fields)
}

/// Framed fields as (name, text) pairs, the shape signing takes.
pub(crate) fn framed_pairs(text: &str, count: usize) -> Result<Vec<(&str, &str)>> {
    framed(text, count, |k, v| (k, v.text()))
}

/// Framed fields with their kinds, the shape XML writing takes.
pub(crate) fn framed_values(text: &str, count: usize) -> Result<Vec<(&str, XmlValue<'_>)>> {
    framed(text, count, |k, v| (k, v))
}

fn nul_error() -> Error {
    Error::input("params", "a NUL character cannot appear in a field name or value")
}
