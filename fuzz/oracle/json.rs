//! The oracle of the `json` fuzz target: the hand-written strict JSON reader the crate used before it read JSON
//! with serde_json (`src/json.rs`). It stays here only to be compared with its replacement: both must accept
//! the same documents, read the same values, and refuse the same ones.
//!
//! Numbers keep their source text. Duplicate object keys, lone surrogate escapes, nesting deeper than
//! [`MAX_DEPTH`], objects of more than [`MAX_MEMBERS`] members and input over [`MAX_JSON_BYTES`] are refused.
#![allow(dead_code)]

/// Why a document was refused, and where (a byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    MalformedJson { problem: std::borrow::Cow<'static, str>, offset: usize },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Largest JSON document accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 32;
/// Most members of one object: WeChat's have a few dozen, and duplicate keys are looked for in each.
pub const MAX_MEMBERS: usize = 256;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in order, keys unique.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is a number without fraction or exponent that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => n.parse().ok(),
            _ => None,
        }
    }
}

/// Parses a JSON document.
///
/// # Errors
/// `ERR_MALFORMED_JSON` with the byte offset of the first problem.
pub fn parse(text: &str) -> Result<Value> {
    if text.len() > MAX_JSON_BYTES {
        return Err(Error::MalformedJson { problem: "the document is too large".into(), offset: MAX_JSON_BYTES });
    }
    let mut p = Parser { b: text.as_bytes(), s: text, pos: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.b.len() {
        return Err(p.fail("content after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    b: &'a [u8],
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn fail(&self, problem: &'static str) -> Error {
        Error::MalformedJson { problem: problem.into(), offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> Result<()> {
        if self.b.get(self.pos..).is_some_and(|r| r.starts_with(lit.as_bytes())) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.fail("unexpected token"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.eat("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.eat("false").map(|()| Value::Bool(false)),
            Some(b'n') => self.eat("null").map(|()| Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("unexpected character")),
            None => Err(self.fail("unexpected end of input")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key_at = self.pos;
            let key = self.string()?;
            if members.len() == MAX_MEMBERS {
                return Err(Error::MalformedJson { problem: "an object with too many members".into(), offset: key_at });
            }
            if members.iter().any(|(k, _)| *k == key) {
                return Err(Error::MalformedJson { problem: "duplicate key".into(), offset: key_at });
            }
            self.ws();
            self.eat(":")?;
            self.ws();
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<Value> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let n = p.b.get(p.pos..).unwrap_or(&[]).iter().take_while(|b| b.is_ascii_digit()).count();
            p.pos += n;
            n
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 || (n > 1 && self.b.get(int_start) == Some(&b'0')) {
            return Err(self.fail("malformed number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.fail("malformed number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.fail("malformed number"));
            }
        }
        Ok(Value::Number(self.s.get(start..self.pos).unwrap_or("0").to_owned()))
    }

    fn hex4(&mut self) -> Result<u32> {
        let text = self.s.get(self.pos..self.pos + 4).ok_or_else(|| self.fail("bad \\u escape"))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.fail("bad \\u escape"));
        }
        self.pos += 4;
        u32::from_str_radix(text, 16).map_err(|_| self.fail("bad \\u escape"))
    }

    fn string(&mut self) -> Result<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.b.get(self.pos..).unwrap_or(&[]);
            let run = rest.iter().take_while(|&&b| b != b'"' && b != b'\\' && b >= 0x20).count();
            out.push_str(self.s.get(self.pos..self.pos + run).ok_or_else(|| self.fail("bad string"))?);
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.eat("\\u").map_err(|_| self.fail("lone surrogate escape"))?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.fail("lone surrogate escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).ok_or_else(|| self.fail("lone surrogate escape"))?);
                            continue;
                        }
                        _ => return Err(self.fail("bad escape")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.fail("control character in a string")),
                None => return Err(self.fail("unterminated string")),
            }
        }
    }
}

