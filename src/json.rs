//! Strict JSON on serde_json: typed values from WeChat's JSON, read so that a message cannot mean one thing here
//! and another to a later parser.
//!
//! [`from_slice`] and [`from_str`] read the typed value in one pass, through an adapter (`json/strict.rs`)
//! between serde_json's reader and the type's `Deserialize` that refuses, as it reads, what RFC 8259 leaves open
//! or what no WeChat message needs: duplicate object keys at every level (members the type does not name included: the
//! adapter reads them, where serde would skip them unread), nesting deeper than [`MAX_DEPTH`], objects of more
//! than [`MAX_MEMBERS`] members, and documents over [`MAX_JSON_BYTES`]; serde_json itself refuses lone surrogate
//! escapes, control characters in strings and trailing content. Structs are read from JSON objects only (serde's
//! derive would also read them from arrays, field by field) and enums never from JSON; amounts are integer
//! types, so `1.0`, `1e3` or a string where an amount belongs is refused, never rounded. Error messages name what
//! was received by kind (`a string`), never its text.
//!
//! Only when that read fails is the text read again, by [`check`] (the same adapter, reading no type), to tell
//! the two kinds of error apart: `ERR_MALFORMED_JSON` with the byte offset of the first problem for text that
//! is not strict JSON, else `ERR_MALFORMED_MESSAGE` naming the field (`resource.amount.total`) from the path the
//! failed read left behind.

mod strict;

use std::fmt::Write as _;

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::{Error, Result};
use strict::Segment;

/// Largest JSON document accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted: a value may sit inside at most this many arrays and objects.
pub const MAX_DEPTH: usize = 32;
/// Most members of one object: WeChat's have a few dozen, and duplicate keys are looked for in each.
pub const MAX_MEMBERS: usize = 256;

/// Reads `bytes` as UTF-8 JSON into `T`.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Amount { total: u64 }
/// let a: Amount = wechatpay_wasm::json::from_slice(br#"{"total":888}"#)?;
/// assert_eq!(a.total, 888);
/// let e = wechatpay_wasm::json::from_slice::<Amount>(br#"{"total":1,"total":888}"#).unwrap_err();
/// assert_eq!(e.code(), "ERR_MALFORMED_JSON"); // which total would a later reader take?
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// `ERR_MALFORMED_JSON` (with the byte offset) for bytes that are not UTF-8 or not strict JSON;
/// `ERR_MALFORMED_MESSAGE` (naming the field) for JSON that is not a `T`.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    from_str(utf8(bytes)?)
}

/// Reads `text` as JSON into `T`; as [`from_slice`].
///
/// # Errors
/// As [`from_slice`].
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    if text.len() > MAX_JSON_BYTES {
        return Err(too_large());
    }
    let mut trail = Vec::new();
    match strict::read::<T>(text, &mut trail) {
        Ok(value) => Ok(value),
        // not strict JSON, or strict JSON of another shape: the strict pass alone decides
        Err(e) => Err(check(text).err().unwrap_or_else(|| shape_error(&e, &trail))),
    }
}

/// The strict pass alone: whether `text` is one JSON value within the limits, without duplicate keys.
///
/// # Errors
/// `ERR_MALFORMED_JSON` with the byte offset of the first problem.
pub fn check(text: &str) -> Result<()> {
    if text.len() > MAX_JSON_BYTES {
        return Err(too_large());
    }
    strict::read::<IgnoredAny>(text, &mut Vec::new()).map(|_| ()).map_err(|e| malformed(text, &e))
}

fn too_large() -> Error {
    Error::MalformedJson { problem: "the document is too large".into(), offset: MAX_JSON_BYTES }
}

/// Why `text`, strict JSON, is not a `T`: the error naming the field at fault.
fn shape_error(e: &serde_json::Error, trail: &[Segment<'_>]) -> Error {
    let problem = without_position(e);
    let mut path = String::new();
    for segment in trail.iter().rev() {
        match segment {
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
        }
    }
    // a missing field is reported at its parent: name the field itself
    let missing = problem.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`'));
    let field = match (path.as_str(), missing) {
        ("", None) => "(body)".to_owned(),
        ("", Some(name)) => name.to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        (path, None) => path.to_owned(),
    };
    Error::message_field(field, problem)
}

/// `bytes` as text, or `ERR_MALFORMED_JSON` at the first byte that is not UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes)
        .map_err(|e| Error::MalformedJson { problem: "not UTF-8".into(), offset: e.valid_up_to() })
}

/// serde_json's error as `ERR_MALFORMED_JSON`, its line and column turned back into a byte offset.
fn malformed(text: &str, e: &serde_json::Error) -> Error {
    Error::MalformedJson { problem: without_position(e).into(), offset: byte_offset(text, e.line(), e.column()) }
}
/// The byte offset of serde_json's one-based `line` and one-based byte `column` (0 for an error without a place).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = match line - 1 {
        0 => 0,
        n => text.match_indices('\n').nth(n - 1).map_or(text.len(), |(at, _)| at + 1),
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// serde_json's message without its " at line L column C" suffix (the offset says where).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).map_or_else(|| text.clone(), str::to_owned)
}

/// A string read, and so checked to be one, but not kept: for checking a message the caller reads itself.
#[cfg(feature = "v3")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Checked;

#[cfg(feature = "v3")]
impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct AnyString;
        impl serde::de::Visitor<'_> for AnyString {
            type Value = Checked;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E>(self, _: &str) -> std::result::Result<Checked, E> {
                Ok(Checked)
            }
        }
        d.deserialize_str(AnyString)
    }
}

/// A JSON object read, and so checked (its members too), but not kept: where [`Checked`] reads the strings of
/// a message, this reads its objects (a transaction's `scene_info`), and a decrypted resource the caller parses.
#[cfg(feature = "v3")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CheckedObject;

#[cfg(feature = "v3")]
impl<'de> serde::Deserialize<'de> for CheckedObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct AnyObject;
        impl<'de> serde::de::Visitor<'de> for AnyObject {
            type Value = CheckedObject;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<CheckedObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(CheckedObject)
            }
        }
        d.deserialize_map(AnyObject)
    }
}

/// Amounts and counts: a non-negative integer that JavaScript holds exactly (at most 2^53 − 1).
#[cfg(any(feature = "v3", test))]
pub(crate) mod amount {
    use serde::{Deserialize, Deserializer, de};

    /// The largest integer a JavaScript number holds exactly.
    pub const MAX: u64 = (1 << 53) - 1;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = u64::deserialize(d)?;
        if n <= MAX { Ok(n) } else { Err(de::Error::custom("an amount above 2^53 - 1, which JavaScript cannot hold")) }
    }

    pub mod option {
        use serde::{Deserialize, Deserializer};

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(deserialize_with = "super::deserialize")] u64);
            Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(n)| n))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::Value;

    use super::*;

    #[test]
    fn refuses_ambiguity_and_garbage() {
        for bad in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1,"b":1}}"#,
            r#"[{"x":1,"\u0078":2}]"#,
            r#""\ud800""#,
            r#""\udc00x""#,
            "01",
            "1.",
            "[1,]",
            "{\"a\" 1}",
            "\"\u{1}\"",
            "",
            "[] []",
            "nul",
            &"[".repeat(40),
        ] {
            assert_eq!(check(bad).unwrap_err().code(), "ERR_MALFORMED_JSON", "{bad}");
        }
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check(&deep(MAX_DEPTH)).is_ok() && check(&deep(MAX_DEPTH + 2)).is_err());
        let members = |n: usize| format!("{{{}}}", (0..n).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
        assert!(check(&members(MAX_MEMBERS)).is_ok() && check(&members(MAX_MEMBERS + 1)).is_err());
    }

    /// The typed read refuses what `check` refuses, wherever it is (in members the type skips too), with the
    /// same code and offset; a struct is read from an object only, at every level.
    #[test]
    fn typed_reads_are_as_strict_as_check() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
            #[serde(default)]
            list: Vec<Inner>,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            a: String,
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        let members = (0..=MAX_MEMBERS).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(",");
        for bad in [
            r#"{"inner":{"a":"x"},"skipped":{"b":1,"b":2}}"#.to_owned(),
            r#"{"inner":{"a":"x","a":"y"}}"#.to_owned(),
            r#"{"inner":{"a":"x"},"list":[{"a":"x","z":[{"c":1,"c":1}]}]}"#.to_owned(),
            format!(r#"{{"inner":{{"a":"x"}},"skipped":{deep}}}"#),
            format!(r#"{{"inner":{{"a":"x"}},"skipped":{{{members}}}}}"#),
            r#"{"inner":{"a":"x"},"skipped":01}"#.to_owned(),
        ] {
            let e = from_str::<Outer>(&bad).unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_JSON", "{bad}: {e}");
            assert_eq!(e.context(), check(&bad).unwrap_err().context(), "{bad}");
        }
        for (bad, field) in [
            (r#"{"inner":["x"]}"#, "inner"),
            (r#"{"inner":{"a":"x"},"list":[{"a":"x"},["y"]]}"#, "list[1]"),
            (r#"{"inner":{"a":"x"},"list":[{"a":"x"},{"a":1}]}"#, "list[1].a"),
            (r#"{"inner":{"a":"x"},"list":[{"a":"x"},{}]}"#, "list[1].a"),
            (r#"["x"]"#, "(body)"),
        ] {
            let e = from_str::<Outer>(bad).unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_MESSAGE", "{bad}: {e}");
            assert_eq!(e.context(), crate::error::ErrorContext::Field { field }, "{bad}: {e}");
        }
    }

    /// serde_json's `RawValue` keeps a value's text, read as strictly as the rest and counted in the depth.
    #[test]
    fn raw_values_are_text_read_strictly() {
        #[derive(Debug, Deserialize)]
        struct Answer {
            detail: Box<serde_json::value::RawValue>,
        }
        let text = r#"{"detail": {"a": [1.50, "中"], "b": null} }"#;
        assert_eq!(from_str::<Answer>(text).unwrap().detail.get(), r#"{"a": [1.50, "中"], "b": null}"#);
        let deep = |n: usize| format!(r#"{{"detail":{}{}}}"#, "[".repeat(n), "]".repeat(n));
        assert!(from_str::<Answer>(&deep(MAX_DEPTH)).is_ok());
        for bad in
            [r#"{"detail":{"a":1,"a":2}}"#.to_owned(), r#"{"detail":[{"x":01}]}"#.to_owned(), deep(MAX_DEPTH + 1)]
        {
            let e = from_str::<Answer>(&bad).unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_JSON", "{bad}: {e}");
            assert_eq!(e.context(), check(&bad).unwrap_err().context(), "{bad}");
        }
    }

    #[test]
    fn offsets_are_bytes() {
        // 中 is three bytes and one UTF-16 unit: each offset below is the byte's, never the character's
        let at = |text: &str| match check(text).unwrap_err().context() {
            crate::error::ErrorContext::Offset { offset } => offset,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(r#"{"中":1,"中":2}"#), r#"{"中":1,"中"#.len()); // the second key's closing quote
        assert_eq!(at(r#"{"中":1,}"#), r#"{"中":1,"#.len()); // the } after a comma
        assert_eq!(at("{\n\"a\":\n\"中\"x}"), "{\n\"a\":\n\"中\"".len()); // the x, on the third line
        assert_eq!(at(r#"["中中",01]"#), r#"["中中",0"#.len());
        let e = from_slice::<Value>(b"{\"a\":\"\xe4\xb8\"}").unwrap_err();
        assert_eq!(e.context(), crate::error::ErrorContext::Offset { offset: 6 }, "{e}");
    }

    #[test]
    fn shapes_are_named_and_amounts_exact() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            amount: Inner,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            #[serde(deserialize_with = "amount::deserialize")]
            total: u64,
        }
        for (text, problem) in [
            (r#"{"amount":{"total":1.0}}"#, "floating point"),
            (r#"{"amount":{"total":"1"}}"#, "a string"),
            (r#"{"amount":{"total":9007199254740992}}"#, "2^53"),
            (r#"{"amount":{"total":-1}}"#, "integer"),
            (r#"{"amount":{}}"#, "missing field"),
        ] {
            let e = from_str::<Outer>(text).unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_MESSAGE", "{text}");
            assert!(e.to_string().contains("amount.total") || e.to_string().contains("amount"), "{e}");
            assert!(e.to_string().contains(problem), "{text}: {e}");
        }
        // what was received is named by its kind, never quoted: not the string, not the float
        let e = from_str::<Outer>(r#"{"amount":{"total":"secret"}}"#).unwrap_err();
        assert!(!e.to_string().contains("secret") && e.to_string().contains("a string"), "{e}");
        let e = from_str::<Outer>(r#"{"amount":{"total":1.25}}"#).unwrap_err();
        assert!(!e.to_string().contains("1.25"), "{e}");
        assert_eq!(from_str::<Outer>(r#"{"amount":{"total":9007199254740991}}"#).unwrap().amount.total, amount::MAX);
    }
}
