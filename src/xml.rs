//! The flat XML of WeChat Pay API v2: `<xml><field><![CDATA[value]]></field>…</xml>`.
//!
//! Source: "API v2 协议规则 / 数据格式" (pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=4_2) and the message
//! examples of every v2 page. The reader accepts exactly that shape: one root element whose children hold text
//! or CDATA. It refuses, with [`Error::MalformedXml`], everything a flat message never needs and an attacker
//! would: DOCTYPE and entity declarations (XXE, entity expansion), processing instructions, attributes, nested
//! elements, duplicate fields, input over [`MAX_XML_BYTES`] or with more than [`MAX_FIELDS`] fields.

use crate::error::{Error, Result};
use crate::fields::Fields;

/// Largest XML document accepted, in bytes. Real v2 messages are a few kilobytes.
pub const MAX_XML_BYTES: usize = 256 * 1024;
/// Most fields accepted in one document.
pub const MAX_FIELDS: usize = 512;
/// Longest element name accepted (WeChat's are under 32).
const MAX_NAME: usize = 64;

/// A parsed flat document: the root element's name and its fields in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The root element's name (`xml` for API messages, `root` for decrypted refund `req_info`).
    pub root: String,
    /// The child elements' names and text, in document order, without duplicates.
    pub fields: Fields,
}

/// A value to write: text goes into CDATA, a number is written bare, as WeChat's own examples do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlValue<'a> {
    /// Text, written as CDATA.
    Text(&'a str),
    /// A number already formatted (JS `String(n)`), written bare.
    Number(&'a str),
}

impl<'a> XmlValue<'a> {
    /// The value's text, whatever its kind.
    pub const fn text(&self) -> &'a str {
        match *self {
            XmlValue::Text(t) | XmlValue::Number(t) => t,
        }
    }
}

/// Parses a flat WeChat Pay XML document.
///
/// ```
/// let doc = wechatpay_wasm::xml::parse("<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee></xml>")?;
/// assert_eq!(doc.fields.get("total_fee"), Some("1"));
/// let xxe = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>";
/// assert_eq!(wechatpay_wasm::xml::parse(xxe).unwrap_err().code(), "ERR_MALFORMED_XML");
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// `ERR_MALFORMED_XML` for anything but a well-formed flat document within the limits above.
pub fn parse(xml: &str) -> Result<Document> {
    if xml.len() > MAX_XML_BYTES {
        return Err(Error::MalformedXml {
            problem: format!("the document is larger than {MAX_XML_BYTES} bytes").into(),
            offset: MAX_XML_BYTES,
        });
    }
    let mut p = Parser { s: xml, pos: 0 };
    p.prolog()?;
    let root = p.open_tag()?;
    let mut fields = Vec::new();
    let mut starts = Vec::new();
    if !root.empty {
        loop {
            p.skip_misc()?;
            if p.starts_with("</") {
                p.close_tag(root.name)?;
                break;
            }
            if !p.starts_with("<") {
                return Err(p.fail(if p.at_end() {
                    "the document ends before the root element is closed"
                } else {
                    "text directly inside the root element; every value must be inside a field element"
                }));
            }
            starts.push(p.pos);
            let tag = p.open_tag()?;
            let value = if tag.empty { String::new() } else { p.text_until_close(tag.name)? };
            if fields.len() == MAX_FIELDS {
                return Err(p.fail("more fields than allowed"));
            }
            fields.push((tag.name.to_owned(), value));
        }
    }
    p.skip_misc()?;
    if !p.at_end() {
        return Err(p.fail("content after the root element"));
    }
    let fields = Fields::from_unique(fields).map_err(|dup| Error::MalformedXml {
        problem: "a field appears twice; a message with duplicate fields is ambiguous".into(),
        offset: starts.get(dup).copied().unwrap_or(0),
    })?;
    Ok(Document { root: root.name.to_owned(), fields })
}

/// Writes `<root><k>…</k>…</root>` in the order given.
///
/// Text becomes CDATA (a `]]>` inside is split across two sections so it round-trips; a value holding a
/// carriage return is written as escaped text instead, because XML readers turn a CDATA `\r` into `\n`).
///
/// # Errors
/// `ERR_INVALID_INPUT` for a name that is not an XML name, a number that is not a number, or a value holding a
/// character XML 1.0 cannot carry (control characters other than tab, line feed and carriage return).
pub fn build<'a>(root: &str, fields: impl IntoIterator<Item = (&'a str, XmlValue<'a>)>) -> Result<String> {
    check_name(root)?;
    let mut out = String::with_capacity(256);
    out.push('<');
    out.push_str(root);
    out.push('>');
    for (name, value) in fields {
        check_name(name)?;
        out.push('<');
        out.push_str(name);
        out.push('>');
        match value {
            XmlValue::Number(n) => {
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) {
                    return Err(Error::input(name.to_owned(), "expected a number"));
                }
                out.push_str(n);
            }
            XmlValue::Text(t) => write_text(&mut out, name, t)?,
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
    out.push_str("</");
    out.push_str(root);
    out.push('>');
    Ok(out)
}

fn write_text(out: &mut String, name: &str, text: &str) -> Result<()> {
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(Error::input(name.to_owned(), format!("U+{:04X} cannot be carried in XML", u32::from(c))));
    }
    if text.contains('\r') {
        for c in text.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\r' => out.push_str("&#13;"),
                c => out.push(c),
            }
        }
        return Ok(());
    }
    out.push_str("<![CDATA[");
    out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
    out.push_str("]]>");
    Ok(())
}

/// The XML 1.0 `Char` production, minus nothing: what a document may contain at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Field names are ASCII XML names; WeChat's all are (`appid`, `coupon_fee_0`, …).
pub(crate) fn check_name(name: &str) -> Result<()> {
    let mut bytes = name.bytes();
    let ok = bytes.next().is_some_and(is_name_start) && bytes.all(is_name_byte) && name.len() <= MAX_NAME;
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            "field name",
            format!("\"{}\" is not a field name (ASCII letters, digits, _ - . ; at most 64)", truncate(name)),
        ))
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

struct Tag<'a> {
    name: &'a str,
    empty: bool,
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn starts_with(&self, p: &str) -> bool {
        self.rest().starts_with(p)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn fail(&self, problem: &'static str) -> Error {
        Error::MalformedXml { problem: problem.into(), offset: self.pos }
    }

    fn skip_ws(&mut self) {
        let n = self.rest().bytes().take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')).count();
        self.pos += n;
    }

    /// Advances past `end`, which must occur; returns the text before it.
    fn take_until(&mut self, end: &str, problem: &'static str) -> Result<&'a str> {
        let rest = self.rest();
        let i = rest.find(end).ok_or_else(|| self.fail(problem))?;
        self.pos += i + end.len();
        Ok(rest.get(..i).unwrap_or(""))
    }

    fn prolog(&mut self) -> Result<()> {
        if self.starts_with("\u{FEFF}") {
            self.pos += '\u{FEFF}'.len_utf8();
        }
        self.skip_ws();
        // the declaration is `<?xml` then whitespace; `<?xml-stylesheet …?>` is a processing instruction
        if ["<?xml ", "<?xml\t", "<?xml\n", "<?xml\r"].iter().any(|p| self.starts_with(p)) {
            self.pos += 5;
            let decl = self.take_until("?>", "unterminated XML declaration")?;
            if decl.contains('<') {
                return Err(self.fail("malformed XML declaration"));
            }
        }
        self.skip_misc()
    }

    /// Skips whitespace and comments; refuses DOCTYPE, entity declarations and processing instructions.
    fn skip_misc(&mut self) -> Result<()> {
        loop {
            self.skip_ws();
            if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<!") {
                return Err(self.fail("DOCTYPE and entity declarations are refused (XXE protection)"));
            } else if self.starts_with("<?") {
                return Err(self.fail("processing instructions are refused"));
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<()> {
        self.pos += 4;
        let body = self.take_until("-->", "unterminated comment")?;
        if body.contains("--") {
            return Err(self.fail("'--' inside a comment"));
        }
        Ok(())
    }

    fn name(&mut self) -> Result<&'a str> {
        let rest = self.rest();
        let n = rest.bytes().take_while(|&b| is_name_byte(b)).count();
        let name = rest.get(..n).unwrap_or("");
        if !name.bytes().next().is_some_and(is_name_start) || name.len() > MAX_NAME {
            return Err(self.fail("expected an element name (ASCII letters, digits, _ - . ; at most 64)"));
        }
        self.pos += n;
        Ok(name)
    }

    fn open_tag(&mut self) -> Result<Tag<'a>> {
        if !self.starts_with("<") {
            return Err(self.fail("expected an element"));
        }
        self.pos += 1;
        let name = self.name()?;
        self.skip_ws();
        if self.starts_with("/>") {
            self.pos += 2;
            Ok(Tag { name, empty: true })
        } else if self.starts_with(">") {
            self.pos += 1;
            Ok(Tag { name, empty: false })
        } else {
            Err(self.fail("attributes are not allowed, or the tag is not closed"))
        }
    }

    fn close_tag(&mut self, name: &str) -> Result<()> {
        self.pos += 2;
        let found = self.name()?;
        if found != name {
            return Err(self.fail("closing tag does not match the open element"));
        }
        self.skip_ws();
        if !self.starts_with(">") {
            return Err(self.fail("closing tag is not terminated"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads a field's content (text, CDATA, comments) up to its closing tag.
    fn text_until_close(&mut self, name: &str) -> Result<String> {
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let stop = rest.find(['<', '&']).ok_or_else(|| self.fail("the document ends inside an element"))?;
            let text = rest.get(..stop).unwrap_or("");
            if text.contains("]]>") {
                return Err(self.fail("']]>' outside a CDATA section"));
            }
            push_normalised(&mut out, text);
            self.pos += stop;
            if self.starts_with("&") {
                out.push(self.reference()?);
            } else if self.starts_with("<![CDATA[") {
                self.pos += 9;
                let cdata = self.take_until("]]>", "unterminated CDATA section")?;
                push_normalised(&mut out, cdata);
            } else if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("</") {
                self.close_tag(name)?;
                break;
            } else if self.starts_with("<!") || self.starts_with("<?") {
                return Err(self.fail("declarations and processing instructions are refused"));
            } else {
                return Err(self.fail("nested elements are not allowed: WeChat Pay XML is flat"));
            }
        }
        if out.chars().any(|c| !is_xml_char(c)) {
            return Err(self.fail("a character XML 1.0 does not allow"));
        }
        Ok(out)
    }

    /// An entity or character reference; only the five predefined entities and numeric references exist here.
    fn reference(&mut self) -> Result<char> {
        let body = self.take_until(";", "unterminated entity reference")?;
        let body = body.strip_prefix('&').unwrap_or(body);
        let c = match body {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ if body.len() <= 10 => {
                // digits only: Rust's integer parsing would also take a sign (`&#+60;`), XML does not
                let code =
                    if let Some(hex) = body.strip_prefix("#x").filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit())) {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = body.strip_prefix('#').filter(|d| d.bytes().all(|b| b.is_ascii_digit())) {
                        dec.parse::<u32>().ok()
                    } else {
                        None
                    };
                code.and_then(char::from_u32).filter(|&c| is_xml_char(c))
            }
            _ => None,
        };
        c.ok_or_else(|| self.fail("unknown entity; only &lt; &gt; &amp; &apos; &quot; and &#…; exist"))
    }
}

/// XML end-of-line handling: `\r\n` and a lone `\r` read as `\n` (XML 1.0 §2.11).
fn push_normalised(out: &mut String, text: &str) {
    if !text.contains('\r') {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(xml: &str) -> Vec<(String, String)> {
        parse(xml).unwrap().fields.into_vec()
    }

    #[test]
    fn reads_cdata_text_and_empty() {
        let f = fields(
            "<?xml version=\"1.0\"?>\n<xml>\n <a><![CDATA[x<y]]></a><b>1</b><c/><d></d><e>a&amp;b&#x4E2D;</e>\n</xml>",
        );
        assert_eq!(f[0], ("a".into(), "x<y".into()));
        assert_eq!(f[1], ("b".into(), "1".into()));
        assert_eq!(f[2], ("c".into(), "".into()));
        assert_eq!(f[3], ("d".into(), "".into()));
        assert_eq!(f[4], ("e".into(), "a&b中".into()));
    }

    #[test]
    fn refuses_what_flat_messages_never_need() {
        for bad in [
            "<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><a>&x;</a></xml>",
            "<xml><!ENTITY x \"y\"><a>1</a></xml>",
            "<xml><a>&x;</a></xml>",
            "<xml><a><b>1</b></a></xml>",
            "<xml><a x=\"1\">1</a></xml>",
            "<xml><a>1</a><a>2</a></xml>",
            "<xml><a>1</b></xml>",
            "<xml><a>1</a>",
            "<xml>text</xml>",
            "<xml></xml><xml></xml>",
            "<xml><a>]]></a></xml>",
            "<xml><?pi x?></xml>",
            "",
            "<",
            "<xml><a>&#0;</a></xml>",
            " <m:\n/>  ",
            "<xml><a>&#+60;</a></xml>",
            "<xml><a>&#x+3E;</a></xml>",
            "<?xml-stylesheet href=\"x\"?><xml/>",
            "<xml><a:b>1</a:b></xml>",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "ERR_MALFORMED_XML", "{bad}");
        }
    }

    #[test]
    fn offsets_are_bytes_of_the_input() {
        // 中 is three bytes (one UTF-16 unit): the second <a> starts at byte 15, not at character 13
        let offset = |xml: &str| match parse(xml).unwrap_err() {
            Error::MalformedXml { offset, .. } => offset,
            e => panic!("{e}"),
        };
        assert_eq!(offset("<xml><a>中</a><a>x</a></xml>"), 15);
        assert_eq!(offset("<xml><a>中</a><b x=\"1\">"), 18);
        assert_eq!(offset("<xml><b>中中</b><a>1</a><c/><a>2</a></xml>"), 30);
    }

    #[test]
    fn bounds_size_and_field_count() {
        let big = format!("<xml><a>{}</a></xml>", "x".repeat(MAX_XML_BYTES));
        assert_eq!(parse(&big).unwrap_err().code(), "ERR_MALFORMED_XML");
        let many: String = (0..=MAX_FIELDS).map(|i| format!("<f{i}>1</f{i}>")).collect();
        assert_eq!(parse(&format!("<xml>{many}</xml>")).unwrap_err().code(), "ERR_MALFORMED_XML");
    }

    #[test]
    fn round_trips_awkward_values() {
        for v in ["]]>", "a]]>b]]>", "<&>\"'", "line\r\nbreak\rx", "", " spaced ", "中文", "]]"] {
            let xml = build("xml", [("v", XmlValue::Text(v))]).unwrap();
            let got = fields(&xml);
            assert_eq!(got, vec![("v".to_owned(), v.to_owned())], "{xml}");
        }
    }

    #[test]
    fn builds_numbers_bare_and_refuses_bad_names() {
        let xml = build("xml", [("total_fee", XmlValue::Number("1")), ("body", XmlValue::Text("t"))]).unwrap();
        assert_eq!(xml, "<xml><total_fee>1</total_fee><body><![CDATA[t]]></body></xml>");
        assert!(build("xml", [("a b", XmlValue::Text("x"))]).is_err());
        assert!(build("xml", [("n", XmlValue::Number("1<"))]).is_err());
        assert!(build("xml", [("t", XmlValue::Text("\u{1}"))]).is_err());
    }
}
