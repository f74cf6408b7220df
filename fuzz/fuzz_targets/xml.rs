//! The flat XML reader: never panics; whatever it accepts, the writer writes back to the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechatpay_wasm::xml::{self, XmlValue};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = xml::parse(text) else { return };
    let written = xml::build(&doc.root, doc.fields.iter().map(|(k, v)| (k, XmlValue::Text(v))))
        .expect("parsed fields can be written");
    let again = xml::parse(&written).expect("written XML parses");
    assert_eq!(again, doc, "round trip changed the document");
});
