//! The refund notification: the outer XML, and (encrypted with the right key, so the fuzzer reaches it) the
//! decrypted `<root>` plaintext. Never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechatpay_wasm::v2::{self, ApiKey, Merchant};

const API_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let key = ApiKey::new(API_KEY).expect("valid key");
    let Some((&mode, rest)) = data.split_first() else { return };
    let outer = if mode % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        text.to_owned()
    } else {
        format!(
            "<xml><return_code>SUCCESS</return_code><appid>wx1</appid><mch_id>1</mch_id><req_info>{}</req_info></xml>",
            v2::encrypt_req_info(rest, &key)
        )
    };
    let _ = v2::decrypt_refund_notification(&outer, &key, Merchant::default());
});
