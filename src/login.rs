//! Mini-program login: the `jscode2session` (auth.code2Session) call, made by the server.
//!
//! Source: "auth.code2Session" (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html):
//! `GET https://api.weixin.qq.com/sns/jscode2session?appid=…&secret=…&js_code=…&grant_type=authorization_code`,
//! answered with `openid`, `session_key`, `unionid` (when bound to an Open Platform account), or `errcode`/`errmsg`.
//! The `session_key` must stay on the server.

use serde::{Deserialize, Deserializer, Serialize, de};

use crate::error::{Error, Result, WechatError};

/// WeChat's base URL for `jscode2session`.
pub const WECHAT_API_BASE: &str = "https://api.weixin.qq.com";

/// A successful `jscode2session` answer; serialized as WeChat names it, `{openid, session_key, unionid?}`.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// The user's openid for this mini program.
    pub openid: String,
    /// The session key: keep it on the server, never send it to the client or a log.
    pub session_key: String,
    /// The unionid, when the mini program is bound to an Open Platform account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("openid", &self.openid)
            .field("session_key", &"…")
            .field("unionid", &self.unionid)
            .finish()
    }
}

/// The `jscode2session` URL for `code`; `base_url` defaults to [`WECHAT_API_BASE`] (a simulator's otherwise).
///
/// The URL carries the app secret: request it from the server and never log it.
///
/// # Errors
/// `ERR_INVALID_INPUT` for an empty or malformed `appId`, `secret`, `code` or `baseUrl`.
pub fn code2session_url(base_url: Option<&str>, app_id: &str, secret: &str, code: &str) -> Result<String> {
    let base = base_url.unwrap_or(WECHAT_API_BASE).trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://"))
        || base.contains(['?', '#'])
        || base.chars().any(char::is_whitespace)
    {
        return Err(Error::input("baseUrl", "an http(s) URL without query string, e.g. https://api.weixin.qq.com"));
    }
    for (field, value, max) in [("appId", app_id, 32), ("secret", secret, 64), ("code", code, 256)] {
        if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_graphic()) {
            let problem = match field {
                "code" => "the code from wx.login / Taro.login, sent by the mini program",
                "secret" => "the AppSecret from the mini program's admin console (开发管理 → 开发设置)",
                _ => "the mini program's AppID (wx…)",
            };
            return Err(Error::input(field, problem));
        }
    }
    Ok(format!(
        "{base}/sns/jscode2session?appid={}&secret={}&js_code={}&grant_type=authorization_code",
        encode(app_id),
        encode(secret),
        encode(code)
    ))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The answer of `jscode2session` as WeChat sends it: a session, or `errcode`/`errmsg`.
#[derive(Debug, Deserialize)]
struct Reply {
    #[serde(default)]
    errcode: ErrCode,
    #[serde(default)]
    errmsg: Option<String>,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    session_key: Option<String>,
    #[serde(default)]
    unionid: Option<String>,
}

/// WeChat's `errcode`: an int32 (0 or absent on success), as a JSON number or as the digits of one in a string
/// (`"45011"`, the way WeChat's documents print it for a sibling endpoint). A fraction, an exponent, other text
/// or a number outside int32 is refused.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct ErrCode(i32);

impl<'de> Deserialize<'de> for ErrCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl de::Visitor<'_> for Visit {
            type Value = ErrCode;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an int32 errcode, as a number or a string of digits")
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<ErrCode, E> {
                i32::try_from(n).map(ErrCode).map_err(|_| E::custom("an errcode outside int32"))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<ErrCode, E> {
                i32::try_from(n).map(ErrCode).map_err(|_| E::custom("an errcode outside int32"))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<ErrCode, E> {
                let digits = s.strip_prefix('-').unwrap_or(s);
                let canonical = !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && (digits == "0" || !digits.starts_with('0'));
                match s.parse::<i32>() {
                    Ok(n) if canonical => Ok(ErrCode(n)),
                    _ => Err(E::custom("an errcode string that is not the digits of an int32")),
                }
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Parses the JSON answer of `jscode2session`.
///
/// ```
/// let e = wechatpay_wasm::login::parse_code2session(br#"{"errcode":40029,"errmsg":"invalid code"}"#).unwrap_err();
/// assert_eq!(e.code(), "ERR_WECHAT"); // the message says a code works once
/// let e = wechatpay_wasm::login::parse_code2session(br#"{"errcode":"45011","errmsg":"rate limit"}"#).unwrap_err();
/// assert_eq!(e.context(), wechatpay_wasm::error::ErrorContext::Login { errcode: 45011, errmsg: "rate limit" });
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// - `ERR_MALFORMED_JSON` for a body that is not strict JSON;
/// - `ERR_WECHAT` with `errcode`/`errmsg` for a non-zero `errcode`, a number or a numeric string (40029 invalid
///   or reused code, 45011 rate limit, 40226 high-risk user, -1 busy, 40013/40125 bad appid/secret,
///   41002/41004/41008 missing parameter);
/// - `ERR_MALFORMED_MESSAGE` for an `errcode` that is not an int32 or its digits, a body that is not an object,
///   or an answer without error that lacks `openid` or `session_key`.
pub fn parse_code2session(body: &[u8]) -> Result<Session> {
    let reply: Reply = crate::json::from_slice(body)?;
    if reply.errcode != ErrCode(0) {
        let errmsg = reply.errmsg.unwrap_or_default();
        return Err(Error::Wechat(WechatError::Login { errcode: i64::from(reply.errcode.0), errmsg }));
    }
    let present = |v: Option<String>, name: &'static str| {
        v.filter(|s| !s.is_empty()).ok_or_else(|| Error::message_field(name, "missing"))
    };
    Ok(Session {
        openid: present(reply.openid, "openid")?,
        session_key: present(reply.session_key, "session_key")?,
        unionid: reply.unionid.filter(|s| !s.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_and_reply() {
        let url = code2session_url(None, "wx123", "s&cret", "0a1").unwrap();
        assert_eq!(
            url,
            "https://api.weixin.qq.com/sns/jscode2session?appid=wx123&secret=s%26cret&js_code=0a1&grant_type=authorization_code"
        );
        let s = parse_code2session(br#"{"openid":"o1","session_key":"k","errcode":0}"#).unwrap();
        assert_eq!(s.openid, "o1");
        assert!(!format!("{s:?}").contains("\"k\""));
        let e = parse_code2session(br#"{"errcode":40029,"errmsg":"invalid code"}"#).unwrap_err();
        assert_eq!(e.code(), "ERR_WECHAT");
        assert!(e.to_string().contains("once"));
        // serde's derive would read a struct from an array, field by field: an answer is an object
        let e = parse_code2session(br#"[0,"","o1","k",""]"#).unwrap_err();
        assert_eq!(e.code(), "ERR_MALFORMED_MESSAGE", "{e}");
    }
}
