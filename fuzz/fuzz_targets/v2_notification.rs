//! API v2 message parsers (payment notification, unifiedorder response, sign verification): never panic, and
//! never accept a message whose signature the fuzzer could not have computed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechatpay_wasm::v2::{self, Algorithms, ApiKey, Merchant};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").expect("valid key");
    if let Ok(n) = v2::parse_notification(text, &key, Merchant::default(), Algorithms::ANY) {
        // only reachable with a correct signature: the fuzzer would have to invert MD5/HMAC
        panic!("accepted a notification: {n:?}");
    }
    let _ = v2::parse_unified_order_response(text, &key, Merchant { appid: Some("wx1"), mch_id: Some("1") }, Algorithms::ANY);
});
