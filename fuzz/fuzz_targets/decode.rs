//! Anything a server can send: an operation, a status and a body, through the decoders (typed and
//! engine envelope), the timestamp accessor and the Retry-After parser. None may panic, and the
//! envelope (transcoded from the body) must hold what the typed decode writes.
#![no_main]

use conversations_core::decode::{decode, Output};
use conversations_core::engine::{Engine, ErrorInfo};
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

    let decoded = decode(op, status, body);
    if let Ok(Output::AppUserMessages(history)) = &decoded {
        for m in &history.messages.data {
            let _ = m.timestamp.to_system_time();
        }
    }
    let reference = match &decoded {
        Ok(out) => {
            let mut s = String::from("{\"ok\":");
            out.write_js(&mut s);
            s.push('}');
            s
        }
        Err(e) => format!("{{\"error\":{}}}", ErrorInfo::from(e).to_json()),
    };
    let envelope = Engine::from_value(serde_json::Value::Null).decode(op.id(), status, body);
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("envelope is JSON");
    assert_eq!(parse(&envelope), parse(&reference), "transcoded envelope differs");

    if let Ok(text) = std::str::from_utf8(body) {
        let _ = parse_retry_after(text, UNIX_EPOCH + Duration::from_secs(u64::from(raw) << 16));
    }
});
