//! API v2 signatures: MD5 or HMAC-SHA256 over the sorted `k=v&…&key=KEY` string.
//!
//! Source: "安全规范 / 签名算法" (pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=4_3):
//! take every field, drop empty values and `sign`, sort the names by byte order, join as `k=v&…`, append
//! `&key=API_KEY`, then upper-case hex of MD5, or of HMAC-SHA256 keyed with the API key. A verifier signs every
//! field received, unknown extension fields too ("验证签名时必须支持增加的扩展字段").

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::xml::check_name;

/// An API v2 signature algorithm (`sign_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignType {
    /// `MD5`, the default.
    Md5,
    /// `HMAC-SHA256`.
    HmacSha256,
}

impl SignType {
    /// Parses WeChat's spelling: `MD5` or `HMAC-SHA256`.
    ///
    /// # Errors
    /// `ERR_UNSUPPORTED_ALGORITHM` for anything else.
    pub fn parse(value: &str) -> Result<Self> {
        match value {
            "MD5" => Ok(SignType::Md5),
            "HMAC-SHA256" => Ok(SignType::HmacSha256),
            other => Err(Error::unsupported("signType", other)),
        }
    }

    /// WeChat's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }
}

/// The algorithms a verifier accepts: both by default, since WeChat MD5-signs some notifications of
/// HMAC-SHA256 merchants; or a pinned list, the way jose's `algorithms` option works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Algorithms {
    md5: bool,
    hmac_sha256: bool,
}

impl Algorithms {
    /// Both `MD5` and `HMAC-SHA256`: the algorithm is the message's (`sign_type`, else the signature's length).
    pub const ANY: Algorithms = Algorithms { md5: true, hmac_sha256: true };

    /// Only `sign_type`.
    pub const fn only(sign_type: SignType) -> Self {
        Algorithms { md5: matches!(sign_type, SignType::Md5), hmac_sha256: matches!(sign_type, SignType::HmacSha256) }
    }

    /// The algorithms named in `names` (WeChat's spelling).
    ///
    /// # Errors
    /// `ERR_UNSUPPORTED_ALGORITHM` for a name other than `MD5` or `HMAC-SHA256`; `ERR_INVALID_INPUT` for an
    /// empty list, which would refuse every message.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        let mut accepted = Algorithms { md5: false, hmac_sha256: false };
        for name in names {
            match SignType::parse(name).map_err(|_| Error::unsupported("algorithms", name))? {
                SignType::Md5 => accepted.md5 = true,
                SignType::HmacSha256 => accepted.hmac_sha256 = true,
            }
        }
        if accepted.md5 || accepted.hmac_sha256 {
            Ok(accepted)
        } else {
            Err(Error::input("algorithms", "name MD5, HMAC-SHA256 or both; leave it out to accept either"))
        }
    }

    /// Whether `sign_type` is accepted.
    pub const fn accepts(self, sign_type: SignType) -> bool {
        match sign_type {
            SignType::Md5 => self.md5,
            SignType::HmacSha256 => self.hmac_sha256,
        }
    }
}

impl Default for Algorithms {
    fn default() -> Self {
        Algorithms::ANY
    }
}

/// The 32-character API v2 key (商户平台 → 账户中心 → API安全), with its HMAC pads computed once.
#[derive(Clone)]
pub struct ApiKey {
    secret: Zeroizing<Vec<u8>>,
    hmac: Hmac<Sha256>,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(…)")
    }
}

impl ApiKey {
    /// Checks the key's shape and precomputes the HMAC key pads.
    ///
    /// # Errors
    /// `ERR_INVALID_KEY` unless the key is 32 printable ASCII characters (a trailing newline from a file or an
    /// environment variable is the usual mistake).
    pub fn new(key: &str) -> Result<Self> {
        if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            let hint = if key.trim().len() == 32 { "; remove the surrounding whitespace or newline" } else { "" };
            return Err(Error::key(format!(
                "the API v2 key is the 32-character key set in 商户平台 → API安全; got {} characters{hint}",
                key.chars().count()
            )));
        }
        let hmac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
            .map_err(|_| Error::key("the API v2 key cannot key HMAC-SHA256"))?;
        Ok(ApiKey { secret: Zeroizing::new(key.as_bytes().to_vec()), hmac })
    }

    /// Whether this key was made from `key`: lets a binding cache one key (not constant-time; keys are not
    /// compared with attacker input).
    pub fn is(&self, key: &[u8]) -> bool {
        self.secret.as_slice() == key
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// Signs an already canonical string (`stringA`).
    pub fn sign_canonical(&self, canonical: &[u8], sign_type: SignType) -> Signature {
        match sign_type {
            SignType::Md5 => {
                let mut md5 = Md5::new();
                md5.update(canonical);
                md5.update(b"&key=");
                md5.update(self.secret());
                Signature::from_digest(&md5.finalize())
            }
            SignType::HmacSha256 => {
                let mut mac = self.hmac.clone();
                mac.update(canonical);
                mac.update(b"&key=");
                mac.update(self.secret());
                Signature::from_digest(&mac.finalize().into_bytes())
            }
        }
    }
}

/// An API v2 signature: 32 (MD5) or 64 (HMAC-SHA256) upper-case hex characters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    hex: [u8; 64],
    len: usize,
}

impl Signature {
    fn from_digest(digest: &[u8]) -> Self {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut hex = [0u8; 64];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(digest) {
            if let [hi, lo] = pair {
                *hi = HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                *lo = HEX.get(usize::from(byte & 15)).copied().unwrap_or(b'0');
            }
        }
        Signature { hex, len: (digest.len() * 2).min(64) }
    }

    /// The signature as ASCII bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.hex.get(..self.len).unwrap_or(&[])
    }

    /// The signature as a string.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// Constant-time comparison with a received signature, ignoring ASCII case.
    pub fn matches(&self, received: &str) -> bool {
        let received = received.to_ascii_uppercase();
        bool::from(self.as_bytes().ct_eq(received.as_bytes()))
    }
}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl std::fmt::Debug for Signature {
    /// Redacted: during verification this is the valid signature for the received fields, not for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signature(…)")
    }
}

/// The algorithm to sign `fields` with: the one asked for, else the fields' own `sign_type`, else MD5 (WeChat's
/// default). When both are given they must agree: WeChat verifies with `sign_type`.
///
/// # Errors
/// `ERR_UNSUPPORTED_ALGORITHM` for an unknown name; `ERR_INVALID_INPUT` when the two disagree.
pub fn resolve_sign_type(requested: Option<&str>, fields: &[(&str, &str)]) -> Result<SignType> {
    let in_fields = fields.iter().find(|(k, _)| *k == "sign_type").map(|(_, v)| *v).filter(|v| !v.is_empty());
    match (requested.filter(|r| !r.is_empty()), in_fields) {
        (None, None) => Ok(SignType::Md5),
        (Some(t), None) | (None, Some(t)) => SignType::parse(t),
        (Some(r), Some(t)) if r == t => SignType::parse(r),
        _ => Err(Error::input("signType", "differs from the params' sign_type; WeChat verifies with sign_type")),
    }
}

/// Writes the canonical string (`stringA`) of `fields` into `out`, sorting `fields` in place.
///
/// # Errors
/// `ERR_INVALID_INPUT` for a name that is not a field name, or a name given twice.
pub fn canonical_into(fields: &mut [(&str, &str)], out: &mut String) -> Result<()> {
    crate::fields::sort_by_key(fields, |f| f.0);
    out.clear();
    let mut previous: Option<&str> = None;
    for &(name, value) in fields.iter() {
        check_name(name)?;
        if previous == Some(name) {
            return Err(Error::input(name.to_owned(), "the field is given twice"));
        }
        previous = Some(name);
        if value.is_empty() || name == "sign" {
            continue;
        }
        if value.as_bytes().contains(&0) {
            return Err(Error::input(name.to_owned(), "a NUL character cannot be signed or sent"));
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    Ok(())
}

/// The canonical string (`stringA`) of `fields`: sorted, without empty values and without `sign`.
///
/// # Errors
/// As [`canonical_into`].
pub fn canonical(fields: &[(&str, &str)]) -> Result<String> {
    let mut sorted = fields.to_vec();
    let mut out = String::new();
    canonical_into(&mut sorted, &mut out)?;
    Ok(out)
}

/// Signs `fields` (a `sign` among them is ignored).
///
/// ```
/// use wechatpay_wasm::v2::{ApiKey, SignType, sign};
///
/// // the example of WeChat's 签名算法 page
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d")?;
/// let fields = [("appid", "wxd930ea5d5a258f4f"), ("mch_id", "10000100"), ("device_info", "1000"),
///     ("body", "test"), ("nonce_str", "ibuaiVcKdpRxkhJA")];
/// assert_eq!(sign(&fields, &key, SignType::Md5)?.as_str(), "9A0A8659F005D6984697E2CA0A9CF3B7");
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// As [`canonical_into`].
pub fn sign(fields: &[(&str, &str)], key: &ApiKey, sign_type: SignType) -> Result<Signature> {
    Ok(key.sign_canonical(canonical(fields)?.as_bytes(), sign_type))
}

/// Verifies the `sign` of a received message over every other field; returns the algorithm used.
///
/// The algorithm comes from `sign_type` when present, else from the signature's length: 32 → MD5,
/// 64 → HMAC-SHA256 (WeChat sometimes MD5-signs notifications of HMAC merchants, without `sign_type`). A
/// message whose algorithm `accepted` does not list is refused before anything is computed.
///
/// ```
/// use wechatpay_wasm::v2::{Algorithms, ApiKey, SignType, verify};
///
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d")?;
/// let mut fields = vec![("appid", "wxd930ea5d5a258f4f"), ("body", "test")];
/// assert_eq!(verify(&fields, &key, Algorithms::ANY).unwrap_err().code(), "ERR_MISSING_SIGNATURE"); // never a pass
/// fields.push(("sign", "00000000000000000000000000000000"));
/// assert_eq!(verify(&fields, &key, Algorithms::ANY).unwrap_err().code(), "ERR_SIGNATURE_MISMATCH");
/// let hmac_only = Algorithms::only(SignType::HmacSha256); // 32 characters: an MD5 signature
/// assert_eq!(verify(&fields, &key, hmac_only).unwrap_err().code(), "ERR_ALGORITHM_NOT_ALLOWED");
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// - `ERR_MISSING_SIGNATURE`: no `sign`, or an empty one;
/// - `ERR_UNSUPPORTED_ALGORITHM`: a `sign_type` other than `MD5`/`HMAC-SHA256`;
/// - `ERR_MALFORMED_SIGNATURE`: no `sign_type` and a `sign` of neither 32 nor 64 characters;
/// - `ERR_ALGORITHM_NOT_ALLOWED`: an algorithm `accepted` does not list;
/// - `ERR_SIGNATURE_MISMATCH`: the signature is wrong (constant-time comparison);
/// - `ERR_INVALID_INPUT`: a field name that is not one.
pub fn verify(fields: &[(&str, &str)], key: &ApiKey, accepted: Algorithms) -> Result<SignType> {
    let find = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|&(_, v)| v).filter(|v| !v.is_empty());
    let received = find("sign").ok_or(Error::MissingSignature)?;
    let (sign_type, from) = match find("sign_type") {
        Some(t) => (SignType::parse(t)?, "sign_type"),
        None => match received.len() {
            32 => (SignType::Md5, "sign"),
            64 => (SignType::HmacSha256, "sign"),
            n => {
                return Err(Error::MalformedSignature {
                    problem: format!("an API v2 sign has 32 (MD5) or 64 (HMAC-SHA256) hex characters, not {n}").into(),
                });
            }
        },
    };
    if !accepted.accepts(sign_type) {
        return Err(Error::AlgorithmNotAllowed { field: from.into(), value: sign_type.as_str() });
    }
    if sign(fields, key, sign_type)?.matches(received) {
        Ok(sign_type)
    } else {
        Err(Error::SignatureMismatch {
            hint: "check the API v2 key (商户平台 → API安全) and pass every received field unchanged, \
                   including fields you do not use"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
    const FIELDS: [(&str, &str); 5] = [
        ("appid", "wxd930ea5d5a258f4f"),
        ("mch_id", "10000100"),
        ("device_info", "1000"),
        ("body", "test"),
        ("nonce_str", "ibuaiVcKdpRxkhJA"),
    ];

    #[test]
    fn official_example() {
        let key = ApiKey::new(KEY).unwrap();
        assert_eq!(
            canonical(&FIELDS).unwrap(),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA"
        );
        assert_eq!(sign(&FIELDS, &key, SignType::Md5).unwrap().as_str(), "9A0A8659F005D6984697E2CA0A9CF3B7");
        assert_eq!(
            sign(&FIELDS, &key, SignType::HmacSha256).unwrap().as_str(),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn verify_fails_closed() {
        let key = ApiKey::new(KEY).unwrap();
        let any = Algorithms::ANY;
        let mut f = FIELDS.to_vec();
        assert_eq!(verify(&f, &key, any).unwrap_err().code(), "ERR_MISSING_SIGNATURE");
        f.push(("sign", ""));
        assert_eq!(verify(&f, &key, any).unwrap_err().code(), "ERR_MISSING_SIGNATURE");
        f.pop();
        f.push(("sign", "9a0a8659f005d6984697e2ca0a9cf3b7"));
        assert_eq!(verify(&f, &key, any).unwrap(), SignType::Md5);
        assert_eq!(verify(&f, &key, Algorithms::only(SignType::Md5)).unwrap(), SignType::Md5);
        let e = verify(&f, &key, Algorithms::only(SignType::HmacSha256)).unwrap_err();
        assert_eq!(e.code(), "ERR_ALGORITHM_NOT_ALLOWED");
        assert!(e.to_string().contains("MD5"), "{e}");
        f.push(("attach", "extension"));
        assert_eq!(verify(&f, &key, any).unwrap_err().code(), "ERR_SIGNATURE_MISMATCH");
    }

    #[test]
    fn key_shape_is_checked_without_echoing_it() {
        let err = ApiKey::new(&format!("{KEY}\n")).unwrap_err();
        assert_eq!(err.code(), "ERR_INVALID_KEY");
        assert!(!err.to_string().contains(KEY));
        assert!(err.to_string().contains("newline"));
    }
}
