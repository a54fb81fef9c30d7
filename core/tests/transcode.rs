//! The engine's envelope is transcoded from the body (`decode::transcode`): it must hold exactly
//! what decoding into the models and writing them gives, for good bodies and bad ones alike, with
//! the same error messages. Checked here on every decoding vector's body and on thousands of
//! mutations of them; the `decode` fuzz target checks the same on arbitrary input.

use base64::Engine as _;
use conversations_core::decode::decode;
use conversations_core::engine::{Engine, ErrorInfo};
use conversations_core::Operation;
use serde_json::Value;
use std::path::PathBuf;

/// `{"ok": OUTPUT}` or `{"error": ...}` the long way: typed decode, then `write_js`.
fn reference(op: Operation, status: u16, body: &[u8]) -> Value {
    let text = match decode(op, status, body) {
        Ok(out) => {
            let mut s = String::from("{\"ok\":");
            out.write_js(&mut s);
            s.push('}');
            s
        }
        Err(e) => format!("{{\"error\":{}}}", ErrorInfo::from(&e).to_json()),
    };
    serde_json::from_str(&text).expect("reference envelope is JSON")
}

fn check(engine: &Engine, op: Operation, status: u16, body: &[u8]) -> Result<(), String> {
    let got = engine.decode(op.id(), status, body);
    let got: Value = serde_json::from_str(&got).map_err(|e| format!("not JSON ({e}): {got}"))?;
    let want = reference(op, status, body);
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{} {status} {:?}\n  transcoded: {got}\n  reference:  {want}",
            op.id(),
            String::from_utf8_lossy(body)
        ))
    }
}

fn vector_bodies() -> Vec<(Operation, u16, Vec<u8>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/decoding.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("readable"))
        .expect("decoding.json is JSON");
    let mut out = Vec::new();
    for case in file["cases"].as_array().expect("cases") {
        let Some(op) = case["op"].as_str().and_then(Operation::from_id) else {
            continue;
        };
        let response = &case["response"];
        let status = response["status"].as_u64().unwrap_or(200) as u16;
        let body = match (response["body"].as_str(), response["bodyBase64"].as_str()) {
            (Some(text), _) => text.as_bytes().to_vec(),
            (None, Some(b64)) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .expect("base64"),
            _ => Vec::new(),
        };
        out.push((op, status, body));
    }
    out
}

/// Bodies near each vector's: every byte deleted, replaced or preceded by a few troublemakers.
fn mutations(body: &[u8]) -> Vec<Vec<u8>> {
    const BYTES: &[u8] = b"\"\\{}[],:n0 \x01u\xff";
    let mut out = Vec::new();
    for i in 0..body.len() {
        let mut cut = body.to_vec();
        cut.remove(i);
        out.push(cut);
        for &b in BYTES {
            let mut replaced = body.to_vec();
            replaced[i] = b;
            out.push(replaced);
            let mut inserted = body.to_vec();
            inserted.insert(i, b);
            out.push(inserted);
        }
    }
    out
}

#[test]
fn every_vector_body_transcodes_like_the_models() {
    let engine = Engine::from_value(Value::Null);
    let mut failures = Vec::new();
    let bodies = vector_bodies();
    assert!(
        bodies.len() >= 40,
        "decoding vectors found: {}",
        bodies.len()
    );
    // Each body as its own operation's response, and as every other operation's.
    for (_, status, body) in &bodies {
        for op in Operation::ALL {
            if let Err(e) = check(&engine, op, *status, body) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mutated_bodies_transcode_like_the_models() {
    let engine = Engine::from_value(Value::Null);
    let mut failures = Vec::new();
    let mut checked = 0;
    for (op, _, body) in vector_bodies() {
        if body.len() > 600 {
            continue;
        }
        for mutated in mutations(&body) {
            checked += 1;
            if let Err(e) = check(&engine, op, 200, &mutated) {
                failures.push(e);
            }
        }
    }
    assert!(checked > 10_000, "only {checked} mutations");
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn hand_picked_edge_cases() {
    let engine = Engine::from_value(Value::Null);
    let cases: &[(Operation, &str)] = &[
        // Duplicate, absent optional, unknown nested, escapes kept as written.
        (Operation::GetAppUserById, r#"{"id":"a","id":"b"}"#),
        (Operation::GetAppUserById, r#"{"id":"a"}"#),
        (
            Operation::GetAppUserById,
            r#"{"given_name":"x","id":"\u00e9\/\ud83d\ude00"}"#,
        ),
        (
            Operation::GetAppUserById,
            r#"{"id":"a","extra":{"deep":[1,2,{"x":null}]}}"#,
        ),
        (
            Operation::GetAppUserById,
            r#"{"id":"a","surname":null,"given_name":null}"#,
        ),
        (Operation::GetAppUserById, r#"{"surname":"s"}"#),
        (Operation::GetAppUserById, r#"{"id":"\ud83d"}"#),
        (Operation::GetAppUserById, "{\"id\":\"tab\tinside\"}"),
        (Operation::GetAppUsers, r#"{"data":[]}"#),
        (Operation::GetAppUsers, r#"{"data":[{"id":"a"},{"id":1}]}"#),
        (
            Operation::GetAppUserMessages,
            r#"{"messages":{"data":[{"direction":"NEW","channel":"X","timestamp":"nope"}]}}"#,
        ),
        (
            Operation::GetAppUserMessages,
            r#"{"metadata":null,"messages":{"data":[]}}"#,
        ),
        (Operation::CreateIntegrateFacebookPage, "plain \"text\"\n"),
        (
            Operation::GetFacebookAuthorisationUrl,
            r#"  {"authorisation_url":"https://x.test/?a=1&b=\"2\""}  "#,
        ),
        (
            Operation::GetFacebookAuthorisationUrl,
            r#"{"authorisation_url":"x"} trailing"#,
        ),
    ];
    let mut failures = Vec::new();
    for (op, body) in cases {
        if let Err(e) = check(&engine, *op, 200, body.as_bytes()) {
            failures.push(e);
        }
    }
    // Strings longer than the 8-byte scan, with the stop byte at every offset.
    for len in 0..40 {
        for stop in ["\\\"", "\\n", "\u{1}", "é", "😀"] {
            let text = format!("{}{stop}{}", "a".repeat(len), "b".repeat(len % 9));
            let body = format!(r#"{{"id":"{text}"}}"#);
            if let Err(e) = check(&engine, Operation::GetAppUserById, 200, body.as_bytes()) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
