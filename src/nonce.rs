//! Nonces (`nonce_str`, `nonceStr`): ASCII letters and digits drawn from caller-supplied random bytes.
//!
//! The core has no RNG: the caller passes a CSPRNG fill function (the wasm binding passes `getrandom`, which
//! reaches `crypto.getRandomValues`).

use crate::error::{Error, Result};

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A nonce of `len` (1 to 32) characters from `[0-9A-Za-z]`, uniformly distributed (rejection sampling).
///
/// # Errors
/// `ERR_INVALID_INPUT` for a length outside 1..=32 (WeChat's limit); `ERR_UNSUPPORTED_RUNTIME` if `fill` fails.
pub fn nonce_str<E>(len: usize, mut fill: impl FnMut(&mut [u8]) -> std::result::Result<(), E>) -> Result<String> {
    if !(1..=32).contains(&len) {
        return Err(Error::input("length", "a nonce has 1 to 32 characters"));
    }
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 48];
    while out.len() < len {
        fill(&mut buf).map_err(|_| Error::UnsupportedRuntime {
            problem: "no secure random source (crypto.getRandomValues)".into(),
        })?;
        // 248 = 4 × 62: bytes at or above it would bias the first characters, so they are skipped.
        for &b in buf.iter().filter(|&&b| b < 248) {
            if out.len() == len {
                break;
            }
            out.push(char::from(ALPHABET.get(usize::from(b % 62)).copied().unwrap_or(b'0')));
        }
    }
    Ok(out)
}
