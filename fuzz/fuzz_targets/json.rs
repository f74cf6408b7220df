//! The JSON reader and the jscode2session parser: never panic; whatever is accepted is written back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechatpay_wasm::{json, login};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = json::parse(text) {
        let mut out = String::new();
        json::write_value(&mut out, &v);
        assert_eq!(json::parse(&out).expect("written JSON parses"), v);
    }
    let _ = login::parse_code2session(text);
});
