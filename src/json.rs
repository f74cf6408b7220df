//! Strict JSON on serde_json: typed values from WeChat's JSON, read so that a message cannot mean one thing here
//! and another to a later parser.
//!
//! [`from_slice`] and [`from_str`] run two passes over the text. The first, [`check`], reads every value with
//! serde_json and refuses what RFC 8259 leaves open or what no WeChat message needs: duplicate object keys (at
//! every level, unknown members included), nesting deeper than [`MAX_DEPTH`], objects of more than
//! [`MAX_MEMBERS`] members, and documents over [`MAX_JSON_BYTES`]; serde_json itself refuses lone surrogate
//! escapes, control characters in strings and trailing content. The second deserializes the typed value, its
//! structs from JSON objects only (serde's derive would also read them from arrays, field by field); amounts are
//! integer types, so `1.0`, `1e3` or a string where an amount belongs is refused, never rounded. The second
//! read tracks the path to the field at fault only when it fails, in a third read (serde_path_to_error).
//!
//! Errors: `ERR_MALFORMED_JSON` with the byte offset of the problem for text that is not strict JSON,
//! `ERR_MALFORMED_MESSAGE` naming the field (`resource.amount.total`) for JSON of the wrong shape.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};

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
    check(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    match T::deserialize(MapOnly(&mut de)).and_then(|value| de.end().map(|()| value)) {
        Ok(value) => Ok(value),
        // read again, tracking the path, only to name the field at fault
        Err(_) => Err(shape_error::<T>(text)),
    }
}

/// Why `text`, strict JSON, is not a `T`: the error naming the field at fault.
fn shape_error<T: DeserializeOwned>(text: &str) -> Error {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize::<_, T>(MapOnly(&mut de)).map_err(|e| {
        let problem = redact(&without_position(e.inner()));
        // a missing field is reported at its parent: name the field itself
        let missing = problem.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`'));
        let field = match (e.path().to_string().as_str(), missing) {
            (".", None) => "(body)".to_owned(),
            (".", Some(name)) => name.to_owned(),
            (path, Some(name)) => format!("{path}.{name}"),
            (path, None) => path.to_owned(),
        };
        Error::message_field(field, problem)
    });
    match value.and_then(|_| de.end().map_err(|e| malformed(text, &e))) {
        Err(e) => e,
        Ok(()) => Error::message_field("(body)", "not the expected shape"),
    }
}

/// The strict pass alone: whether `text` is one JSON value within the limits, without duplicate keys.
///
/// # Errors
/// `ERR_MALFORMED_JSON` with the byte offset of the first problem.
pub fn check(text: &str) -> Result<()> {
    if text.len() > MAX_JSON_BYTES {
        return Err(Error::MalformedJson { problem: "the document is too large".into(), offset: MAX_JSON_BYTES });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    Strict { depth: 0 }.deserialize(&mut de).and_then(|()| de.end()).map_err(|e| malformed(text, &e))
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

/// serde's messages quote the value they refused (`invalid type: string "…"`): a received value has no place in
/// an error message, so quoted text is dropped.
fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        if i % 2 == 1 {
            out.push_str(part);
        }
    }
    out.replace("string ,", "a string,")
}

/// The strict pass: a visitor that reads any value and refuses duplicates and excess.
struct Strict {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom("nested too deeply"));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(Strict { depth: self.depth + 1 })?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if keys.len() == MAX_MEMBERS {
                return Err(de::Error::custom("an object with too many members"));
            }
            if keys.contains(&key) {
                return Err(de::Error::custom("duplicate key"));
            }
            keys.push(key);
            map.next_value_seed(Strict { depth: self.depth + 1 })?;
        }
        Ok(())
    }
}

/// An object key, borrowed from the text unless it had escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// Reads a struct from a JSON object only. serde's derive also reads a struct from an array, field by field
/// (`["wx…","1900007291",…]`), which no WeChat message is: [`from_str`] reads the top level through here, and
/// fields holding structs say `#[serde(deserialize_with = "json::object")]` (or `object::option`, `objects`).
pub(crate) struct MapOnly<D>(pub D);

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, D::Error> {
        self.0.deserialize_any(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> std::result::Result<V::Value, D::Error> {
        self.0.deserialize_map(v)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// A struct field read from an object only ([`MapOnly`]).
#[cfg(feature = "v3")]
pub(crate) fn object<'de, D: de::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> std::result::Result<T, D::Error> {
    T::deserialize(MapOnly(d))
}

/// Structs in an array, each read from an object only.
#[cfg(feature = "v3")]
pub(crate) fn objects<'de, D: de::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    struct Each<T>(T);
    impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Each<T> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            object(d).map(Each)
        }
    }
    Ok(<Vec<Each<T>> as serde::Deserialize>::deserialize(d)?.into_iter().map(|Each(t)| t).collect())
}

/// An optional struct field, read from an object only when present.
#[cfg(feature = "v3")]
pub(crate) mod object {
    pub(crate) fn option<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
        d: D,
    ) -> std::result::Result<Option<T>, D::Error> {
        struct Some_<T>(T);
        impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Some_<T> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                super::object(d).map(Some_)
            }
        }
        Ok(<Option<Some_<T>> as serde::Deserialize>::deserialize(d)?.map(|Some_(t)| t))
    }
}

/// A string read, and so checked to be one, but not kept: for checking a message the caller reads itself.
#[cfg(feature = "v3")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Checked;

#[cfg(feature = "v3")]
impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct AnyString;
        impl Visitor<'_> for AnyString {
            type Value = Checked;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E>(self, _: &str) -> std::result::Result<Checked, E> {
                Ok(Checked)
            }
        }
        d.deserialize_str(AnyString)
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
        let e = from_str::<Outer>(r#"{"amount":{"total":"secret"}}"#).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
        assert_eq!(from_str::<Outer>(r#"{"amount":{"total":9007199254740991}}"#).unwrap().amount.total, amount::MAX);
    }
}
