//! The README's error table is the crate's code list, word for word.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

#[test]
fn error_table_matches_the_code_list() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme.split("<!-- error-codes -->").nth(1).expect("README has the <!-- error-codes --> table");
    let rows: Vec<(String, String)> = table
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect();
    let codes: Vec<(String, String)> =
        wechatpay_wasm::error::CODES.iter().map(|(c, d)| ((*c).to_owned(), (*d).to_owned())).collect();
    assert_eq!(rows, codes);
}
