//! The engine's fast path (`request_head` once per operation + `request_line` per call, used by
//! the npm package when an engine has it) must build exactly the request `request` builds, for
//! every request vector in `tests/vectors/`, errors included.

use conversations_core::engine::{Engine, ErrorInfo};
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn fast_path_matches_request_on_every_vector() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/vectors exists") {
        let path = entry.expect("readable dir entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable vector file"))
                .expect("vector file is JSON");
        for case in file["cases"].as_array().expect("cases array") {
            if case["kind"] != "request" {
                continue;
            }
            let name = case["name"].as_str().expect("named case");
            let engine = Engine::from_value(case.get("config").unwrap_or(&file["config"]).clone());
            let op = case["op"].as_str().expect("op");
            let id = case["id"].as_str();
            let body = match (case.get("bodyJson"), case.get("body")) {
                (Some(Value::String(raw)), _) => Some(raw.clone()),
                (_, None | Some(Value::Null)) => None,
                (_, Some(b)) => Some(b.to_string()),
            };
            let passthrough = case["passthrough"] == true;
            let line = engine.request_line_with(op, id, body.as_deref(), passthrough);
            match engine.request_with(op, id, body.as_deref(), passthrough) {
                Ok(req) => {
                    let head = engine.request_head(op).expect("head of a valid request");
                    assert_eq!(head.method, req.method, "{name}");
                    assert_eq!(head.headers, req.headers, "{name}");
                    let (url, sent) = match line.split_once('\n') {
                        Some((url, body)) => (url, Some(body)),
                        None => (line.as_str(), None),
                    };
                    assert!(!line.starts_with('{'), "{name}");
                    assert_eq!(url, req.url, "{name}");
                    assert_eq!(sent, req.body.as_deref(), "{name}");
                }
                Err(e) => {
                    let expected = serde_json::json!({ "error": ErrorInfo::from(&e) });
                    let got: Value = serde_json::from_str(&line).expect("error line is JSON");
                    assert_eq!(got, expected, "{name}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} request vectors found");
}

#[test]
fn head_debug_hides_credentials() {
    let engine = Engine::from_value(serde_json::json!({ "username": "k", "password": "s3cret" }));
    let head = engine.request_head("getAppUsers").expect("valid op");
    let shown = format!("{head:?}");
    assert!(
        shown.contains("[redacted]") && !shown.contains("Basic"),
        "{shown}"
    );
    assert!(engine.request_head("nope").is_err());
}
