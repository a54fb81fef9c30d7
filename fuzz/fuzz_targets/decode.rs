//! Anything a server can send: an operation, a status and a body, through the decoders (typed and
//! engine envelope), the timestamp accessor and the Retry-After parser. None may panic.
#![no_main]

use conversations_core::decode::{decode, Output};
use conversations_core::engine::Engine;
use conversations_core::retry::parse_retry_after;
use conversations_core::Operation;
use libfuzzer_sys::fuzz_target;
use std::time::{Duration, UNIX_EPOCH};

fuzz_target!(|data: &[u8]| {
    let [op, hi, lo, body @ ..] = data else { return };
    let op = Operation::ALL[usize::from(*op) % Operation::ALL.len()];
    // Mostly 2xx so the JSON decoders do the work; sometimes anything.
    let raw = u16::from_be_bytes([*hi, *lo]);
    let status = if raw % 4 == 0 { raw % 1000 } else { 200 + raw % 7 };

    if let Ok(Output::AppUserMessages(history)) = decode(op, status, body) {
        for m in &history.messages.data {
            let _ = m.timestamp.to_system_time();
        }
    }
    let envelope = Engine::from_value(serde_json::Value::Null).decode(op.id(), status, body);
    assert!(envelope.starts_with("{\"ok\":") || envelope.starts_with("{\"error\":"));

    if let Ok(text) = std::str::from_utf8(body) {
        let _ = parse_retry_after(text, UNIX_EPOCH + Duration::from_secs(u64::from(raw) << 16));
    }
});
