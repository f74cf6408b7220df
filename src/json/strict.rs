//! The strict reader under [`super::from_str`] and [`super::check`]. Hand-written because no library reads JSON
//! this way: serde_json reads the text, and this adapter stands between it and the type's `Deserialize`,
//! refusing duplicate keys at every level (members the type does not name included), nesting deeper than
//! [`MAX_DEPTH`] and objects of more than [`MAX_MEMBERS`] members as it goes. The json fuzz target holds it to
//! the hand-written reader the crate used before serde (`fuzz/oracle/json.rs`); the tests in `super` pin each
//! rule.
//!
//! It has two halves, so that serde_json's reader is compiled once, not once per type read (serde monomorphises
//! a deserializer for every visitor, and serde_json's `deserialize_any` is several kilobytes of wasm each time):
//! - the typed half: [`Strict`], the one `Deserializer` every type's `Deserialize` runs against, with the one
//!   error type [`Failure`]; it hands each visitor to the reading half as a trait object ([`Visit`]);
//! - the reading half: serde_json's `deserialize_any` (or `deserialize_option`) with the one visitor [`Bridge`],
//!   which passes each value back to the typed half, and arrays and objects as trait objects ([`Elements`],
//!   [`Members`]) whose values are read the same way.
//!
//! Every value is read with `deserialize_any`, so serde_json never skips one unread (`deserialize_ignored_any`
//! would) and never words a type error itself: the type's visitor does, through [`Failure`], naming what it
//! received by kind only (serde_json's wording quotes received strings, and formats received floats with a float
//! formatter of several kilobytes).
//!
//! Errors cross between the halves without losing serde_json's place in the text: an error serde_json raises is
//! kept where it surfaced (the `pending` of [`Held`], [`HeldSeq`] or [`HeldMap`]) while the typed half unwinds
//! with [`Failure::Pending`], and handed back to serde_json unchanged; one raised in the typed half crosses as a
//! message, which serde_json places where it is reading, as it places its own.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};

use super::{MAX_DEPTH, MAX_MEMBERS};

/// One step of the path to a value: a member's key or an element's index.
pub(super) enum Segment<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

/// Reads a `T` from `text`, then refuses trailing content. When the read fails, `trail` holds the path to the
/// value at fault, innermost step first.
pub(super) fn read<'de, T: de::Deserialize<'de>>(
    text: &'de str,
    trail: &mut Vec<Segment<'de>>,
) -> Result<T, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(text);
    let mut held = Held { de: Some(&mut json), pending: None };
    let value = T::deserialize(Strict { src: &mut held, depth: 0, trail });
    let value = held.finish(value)?;
    json.end().map(|()| value)
}

// ---- the typed half ----

/// One JSON value, as the type's `Deserialize` sees it.
pub(super) struct Strict<'a, 'de> {
    src: &'a mut dyn Source<'de>,
    depth: usize,
    trail: &'a mut Vec<Segment<'de>>,
}

impl<'de> Strict<'_, 'de> {
    /// Reads the value with `visitor`, unless it is nested too deeply: as an option (`null` or the value), or
    /// as any value (a struct: from an object only).
    fn read<V: Visitor<'de>>(self, visitor: V, how: How) -> Result<V::Value, Failure> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom("nested too deeply"));
        }
        match how {
            How::Any => self.visit::<V, ANY>(visitor),
            How::Struct => self.visit::<V, STRUCT>(visitor),
            How::Option => self.visit::<V, OPTION>(visitor),
        }
    }

    fn visit<V: Visitor<'de>, const HOW: u8>(self, visitor: V) -> Result<V::Value, Failure> {
        let mut slot = VisitSlot::<V, V::Value, HOW> { visitor: Some(visitor), value: None };
        self.src.read(&mut slot, HOW == OPTION, self.depth, self.trail)?;
        slot.value.ok_or(Failure::Unread)
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum How {
    Any,
    Struct,
    Option,
}

/// [`How`] as a constant of [`VisitSlot`], so that each slot holds only the calls its kind of read can make
/// (serde_json's `deserialize_any` never calls `visit_some`, its `deserialize_option` nothing else).
const ANY: u8 = 0;
const STRUCT: u8 = 1;
const OPTION: u8 = 2;

/// The `deserialize_*` methods that read any value.
macro_rules! any {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, Failure> {
            self.read(visitor, How::Any)
        }
    )*};
}

impl<'de> Deserializer<'de> for Strict<'_, 'de> {
    type Error = Failure;

    // an enum, too, is read as the value it is, which its visitor refuses: no WeChat message here is one
    any! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_seq deserialize_map deserialize_identifier
        deserialize_ignored_any deserialize_unit_struct(_name: &'static str) deserialize_tuple(_len: usize)
        deserialize_tuple_struct(_name: &'static str, _len: usize)
        deserialize_enum(_name: &'static str, _variants: &'static [&'static str])
    }

    /// A struct from an object only (serde's derive would also read one from an array, field by field).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.read(visitor, How::Struct)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.read(visitor, How::Option)
    }

    /// The value itself, as serde_json reads a newtype struct; serde_json's `RawValue` as its text.
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Failure> {
        if name == RAW_VALUE {
            return self.raw(visitor);
        }
        visitor.visit_newtype_struct(self)
    }
}

/// The name under which serde_json's `RawValue` asks a deserializer for a value's text (serde_json's own
/// deserializer and its `Value` answer it; a visitor of any other deserializer would see a newtype struct).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl<'de> Strict<'_, 'de> {
    /// serde_json's `RawValue`: the value's text, handed over as serde_json hands it (an object of one member,
    /// named [`RAW_VALUE`], whose value is the text).
    fn raw<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_map(RawMap { text: Some(self.raw_text()?) })
    }

    /// The value's text, which serde_json skips without the rules here, so it is read once more, at this
    /// depth, as strictly as the rest (out of line: the same for every type).
    #[inline(never)]
    fn raw_text(self) -> Result<&'de str, Failure> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom("nested too deeply"));
        }
        let text = self.src.raw()?;
        let mut json = serde_json::Deserializer::from_str(text);
        let mut held = Held { de: Some(&mut json), pending: None };
        let checked = <de::IgnoredAny as de::Deserialize>::deserialize(Strict {
            src: &mut held,
            depth: self.depth,
            trail: self.trail,
        });
        // where it failed, in the whole text, is found again by the caller's `check`
        held.finish(checked).map_err(de::Error::custom)?;
        Ok(text)
    }
}

/// A raw value's text as serde_json's `RawValue` reads it: one member, named [`RAW_VALUE`].
struct RawMap<'de> {
    text: Option<&'de str>,
}

impl<'de> MapAccess<'de> for RawMap<'de> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Failure> {
        match self.text {
            Some(_) => seed.deserialize(BorrowedStrDeserializer::new(RAW_VALUE)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Failure> {
        seed.deserialize(BorrowedStrDeserializer::new(self.text.take().ok_or(Failure::Unread)?))
    }
}

/// The error of the typed half: a message, or a sign that serde_json's own error is pending in the reading half.
#[derive(Debug)]
pub(super) enum Failure {
    Message(String),
    Pending,
    /// A visitor that did not run (never, unless serde_json stops calling back).
    Unread,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Message(m) => f.write_str(m),
            Failure::Pending | Failure::Unread => f.write_str("the value could not be read"),
        }
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Failure::Message(msg.to_string())
    }

    // out of line: every visitor's default `visit_*` refuses through these (a copy of `format!` in each would
    // cost more than the rest of the visitor)
    #[inline(never)]
    #[cold]
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Failure::Message(format!("invalid type: {}, expected {expected}", Received(unexpected)))
    }

    #[inline(never)]
    #[cold]
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Failure::Message(format!("invalid value: {}, expected {expected}", Received(unexpected)))
    }
}

/// What was received, by kind: integers and booleans with their value, nothing else.
struct Received<'a>(Unexpected<'a>);

impl fmt::Display for Received<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Char(_) | Unexpected::Str(_) => f.write_str("a string"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Seq => f.write_str("an array"),
            Unexpected::Map => f.write_str("an object"),
            Unexpected::Other(other) => f.write_str(other),
            _ => f.write_str("another kind of value"),
        }
    }
}

/// A type's visitor behind [`Visit`], and what it made; a struct's is given no array.
struct VisitSlot<V, T, const HOW: u8> {
    visitor: Option<V>,
    value: Option<T>,
}

impl<V, T, const HOW: u8> VisitSlot<V, T, HOW> {
    fn visitor(&mut self) -> Result<V, Failure> {
        self.visitor.take().ok_or(Failure::Unread)
    }

    /// Keeps the visitor's answer: out of line, so that each type's drop code is here once, not in every
    /// `visit_*` of its visitor.
    #[inline(never)]
    fn keep(&mut self, value: Result<T, Failure>) -> Result<(), Failure> {
        self.value = Some(value?);
        Ok(())
    }
}

impl<'de, V: Visitor<'de>, const HOW: u8> Visit<'de> for VisitSlot<V, V::Value, HOW> {
    // one method for every scalar, not one each: most visitors refuse most kinds (serde's defaults), and a
    // method per kind and type was 30 KB of wasm
    fn scalar(&mut self, scalar: Scalar<'_, 'de>) -> Result<(), Failure> {
        let visitor = self.visitor()?;
        let value = match scalar {
            Scalar::None if HOW == OPTION => visitor.visit_none(),
            _ if HOW == OPTION => return Err(Failure::Unread),
            Scalar::Bool(v) => visitor.visit_bool(v),
            Scalar::I64(v) => visitor.visit_i64(v),
            Scalar::U64(v) => visitor.visit_u64(v),
            Scalar::F64(v) => visitor.visit_f64(v),
            Scalar::Str(v) => visitor.visit_str(v),
            Scalar::BorrowedStr(v) => visitor.visit_borrowed_str(v),
            Scalar::Unit | Scalar::None => visitor.visit_unit(),
        };
        self.keep(value)
    }

    fn some(&mut self, de: Strict<'_, 'de>) -> Result<(), Failure> {
        if HOW != OPTION {
            return Err(Failure::Unread);
        }
        let value = self.visitor()?.visit_some(de);
        self.keep(value)
    }

    fn seq(
        &mut self,
        elements: &mut dyn Elements<'de>,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure> {
        let visitor = self.visitor()?;
        match HOW {
            OPTION => return Err(Failure::Unread),
            STRUCT => return Err(de::Error::invalid_type(Unexpected::Seq, &visitor)),
            _ => {}
        }
        let value = visitor.visit_seq(TypedSeq { elements, depth, trail });
        self.keep(value)
    }

    fn map(
        &mut self,
        members: &mut dyn Members<'de>,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure> {
        if HOW == OPTION {
            return Err(Failure::Unread);
        }
        let value = self.visitor()?.visit_map(TypedMap { members, depth, trail });
        self.keep(value)
    }

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.visitor {
            Some(visitor) => visitor.expecting(f),
            None => f.write_str("a value"),
        }
    }
}

/// An array, as the type's visitor reads it.
struct TypedSeq<'a, 'de> {
    elements: &'a mut dyn Elements<'de>,
    depth: usize,
    trail: &'a mut Vec<Segment<'de>>,
}

impl<'de> SeqAccess<'de> for TypedSeq<'_, 'de> {
    type Error = Failure;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Failure> {
        let mut slot = SeedSlot { seed: Some(seed), value: None };
        if !self.elements.next(&mut slot, self.depth, self.trail)? {
            return Ok(None);
        }
        slot.value.map(Some).ok_or(Failure::Unread)
    }
}

/// An object, as the type's visitor reads it: each key handed to it as a string.
struct TypedMap<'a, 'de> {
    members: &'a mut dyn Members<'de>,
    depth: usize,
    trail: &'a mut Vec<Segment<'de>>,
}

impl<'de> MapAccess<'de> for TypedMap<'_, 'de> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Failure> {
        match self.members.key()? {
            None => Ok(None),
            Some(Cow::Borrowed(key)) => seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some),
            Some(Cow::Owned(key)) => seed.deserialize(StrDeserializer::new(key)).map(Some),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Failure> {
        let mut slot = SeedSlot { seed: Some(seed), value: None };
        self.members.value(&mut slot, self.depth, self.trail)?;
        slot.value.ok_or(Failure::Unread)
    }
}

/// A type's seed behind [`Seed`], and what it made.
struct SeedSlot<S, T> {
    seed: Option<S>,
    value: Option<T>,
}

impl<'de, S: DeserializeSeed<'de>> Seed<'de> for SeedSlot<S, S::Value> {
    fn read(&mut self, de: Strict<'_, 'de>) -> Result<(), Failure> {
        let seed = self.seed.take().ok_or(Failure::Unread)?;
        self.value = Some(seed.deserialize(de)?);
        Ok(())
    }
}

// ---- between the halves ----

/// A value not read yet, whichever deserializer holds it.
trait Source<'de> {
    /// The value's text, unread (serde_json's `RawValue`).
    fn raw(&mut self) -> Result<&'de str, Failure>;
    fn read(
        &mut self,
        visit: &mut dyn Visit<'de>,
        option: bool,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure>;
}

/// A type's visitor, whichever type it makes.
trait Visit<'de> {
    fn scalar(&mut self, scalar: Scalar<'_, 'de>) -> Result<(), Failure>;
    fn some(&mut self, de: Strict<'_, 'de>) -> Result<(), Failure>;
    fn seq(
        &mut self,
        elements: &mut dyn Elements<'de>,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure>;
    fn map(
        &mut self,
        members: &mut dyn Members<'de>,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A value that is neither an array nor an object, as serde_json hands it over; `None` is `null` read as an
/// option.
enum Scalar<'a, 'de> {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
    BorrowedStr(&'de str),
    Unit,
    None,
}

/// A type's seed for one element or member value, whichever type it makes.
trait Seed<'de> {
    fn read(&mut self, de: Strict<'_, 'de>) -> Result<(), Failure>;
}

/// An array's elements: `false` after the last.
trait Elements<'de> {
    fn next(&mut self, seed: &mut dyn Seed<'de>, depth: usize, trail: &mut Vec<Segment<'de>>) -> Result<bool, Failure>;
}

/// An object's members: each key, then its value.
trait Members<'de> {
    fn key(&mut self) -> Result<Option<&Cow<'de, str>>, Failure>;
    fn value(&mut self, seed: &mut dyn Seed<'de>, depth: usize, trail: &mut Vec<Segment<'de>>) -> Result<(), Failure>;
}

// ---- the reading half ----

/// A deserializer not used yet, and the error it raised.
struct Held<D, E> {
    de: Option<D>,
    pending: Option<E>,
}

impl<D, E: de::Error> Held<D, E> {
    /// The typed half's answer as the reading half's: the pending error if there is one.
    fn finish<T>(mut self, value: Result<T, Failure>) -> Result<T, E> {
        value.map_err(|failure| cross(failure, &mut self.pending))
    }
}

/// A failure of the typed half as serde_json's error: the one pending, or the message.
fn cross<E: de::Error>(failure: Failure, pending: &mut Option<E>) -> E {
    match (failure, pending.take()) {
        (Failure::Pending, Some(e)) => e,
        (failure, _) => E::custom(failure),
    }
}

impl<'de, D: Deserializer<'de>> Source<'de> for Held<D, D::Error> {
    fn raw(&mut self) -> Result<&'de str, Failure> {
        let de = self.de.take().ok_or(Failure::Unread)?;
        de.deserialize_newtype_struct(RAW_VALUE, RawText).map_err(|e| {
            self.pending = Some(e);
            Failure::Pending
        })
    }

    fn read(
        &mut self,
        visit: &mut dyn Visit<'de>,
        option: bool,
        depth: usize,
        trail: &mut Vec<Segment<'de>>,
    ) -> Result<(), Failure> {
        let de = self.de.take().ok_or(Failure::Unread)?;
        let bridge = Bridge { visit, depth, trail };
        let read = if option { de.deserialize_option(bridge) } else { de.deserialize_any(bridge) };
        read.map_err(|e| {
            self.pending = Some(e);
            Failure::Pending
        })
    }
}

/// The one visitor serde_json is given: each value passed to the type's visitor behind it.
struct Bridge<'a, 'de> {
    visit: &'a mut dyn Visit<'de>,
    depth: usize,
    trail: &'a mut Vec<Segment<'de>>,
}

/// The `visit_*` methods of scalars, passed on.
macro_rules! pass {
    ($($method:ident($ty:ty) => $scalar:ident)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<(), E> {
            self.visit.scalar(Scalar::$scalar(v)).map_err(|failure| cross(failure, &mut None))
        }
    )*};
}

impl<'de> Visitor<'de> for Bridge<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visit.expecting(f)
    }

    pass! {
        visit_bool(bool) => Bool
        visit_i64(i64) => I64
        visit_u64(u64) => U64
        visit_f64(f64) => F64
        visit_str(&str) => Str
        visit_borrowed_str(&'de str) => BorrowedStr
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit.scalar(Scalar::Unit).map_err(|failure| cross(failure, &mut None))
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit.scalar(Scalar::None).map_err(|failure| cross(failure, &mut None))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut held = Held { de: Some(de), pending: None };
        let read = self.visit.some(Strict { src: &mut held, depth: self.depth, trail: self.trail });
        held.finish(read)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let mut held = HeldSeq { seq, index: 0, pending: None };
        let read = self.visit.seq(&mut held, self.depth + 1, self.trail);
        read.map_err(|failure| cross(failure, &mut held.pending))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let mut held = HeldMap { map, keys: Vec::new(), pending: None };
        let read = self.visit.map(&mut held, self.depth + 1, self.trail);
        read.map_err(|failure| cross(failure, &mut held.pending))
    }
}

/// One element or member value, read through [`Strict`] at `depth`.
struct SeedBridge<'a, 'de> {
    seed: &'a mut dyn Seed<'de>,
    depth: usize,
    trail: &'a mut Vec<Segment<'de>>,
}

impl<'de> DeserializeSeed<'de> for SeedBridge<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut held = Held { de: Some(de), pending: None };
        let read = self.seed.read(Strict { src: &mut held, depth: self.depth, trail: self.trail });
        held.finish(read)
    }
}

/// serde_json's array; a failed element leaves its index in the trail.
struct HeldSeq<A, E> {
    seq: A,
    index: usize,
    pending: Option<E>,
}

impl<'de, A: SeqAccess<'de>> Elements<'de> for HeldSeq<A, A::Error> {
    fn next(&mut self, seed: &mut dyn Seed<'de>, depth: usize, trail: &mut Vec<Segment<'de>>) -> Result<bool, Failure> {
        let index = self.index;
        self.index += 1;
        match self.seq.next_element_seed(SeedBridge { seed, depth, trail: &mut *trail }) {
            Ok(element) => Ok(element.is_some()),
            Err(e) => {
                trail.push(Segment::Index(index));
                self.pending = Some(e);
                Err(Failure::Pending)
            }
        }
    }
}

/// serde_json's object: each key refused if it repeats one or is one too many; a failed value leaves its key
/// in the trail.
struct HeldMap<'de, A, E> {
    map: A,
    keys: Vec<Cow<'de, str>>,
    pending: Option<E>,
}

impl<'de, A: MapAccess<'de>> Members<'de> for HeldMap<'de, A, A::Error> {
    fn key(&mut self) -> Result<Option<&Cow<'de, str>>, Failure> {
        let key = match self.map.next_key_seed(Key) {
            Ok(Some(key)) => key,
            Ok(None) => return Ok(None),
            Err(e) => {
                self.pending = Some(e);
                return Err(Failure::Pending);
            }
        };
        if self.keys.len() == MAX_MEMBERS {
            return Err(de::Error::custom("an object with too many members"));
        }
        if self.keys.contains(&key) {
            return Err(de::Error::custom("duplicate key"));
        }
        self.keys.push(key);
        Ok(self.keys.last())
    }

    fn value(&mut self, seed: &mut dyn Seed<'de>, depth: usize, trail: &mut Vec<Segment<'de>>) -> Result<(), Failure> {
        match self.map.next_value_seed(SeedBridge { seed, depth, trail: &mut *trail }) {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Some(key) = self.keys.last() {
                    trail.push(Segment::Key(key.clone()));
                }
                self.pending = Some(e);
                Err(Failure::Pending)
            }
        }
    }
}

/// An object key, borrowed from the text unless it had escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// serde_json's answer to [`RAW_VALUE`]: the text of the value, under a key that names it.
struct RawText;

impl<'de> Visitor<'de> for RawText {
    type Value = &'de str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value's text")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<&'de str, A::Error> {
        map.next_key::<de::IgnoredAny>()?;
        map.next_value()
    }
}
