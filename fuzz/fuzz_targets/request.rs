//! Anything a caller can pass: a config, an operation, an id and a body, through validation and
//! request building, then the retry policy with arbitrary numbers. None may panic, and every
//! built request must be well-formed (absolute http(s) URL, header values without controls).
#![no_main]

use conversations_core::call::Failure;
use conversations_core::engine::{Engine, Next, Report};
use conversations_core::Operation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Fields separated by NUL: config JSON, op selector, id, body JSON, retry-after.
    let mut parts = text.split('\0');
    let config = parts.next().unwrap_or("");
    let selector = parts.next().unwrap_or("").len();
    let id = parts.next();
    let body = parts.next();
    let retry_after = parts.next();

    let engine = if config.is_empty() {
        Engine::from_value(serde_json::json!({"baseUrl": "http://127.0.0.1:1", "username": "k", "password": "s"}))
    } else {
        Engine::from_json(config)
    };
    let op = Operation::ALL[selector % Operation::ALL.len()];
    if let Ok(req) = engine.request(op.id(), id, body) {
        assert!(req.url.starts_with("http://") || req.url.starts_with("https://"));
        for (_, value) in &req.headers {
            assert!(!value.chars().any(char::is_control), "control character in a header");
        }
    }
    let n = data.len() as f64;
    for kind in ["status", "refused", "reset", "timeout", "aborted", "too_large", "redirect", "fatal", "deadline", "bogus"] {
        let mut report = Report::default();
        report.attempt = selector as u32;
        report.budget_ms = n * 3.0;
        report.timeout_ms = (selector % 2 == 0).then_some(n);
        report.elapsed_ms = n * 7.0;
        report.now_ms = n * 1e9;
        report.random = n.fract();
        report.retry_after = retry_after;
        if kind == "status" {
            report.status = Some(data.len() as u16);
        } else {
            report.failure = Failure::from_name(kind);
        }
        if let Next::Retry { delay_ms, budget_ms } = engine.after(op.id(), &report) {
            assert!(delay_ms >= 0.0 && budget_ms > 0.0, "a retry needs a wait and a budget");
        }
    }
});
