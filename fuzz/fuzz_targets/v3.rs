//! API v3 input parsers: PEM/DER keys and certificates, the notification envelope (then AES-GCM), the
//! `Authorization` header, the response headers. Never panic; nothing verifies without a real signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechatpay_wasm::v3::{self, ApiV3Key, Freshness, PrivateKey, PublicKey, WechatpayHeaders};

const NOW: Freshness = Freshness { now: 1_554_208_460, max_skew: 300 };

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    match mode % 5 {
        0 => {
            let _ = PublicKey::configured("PUB_KEY_ID_0114232204102025021100381800000000", &text);
            let _ = PrivateKey::from_pem(&text);
        }
        1 => {
            // DER behind a valid PEM armour, so the fuzzer reaches the DER reader directly
            let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", v3::base64(rest));
            let _ = PublicKey::from_pem(&pem);
            let pem = pem.replace("PUBLIC KEY", "CERTIFICATE");
            let _ = PublicKey::from_pem(&pem);
            let pem = pem.replace("CERTIFICATE", "PRIVATE KEY");
            let _ = PrivateKey::from_pem(&pem);
        }
        2 => {
            let key = ApiV3Key::new("0123456789abcdef0123456789abcdef").expect("32 bytes");
            let _ = v3::open_notification(rest, &key);
            let _ = v3::decrypt_certificates(rest, &key);
        }
        3 => {
            let found = v3::check_request("POST", "/v3/pay/transactions/jsapi", Some(&text), b"{}", NOW, |_| Some(0));
            // a check is only ever the start: RSA must still accept the signature
            if let Ok((_, check)) = found {
                assert!(check.conclude(false).is_err());
            }
        }
        _ => {
            let mut parts = text.split('\n');
            let mut next = || parts.next();
            let headers = WechatpayHeaders {
                timestamp: next(),
                nonce: next(),
                signature: next(),
                serial: next(),
                signature_type: next(),
                request_id: next(),
            };
            let _ = v3::check_response(200, &headers, rest, NOW, |_| Some(0));
        }
    }
});
