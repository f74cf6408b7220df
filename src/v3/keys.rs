//! RSA keys in PEM: the merchant private key, WeChat Pay public keys and platform certificates.
//!
//! Sources: "签名生成" (pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_0.shtml): requests are
//! signed with the merchant API private key `apiclient_key.pem`, PKCS#8, RSA 2048; "如何使用微信支付公钥验签"
//! (pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html): a `PUBLIC KEY`
//! named by its `PUB_KEY_ID_…`; "如何使用平台证书验签名" (pay.weixin.qq.com/doc/v3/partner/4013059030): an X.509
//! certificate named by its serial number in upper-case hex. Encodings: RFC 8017 A.1 (PKCS#1), RFC 5208
//! (PKCS#8), RFC 5280 (SPKI, X.509).
//!
//! Keys come out normalised for the host's crypto: WebCrypto imports only PKCS#8 and SPKI, so every key is
//! re-wrapped around its PKCS#1 form with the canonical `rsaEncryption` identifier.

use der::asn1::{BitStringRef, OctetStringRef, UintRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber};
use pkcs1::{RsaPrivateKeyRef, RsaPublicKeyRef};
use pkcs8::PrivateKeyInfoRef;
use spki::SubjectPublicKeyInfoRef;
use zeroize::Zeroizing;

use super::pem;
use crate::error::{Error, Result};

/// Smallest RSA modulus accepted, in bits: WeChat Pay's keys are RSA 2048 ("SHA256-RSA2048").
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (bounds the cost of one operation).
pub const MAX_RSA_BITS: usize = 4096;

/// The merchant API private key (`apiclient_key.pem`), RSA, as PKCS#8 DER. Its `Debug` shows no key material.
#[derive(Clone)]
pub struct PrivateKey {
    pkcs8: Zeroizing<Vec<u8>>,
    bits: usize,
    #[cfg(feature = "rsa")]
    pub(super) rsa: rsa::PrivateKey,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(RSA {} bits, …)", self.bits)
    }
}

const PRIVATE: &str = "the merchant private key";

impl PrivateKey {
    /// Reads a PKCS#8 (`PRIVATE KEY`, as in `apiclient_key.pem`) or PKCS#1 (`RSA PRIVATE KEY`) PEM.
    ///
    /// # Errors
    /// `ERR_INVALID_KEY`: not PEM, encrypted, a public key or certificate, not RSA, a multi-prime key, or a
    /// modulus outside 2048 to 4096 bits. The message never contains the key.
    pub fn from_pem(text: &str) -> Result<Self> {
        let block = pem::decode(text, PRIVATE)?;
        match block.label.as_str() {
            "PRIVATE KEY" => {
                let info = PrivateKeyInfoRef::from_der(&block.der).map_err(|_| malformed(PRIVATE, "PKCS#8"))?;
                check_rsa(info.algorithm.oid, PRIVATE)?;
                Self::from_pkcs1(info.private_key.as_bytes())
            }
            "RSA PRIVATE KEY" => Self::from_pkcs1(&block.der),
            "ENCRYPTED PRIVATE KEY" => Err(Error::key(
                "the merchant private key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)",
            )),
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => Err(Error::key(
                "this is a public key or certificate; signing needs the merchant private key (apiclient_key.pem)",
            )),
            _ => Err(Error::key("the merchant private key is a PEM PRIVATE KEY block (apiclient_key.pem)")),
        }
    }

    fn from_pkcs1(der: &[u8]) -> Result<Self> {
        let key = RsaPrivateKeyRef::from_der(der).map_err(|_| malformed(PRIVATE, "PKCS#1"))?;
        if key.other_prime_infos.is_some() {
            return Err(Error::key("the merchant private key is a multi-prime RSA key, which WebCrypto refuses"));
        }
        let bits = check_bits(key.modulus, PRIVATE)?;
        let octets = OctetStringRef::new(der).map_err(|_| malformed(PRIVATE, "PKCS#1"))?;
        let pkcs8 = PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, octets)
            .to_der()
            .map(Zeroizing::new)
            .map_err(|_| malformed(PRIVATE, "PKCS#1"))?;
        #[cfg(feature = "rsa")]
        let rsa = {
            use rsa::pkcs1::DecodeRsaPrivateKey;
            rsa::PrivateKey::from_pkcs1_der(der).map_err(|_| malformed(PRIVATE, "RSA"))?
        };
        Ok(PrivateKey {
            pkcs8,
            bits,
            #[cfg(feature = "rsa")]
            rsa,
        })
    }

    /// The key as PKCS#8 DER, what `crypto.subtle.importKey('pkcs8', …)` and node:crypto take.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }
}

/// An RSA public key: WeChat Pay's (`PUB_KEY_ID_…`), a platform certificate's, or a merchant certificate's.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    spki: Vec<u8>,
    bits: usize,
    serial: Option<String>,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey(RSA {} bits, certificate serial {:?})", self.bits, self.serial)
    }
}

const PUBLIC: &str = "the public key";

impl PublicKey {
    /// Reads a `PUBLIC KEY` (SPKI, as WeChat Pay's public key is published), an `RSA PUBLIC KEY` (PKCS#1) or a
    /// `CERTIFICATE` (X.509: the key and the serial number).
    ///
    /// # Errors
    /// `ERR_INVALID_KEY`: not PEM, a private key, not RSA, or a modulus outside 2048 to 4096 bits.
    pub fn from_pem(text: &str) -> Result<Self> {
        let block = pem::decode(text, PUBLIC)?;
        match block.label.as_str() {
            "PUBLIC KEY" => Self::from_spki(&block.der, None),
            "RSA PUBLIC KEY" => Self::from_pkcs1(&block.der, None),
            "CERTIFICATE" => {
                let (serial, spki) = certificate_parts(&block.der)?;
                Self::from_spki(spki, Some(serial))
            }
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => Err(Error::key(
                "this is a private key, where WeChat Pay's public key (PUB_KEY_ID_…) or platform certificate \
                 belongs; keep private keys out of verifier configuration",
            )),
            _ => Err(Error::key("expected a PEM PUBLIC KEY or CERTIFICATE block")),
        }
    }

    fn from_spki(der: &[u8], serial: Option<String>) -> Result<Self> {
        let info = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| malformed(PUBLIC, "SPKI"))?;
        check_rsa(info.algorithm.oid, PUBLIC)?;
        let pkcs1 = info.subject_public_key.as_bytes().ok_or_else(|| malformed(PUBLIC, "SPKI"))?;
        Self::from_pkcs1(pkcs1, serial)
    }

    fn from_pkcs1(der: &[u8], serial: Option<String>) -> Result<Self> {
        let key = RsaPublicKeyRef::from_der(der).map_err(|_| malformed(PUBLIC, "PKCS#1"))?;
        let bits = check_bits(key.modulus, PUBLIC)?;
        let spki = SubjectPublicKeyInfoRef {
            algorithm: pkcs1::ALGORITHM_ID,
            subject_public_key: BitStringRef::from_bytes(der).map_err(|_| malformed(PUBLIC, "PKCS#1"))?,
        }
        .to_der()
        .map_err(|_| malformed(PUBLIC, "PKCS#1"))?;
        Ok(PublicKey { spki, bits, serial })
    }

    /// The key as SPKI DER, what `crypto.subtle.importKey('spki', …)` and node:crypto take.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The serial number in upper-case hex when the key came from a certificate (`openssl x509 -serial`).
    pub fn certificate_serial(&self) -> Option<&str> {
        self.serial.as_deref()
    }

    /// Checks that `len` bytes fit one RSA-OAEP (SHA-1) block of this key: sensitive fields are encrypted so
    /// (protocol.md §3.5), at most 214 bytes with RSA 2048.
    ///
    /// # Errors
    /// `ERR_INVALID_INPUT` naming `plaintext` when it is too long.
    pub fn check_oaep_sha1_plaintext(&self, len: usize) -> Result<()> {
        let max = (self.bits / 8).saturating_sub(2 * 20 + 2);
        if len <= max {
            Ok(())
        } else {
            Err(Error::input("plaintext", format!("RSA-OAEP with this key takes at most {max} bytes; got {len}")))
        }
    }

    /// Reads the key configured for `serial` in a verifier: checks the serial's shape and, for a certificate,
    /// that its serial is `serial` (ignoring case). Errors name the serial.
    ///
    /// # Errors
    /// `ERR_INVALID_KEY` as [`PublicKey::from_pem`], for a malformed serial, or a certificate of another serial.
    pub fn configured(serial: &str, pem: &str) -> Result<Self> {
        let named = |problem: &str| Error::key(format!("keys[\"{serial}\"]: {problem}"));
        if serial.is_empty() || serial.len() > 64 || !serial.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Error::key(
                "keys are named by Wechatpay-Serial: a platform certificate serial (hex) or PUB_KEY_ID_…",
            ));
        }
        let key = Self::from_pem(pem).map_err(|e| match e {
            Error::InvalidKey { problem } => named(&problem),
            other => other,
        })?;
        match key.certificate_serial() {
            Some(s) if !s.eq_ignore_ascii_case(serial) => Err(named(&format!("the certificate's serial is {s}"))),
            _ => Ok(key),
        }
    }
}

fn malformed(what: &str, format: &str) -> Error {
    Error::key(format!("{what} is not a valid {format} structure; is the PEM complete and unmodified?"))
}

fn check_rsa(oid: der::asn1::ObjectIdentifier, what: &str) -> Result<()> {
    if oid == pkcs1::ALGORITHM_OID {
        Ok(())
    } else {
        Err(Error::key(format!(
            "{what} is not an RSA key (algorithm {oid}); WeChat Pay API v3 keys are RSA 2048 (SM2 and EC keys \
             are not supported)"
        )))
    }
}

fn check_bits(modulus: UintRef<'_>, what: &str) -> Result<usize> {
    let bytes = modulus.as_bytes();
    let first = bytes.first().copied().unwrap_or(0);
    let bits = (bytes.len() * 8).saturating_sub(first.leading_zeros() as usize);
    if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        Ok(bits)
    } else {
        Err(Error::key(format!(
            "{what} is RSA {bits} bits; WeChat Pay needs {MIN_RSA_BITS} bits (at most {MAX_RSA_BITS} are accepted)"
        )))
    }
}

/// The serial number (upper-case hex) and the SPKI of an X.509 certificate (RFC 5280 §4.1):
/// `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
/// issuer, validity, subject, subjectPublicKeyInfo, … }, … }`. Nothing else of it is needed, so nothing else
/// is decoded.
fn certificate_parts(der: &[u8]) -> Result<(String, &[u8])> {
    const CERT: &str = "the certificate";
    let parts = |der| -> der::Result<(String, &[u8])> {
        let mut reader = SliceReader::new(der)?;
        let parts = reader.sequence(|cert| {
            let parts = cert.sequence(|tbs| {
                if Tag::peek(tbs)? == (Tag::ContextSpecific { constructed: true, number: TagNumber(0) }) {
                    tbs.tlv_bytes()?;
                }
                let serial = UintRef::decode(tbs)?;
                for _ in 0..4 {
                    tbs.tlv_bytes()?; // signature algorithm, issuer, validity, subject
                }
                let spki = tbs.tlv_bytes()?;
                tbs.drain(tbs.remaining_len())?; // unique ids, extensions
                Ok::<_, der::Error>((serial.as_bytes().iter().map(|b| format!("{b:02X}")).collect::<String>(), spki))
            })?;
            cert.drain(cert.remaining_len())?; // signature algorithm and value
            Ok::<_, der::Error>(parts)
        })?;
        reader.finish()?;
        Ok(parts)
    };
    let (serial, spki) = parts(der).map_err(|_| malformed(CERT, "X.509"))?;
    Ok((if serial.is_empty() { "00".to_owned() } else { serial }, spki))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE_PEM: &str = include_str!("../../tests/vectors/official_test_private_key.pem");
    const PUBLIC_PEM: &str = include_str!("../../tests/vectors/official_test_public_key.pem");

    #[test]
    fn official_key_pair_normalises_to_itself() {
        use sha2::{Digest, Sha256};
        let private = PrivateKey::from_pem(PRIVATE_PEM).unwrap();
        let public = PublicKey::from_pem(PUBLIC_PEM).unwrap();
        // the official key is already canonical PKCS#8: re-wrapping its PKCS#1 gives the same bytes
        assert_eq!(private.pkcs8_der(), pem::decode(PRIVATE_PEM, "key").unwrap().der.as_slice());
        let hex = |d: &[u8]| Sha256::digest(d).iter().map(|b| format!("{b:02x}")).collect::<String>();
        // protocol.md B3: SHA-256 of the SPKI DER
        assert_eq!(hex(public.spki_der()), "0076df9361cc1f5744359234d7df9fd43442cf369fb98826562f1d10a347ec5c");
        assert_eq!((private.bits(), public.bits()), (2048, 2048));
        assert!(!format!("{private:?}").contains("MII"));
    }

    #[test]
    fn wrong_kinds_are_named_without_echoing() {
        let e = PublicKey::from_pem(PRIVATE_PEM).unwrap_err();
        assert!(e.to_string().contains("private key") && !e.to_string().contains("MII"), "{e}");
        let e = PrivateKey::from_pem(PUBLIC_PEM).unwrap_err();
        assert!(e.to_string().contains("apiclient_key.pem"), "{e}");
    }
}
