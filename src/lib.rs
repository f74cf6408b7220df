//! WeChat Pay (微信支付) signing and verification: a pure core, compiled to WebAssembly for JavaScript.
//!
//! The core has no clock, no RNG and no I/O: timestamps and nonces are arguments. Every function returns
//! [`Error`], whose [`Error::code`] is a stable `ERR_*` string; no input makes it panic.
//!
//! - [`v2`]: API v2 (XML, MD5/HMAC-SHA256): sign, verify, unifiedorder, notifications, refund `req_info`.
//! - [`v3`] (feature `v3`): API v3 (JSON, SHA256withRSA, AES-256-GCM): keys, request signing, response and
//!   notification verification, resources; the RSA operation itself is the caller's, or pure Rust with `rsa`.
//! - [`payment`]: `wx.requestPayment` parameters for v2 and v3.
//! - [`login`]: the `jscode2session` call.
//! - [`client`]: what the client believes of WeChat's answers (bound to their request), bills, API v2 calls.
//! - [`miniprogram`]: mini-program open data (`encryptedData`).
//! - [`xml`], [`json`]: the strict readers and writers the messages need.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod client;
pub mod error;
pub mod fields;
pub mod json;
pub mod login;
pub mod miniprogram;
pub mod nonce;
pub mod payment;
pub mod v2;
#[cfg(feature = "v3")]
pub mod v3;
pub mod xml;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod wasm;

pub use error::{Error, Result};
