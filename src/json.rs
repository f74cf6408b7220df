//! Strict JSON on serde_json: typed values from WeChat's JSON, read so that a message cannot mean one thing here
//! and another to a later parser.
//!
//! [`from_slice`] and [`from_str`] read the typed value in one pass, through an adapter ([`Strict`]) between
//! serde_json's reader and the type's `Deserialize` that refuses, as it reads, what RFC 8259 leaves open or what
//! no WeChat message needs: duplicate object keys at every level (members the type does not name included: the
//! adapter reads them, where serde would skip them unread), nesting deeper than [`MAX_DEPTH`], objects of more
//! than [`MAX_MEMBERS`] members, and documents over [`MAX_JSON_BYTES`]; serde_json itself refuses lone surrogate
//! escapes, control characters in strings and trailing content. Structs are read from JSON objects only (serde's
//! derive would also read them from arrays, field by field) and enums never from JSON; amounts are integer
//! types, so `1.0`, `1e3` or a string where an amount belongs is refused, never rounded.
//!
//! Only when that read fails is the text read again, by [`check`] (the same adapter, reading no type), to tell
//! the two kinds of error apart: `ERR_MALFORMED_JSON` with the byte offset of the first problem for text that
//! is not strict JSON, else `ERR_MALFORMED_MESSAGE` naming the field (`resource.amount.total`) from the path the
//! failed read left behind.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

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
    let mut trail = Vec::new();
    match read::<T>(text, &mut trail) {
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
        return Err(Error::MalformedJson { problem: "the document is too large".into(), offset: MAX_JSON_BYTES });
    }
    read::<IgnoredAny>(text, &mut Vec::new()).map(|_| ()).map_err(|e| malformed(text, &e))
}

/// Reads a `T` from `text` through [`Strict`], then refuses trailing content; `trail` is left holding the path to
/// the value at fault when the read fails.
fn read<'de, T: Deserialize<'de>>(text: &'de str, trail: &mut Vec<Segment<'de>>) -> JsonResult<T> {
    if text.len() > MAX_JSON_BYTES {
        return Err(de::Error::custom("the document is too large"));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Strict { de: &mut de, depth: 0, trail })?;
    de.end().map(|()| value)
}

type JsonResult<T> = std::result::Result<T, serde_json::Error>;

/// Why `text`, strict JSON, is not a `T`: the error naming the field at fault.
fn shape_error(e: &serde_json::Error, trail: &[Segment<'_>]) -> Error {
    let problem = redact(&without_position(e));
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

/// One step of the path to a value: a member's key or an element's index.
enum Segment<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

/// The strict adapter: a deserializer that hands the type's visitor everything serde_json reads, checked as it
/// goes (depth here, duplicates and members in [`StrictMap`]); a value that fails leaves its key or index in
/// `trail` as the error passes through, innermost first. Nothing here stops serde from skipping a value unread:
/// `deserialize_ignored_any` reads it like any other.
struct Strict<'t, 'de, D> {
    de: D,
    depth: usize,
    trail: &'t mut Vec<Segment<'de>>,
}

impl<'t, 'de, D: Deserializer<'de>> Strict<'t, 'de, D> {
    /// The inner deserializer and the visitor wrapped, unless this value is nested too deeply.
    fn enter<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<(D, Checking<'t, 'de, V>), D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom("nested too deeply"));
        }
        Ok((self.de, Checking { visitor, depth: self.depth, trail: self.trail }))
    }
}

/// The `deserialize_*` methods passed on with the visitor wrapped, after the depth check.
macro_rules! checked {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> std::result::Result<V::Value, D::Error> {
            let (de, visitor) = self.enter(visitor)?;
            de.$method($($($arg,)*)? visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<'_, 'de, D> {
    type Error = D::Error;

    checked! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str) deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
    }

    /// A struct from an object only.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, D::Error> {
        let (de, visitor) = self.enter(visitor)?;
        de.deserialize_map(visitor)
    }

    /// No WeChat message here is read as an enum: whatever the value, the visitor refuses it as itself.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, D::Error> {
        let (de, visitor) = self.enter(visitor)?;
        de.deserialize_any(visitor)
    }

    /// A value skipped by the type is still read, and checked.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, D::Error> {
        let (de, visitor) = self.enter(visitor)?;
        de.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The type's visitor, given arrays and objects through [`StrictSeq`] and [`StrictMap`], and the value of an
/// option through [`Strict`]. `visit_enum` is not passed on: the default refuses it.
struct Checking<'t, 'de, V> {
    visitor: V,
    depth: usize,
    trail: &'t mut Vec<Segment<'de>>,
}

/// The `visit_*` methods of scalars, passed on as they are.
macro_rules! scalars {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> std::result::Result<V::Value, E> {
            self.visitor.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Checking<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    scalars! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128) visit_u8(u8)
        visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128) visit_f32(f32) visit_f64(f64)
        visit_char(char) visit_str(&str) visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> std::result::Result<V::Value, D::Error> {
        self.visitor.visit_some(Strict { de, depth: self.depth, trail: self.trail })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> std::result::Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Strict { de, depth: self.depth, trail: self.trail })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<V::Value, A::Error> {
        self.visitor.visit_seq(StrictSeq { seq, depth: self.depth + 1, index: 0, trail: self.trail })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<V::Value, A::Error> {
        self.visitor.visit_map(StrictMap { map, depth: self.depth + 1, keys: Vec::new(), trail: self.trail })
    }
}

/// An element or member value, read through [`Strict`] one level deeper.
struct Nested<'t, 'de, S> {
    seed: S,
    depth: usize,
    trail: &'t mut Vec<Segment<'de>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nested<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> std::result::Result<S::Value, D::Error> {
        self.seed.deserialize(Strict { de, depth: self.depth, trail: self.trail })
    }
}

/// An array's elements, each through [`Strict`]; a failed one leaves its index in the trail.
struct StrictSeq<'t, 'de, A> {
    seq: A,
    depth: usize,
    index: usize,
    trail: &'t mut Vec<Segment<'de>>,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<'_, 'de, A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> std::result::Result<Option<S::Value>, A::Error> {
        let element = self.seq.next_element_seed(Nested { seed, depth: self.depth, trail: self.trail });
        if element.is_err() {
            self.trail.push(Segment::Index(self.index));
        }
        self.index += 1;
        element
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// An object's members: each key read here and refused if it repeats one or is one too many, then handed to the
/// type; each value through [`Strict`], a failed one leaving its key in the trail.
struct StrictMap<'t, 'de, A> {
    map: A,
    depth: usize,
    keys: Vec<Cow<'de, str>>,
    trail: &'t mut Vec<Segment<'de>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> std::result::Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key_seed(Key)? else { return Ok(None) };
        if self.keys.len() == MAX_MEMBERS {
            return Err(de::Error::custom("an object with too many members"));
        }
        if self.keys.contains(&key) {
            return Err(de::Error::custom("duplicate key"));
        }
        let value = match &key {
            Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Cow::Owned(k) => seed.deserialize(StrDeserializer::new(k)),
        };
        self.keys.push(key);
        value.map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> std::result::Result<S::Value, A::Error> {
        let value = self.map.next_value_seed(Nested { seed, depth: self.depth, trail: self.trail });
        if value.is_err() {
            if let Some(key) = self.keys.last() {
                self.trail.push(Segment::Key(key.clone()));
            }
        }
        value
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// An object key, borrowed from the text unless it had escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
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
