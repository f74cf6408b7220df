//! Reading one PEM block (RFC 7468): lenient where users' files differ harmlessly, strict where it matters.
//!
//! Accepted: text before the block (openssl's `Bag Attributes`), CRLF, any line length, and the literal `\n`
//! sequences a PEM gets when it is pasted into an environment variable or a JSON string (a backslash is not
//! base64, so skipping them cannot change the key). Refused: no block, an `END` line that does not match,
//! encrypted keys, bad base64. Errors never contain any of the text.

use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The first PEM block of a text: its label and its DER bytes.
pub(crate) struct Pem {
    pub(crate) label: String,
    pub(crate) der: Zeroizing<Vec<u8>>,
}

/// Largest PEM text read: a 4096-bit private key is about 3.3 KB, a certificate chain a few KB.
const MAX_PEM_BYTES: usize = 64 * 1024;

/// Decodes the first PEM block of `text`; `what` names the expected content in errors.
pub(crate) fn decode(text: &str, what: &str) -> Result<Pem> {
    if text.len() > MAX_PEM_BYTES {
        return Err(Error::key(format!("{what}: the PEM text is larger than {MAX_PEM_BYTES} bytes")));
    }
    let no_block = || {
        Error::key(format!(
            "{what}: expected a PEM block (-----BEGIN …----- … -----END …-----), as in the file WeChat Pay \
             or openssl gave you"
        ))
    };
    let begin = text.find("-----BEGIN ").ok_or_else(no_block)?;
    let after_begin = text.get(begin + "-----BEGIN ".len()..).unwrap_or("");
    let label_len = after_begin.find("-----").ok_or_else(no_block)?;
    let label = after_begin.get(..label_len).unwrap_or("");
    if label.is_empty()
        || label.len() > 40
        || !label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
    {
        return Err(no_block());
    }
    let body_and_rest = after_begin.get(label_len + "-----".len()..).unwrap_or("");
    let end_line = format!("-----END {label}-----");
    let body_len = body_and_rest.find(&end_line).ok_or_else(|| {
        Error::key(format!("{what}: the PEM block has no matching -----END {label}----- line; is the text complete?"))
    })?;
    let body = body_and_rest.get(..body_len).unwrap_or("");
    if body.contains(':') {
        return Err(Error::key(format!(
            "{what}: the PEM block has headers (Proc-Type, DEK-Info): an encrypted key; decrypt it first \
             (openssl pkey -in key.pem -out plain.pem)"
        )));
    }
    let base64: Zeroizing<String> = Zeroizing::new(
        body.replace("\\n", "").replace("\\r", "").chars().filter(|c| !c.is_ascii_whitespace()).collect(),
    );
    let der = Base64::decode_vec(&base64)
        .map_err(|_| Error::key(format!("{what}: the PEM block is not valid base64; is the text complete?")))?;
    Ok(Pem { label: label.to_owned(), der: Zeroizing::new(der) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_where_harmless() {
        let pem = "Bag Attributes: x\r\n-----BEGIN PUBLIC KEY-----\\nAAEC\r\nAw==\n-----END PUBLIC KEY-----\n";
        let block = decode(pem, "key").unwrap();
        assert_eq!(block.label, "PUBLIC KEY");
        assert_eq!(block.der.as_slice(), &[0, 1, 2, 3]);
    }

    #[test]
    fn strict_where_it_matters() {
        for bad in [
            "",
            "MIIBIjAN",
            "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAA*C\n-----END PUBLIC KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAEC\n-----END RSA PRIVATE KEY-----",
        ] {
            assert_eq!(decode(bad, "key").err().map(|e| e.code()), Some("ERR_INVALID_KEY"), "{bad}");
        }
    }
}
