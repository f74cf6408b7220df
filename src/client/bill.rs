//! Bills (账单): the apply answer, the downloaded file's digest, and the CSV as typed rows and totals.
//!
//! Sources: "申请交易账单" / "申请资金账单" (pay.weixin.qq.com/doc/v3/merchant/4012556654, 4013071254): the
//! answer is `{"hash_type":"SHA1","hash_value","download_url"}`; "下载账单" (doc/v3/merchant/4013071254): the
//! file is fetched with a signed GET of `download_url`, its answer is not signed, and `hash_value` is the SHA-1
//! of the uncompressed file; "交易账单格式" / "资金账单格式" (pay.weixin.qq.com/docs/merchant/products/
//! bill-download/format-trade.html, format-fundflow.html): UTF-8 CSV, a header line without backticks, data
//! lines whose every field starts with a backtick, then a summary header and a summary line; amounts in yuan
//! with two decimals, the fee (手续费) with five.
//!
//! Amounts become integers: fen for amounts, and for the fee 1/1000 fen (`fee_milli_fen`), since 0.00001 yuan
//! is not a whole number of fen. Never floats.

use std::borrow::Cow;

use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::{Error, Result};
use crate::json::from_slice as strict_json;

/// The hosts of WeChat Pay's API, where `download_url` may point besides the client's own base URL.
const WECHATPAY_ORIGINS: [&str; 2] = ["https://api.mch.weixin.qq.com", "https://api2.mch.weixin.qq.com"];

/// A verified bill apply answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct BillFile {
    /// `SHA1`, the only algorithm WeChat uses.
    pub hash_type: String,
    /// The SHA-1 of the uncompressed file, lower-case hex.
    pub hash_value: String,
    /// Where to fetch the file with a signed GET (valid a few minutes).
    pub download_url: String,
}

/// Checks a verified bill apply answer: a SHA-1 digest, and a `download_url` on the client's own origin (its
/// base URL's) or WeChat Pay's, so the signed download request never goes anywhere else.
///
/// # Errors
/// `ERR_UNSUPPORTED_ALGORITHM` for a `hash_type` other than `SHA1`; `ERR_MALFORMED_MESSAGE` for a `hash_value`
/// that is not 40 hex digits or a `download_url` elsewhere; `ERR_MALFORMED_JSON`.
pub fn check_bill_file(body: &[u8], origin: &str) -> Result<BillFile> {
    let mut file: BillFile = strict_json(body)?;
    if !file.hash_type.eq_ignore_ascii_case("SHA1") {
        return Err(Error::unsupported("hash_type", &file.hash_type));
    }
    if file.hash_value.len() != 40 || !file.hash_value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::message_field("hash_value", "expected the SHA-1 of the file, 40 hex digits"));
    }
    file.hash_value.make_ascii_lowercase();
    let url_origin = origin_of(&file.download_url)
        .ok_or_else(|| Error::message_field("download_url", "expected an absolute http(s) URL with a path"))?;
    let allowed =
        url_origin.eq_ignore_ascii_case(origin) || WECHATPAY_ORIGINS.iter().any(|o| url_origin.eq_ignore_ascii_case(o));
    if !allowed || file.download_url.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(Error::message_field(
            "download_url",
            "points to another host than the client's base URL or WeChat Pay's: the signed download is not sent there",
        ));
    }
    Ok(file)
}

/// `scheme://host[:port]` of an absolute http(s) URL that has a path.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find('/')?;
    (host_end > 0).then(|| url.get(..url.len() - rest.len() + host_end)).flatten()
}

/// Compares the SHA-1 of the bytes received (computed by the caller, on the whole uncompressed file) with the
/// `hash_value` of the verified apply answer.
///
/// # Errors
/// `ERR_DIGEST_MISMATCH` with both digests.
pub fn check_digest(hash_value: &str, sha1: &[u8]) -> Result<()> {
    let actual: String = sha1.iter().map(|b| format!("{b:02x}")).collect();
    if actual.eq_ignore_ascii_case(hash_value) {
        Ok(())
    } else {
        Err(Error::DigestMismatch { expected: hash_value.to_ascii_lowercase(), actual })
    }
}

/// Which bill a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillKind {
    /// 交易账单: `ALL`, `SUCCESS` or `REFUND` (their columns differ; each is read by its header).
    Trade,
    /// 资金账单.
    FundFlow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Yuan with up to two decimals, as fen.
    Fen,
    /// Yuan with up to five decimals, as 1/1000 fen.
    MilliFen,
    /// A whole number.
    Count,
}

/// Known columns: the header WeChat prints, the name in a row, the kind.
const TRADE_COLUMNS: &[(&str, &str, Kind)] = &[
    ("交易时间", "trade_time", Kind::Text),
    ("公众账号ID", "appid", Kind::Text),
    ("商户号", "mchid", Kind::Text),
    ("特约商户号", "sub_mchid", Kind::Text),
    ("设备号", "device_info", Kind::Text),
    ("微信订单号", "transaction_id", Kind::Text),
    ("商户订单号", "out_trade_no", Kind::Text),
    ("用户标识", "openid", Kind::Text),
    ("交易类型", "trade_type", Kind::Text),
    ("交易状态", "trade_state", Kind::Text),
    ("付款银行", "bank_type", Kind::Text),
    ("货币种类", "currency", Kind::Text),
    ("应结订单金额", "settlement_total", Kind::Fen),
    ("代金券金额", "coupon_amount", Kind::Fen),
    ("退款申请时间", "refund_apply_time", Kind::Text),
    ("退款成功时间", "refund_success_time", Kind::Text),
    ("微信退款单号", "refund_id", Kind::Text),
    ("商户退款单号", "out_refund_no", Kind::Text),
    ("退款金额", "refund", Kind::Fen),
    ("充值券退款金额", "recharge_coupon_refund", Kind::Fen),
    ("退款类型", "refund_type", Kind::Text),
    ("退款状态", "refund_status", Kind::Text),
    ("商品名称", "description", Kind::Text),
    ("商户数据包", "attach", Kind::Text),
    ("手续费", "fee_milli_fen", Kind::MilliFen),
    ("费率", "rate", Kind::Text),
    ("订单金额", "total", Kind::Fen),
    ("申请退款金额", "refund_applied", Kind::Fen),
    ("费率备注", "rate_remark", Kind::Text),
];

const TRADE_TOTALS: &[(&str, &str, Kind)] = &[
    ("总交易单数", "count", Kind::Count),
    ("应结订单总金额", "settlement_total", Kind::Fen),
    ("退款总金额", "refund_total", Kind::Fen),
    ("充值券退款总金额", "recharge_coupon_refund_total", Kind::Fen),
    ("手续费总金额", "fee_total_milli_fen", Kind::MilliFen),
    ("订单总金额", "total", Kind::Fen),
    ("申请退款总金额", "refund_applied_total", Kind::Fen),
];

const FUND_FLOW_COLUMNS: &[(&str, &str, Kind)] = &[
    ("记账时间", "time", Kind::Text),
    ("微信支付业务单号", "transaction_id", Kind::Text),
    ("资金流水单号", "flow_id", Kind::Text),
    ("业务名称", "business_name", Kind::Text),
    ("业务类型", "business_type", Kind::Text),
    ("收支类型", "direction", Kind::Text),
    ("收支金额(元)", "amount", Kind::Fen),
    ("账户结余(元)", "balance", Kind::Fen),
    ("资金变更提交申请人", "applicant", Kind::Text),
    ("备注", "remark", Kind::Text),
    ("业务凭证号", "voucher_no", Kind::Text),
];

const FUND_FLOW_TOTALS: &[(&str, &str, Kind)] = &[
    ("资金流水总笔数", "count", Kind::Count),
    ("收入笔数", "income_count", Kind::Count),
    ("收入金额", "income", Kind::Fen),
    ("支出笔数", "expense_count", Kind::Count),
    ("支出金额", "expense", Kind::Fen),
];

/// A value of a bill: text as written (without the backtick), or an integer amount or count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text, exactly as in the file.
    Text(String),
    /// An amount (fen, or 1/1000 fen for the fee) or a count.
    Integer(i64),
}

/// A data row or the totals of a bill: (name, value) in the file's column order. Known columns have English
/// names (`out_trade_no`, `settlement_total`, …); a column this crate does not know keeps its header as name,
/// as text. Empty amounts are left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillRow(pub Vec<(Cow<'static, str>, Cell)>);

impl BillRow {
    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<&Cell> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

impl Serialize for BillRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, cell) in &self.0 {
            match cell {
                Cell::Text(t) => map.serialize_entry(name, t)?,
                Cell::Integer(n) => map.serialize_entry(name, n)?,
            }
        }
        map.end()
    }
}

/// A whole parsed bill.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bill {
    /// The data rows, in file order.
    pub rows: Vec<BillRow>,
    /// The summary line.
    pub totals: BillRow,
}

#[derive(Debug, Clone)]
struct Column {
    name: Cow<'static, str>,
    kind: Kind,
}

fn columns(header: &str, known: &'static [(&'static str, &'static str, Kind)]) -> Result<Vec<Column>> {
    let mut out: Vec<Column> = Vec::new();
    for title in header.split(',') {
        let title = title.trim();
        let column = match known.iter().find(|(t, _, _)| *t == title) {
            Some((_, name, kind)) => Column { name: Cow::Borrowed(*name), kind: *kind },
            None if title.is_empty() => return Err(Error::message_field("bill header", "an empty column title")),
            None => Column { name: Cow::Owned(title.to_owned()), kind: Kind::Text },
        };
        if out.iter().any(|c| c.name == column.name) {
            return Err(Error::message_field("bill header", format!("the column {title} appears twice")));
        }
        out.push(column);
    }
    Ok(out)
}

/// Yuan as written (`12.34`, `-0.01`, `0.00600`) to an integer in units of 10^-`decimals` yuan.
fn yuan(text: &str, decimals: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > decimals as usize
        || !digits_only(whole)
        || !digits_only(fraction)
    {
        return None;
    }
    let scale = 10i64.pow(decimals);
    let pad = 10i64.pow(decimals - fraction.len() as u32);
    let fraction = if fraction.is_empty() { 0 } else { fraction.parse::<i64>().ok()? };
    let value = whole.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(fraction.checked_mul(pad)?)?;
    Some(if negative { -value } else { value })
}

fn cell(kind: Kind, text: &str) -> Option<Option<Cell>> {
    if text.is_empty() && kind != Kind::Text {
        return Some(None);
    }
    Some(Some(match kind {
        Kind::Text => Cell::Text(text.to_owned()),
        // fen: yuan with two decimals; the fee: yuan with five, as 1/1000 fen
        Kind::Fen => Cell::Integer(yuan(text, 2)?),
        Kind::MilliFen => Cell::Integer(yuan(text, 5)?),
        Kind::Count => Cell::Integer(yuan(text, 0)?),
    }))
}

fn row(columns: &[Column], line: &str, line_no: usize) -> Result<BillRow> {
    let at = || format!("bill line {line_no}");
    let body = line
        .strip_prefix('`')
        .ok_or_else(|| Error::message_field(at(), "a data line whose fields do not start with a backtick"))?;
    let values: Vec<&str> = body.split(",`").collect();
    if values.len() != columns.len() {
        return Err(Error::message_field(at(), format!("{} fields under {} columns", values.len(), columns.len())));
    }
    let mut out = Vec::with_capacity(columns.len());
    for (column, value) in columns.iter().zip(values) {
        let parsed = cell(column.kind, value)
            .ok_or_else(|| Error::message_field(at(), format!("{} is not an amount in yuan", column.name)))?;
        if let Some(parsed) = parsed {
            out.push((column.name.clone(), parsed));
        }
    }
    Ok(BillRow(out))
}

#[derive(Debug, Clone)]
enum State {
    Header,
    Rows(Vec<Column>),
    Totals(Vec<Column>),
    Done(BillRow),
}

/// Reads a bill line by line, so a large file is parsed in bounded memory: [`BillReader::feed`] whole lines as
/// they come, then [`BillReader::finish`] for the totals.
#[derive(Debug, Clone)]
pub struct BillReader {
    kind: BillKind,
    state: State,
    line_no: usize,
}

impl BillReader {
    /// A reader for a bill of `kind`.
    pub fn new(kind: BillKind) -> Self {
        BillReader { kind, state: State::Header, line_no: 0 }
    }

    /// Reads whole lines (`\n` or `\r\n`; a UTF-8 BOM at the very start is skipped) and returns their data rows.
    ///
    /// # Errors
    /// `ERR_MALFORMED_MESSAGE` naming the line: a data line without backticks, a field count that differs from
    /// the header's, an amount that is not yuan with at most two (the fee: five) decimals, text after the totals.
    pub fn feed(&mut self, lines: &str) -> Result<Vec<BillRow>> {
        let lines = if self.line_no == 0 { lines.strip_prefix('\u{feff}').unwrap_or(lines) } else { lines };
        let mut rows = Vec::new();
        for line in lines.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            self.line_no += 1;
            if line.trim().is_empty() {
                continue;
            }
            let (columns, totals) = match self.kind {
                BillKind::Trade => (TRADE_COLUMNS, TRADE_TOTALS),
                BillKind::FundFlow => (FUND_FLOW_COLUMNS, FUND_FLOW_TOTALS),
            };
            self.state = match std::mem::replace(&mut self.state, State::Header) {
                State::Header => State::Rows(self::columns(line, columns)?),
                // the summary header starts with the count column; any other line must be a data line
                State::Rows(_) if totals.first().is_some_and(|(title, _, _)| line.starts_with(title)) => {
                    State::Totals(self::columns(line, totals)?)
                }
                State::Rows(c) => {
                    rows.push(row(&c, line, self.line_no)?);
                    State::Rows(c)
                }
                State::Totals(c) => State::Done(row(&c, line, self.line_no)?),
                State::Done(_) => {
                    return Err(Error::message_field(format!("bill line {}", self.line_no), "text after the totals"));
                }
            };
        }
        Ok(rows)
    }

    /// The totals, once every line was fed.
    ///
    /// # Errors
    /// `ERR_MALFORMED_MESSAGE` when the file ended before its summary line (a truncated download).
    pub fn finish(self) -> Result<BillRow> {
        match self.state {
            State::Done(totals) => Ok(totals),
            _ => Err(Error::message_field("bill", "ends before its summary line: truncated")),
        }
    }
}

/// Parses a whole bill.
///
/// # Errors
/// As [`BillReader::feed`] and [`BillReader::finish`].
pub fn parse_bill(kind: BillKind, text: &str) -> Result<Bill> {
    let mut reader = BillReader::new(kind);
    let rows = reader.feed(text)?;
    Ok(Bill { rows, totals: reader.finish()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_to_integers_exactly() {
        assert_eq!(yuan("0.01", 2), Some(1));
        assert_eq!(yuan("12.3", 2), Some(1230));
        assert_eq!(yuan("100", 2), Some(10000));
        assert_eq!(yuan("-0.10", 2), Some(-10));
        assert_eq!(yuan("0.00600", 5), Some(600));
        assert_eq!(yuan("0.001", 2), None);
        assert_eq!(yuan("1e3", 2), None);
        assert_eq!(yuan("", 2), None);
        assert_eq!(yuan(".5", 2), None);
        assert_eq!(yuan("99999999999999", 2), None);
    }

    #[test]
    fn digests_compare_lower_case() {
        let file = check_bill_file(
            br#"{"hash_type":"SHA1","hash_value":"79BB0F45FC4C42234A4AC7BD2B3EF3C4AA6F3EFD","download_url":"https://api.mch.weixin.qq.com/v3/billdownload/file?token=x"}"#,
            "http://127.0.0.1:1",
        )
        .unwrap();
        assert_eq!(file.hash_value, "79bb0f45fc4c42234a4ac7bd2b3ef3c4aa6f3efd");
        let digest = [
            0x79, 0xbb, 0x0f, 0x45, 0xfc, 0x4c, 0x42, 0x23, 0x4a, 0x4a, 0xc7, 0xbd, 0x2b, 0x3e, 0xf3, 0xc4, 0xaa, 0x6f,
            0x3e, 0xfd,
        ];
        check_digest(&file.hash_value, &digest).unwrap();
        assert_eq!(check_digest(&file.hash_value, &[0; 20]).unwrap_err().code(), "ERR_DIGEST_MISMATCH");
    }

    #[test]
    fn download_urls_stay_on_known_hosts() {
        let answer =
            |url: &str| format!(r#"{{"hash_type":"SHA1","hash_value":"{}","download_url":"{url}"}}"#, "0".repeat(40));
        check_bill_file(answer("http://127.0.0.1:9/v3/billdownload/file?token=x").as_bytes(), "http://127.0.0.1:9")
            .unwrap();
        for bad in [
            "https://evil.example/v3/billdownload/file",
            "http://127.0.0.1:10/x",
            "https://api.mch.weixin.qq.com",
            "ftp://x/y",
        ] {
            let e = check_bill_file(answer(bad).as_bytes(), "http://127.0.0.1:9").unwrap_err();
            assert_eq!(e.code(), "ERR_MALFORMED_MESSAGE", "{bad}");
        }
        let md5 = br#"{"hash_type":"MD5","hash_value":"0","download_url":"https://api.mch.weixin.qq.com/x"}"#;
        assert_eq!(check_bill_file(md5, "").unwrap_err().code(), "ERR_UNSUPPORTED_ALGORITHM");
    }
}
