//! Pure-Rust RSA (RustCrypto `rsa`), for native callers and as the reference the host's crypto is tested
//! against. The wasm build leaves it out: in wasm it is about 48 times slower than the host's native RSA
//! (12 ms against 0.25 ms a signature, BENCHMARKS.md), so the JavaScript package runs RSA on node:crypto or
//! WebCrypto instead.

use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::sha2::Sha256;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};

use super::{PrivateKey, PublicKey};
use crate::error::{Error, Result};

impl PrivateKey {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (WeChat's SHA256withRSA) of `message`. `fill` supplies the random bytes
    /// that blind the private-key operation (pass `getrandom::fill`); the signature itself is deterministic.
    ///
    /// # Errors
    /// `ERR_UNSUPPORTED_RUNTIME` if `fill` fails.
    pub fn sign<E>(
        &self,
        message: &[u8],
        fill: impl FnMut(&mut [u8]) -> std::result::Result<(), E>,
    ) -> Result<Vec<u8>> {
        SigningKey::<Sha256>::new(self.rsa.clone())
            .try_sign_with_rng(&mut Fill(fill), message)
            .map(|s| s.to_vec())
            .map_err(|_| Error::UnsupportedRuntime { problem: "the random source for RSA blinding failed".into() })
    }
}

/// A caller's fill function as the random source `rsa` takes.
struct Fill<F>(F);

#[derive(Debug)]
struct FillFailed;

impl std::fmt::Display for FillFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the random source failed")
    }
}

impl std::error::Error for FillFailed {}

impl<E, F: FnMut(&mut [u8]) -> std::result::Result<(), E>> TryRng for Fill<F> {
    type Error = FillFailed;

    fn try_next_u32(&mut self) -> std::result::Result<u32, FillFailed> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b).map(|()| u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, FillFailed> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b).map(|()| u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), FillFailed> {
        (self.0)(dst).map_err(|_| FillFailed)
    }
}

impl<E, F: FnMut(&mut [u8]) -> std::result::Result<(), E>> TryCryptoRng for Fill<F> {}

impl PublicKey {
    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5/SHA-256 signature of `message`.
    ///
    /// # Errors
    /// `ERR_INVALID_KEY` when the key cannot be used for RSA: a key that does not work is not a signature
    /// that does not match.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool> {
        use rsa::pkcs8::DecodePublicKey;
        let key = rsa::PublicKey::from_public_key_der(self.spki_der())
            .map_err(|_| Error::key("the public key cannot be used for RSA verification"))?;
        let Ok(signature) = Signature::try_from(signature) else { return Ok(false) };
        Ok(VerifyingKey::<Sha256>::new(key).verify(message, &signature).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_paysign_vector() {
        let key = PrivateKey::from_pem(include_str!("../../tests/vectors/official_test_private_key.pem")).unwrap();
        let public = PublicKey::from_pem(include_str!("../../tests/vectors/official_test_public_key.pem")).unwrap();
        let message = b"wx2421b1c4370ec43b\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\nprepay_id=wx201410272009395522657a690389285100\n";
        let signature = key.sign(message, getrandom::fill).unwrap();
        // the whole official paySign (小程序调起支付签名), all 344 characters
        let official = "mI35pfNEQV6777ke/1T+LJLQDNTm7yeoUJH+j/adPGhmCCi0PbgkvYQTRcXH0uibcLVtvFLdGLpmoYO9FV6lBBsTAjuhh5YOvQi0e2g3\
                        e0yytitiNET9FEuqM0pjnKfRW4K6LIZDdbWJv9KhZUx3DrJa5TL7OJ7VdADVivxVySIlPVKjGwuCXzuXSJes0UcILgWQUMyha5/3nY\
                        ofuHtS7r+KYyMuxD+oJ9VM1Qdxk4UIG59CP5Y3wtYIFybyF3bdu1caHTRRX+DLyMXyYA/IrTmiW01c4RPjpHBX5Dk1sZyY1zVsWNsv\
                        MHr2e1NTWtBxKJ+qk5N61J7caYoepHFaxw==";
        assert_eq!(official.len(), 344);
        assert_eq!(super::super::base64(&signature), official);
        assert!(public.verify(message, &signature).unwrap());
        assert!(!public.verify(b"tampered", &signature).unwrap());
        assert!(!public.verify(message, &signature[1..]).unwrap());
    }
}
