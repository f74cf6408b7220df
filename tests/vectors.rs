//! Runs the known-answer vectors of `tests/vectors/*.json` against the Rust API.
//!
//! The same files drive the JS suite (`tests/js/suite.mjs`): each case names a JS API function, its `args`, and
//! either the `expected` result (the JSON shape JS returns) or the `error` code. Cases marked `"layers": ["js"]`
//! test what only JavaScript can express (wrong JS types, byte bodies) and are skipped here.
//!
//! The format, per file `{source, function?, setup?, cases: [...]}` and per case
//! `{id, comment?, function?, setup?, args, expected | notExpected | error, errorContext?, layers?}`:
//! - `function` (the case's, else the file's) is a package export, `signV2`, or a method of the object an export
//!   returns, `createVerifier().verifyResponse`: the export is called with `setup` (the case's, else the
//!   file's; an argument list), then the method with `args`;
//! - argument helpers: `{"$file": name}` the text of a file in tests/vectors, `{"$bytes": s}` the UTF-8 bytes of
//!   `s` (a Uint8Array in JS), `{"$concat": [...]}`, `{"$repeat": [s, n]}`, and `{"$returns": v}` a function
//!   returning `v` (e.g. a verifier's clock, `now`);
//! - `errorContext`: properties the error must carry (`field`, `header`, `serial`, …).
//!
//! Here API v3's RSA runs on the pure-Rust `rsa` feature; in JS, on the host's crypto.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use wechatpay_wasm::client::bill::{BillKind, parse_bill};
use wechatpay_wasm::payment::{PaymentInput, request_payment_v2};
use wechatpay_wasm::v2::{self, Algorithms, ApiKey, Merchant, SignType};
use wechatpay_wasm::xml::{self, XmlValue};
use wechatpay_wasm::{Error, login};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");

/// Expands the argument helpers: `{"$concat": [...]}`, `{"$repeat": [s, n]}`, `{"$file": name}`, `{"$bytes": s}`.
fn expand(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.len() == 1 => {
            let (k, arg) = o.iter().next().unwrap();
            match k.as_str() {
                "$concat" => Value::String(arg.as_array().unwrap().iter().map(|p| text(&expand(p))).collect()),
                "$repeat" => Value::String(arg[0].as_str().unwrap().repeat(arg[1].as_u64().unwrap() as usize)),
                "$file" => Value::String(fs::read_to_string(Path::new(DIR).join(arg.as_str().unwrap())).unwrap()),
                "$bytes" | "$returns" => expand(arg),
                _ => Value::Object(o.iter().map(|(k, v)| (k.clone(), expand(v))).collect()),
            }
        }
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), expand(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(expand).collect()),
        other => other.clone(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not text: {other}"),
    }
}

/// A JS params object as (name, value) pairs; numbers keep their kind for XML.
fn params(v: &Value) -> Vec<(String, Value)> {
    v.as_object().unwrap().iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn with_pairs<T>(v: &Value, f: impl FnOnce(&[(&str, &str)]) -> T) -> T {
    let owned: Vec<(String, String)> = params(v).into_iter().map(|(k, v)| (k, text(&v))).collect();
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    f(&pairs)
}

fn with_xml_values<T>(v: &Value, f: impl FnOnce(&[(&str, XmlValue<'_>)]) -> T) -> T {
    let owned: Vec<(String, String, bool)> = params(v).into_iter().map(|(k, v)| (k, text(&v), v.is_number())).collect();
    let values: Vec<(&str, XmlValue<'_>)> =
        owned.iter().map(|(k, v, n)| (k.as_str(), if *n { XmlValue::Number(v) } else { XmlValue::Text(v) })).collect();
    f(&values)
}

fn opt<'a>(o: &'a Value, name: &str) -> Option<&'a str> {
    o.get(name).and_then(Value::as_str)
}

/// The `wx.requestPayment` inputs of a case's options, v2 and v3 alike.
fn payment(a: &Value) -> PaymentInput<'_> {
    PaymentInput {
        app_id: opt(a, "appId").unwrap_or_default(),
        prepay_id: opt(a, "prepayId").unwrap_or_default(),
        time_stamp: opt(a, "timeStamp").unwrap_or_default(),
        nonce_str: opt(a, "nonceStr").unwrap_or_default(),
    }
}

fn key(o: &Value) -> Result<ApiKey, Error> {
    ApiKey::new(opt(o, "key").unwrap_or_default())
}

fn merchant(o: &Value) -> Merchant<'_> {
    Merchant { appid: opt(o, "appId"), mch_id: opt(o, "mchId") }
}

fn sign_type(o: &Value) -> Result<SignType, Error> {
    opt(o, "signType").map_or(Ok(SignType::Md5), SignType::parse)
}

/// A result as the JS package returns it: its serialization.
fn js<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// The `algorithms` option: every algorithm when absent.
fn algorithms(o: &Value) -> Result<Algorithms, Error> {
    match o.get("algorithms").and_then(Value::as_array) {
        None => Ok(Algorithms::ANY),
        Some(names) => Algorithms::parse(names.iter().map(|n| n.as_str().unwrap())),
    }
}

/// Calls the Rust equivalent of the JS function `name`; returns what JS would return, as JSON.
fn call(name: &str, args: &[Value], setup: &[Value]) -> Result<Value, Error> {
    #[cfg(feature = "rsa")]
    if let Some(result) = v3::call(name, args, setup) {
        return result;
    }
    let _ = setup;
    let a0 = args.first().cloned().unwrap_or(Value::Null);
    let o = args.get(1).cloned().unwrap_or(json!({}));
    Ok(match name {
        "signV2" => with_pairs(&a0, |p| {
            let key = key(&o)?;
            let t = v2::resolve_sign_type(opt(&o, "signType"), p)?;
            v2::sign(p, &key, t).map(|s| json!(s.as_str()))
        })?,
        "verifyV2" => with_pairs(&a0, |p| v2::verify(p, &key(&o)?, algorithms(&o)?)).map(|_| a0.clone())?,
        "toXml" => with_xml_values(&a0, |f| xml::build("xml", f.iter().copied())).map(Value::String)?,
        "parseXml" => js(xml::parse(&text(&a0))?.fields),
        "buildUnifiedOrder" => with_xml_values(&a0, |f| {
            v2::build_unified_order(f, &key(&o)?, sign_type(&o)?, opt(&o, "nonceStr").unwrap_or("x"))
        })
        .map(Value::String)?,
        "parseUnifiedOrderResponse" => {
            js(v2::parse_unified_order_response(&text(&a0), &key(&o)?, merchant(&o), algorithms(&o)?)?)
        }
        "parseV2Notification" => js(v2::parse_notification(&text(&a0), &key(&o)?, merchant(&o), algorithms(&o)?)?),
        "v2NotificationReply" => {
            json!(v2::notification_reply(a0.as_bool().unwrap(), args.get(1).and_then(Value::as_str))?)
        }
        "decryptV2RefundNotification" => js(v2::decrypt_refund_notification(&text(&a0), &key(&o)?, merchant(&o))?),
        "requestPaymentV2" => js(request_payment_v2(payment(&a0), &key(&a0)?, sign_type(&a0)?)?),
        "code2SessionUrl" => json!(login::code2session_url(
            opt(&a0, "baseUrl"),
            opt(&a0, "appId").unwrap_or_default(),
            opt(&a0, "secret").unwrap_or_default(),
            opt(&a0, "code").unwrap_or_default(),
        )?),
        "parseCode2Session" => js(login::parse_code2session(text(&a0).as_bytes())?),
        "parseTradeBill" => serde_json::to_value(parse_bill(BillKind::Trade, &text(&a0))?).unwrap(),
        "parseFundFlowBill" => serde_json::to_value(parse_bill(BillKind::FundFlow, &text(&a0))?).unwrap(),
        "decryptMiniProgramData" => serde_json::from_str(&wechatpay_wasm::miniprogram::decrypt_open_data(
            opt(&a0, "encryptedData").unwrap_or_default(),
            opt(&a0, "iv").unwrap_or_default(),
            opt(&a0, "sessionKey").unwrap_or_default(),
            opt(&a0, "appId").unwrap_or_default(),
        )?)
        .unwrap(),
        other => panic!("no Rust mapping for {other}"),
    })
}

fn context_json(e: &Error) -> Value {
    serde_json::to_value(e.context()).unwrap()
}

fn run_file(file: &str) {
    let doc: Value = serde_json::from_str(&fs::read_to_string(Path::new(DIR).join(file)).unwrap()).unwrap();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let layers = case.get("layers").and_then(Value::as_array);
        if layers.is_some_and(|l| !l.iter().any(|x| x == "rust")) {
            continue;
        }
        let function = case.get("function").or(doc.get("function")).and_then(Value::as_str).unwrap();
        let args: Vec<Value> = case["args"].as_array().unwrap().iter().map(expand).collect();
        let setup = case.get("setup").or(doc.get("setup")).and_then(Value::as_array);
        let setup: Vec<Value> = setup.map(|s| s.iter().map(expand).collect()).unwrap_or_default();
        let result = call(function, &args, &setup);
        match (case.get("expected"), case.get("notExpected"), case.get("error")) {
            (Some(expected), _, _) => assert_eq!(result.as_ref().ok(), Some(expected), "{file} {id}: {result:?}"),
            (_, Some(not), _) => assert_ne!(result.as_ref().ok(), Some(not), "{file} {id}"),
            (_, _, Some(code)) => {
                let e = result.expect_err(&format!("{file} {id}: expected {code}"));
                assert_eq!(e.code(), code, "{file} {id}: {e}");
                if let Some(ctx) = case.get("errorContext") {
                    let got = context_json(&e);
                    for (k, v) in ctx.as_object().unwrap() {
                        assert_eq!(got.get(k), Some(v), "{file} {id}: context {k}");
                    }
                }
            }
            _ => panic!("{file} {id}: no expectation"),
        }
        ran += 1;
    }
    assert!(ran > 0, "{file}: no case ran");
}

#[test]
fn v2_sign() {
    run_file("v2_sign.json");
}

#[test]
fn v2_verify() {
    run_file("v2_verify.json");
}

#[test]
fn v2_xml() {
    run_file("v2_xml.json");
}

#[test]
fn v2_unified_order() {
    run_file("v2_unified_order.json");
}

#[test]
fn v2_notification() {
    run_file("v2_notification.json");
}

#[test]
fn v2_refund() {
    run_file("v2_refund.json");
}

#[test]
fn v2_request_payment() {
    run_file("v2_request_payment.json");
}

#[test]
fn login() {
    run_file("login.json");
}

#[test]
fn bill() {
    run_file("bill.json");
}

#[test]
fn miniprogram() {
    run_file("miniprogram.json");
}

#[cfg(feature = "rsa")]
mod v3 {
    //! API v3, composed as the JS facade composes the core, with the pure-Rust RSA in the host's place.
    use serde_json::{Value, json};
    use wechatpay_wasm::Error;
    use wechatpay_wasm::payment::request_payment_v3_message;
    use wechatpay_wasm::v3::{self, ApiV3Key, EncryptedResource, Freshness, PrivateKey, PublicKey, Signer};

    use super::{js, opt, payment, text};

    fn signer(setup: &[Value]) -> Result<(Signer, PrivateKey), Error> {
        let o = &setup[0];
        let signer = Signer::new(opt(o, "mchid").unwrap_or_default(), opt(o, "serialNo").unwrap_or_default())?;
        Ok((signer, PrivateKey::from_pem(opt(o, "privateKey").unwrap_or_default())?))
    }

    fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, Error> {
        key.sign(message, getrandom::fill)
    }

    /// The verifier's keys in order, its clock and tolerance.
    fn verifier(setup: &[Value]) -> Result<(Vec<(String, PublicKey)>, Freshness), Error> {
        let o = &setup[0];
        let keys = o["keys"].as_object().unwrap();
        let keys = keys.iter().map(|(s, pem)| Ok((s.clone(), PublicKey::configured(s, pem.as_str().unwrap())?)));
        let max_skew = o.get("maxSkewSeconds").and_then(Value::as_u64).map_or(300, |n| n as u32);
        let now = o.get("now").and_then(Value::as_i64).unwrap_or(0);
        Ok((keys.collect::<Result<_, Error>>()?, Freshness { now, max_skew }))
    }

    fn find<'k>(keys: &'k [(String, PublicKey)]) -> impl Fn(&str) -> Option<usize> + 'k {
        |serial| v3::find_serial(keys.iter().map(|(s, _)| s.as_str()), serial)
    }

    /// A header, case-insensitively, from a JSON record.
    fn header<'h>(headers: &'h Value, name: &str) -> Option<&'h str> {
        let headers = headers.as_object()?;
        headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
    }

    fn wechatpay_headers(h: &Value) -> v3::WechatpayHeaders<'_> {
        v3::WechatpayHeaders {
            timestamp: header(h, "Wechatpay-Timestamp"),
            nonce: header(h, "Wechatpay-Nonce"),
            signature: header(h, "Wechatpay-Signature"),
            serial: header(h, "Wechatpay-Serial"),
            signature_type: header(h, "Wechatpay-Signature-Type"),
            request_id: header(h, "Request-ID"),
        }
    }

    fn resource(r: &Value) -> EncryptedResource {
        let s = |name| opt(r, name).unwrap_or_default().to_owned();
        EncryptedResource {
            algorithm: s("algorithm"),
            ciphertext: s("ciphertext"),
            nonce: s("nonce"),
            associated_data: s("associated_data"),
            original_type: None,
        }
    }

    fn verified(key: &PublicKey, c: &v3::SignatureCheck) -> Result<(), Error> {
        c.conclude(key.verify(&c.message, &c.signature)?)
    }

    const NAMES: [&str; 15] = [
        "createSigner",
        "createSigner().appPayment",
        "createSigner().authorization",
        "createSigner().sign",
        "createSigner().requestPayment",
        "createSigner().responseHeaders",
        "createVerifier",
        "createVerifier().verifyResponse",
        "createVerifier().verifyNotification",
        "createVerifier().verifyRequest",
        "createVerifier().verifyRequestPayment",
        "decryptResource",
        "encryptResource",
        "decryptCertificates",
        "encryptSensitive",
    ];

    /// The v3 functions and methods; `None` for other names.
    pub(super) fn call(name: &str, args: &[Value], setup: &[Value]) -> Option<Result<Value, Error>> {
        NAMES.contains(&name).then(|| run(name, args, setup))
    }

    fn run(name: &str, args: &[Value], setup: &[Value]) -> Result<Value, Error> {
        let a = args.first().cloned().unwrap_or(Value::Null);
        let s = |k: &str| opt(&a, k).unwrap_or_default();
        let api_v3_key = |v: &Value| ApiV3Key::new(v.as_str().unwrap());
        Ok(match name {
            "createSigner" => signer(args).map(|_| Value::Null)?,
            "createSigner().authorization" => {
                let (signer, key) = signer(setup)?;
                let message =
                    v3::request_message(s("method"), s("url"), s("timestamp"), s("nonceStr"), s("body").as_bytes())?;
                json!(signer.authorization(s("nonceStr"), s("timestamp"), &sign(&key, &message)?)?)
            }
            "createSigner().appPayment" => {
                let key = signer(setup)?.1;
                let message = wechatpay_wasm::client::v3::app_payment_message(payment(&a))?;
                let params =
                    wechatpay_wasm::client::v3::app_payment(payment(&a), s("partnerId"), &sign(&key, &message)?)?;
                serde_json::to_value(params).unwrap()
            }
            "createSigner().sign" => json!(v3::base64(&sign(&signer(setup)?.1, text(&a).as_bytes())?)),
            "createSigner().requestPayment" => {
                let key = signer(setup)?.1;
                let (message, _) = request_payment_v3_message(payment(&a))?;
                js(v3::request_payment(payment(&a), &sign(&key, message.as_bytes())?)?)
            }
            "createSigner().responseHeaders" => {
                let (signer, key) = signer(setup)?;
                let message = v3::response_message(s("timestamp"), s("nonce"), s("body").as_bytes())?;
                js(signer.response_headers(s("timestamp"), s("nonce"), &sign(&key, &message)?)?)
            }
            "createVerifier" => verifier(args).map(|_| Value::Null)?,
            "createVerifier().verifyResponse" => {
                let (keys, freshness) = verifier(setup)?;
                let status = a["status"].as_u64().unwrap() as u16;
                let headers = wechatpay_headers(&a["headers"]);
                let (response, check) =
                    v3::check_response(status, &headers, s("body").as_bytes(), freshness, find(&keys))?;
                if let Some(c) = check {
                    verified(&keys[c.key].1, &c)?;
                }
                js(response)
            }
            "createVerifier().verifyNotification" => {
                let (keys, freshness) = verifier(setup)?;
                let body = s("body").as_bytes();
                let c = v3::check_notification(&wechatpay_headers(&a["headers"]), body, freshness, find(&keys))?;
                verified(&keys[c.key].1, &c)?;
                js(v3::open_notification(body, &api_v3_key(&args[1]["apiV3Key"])?)?)
            }
            "createVerifier().verifyRequest" => {
                let (keys, freshness) = verifier(setup)?;
                let authorization = header(&a["headers"], "Authorization");
                let body = s("body").as_bytes();
                let (auth, c) = v3::check_request(s("method"), s("url"), authorization, body, freshness, find(&keys))?;
                verified(&keys[c.key].1, &c)?;
                js(auth)
            }
            "createVerifier().verifyRequestPayment" => {
                let (keys, _) = verifier(setup)?;
                let o = &args[1];
                let params = v3::RequestPaymentParams {
                    time_stamp: s("timeStamp"),
                    nonce_str: s("nonceStr"),
                    package: s("package"),
                    sign_type: s("signType"),
                    pay_sign: s("paySign"),
                };
                let (app_id, serial) = (opt(o, "appId").unwrap_or_default(), opt(o, "serialNo").unwrap_or_default());
                let (payment, c) = v3::check_request_payment(app_id, params, serial, find(&keys))?;
                verified(&keys[c.key].1, &c)?;
                js(payment)
            }
            "decryptResource" => js(v3::decrypt_resource(&resource(&a), &api_v3_key(&args[1])?)?),
            "encryptResource" => {
                let o = &args[2];
                let (nonce, aad) = (opt(o, "nonce").unwrap_or_default(), opt(o, "associatedData").unwrap_or_default());
                js(v3::encrypt_resource(text(&a).as_bytes(), &api_v3_key(&args[1])?, nonce, aad)?)
            }
            "decryptCertificates" => js(v3::decrypt_certificates(text(&a).as_bytes(), &api_v3_key(&args[1])?)?),
            "encryptSensitive" => {
                PublicKey::from_pem(&text(&args[1]))?.check_oaep_sha1_plaintext(text(&a).len())?;
                Value::Null
            }
            other => panic!("no Rust mapping for {other}"),
        })
    }
}

#[cfg(feature = "rsa")]
#[test]
fn v3_request_sign() {
    run_file("v3_request_sign.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_request_payment() {
    run_file("v3_request_payment.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_app_payment() {
    run_file("v3_app_payment.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_response_verify() {
    run_file("v3_response_verify.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_notification() {
    run_file("v3_notification.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_request_verify() {
    run_file("v3_request_verify.json");
}

#[cfg(feature = "rsa")]
#[test]
fn v3_sensitive() {
    run_file("v3_sensitive.json");
}

#[cfg(feature = "rsa")]
#[test]
fn aes_gcm() {
    run_file("aes_gcm.json");
}

#[test]
fn error_codes_are_pinned() {
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(Path::new(DIR).join("error_codes.json")).unwrap()).unwrap();
    let pinned: Vec<&str> = doc["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let actual: Vec<&str> = wechatpay_wasm::error::CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(actual, pinned, "renaming or removing an error code is a breaking change");
}
