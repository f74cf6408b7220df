//! Differential test of API v3's RSA: on 1,000 random messages, the host path (the package's node:crypto and
//! WebCrypto modules, fed the PKCS#8 the core produced) and the pure-Rust path (`rsa` feature) give
//! byte-identical RSASSA-PKCS1-v1_5/SHA-256 signatures, and every signature verifies with node:crypto and with
//! `openssl dgst -sha256 -verify`.
//!
//! Needs `node` and `openssl` on PATH. Unoptimised, the pure-Rust RSA takes 27 ms a signature, so debug builds
//! skip this test; `tests/js/run.mjs` runs it with `--release` (about 5 s, most of it openssl).
#![cfg(feature = "rsa")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use base64ct::{Base64, Encoding};
use serde_json::{Value, json};
use wechatpay_wasm::v3::{PrivateKey, PublicKey};

const MESSAGES: usize = 1000;
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");

/// Deterministic messages of 0 to 2,047 random bytes (xorshift64*), so a failure is reproducible.
fn messages() -> Vec<Vec<u8>> {
    let mut x: u64 = 0x2026_1127_9e37_79b9;
    let mut next = move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    (0..MESSAGES).map(|_| (0..next() % 2048).map(|_| next() as u8).collect()).collect()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(DIR).join("vectors").join(name)).unwrap()
}

/// The host path: tests/js/differential.mjs signs with node:crypto and WebCrypto.
fn host_signatures(key: &PrivateKey, public: &PublicKey, messages: &[Vec<u8>]) -> Value {
    let input = json!({
        "pkcs8": Base64::encode_string(key.pkcs8_der()),
        "spki": Base64::encode_string(public.spki_der()),
        "messages": messages.iter().map(|m| Base64::encode_string(m)).collect::<Vec<_>>(),
    });
    let mut node = Command::new("node")
        .arg(Path::new(DIR).join("js/differential.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for the differential test");
    node.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = node.wait_with_output().unwrap();
    assert!(out.status.success(), "tests/js/differential.mjs failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `openssl dgst -sha256 -verify` of every signature, on every core.
fn openssl_verifies(messages: &[Vec<u8>], signatures: &[Vec<u8>]) {
    let dir = std::env::temp_dir().join(format!("wechatpay-differential-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let public = dir.join("public.pem");
    std::fs::write(&public, read("official_test_public_key.pem")).unwrap();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (dir, public) = (&dir, &public);
            scope.spawn(move || {
                for i in (t..messages.len()).step_by(threads) {
                    let (m, s) = (dir.join(format!("{i}.msg")), dir.join(format!("{i}.sig")));
                    std::fs::write(&m, &messages[i]).unwrap();
                    std::fs::write(&s, &signatures[i]).unwrap();
                    let out = Command::new("openssl")
                        .args(["dgst", "-sha256", "-verify"])
                        .arg(public)
                        .arg("-signature")
                        .arg(&s)
                        .arg(&m)
                        .output()
                        .expect("openssl is needed for the differential test");
                    assert!(out.status.success() && out.stdout.starts_with(b"Verified OK"), "openssl: message {i}");
                }
            });
        }
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "27 ms a pure-Rust signature unoptimised: tests/js/run.mjs runs it with --release"
)]
fn host_and_pure_rust_rsa_agree_and_openssl_verifies() {
    // PKCS#1 input, so the core's conversion to the PKCS#8 the host imports is on the path
    let key = PrivateKey::from_pem(&read("official_test_private_key_pkcs1.pem")).unwrap();
    let public = PublicKey::from_pem(&read("official_test_public_key.pem")).unwrap();
    let messages = messages();
    let rust: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let halves = messages
            .chunks(MESSAGES / 2)
            .map(|part| scope.spawn(|| part.iter().map(|m| key.sign(m, getrandom::fill).unwrap()).collect::<Vec<_>>()));
        halves.collect::<Vec<_>>().into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let host = host_signatures(&key, &public, &messages);
    assert_eq!(host["verified"], MESSAGES, "node:crypto.verify refused host signatures");
    for (name, signatures) in [("node:crypto", &host["node"]), ("WebCrypto", &host["webcrypto"])] {
        assert_eq!(signatures.as_array().unwrap().len(), MESSAGES, "{name}");
        for (i, (host, rust)) in signatures.as_array().unwrap().iter().zip(&rust).enumerate() {
            assert_eq!(
                host.as_str().unwrap(),
                Base64::encode_string(rust),
                "{name} and pure Rust differ on message {i}"
            );
        }
    }
    assert!(rust.iter().zip(&messages).all(|(s, m)| public.verify(m, s).unwrap()));
    openssl_verifies(&messages, &rust);
}
