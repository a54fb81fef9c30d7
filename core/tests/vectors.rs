//! Runs every conformance vector in `tests/vectors/*.json` against the engine. The same files run
//! in Node (native and wasm) and in Chromium; a case this runner cannot run fails the test.

use base64::Engine as _;
use conversations_core::call::Failure;
use conversations_core::engine::{Engine, ErrorInfo, Next, Report};
use serde_json::{json, Value};
use std::path::PathBuf;

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn error_json(e: &ErrorInfo) -> Value {
    serde_json::to_value(e).expect("ErrorInfo serializes")
}

/// Compares only the keys the vector gives.
fn check_error(case: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    let exp = expected
        .as_object()
        .ok_or(format!("{case}: error must be an object"))?;
    for (k, v) in exp {
        if actual.get(k) != Some(v) {
            return Err(format!(
                "{case}: error.{k} expected {v}, got {}",
                actual.get(k).unwrap_or(&Value::Null)
            ));
        }
    }
    Ok(())
}

fn run_case(file_config: &Value, case: &Value) -> Result<(), String> {
    let name = case["name"].as_str().ok_or("case without a name")?;
    let config = case.get("config").unwrap_or(file_config).clone();
    if case["kind"] == "callback" {
        return run_callback(name, case);
    }
    let engine = Engine::from_value(config);
    let op = case["op"].as_str().ok_or(format!("{name}: no op"))?;
    match case["kind"].as_str() {
        Some("request") => {
            let body = match (case.get("bodyJson"), case.get("body")) {
                (Some(Value::String(raw)), _) => Some(raw.clone()),
                (_, None | Some(Value::Null)) => None,
                (_, Some(b)) => Some(b.to_string()),
            };
            let passthrough = case["passthrough"] == true;
            let result = match engine.config_error() {
                Some(e) => Err(ErrorInfo::from(e)),
                None => engine
                    .request_with(op, case["id"].as_str(), body.as_deref(), passthrough)
                    .map_err(|e| ErrorInfo::from(&e)),
            };
            match (result, case.get("request"), case.get("error")) {
                (Ok(req), Some(expected), None) => {
                    let headers: serde_json::Map<String, Value> = req
                        .headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), json!(v)))
                        .collect();
                    let actual = json!({
                        "method": req.method.as_str(),
                        "url": req.url,
                        "headers": headers,
                        "body": req.body,
                    });
                    if &actual != expected {
                        return Err(format!("{name}: expected {expected}\n got {actual}"));
                    }
                    Ok(())
                }
                (Err(e), None, Some(expected)) => check_error(name, expected, &error_json(&e)),
                (Ok(req), _, _) => Err(format!("{name}: expected an error, got {req:?}")),
                (Err(e), _, _) => Err(format!("{name}: unexpected error {e:?}")),
            }
        }
        Some("decode") => {
            let resp = &case["response"];
            let status = resp["status"]
                .as_u64()
                .ok_or(format!("{name}: no status"))? as u16;
            let body = match (resp.get("body"), resp.get("bodyBase64")) {
                (Some(Value::String(s)), None) => s.clone().into_bytes(),
                (None, Some(Value::String(b))) => base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(|e| format!("{name}: bad bodyBase64: {e}"))?,
                _ => return Err(format!("{name}: response needs body or bodyBase64")),
            };
            let envelope: Value = serde_json::from_str(&engine.decode(op, status, &body))
                .map_err(|e| format!("{name}: envelope is not JSON: {e}"))?;
            match (envelope.get("ok"), envelope.get("error")) {
                (Some(actual), None) => match case.get("output") {
                    Some(expected) if expected == actual => Ok(()),
                    Some(expected) => Err(format!("{name}: expected {expected}\n got {actual}")),
                    None => Err(format!("{name}: expected an error, got {actual}")),
                },
                (None, Some(actual)) => match case.get("error") {
                    Some(expected) => check_error(name, expected, actual),
                    None => Err(format!("{name}: unexpected error {actual}")),
                },
                _ => Err(format!("{name}: malformed envelope {envelope}")),
            }
        }
        Some("retry") => {
            let num = |k: &str| case[k].as_f64().ok_or(format!("{name}: {k} missing"));
            // The JS pipeline's question after an attempt, with the attempt sent on the full
            // per-attempt timeout (so no deadline cut it short).
            let mut report = Report::default();
            report.attempt = num("attempt")? as u32;
            report.budget_ms = engine.policy().timeout_ms;
            report.elapsed_ms = num("elapsedMs")?;
            report.now_ms = num("nowMs")?;
            report.random = num("random")?;
            match case["outcome"].as_str().ok_or(format!("{name}: outcome"))? {
                "status" => {
                    report.status = Some(num("status")? as u16);
                    report.retry_after = case["retryAfter"].as_str();
                }
                kind => {
                    report.failure = Some(
                        Failure::from_name(kind)
                            .ok_or(format!("{name}: unknown outcome {kind}"))?,
                    )
                }
            }
            let delay = match engine.after(op, &report) {
                Next::Retry { delay_ms, .. } => delay_ms,
                _ => -1.0,
            };
            let expected = num("delayMs")?;
            if (delay - expected).abs() > 0.001 {
                return Err(format!("{name}: expected delay {expected}, got {delay}"));
            }
            Ok(())
        }
        other => Err(format!("{name}: unknown kind {other:?}")),
    }
}

/// `kind: "callback"`: the engine's callback entry point (`Engine.parseCallback` in JS).
fn run_callback(name: &str, case: &Value) -> Result<(), String> {
    let body = match (case.get("body"), case.get("bodyBase64")) {
        (Some(Value::String(s)), None) => s.clone().into_bytes(),
        (None, Some(Value::String(b))) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .map_err(|e| format!("{name}: bad bodyBase64: {e}"))?,
        _ => return Err(format!("{name}: callback case needs body or bodyBase64")),
    };
    let date = case["headers"].as_object().and_then(|h| {
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("date"))
            .and_then(|(_, v)| v.as_str())
    });
    let max_age = case["maxAgeMs"].as_f64().unwrap_or(-1.0);
    let now = case["nowMs"].as_f64().unwrap_or(0.0);
    let out = conversations_core::callback::parse_to_json(date, &body, max_age, now);
    let envelope: Value =
        serde_json::from_str(&out).map_err(|e| format!("{name}: envelope is not JSON: {e}"))?;
    match (
        envelope.get("ok"),
        envelope.get("error"),
        case.get("event"),
        case.get("error"),
    ) {
        (Some(actual), None, Some(expected), None) if actual == expected => Ok(()),
        (None, Some(actual), None, Some(expected)) => check_error(name, expected, actual),
        _ => Err(format!("{name}: expected {case}\n got {envelope}")),
    }
}

#[test]
fn every_vector_passes() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in vector_files() {
        let text = std::fs::read_to_string(&file).expect("readable vector file");
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
        let cases = doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no cases array", file.display()));
        for case in cases {
            count += 1;
            if let Err(msg) = run_case(&doc["config"], case) {
                failures.push(format!("{}: {msg}", file.display()));
            }
        }
    }
    println!("ran {count} conformance vectors");
    assert!(count >= 60, "expected at least 60 vectors, found {count}");
    assert!(
        failures.is_empty(),
        "{} failing vectors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
