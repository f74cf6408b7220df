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

use zeroize::Zeroizing;

use super::der::{self, BIT_STRING, INTEGER, NULL, OCTET_STRING, OID, Reader, SEQUENCE};
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
            "PRIVATE KEY" => Self::from_pkcs1(pkcs8_key(&block.der).map_err(|e| e.of(PRIVATE, "PKCS#8"))?),
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

    /// `RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dP, dQ, qInv, otherPrimeInfos OPTIONAL }`.
    fn from_pkcs1(pkcs1: &[u8]) -> Result<Self> {
        let fields = der::only(pkcs1, SEQUENCE).ok_or_else(|| malformed(PRIVATE, "PKCS#1"))?;
        let mut r = Reader::new(fields);
        match r.read(INTEGER) {
            Some([0]) => {}
            Some([1]) => {
                return Err(Error::key("the merchant private key is a multi-prime RSA key, which WebCrypto refuses"));
            }
            _ => return Err(malformed(PRIVATE, "PKCS#1")),
        }
        let modulus = r.read(INTEGER).ok_or_else(|| malformed(PRIVATE, "PKCS#1"))?;
        let exponent = r.read(INTEGER).ok_or_else(|| malformed(PRIVATE, "PKCS#1"))?;
        if (0..6).any(|_| r.read(INTEGER).and_then(der::unsigned).is_none()) || !r.is_empty() {
            return Err(malformed(PRIVATE, "PKCS#1"));
        }
        let bits = check_bits(modulus, PRIVATE)?;
        check_exponent(exponent, PRIVATE)?;
        #[cfg(feature = "rsa")]
        let rsa = {
            use rsa::pkcs1::DecodeRsaPrivateKey;
            rsa::PrivateKey::from_pkcs1_der(pkcs1).map_err(|_| malformed(PRIVATE, "RSA"))?
        };
        Ok(PrivateKey {
            pkcs8: Zeroizing::new(der::pkcs8(pkcs1)),
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

    fn from_spki(spki: &[u8], serial: Option<String>) -> Result<Self> {
        Self::from_pkcs1(spki_key(spki).map_err(|e| e.of(PUBLIC, "SPKI"))?, serial)
    }

    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
    fn from_pkcs1(pkcs1: &[u8], serial: Option<String>) -> Result<Self> {
        let fields = der::only(pkcs1, SEQUENCE).ok_or_else(|| malformed(PUBLIC, "PKCS#1"))?;
        let mut r = Reader::new(fields);
        let modulus = r.read(INTEGER).ok_or_else(|| malformed(PUBLIC, "PKCS#1"))?;
        let exponent = r.read(INTEGER).ok_or_else(|| malformed(PUBLIC, "PKCS#1"))?;
        if !r.is_empty() {
            return Err(malformed(PUBLIC, "PKCS#1"));
        }
        let bits = check_bits(modulus, PUBLIC)?;
        check_exponent(exponent, PUBLIC)?;
        Ok(PublicKey { spki: der::spki(pkcs1), bits, serial })
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
    /// ("敏感信息加解密", pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_3.shtml), at most 214
    /// bytes with RSA 2048.
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

/// Why a key wrapper was refused: not DER of the expected shape, or not an RSA key.
enum Refused {
    Malformed,
    NotRsa(&'static str),
}

impl Refused {
    fn of(self, what: &str, format: &str) -> Error {
        match self {
            Refused::Malformed => malformed(what, format),
            Refused::NotRsa(kind) => Error::key(format!(
                "{what} is {kind}, not an RSA key; WeChat Pay API v3 keys are RSA 2048 (SM2 and EC keys are not \
                 supported)"
            )),
        }
    }
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`: must be `rsaEncryption`,
/// with NULL or no parameters.
fn check_rsa_algorithm(r: &mut Reader<'_>) -> std::result::Result<(), Refused> {
    let mut alg = Reader::new(r.read(SEQUENCE).ok_or(Refused::Malformed)?);
    let oid = alg.read(OID).ok_or(Refused::Malformed)?;
    if oid != der::RSA_ENCRYPTION {
        return Err(Refused::NotRsa(match oid {
            [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => "an EC key",
            [0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d] => "an SM2 key",
            [0x2b, 0x65, 0x70] | [0x2b, 0x65, 0x71] => "an EdDSA key",
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a] => "an RSA-PSS key",
            _ => "another kind of key",
        }));
    }
    if !alg.is_empty() && (alg.read(NULL) != Some(&[]) || !alg.is_empty()) {
        return Err(Refused::Malformed);
    }
    Ok(())
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo { version, algorithm, OCTET STRING, [0] attributes
/// OPTIONAL, [1] publicKey OPTIONAL }` (RFC 5208, RFC 5958).
fn pkcs8_key(pkcs8: &[u8]) -> std::result::Result<&[u8], Refused> {
    let mut r = Reader::new(der::only(pkcs8, SEQUENCE).ok_or(Refused::Malformed)?);
    if !matches!(r.read(INTEGER), Some([0] | [1])) {
        return Err(Refused::Malformed);
    }
    check_rsa_algorithm(&mut r)?;
    let key = r.read(OCTET_STRING).ok_or(Refused::Malformed)?;
    for optional in [0xa0, 0x81] {
        if r.peek() == Some(optional) {
            r.any().ok_or(Refused::Malformed)?;
        }
    }
    if r.is_empty() { Ok(key) } else { Err(Refused::Malformed) }
}

/// The PKCS#1 key inside `SubjectPublicKeyInfo { algorithm, BIT STRING }` (RFC 5280 §4.1.2.7).
fn spki_key(spki: &[u8]) -> std::result::Result<&[u8], Refused> {
    let mut r = Reader::new(der::only(spki, SEQUENCE).ok_or(Refused::Malformed)?);
    check_rsa_algorithm(&mut r)?;
    match r.read(BIT_STRING) {
        Some([0, key @ ..]) if r.is_empty() => Ok(key),
        _ => Err(Refused::Malformed),
    }
}

/// The public exponent: odd, from 3 to 2^32 − 1 (WeChat's keys use 65537). A key outside that cannot be used by
/// every host: some refuse it, and with e = 1 node:crypto would "verify" by comparing padding, so it would turn
/// into signature mismatches. It is refused here, as a key error, before any host sees it.
fn check_exponent(exponent: &[u8], what: &str) -> Result<()> {
    let bytes = der::unsigned(exponent).ok_or_else(|| malformed(what, "RSA"))?;
    let value = (bytes.len() <= 4).then(|| bytes.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)));
    match value {
        Some(e) if e >= 3 && e % 2 == 1 => Ok(()),
        _ => Err(Error::key(format!(
            "{what} has an RSA public exponent no host can use (WeChat Pay's keys use 65537): is it really an RSA key \
             of WeChat Pay?"
        ))),
    }
}

fn check_bits(modulus: &[u8], what: &str) -> Result<usize> {
    let bytes = der::unsigned(modulus).ok_or_else(|| malformed(what, "RSA"))?;
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
/// issuer, validity, subject, subjectPublicKeyInfo, … }, signatureAlgorithm, signatureValue }`. Nothing else of
/// it is needed, so nothing else is decoded.
fn certificate_parts(certificate: &[u8]) -> Result<(String, &[u8])> {
    let parts = || -> Option<(String, &[u8])> {
        let mut cert = Reader::new(der::only(certificate, SEQUENCE)?);
        let mut tbs = Reader::new(cert.read(SEQUENCE)?);
        if tbs.peek() == Some(0xa0) {
            tbs.any()?; // [0] version
        }
        let serial = der::unsigned(tbs.read(INTEGER)?)?;
        for _ in 0..4 {
            tbs.read(SEQUENCE)?; // signature algorithm, issuer, validity, subject
        }
        let spki = tbs.read_whole(SEQUENCE)?;
        while !tbs.is_empty() {
            tbs.any()?; // unique ids, extensions
        }
        cert.read(SEQUENCE)?;
        cert.read(BIT_STRING)?;
        cert.is_empty().then(|| (serial.iter().map(|b| format!("{b:02X}")).collect(), spki))
    };
    parts().ok_or_else(|| malformed("the certificate", "X.509"))
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
        // SHA-256 of the official test public key's SPKI DER, computed with OpenSSL and Python `cryptography`
        assert_eq!(hex(public.spki_der()), "0076df9361cc1f5744359234d7df9fd43442cf369fb98826562f1d10a347ec5c");
        assert_eq!((private.bits(), public.bits()), (2048, 2048));
        assert!(!format!("{private:?}").contains("MII"));
    }

    #[test]
    fn truncated_or_flipped_der_is_an_error_never_a_panic() {
        let certificate = include_str!("../../tests/vectors/official_test_certificate.pem");
        for pem_text in [PRIVATE_PEM, PUBLIC_PEM, certificate] {
            let block = pem::decode(pem_text, "key").unwrap();
            for cut in 0..block.der.len() {
                let der = &block.der[..cut];
                assert!(pkcs8_key(der).is_err() && spki_key(der).is_err() && certificate_parts(der).is_err());
            }
            for at in 0..block.der.len() {
                let mut der = block.der.to_vec();
                der[at] ^= 0x80;
                let _ = (pkcs8_key(&der).is_ok(), spki_key(&der).is_ok(), certificate_parts(&der).is_ok());
            }
        }
    }

    #[test]
    fn certificate_serial_and_key() {
        let c = PublicKey::from_pem(include_str!("../../tests/vectors/official_test_certificate.pem")).unwrap();
        assert_eq!(c.certificate_serial(), Some("5F1C2B7A9E3D4C6B8A0F1E2D3C4B5A6978879605"));
        assert_eq!(c.spki_der(), PublicKey::from_pem(PUBLIC_PEM).unwrap().spki_der());
    }

    #[test]
    fn wrong_kinds_are_named_without_echoing() {
        let e = PublicKey::from_pem(PRIVATE_PEM).unwrap_err();
        assert!(e.to_string().contains("private key") && !e.to_string().contains("MII"), "{e}");
        let e = PrivateKey::from_pem(PUBLIC_PEM).unwrap_err();
        assert!(e.to_string().contains("apiclient_key.pem"), "{e}");
        let e = PrivateKey::from_pem(include_str!("../../tests/vectors/ec_test_private_key.pem")).unwrap_err();
        assert!(e.to_string().contains("an EC key"), "{e}");
    }
}
