//! Differential: the crate's strict JSON reader (serde_json with a strict pass, `src/json.rs`) against the
//! hand-written reader it replaced (`fuzz/oracle/json.rs`). Both accept the same documents with the same
//! values and refuse the same ones. Two differences are allowed, both about numbers the oracle kept as text:
//! one beyond the range of an f64 (`1e400`) is refused by serde_json; one that is not an exact integer may read
//! as an f64 a few units in the last place from the correctly rounded one (serde_json's fast float parsing of
//! long mantissas; no amount is ever read as a float). The typed reads (the jscode2session answer, a v3
//! notification's envelope), which check as they deserialize in one pass, refuse as `ERR_MALFORMED_JSON` exactly
//! the documents the oracle refuses, and never panic.
#![no_main]

#[path = "../oracle/json.rs"]
mod oracle;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wechatpay_wasm::{json, login, v3};

/// Whether the oracle's value and serde_json's are the same JSON value.
fn same(a: &oracle::Value, b: &Value) -> bool {
    match (a, b) {
        (oracle::Value::Null, Value::Null) => true,
        (oracle::Value::Bool(x), Value::Bool(y)) => x == y,
        (oracle::Value::String(x), Value::String(y)) => x == y,
        // an integer exactly when serde_json kept it as one (it reads -0 as a float), else as the same f64
        (oracle::Value::Number(text), Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => text.parse::<i64>() == Ok(i),
            (_, Some(u)) => text.parse::<u64>() == Ok(u),
            _ => match (text.parse::<f64>(), n.as_f64()) {
                (Ok(x), Some(y)) => x == y || (x - y).abs() <= x.abs() * 1e-12,
                _ => false,
            },
        },
        (oracle::Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (oracle::Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b)))
        }
        _ => false,
    }
}

/// Whether the document holds a number an f64 cannot hold.
fn has_infinite_number(v: &oracle::Value) -> bool {
    match v {
        oracle::Value::Number(text) => text.parse::<f64>().is_ok_and(|f| f.is_infinite()),
        oracle::Value::Array(items) => items.iter().any(has_infinite_number),
        oracle::Value::Object(members) => members.iter().any(|(_, v)| has_infinite_number(v)),
        _ => false,
    }
}

/// Whether each typed read refuses `data` as malformed JSON.
fn typed_refusals(data: &[u8]) -> [bool; 2] {
    let code = |e: Option<wechatpay_wasm::Error>| e.is_some_and(|e| e.code() == "ERR_MALFORMED_JSON");
    [code(login::parse_code2session(data).err()), code(v3::Notification::parse(data).err())]
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(json::from_slice::<Value>(data).unwrap_err().code(), "ERR_MALFORMED_JSON");
        assert_eq!(typed_refusals(data), [true, true]);
        return;
    };
    let oracle = oracle::parse(text);
    let refused = oracle.as_ref().map_or(true, has_infinite_number);
    assert_eq!(typed_refusals(data), [refused, refused], "typed reads against the oracle ({oracle:?})");
    match (oracle, json::from_str::<Value>(text)) {
        (Ok(a), Ok(b)) => assert!(same(&a, &b), "different values: {a:?} / {b:?}"),
        (Err(_), Err(e)) => {
            assert_eq!(e.code(), "ERR_MALFORMED_JSON", "{e}");
            let wechatpay_wasm::error::ErrorContext::Offset { offset } = e.context() else { panic!("{e}") };
            assert!(offset <= text.len(), "offset {offset} beyond {} bytes", text.len());
        }
        (Ok(a), Err(e)) => assert!(has_infinite_number(&a), "refused what the oracle accepted: {e}"),
        (Err(e), Ok(b)) => panic!("accepted what the oracle refused ({e:?}): {b:?}"),
    }
});
