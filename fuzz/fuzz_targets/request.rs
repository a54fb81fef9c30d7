//! Anything a caller can pass: a config, an operation, an id and a body, through validation and
//! request building, then the retry policy with arbitrary numbers. None may panic, and every
//! built request must be well-formed (absolute http(s) URL, header values without controls).
#![no_main]

use conversations_core::engine::Engine;
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
    for outcome in ["status", "refused", "timeout", "reset", "bogus"] {
        let _ = engine.retry_delay(op.id(), selector as u32, outcome, data.len() as u16, retry_after, n * 7.0, n * 1e9, n.fract());
    }
});
