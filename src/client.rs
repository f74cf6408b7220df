//! The client's protocol logic: what an answer of WeChat Pay must say before it is believed for the request
//! that got it, what an error answer means, bills, and the API v2 calls. The HTTP itself is the caller's (the
//! JavaScript client does it on the runtime's `fetch`); everything here is pure.
//!
//! An answer is believed only when it is signed (checked by [`crate::v3`] before anything here runs) *and*
//! about what was asked (read into typed views by [`crate::json`], strict: no duplicate keys, exact amounts): a genuine, correctly signed answer about another order, replayed or misrouted, is
//! refused with `ERR_ANSWER_MISMATCH` (another order, refund or amount) or `ERR_MERCHANT_MISMATCH` (another
//! merchant or app).
//!
//! - [`v3`]: error answers, prepay answers, transactions and refunds bound to their request.
//! - [`bill`]: trade and fund-flow bills: the apply answer, the file's digest, the CSV as typed rows.
//! - [`v2`]: API v2 orderquery, closeorder and refund: requests signed, answers verified and bound.

pub mod bill;
pub mod v2;
pub mod v3;

use crate::error::{Error, Result};

/// Compares what an answer echoes with what was asked: a missing field is malformed, a different one is about
/// something else.
pub(crate) fn echo(field: &'static str, expected: &str, actual: Option<&str>) -> Result<()> {
    match actual {
        None | Some("") => Err(Error::message_field(field, "missing: WeChat's answer always echoes it")),
        Some(a) if a == expected => Ok(()),
        Some(a) => {
            Err(Error::AnswerMismatch { field: field.into(), expected: expected.to_owned(), actual: a.to_owned() })
        }
    }
}

/// As [`echo`], for the merchant's own ids (`mchid`, `sp_mchid`, `sub_mchid`, `appid`): `ERR_MERCHANT_MISMATCH`.
pub(crate) fn echo_merchant(field: &'static str, expected: &str, actual: Option<&str>) -> Result<()> {
    match actual {
        None | Some("") => Err(Error::message_field(field, "missing: WeChat's answer always echoes it")),
        Some(a) if a == expected => Ok(()),
        Some(a) => {
            Err(Error::MerchantMismatch { field: field.into(), expected: expected.to_owned(), actual: a.to_owned() })
        }
    }
}

/// As [`echo`], for amounts in fen.
pub(crate) fn echo_amount(field: &'static str, expected: i64, actual: Option<i64>) -> Result<()> {
    match actual {
        None => Err(Error::message_field(field, "missing: WeChat's answer always echoes it")),
        Some(a) if a == expected => Ok(()),
        Some(a) => {
            Err(Error::AnswerMismatch { field: field.into(), expected: expected.to_string(), actual: a.to_string() })
        }
    }
}
