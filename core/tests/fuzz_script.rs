//! `scripts/fuzz.sh` seeds the fuzz corpus with an operation index (the first byte of a
//! seed picks `Operation::ALL[i]` in the fuzz targets), so its list of operation ids must be
//! core's table, in table order.

use conversations_core::Operation;

#[test]
fn fuzz_script_lists_the_operation_table_in_order() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/fuzz.sh");
    let script = std::fs::read_to_string(path).expect("read scripts/fuzz.sh");
    let start = script
        .find("ops = [")
        .expect("fuzz.sh has an `ops = [...]` list")
        + 7;
    let end = start + script[start..].find(']').expect("the list ends");
    let listed: Vec<&str> = script[start..end]
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect();
    let table: Vec<&str> = Operation::ALL.iter().map(|op| op.id()).collect();
    assert_eq!(
        listed, table,
        "scripts/fuzz.sh's ops list vs Operation::ALL"
    );
}
