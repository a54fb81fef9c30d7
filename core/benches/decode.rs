//! Decode throughput (`make bench` reads the results from target/criterion): a ~2 MB
//! conversation of 10,000 messages and a small app-user list, through the typed decoder, through
//! the engine's JSON envelope (what the JS bindings consume), and through `serde_json::Value`
//! alone as the floor.

use conversations_core::engine::{Engine, EngineConfig};
use conversations_core::{decode, Operation};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const WORDS: [&str; 18] = [
    "shipping",
    "Australia",
    "order",
    "thanks",
    "parcel",
    "tracking",
    "when",
    "price",
    "colour",
    "size",
    "café",
    "refund",
    "tomorrow",
    "question",
    "hello",
    "delivery",
    "👍",
    "great",
];

/// The same shape (and about the same size) as bench/fixtures.js's history.
fn history(n: usize) -> Vec<u8> {
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        seed as usize
    };
    let mut out = String::with_capacity(n * 200);
    out.push_str(r#"{"messages":{"data":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let count = 12 + next() % 10;
        let words: Vec<&str> = (0..count).map(|_| WORDS[next() % WORDS.len()]).collect();
        let text = if i % 50 == 49 {
            "null".to_owned()
        } else {
            format!("\"{}\"", words.join(" "))
        };
        let direction = if i % 2 == 0 { "RECEIVED" } else { "SENT" };
        let (minute, second) = ((i * 61) / 60, (i * 61) % 60);
        out.push_str(&format!(
            r#"{{"direction":"{direction}","text":{text},"channel":"FACEBOOK","timestamp":"2024-01-{:02}T{:02}:{:02}:{second:02}.000Z"}}"#,
            1 + minute / 1440,
            (minute / 60) % 24,
            minute % 60
        ));
    }
    out.push_str(r#"]},"metadata":{"user_id":"d36c4ff6-4e81-4d7f-93c0-1472e09d1063","account_id":"FunGuys007"}}"#);
    out.into_bytes()
}

const USERS: &[u8] = br#"{"data":[{"id":"d36c4ff6-4e81-4d7f-93c0-1472e09d1063","surname":"Sims","given_name":"Ben"},{"id":"5a0b8c2e-1f3d-4e6a-9b7c-2d4e6f8a0b1c","surname":"Nguyen","given_name":"Linh"},{"id":"9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4","surname":null,"given_name":"Aroha"}]}"#;

fn bench_decode(c: &mut Criterion) {
    let engine = Engine::new(EngineConfig::default());
    let big = history(10_000);
    assert!(decode(Operation::GetAppUserMessages, 200, &big).is_ok());

    let mut g = c.benchmark_group("history_10k");
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.sample_size(20);
    g.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&big)).map(|_| ()))
    });
    g.bench_function("typed_decode", |b| {
        b.iter(|| decode(Operation::GetAppUserMessages, 200, black_box(&big)).map(|_| ()))
    });
    g.bench_function("engine_envelope", |b| {
        b.iter(|| engine.decode("getAppUserMessages", 200, black_box(&big)))
    });
    g.finish();

    let mut g = c.benchmark_group("app_users_small");
    g.throughput(Throughput::Bytes(USERS.len() as u64));
    g.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(USERS)).map(|_| ()))
    });
    g.bench_function("typed_decode", |b| {
        b.iter(|| decode(Operation::GetAppUsers, 200, black_box(USERS)).map(|_| ()))
    });
    g.bench_function("engine_envelope", |b| {
        b.iter(|| engine.decode("getAppUsers", 200, black_box(USERS)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: `make bench` has a 10-minute budget for everything.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench_decode
}
criterion_main!(benches);
