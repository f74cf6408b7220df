//! The little DER (ITU-T X.690) RSA keys and certificates need: reading tag-length-value items, and writing the
//! two wrappers the host's crypto imports. Hand-written because the general decoders cost 40 KB of wasm for
//! what is read here; strict where a lax reading could change the meaning (definite, minimal lengths; items
//! inside their parent; nothing trailing).

/// Universal tags used here.
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const NULL: u8 = 0x05;
pub(super) const OID: u8 = 0x06;
pub(super) const SEQUENCE: u8 = 0x30;

/// `AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }`, as PKCS#8 and SPKI carry it.
const RSA_ALGORITHM: [u8; 15] =
    [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

/// The content octets of the `rsaEncryption` OID.
pub(super) const RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// A cursor over consecutive DER items.
pub(super) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(der: &'a [u8]) -> Self {
        Reader { rest: der }
    }

    /// The tag of the next item.
    pub(super) fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next item: its tag and its content.
    pub(super) fn any(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, after_tag) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // high tag numbers: never in keys or certificates
        }
        let (&first, after_len) = after_tag.split_first()?;
        let (len, after_len) = match first {
            0..=0x7f => (usize::from(first), after_len),
            0x81..=0x84 => {
                let n = usize::from(first & 0x7f);
                let bytes = after_len.get(..n)?;
                let len = bytes.iter().fold(0usize, |len, &b| (len << 8) | usize::from(b));
                // DER: the shortest form, so one length has one encoding
                if bytes.first() == Some(&0) || len < 0x80 {
                    return None;
                }
                (len, after_len.get(n..)?)
            }
            _ => return None, // indefinite (0x80) or absurd lengths
        };
        let content = after_len.get(..len)?;
        self.rest = after_len.get(len..)?;
        Some((tag, content))
    }

    /// The content of the next item, which must have tag `tag`.
    pub(super) fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.any().filter(|(t, _)| *t == tag).map(|(_, content)| content)
    }

    /// The next item whole (tag, length and content), which must have tag `tag`.
    pub(super) fn read_whole(&mut self, tag: u8) -> Option<&'a [u8]> {
        let before = self.rest;
        self.read(tag)?;
        before.get(..before.len() - self.rest.len())
    }

    /// Whether every item was read.
    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// The content of `der`, which must be exactly one item with tag `tag`.
pub(super) fn only(der: &[u8], tag: u8) -> Option<&[u8]> {
    let mut r = Reader::new(der);
    let content = r.read(tag)?;
    r.is_empty().then_some(content)
}

/// The magnitude of a non-negative INTEGER's content (its sign octet dropped), or `None` for a negative one.
pub(super) fn unsigned(integer: &[u8]) -> Option<&[u8]> {
    match integer {
        [] => None,
        [first, ..] if first & 0x80 != 0 => None,
        [0, rest @ ..] if !rest.is_empty() => Some(rest),
        _ => Some(integer),
    }
}

fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// PKCS#8 `PrivateKeyInfo { 0, rsaEncryption, OCTET STRING pkcs1 }` (RFC 5208).
pub(super) fn pkcs8(pkcs1: &[u8]) -> Vec<u8> {
    tlv(SEQUENCE, &[&[INTEGER, 1, 0], &RSA_ALGORITHM, &tlv(OCTET_STRING, &[pkcs1])])
}

/// `SubjectPublicKeyInfo { rsaEncryption, BIT STRING pkcs1 }` (RFC 5280 §4.1.2.7).
pub(super) fn spki(pkcs1: &[u8]) -> Vec<u8> {
    tlv(SEQUENCE, &[&RSA_ALGORITHM, &tlv(BIT_STRING, &[&[0], pkcs1])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_definite_minimal_and_inside() {
        assert_eq!(only(&[0x04, 0x02, 1, 2], OCTET_STRING), Some(&[1u8, 2][..]));
        for bad in [
            &[0x04, 0x03, 1, 2][..],   // longer than the input
            &[0x04, 0x81, 0x02, 1, 2], // long form for a short length
            &[0x04, 0x82, 0, 2, 1, 2], // leading zero in the length
            &[0x30, 0x80, 0, 0],       // indefinite
            &[0x04, 0x01, 1, 0],       // trailing
            &[0x1f, 0x01, 0x01, 0x00], // high tag number
        ] {
            assert_eq!(only(bad, bad[0]), None, "{bad:?}");
        }
        let long = vec![7u8; 300];
        assert_eq!(only(&tlv(OCTET_STRING, &[&long]), OCTET_STRING), Some(&long[..]));
    }

    #[test]
    fn integers_are_non_negative_magnitudes() {
        assert_eq!(unsigned(&[0x00, 0x80]), Some(&[0x80u8][..]));
        assert_eq!(unsigned(&[0x00]), Some(&[0u8][..]));
        assert_eq!(unsigned(&[0x80]), None);
        assert_eq!(unsigned(&[]), None);
    }
}
