//! Crossing the boundary: errors out, framed objects in, and the scratch buffer of the hot path.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::{ContextValue, Error, Result};
use crate::json::ObjectWriter;
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

fn to_js(e: &Error) -> JsValue {
    let mut context = ObjectWriter::new();
    for (name, value) in e.context() {
        match value {
            ContextValue::Str(s) => context.str(name, &s),
            ContextValue::Int(n) => context.int(name, n),
            ContextValue::Bool(b) => context.raw(name, if b { "true" } else { "false" }),
            ContextValue::Json(json) => context.raw(name, &json),
        };
    }
    let context = js_sys::JSON::parse(&context.finish()).unwrap_or(JsValue::UNDEFINED);
    let message = e.to_string();
    let class = ERROR_CLASS.with_borrow(Clone::clone);
    let args = js_sys::Array::of3(&e.code().into(), &message.as_str().into(), &context);
    match class.map(|c| js_sys::Reflect::construct(&c, &args)) {
        Some(Ok(error)) => error,
        _ => {
            let error = js_sys::Error::new(&message);
            let _ = js_sys::Reflect::set(&error, &"code".into(), &e.code().into());
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
