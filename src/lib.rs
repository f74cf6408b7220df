// The crate README (also crates.io's page) is the crate's documentation, and its examples run as doc tests.
#![doc = include_str!("README.md")]
//!
//! ## Modules
//!
//! - [`v2`]: API v2 (XML, MD5/HMAC-SHA256): sign, verify, unifiedorder, notifications, refund `req_info`.
//! - [`v3`] (feature `v3`): API v3 (JSON, SHA256withRSA, AES-256-GCM): keys, request signing, response and
//!   notification verification, resources; the RSA operation itself is the caller's, or pure Rust with `rsa`.
//! - [`payment`]: `wx.requestPayment` parameters for v2 and v3.
//! - [`login`]: the `jscode2session` call.
//! - [`client`]: what the client believes of WeChat's answers (bound to their request), bills, API v2 calls.
//! - [`miniprogram`]: mini-program open data (`encryptedData`).
//! - [`xml`], [`json`]: the strict readers and writers the messages need.
// docs.rs (`--cfg docsrs`, Cargo.toml): items behind a feature say which one
#![cfg_attr(docsrs, feature(doc_cfg))]
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

/// The npm package's wasm-bindgen layer: feature `wasm` on `wasm32-unknown-unknown` (pkg/build.sh).
#[cfg(all(feature = "wasm", target_arch = "wasm32", target_os = "unknown"))]
mod wasm;

pub use error::{Error, Result};
