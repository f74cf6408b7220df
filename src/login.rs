//! Mini-program login: the `jscode2session` (auth.code2Session) call, made by the server.
//!
//! Source: "auth.code2Session" (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html):
//! `GET https://api.weixin.qq.com/sns/jscode2session?appid=…&secret=…&js_code=…&grant_type=authorization_code`,
//! answered with `openid`, `session_key`, `unionid` (when bound to an Open Platform account), or `errcode`/`errmsg`.
//! The `session_key` must stay on the server.

use crate::error::{Error, Result, WechatError};
use crate::json::{self, Value};

/// WeChat's base URL for `jscode2session`.
pub const WECHAT_API_BASE: &str = "https://api.weixin.qq.com";

/// A successful `jscode2session` answer.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The user's openid for this mini program.
    pub openid: String,
    /// The session key: keep it on the server, never send it to the client or a log.
    pub session_key: String,
    /// The unionid, when the mini program is bound to an Open Platform account.
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

impl Session {
    /// The JS shape: `{openid, session_key, unionid?}`, WeChat's names.
    pub fn to_json(&self) -> String {
        crate::json::ObjectWriter::new()
            .str("openid", &self.openid)
            .str("session_key", &self.session_key)
            .opt_str("unionid", self.unionid.as_deref())
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

/// Parses the JSON answer of `jscode2session`.
///
/// ```
/// let e = wechatpay_wasm::login::parse_code2session(r#"{"errcode":40029,"errmsg":"invalid code"}"#).unwrap_err();
/// assert_eq!(e.code(), "ERR_WECHAT"); // the message says a code works once
/// # Ok::<(), wechatpay_wasm::Error>(())
/// ```
///
/// # Errors
/// - `ERR_MALFORMED_JSON` for a body that is not JSON;
/// - `ERR_WECHAT` with `errcode`/`errmsg` for a non-zero `errcode` (40029 invalid or reused code, 45011 rate
///   limit, 40226 high-risk user, -1 busy, 40013/40125 bad appid/secret, 41002/41004/41008 missing parameter);
/// - `ERR_MALFORMED_MESSAGE` when `openid` or `session_key` is missing from an answer without error.
pub fn parse_code2session(text: &str) -> Result<Session> {
    let v = json::parse(text)?;
    if !matches!(v, Value::Object(_)) {
        return Err(Error::message_field("(body)", "expected a JSON object"));
    }
    match v.get("errcode") {
        None => {}
        Some(code) => {
            let errcode = code.as_i64().ok_or_else(|| Error::message_field("errcode", "expected an integer"))?;
            if errcode != 0 {
                let errmsg = v.get("errmsg").and_then(Value::as_str).unwrap_or_default().to_owned();
                return Err(Error::Wechat(WechatError::Login { errcode, errmsg }));
            }
        }
    }
    let string = |name: &'static str| -> Result<Option<String>> {
        match v.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::message_field(name, "expected a string")),
        }
    };
    Ok(Session {
        openid: string("openid")?.ok_or_else(|| Error::message_field("openid", "missing"))?,
        session_key: string("session_key")?.ok_or_else(|| Error::message_field("session_key", "missing"))?,
        unionid: string("unionid")?,
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
        let s = parse_code2session(r#"{"openid":"o1","session_key":"k","errcode":0}"#).unwrap();
        assert_eq!(s.openid, "o1");
        assert!(!format!("{s:?}").contains("\"k\""));
        let e = parse_code2session(r#"{"errcode":40029,"errmsg":"invalid code"}"#).unwrap_err();
        assert_eq!(e.code(), "ERR_WECHAT");
        assert!(e.to_string().contains("once"));
    }
}
