//! The reliability fault matrix (`tests/reliability/faults.json`) against the Rust client, each
//! case on its own in-process sandbox; plus cancellation (dropped calls release their
//! connections) and secrecy of the client's and errors' Debug output.
#![cfg(feature = "client")]

use conversations_core::models::BaseMessage;
use conversations_core::{Client, Config, Error};
use conversations_sandbox::{Options, RunningSandbox};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TABLE: &str = include_str!("../../tests/reliability/faults.json");
const ENGINE: &str = "rust";
const BEN: &str = "3898c5e4-73cc-44f9-812f-3698a4c3bb1d";
const KEY: &str = "sandbox-key";
const SECRET: &str = "sandbox-secret";

/// What one run of one operation produced.
#[derive(Debug)]
struct Run {
    result: Result<(), Error>,
    requests: u64,
    stored: bool,
    elapsed: Duration,
}

async fn sandbox() -> RunningSandbox {
    conversations_sandbox::spawn(Options {
        seed_demo: true,
        ..Options::default()
    })
    .await
    .expect("sandbox starts")
}

async fn control(http: &reqwest::Client, url: String, body: Option<Value>) -> Value {
    // Control endpoints take the sandbox's credentials and JSON, like the API.
    let req = match body {
        Some(b) => http
            .post(url)
            .header("content-type", "application/json")
            .body(b.to_string()),
        None => http.get(url),
    }
    .basic_auth("sandbox-key", Some("sandbox-secret"));
    let resp = req.send().await.expect("control call");
    let status = resp.status();
    let text = resp.text().await.expect("control body");
    assert!(status.is_success(), "control call failed: {status} {text}");
    serde_json::from_str(&text).expect("control JSON")
}

/// Replaces `{http-date+2s}` in the fault's header values.
fn fill_placeholders(mut action: Value) -> Value {
    if let Some(headers) = action.get_mut("headers").and_then(Value::as_object_mut) {
        for v in headers.values_mut() {
            if v == "{http-date+2s}" {
                *v = Value::String(httpdate::fmt_http_date(
                    SystemTime::now() + Duration::from_secs(2),
                ));
            }
        }
    }
    action
}

/// A server that answers every request with headers and part of a body, then goes silent.
/// Returns its URL and the count of requests it received.
async fn stall_mid_body_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"data\":[";
                let _ = sock.write_all(head.as_bytes()).await;
                // Hold the connection open until the client gives up.
                while matches!(sock.read(&mut chunk).await, Ok(n) if n > 0) {}
            });
        }
    });
    (url, count)
}

fn effective<'a>(case: &'a Value, op: &str) -> &'a Value {
    match case.pointer(&format!("/engines/{ENGINE}/{op}")) {
        Some(v) => v,
        None => &case[op],
    }
}

async fn run_case(table: &Value, case: &Value, op: &'static str) -> Run {
    let sandbox = sandbox().await;
    let http = reqwest::Client::new();
    let mut base = sandbox.url();
    let mut scripted_count = None;
    match case["scripted"].as_str() {
        Some("refused") => {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            base = format!("http://{}", l.local_addr().unwrap());
            drop(l);
        }
        Some("stall_mid_body") => {
            let (url, count) = stall_mid_body_server().await;
            base = url;
            scripted_count = Some(count);
        }
        Some(other) => panic!("unknown scripted behaviour {other}"),
        None => {}
    }
    if let Some(fault) = case.get("fault") {
        let method = if op == "get" { "GET" } else { "POST" };
        let mut spec = json!({
            "match": { "method": method, "path_prefix": "/beta/conversations/users" },
            "action": fill_placeholders(fault["action"].clone()),
        });
        if let Some(n) = fault.get("count") {
            spec["count"] = n.clone();
        }
        control(
            &http,
            format!("{}/sandbox/faults", sandbox.url()),
            Some(spec),
        )
        .await;
    }

    let mut cfg = table["config"].clone();
    if let Some(over) = case.get("config").and_then(Value::as_object) {
        for (k, v) in over {
            cfg[k] = v.clone();
        }
    }
    let ms = |k: &str| cfg[k].as_u64().map(Duration::from_millis);
    let mut builder = Config::builder()
        .base_url(&base)
        .credentials(KEY, SECRET)
        .timeout(ms("timeoutMs").unwrap())
        .deadline(ms("deadlineMs").unwrap())
        .max_retries(cfg["maxRetries"].as_u64().unwrap() as u32);
    if let Some(n) = cfg["maxResponseBytes"].as_u64() {
        builder = builder.max_response_bytes(n as usize);
    }
    let client = Client::new(builder.build().unwrap()).unwrap();
    // Plain characters only: it is looked for in the JSON of the sandbox's state.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let text = format!(
        "reliability-{}-{op}-{nanos}",
        case["name"].as_str().unwrap()
    );
    let started = Instant::now();
    let result = if op == "get" {
        client.list_app_users().await.map(|_| ())
    } else {
        client
            .send_message(BEN, &BaseMessage::new(text.clone(), "facebook"))
            .await
            .map(|_| ())
    };
    let elapsed = started.elapsed();
    let requests = match scripted_count {
        Some(c) => c.load(Ordering::SeqCst) as u64,
        None => control(&http, format!("{}/sandbox/requests", sandbox.url()), None).await["total"]
            .as_u64()
            .unwrap(),
    };
    let state = control(&http, format!("{}/sandbox/state", sandbox.url()), None).await;
    let stored = state.to_string().contains(&text);
    sandbox.shutdown().await;
    Run {
        result,
        requests,
        stored,
        elapsed,
    }
}

/// Checks one run against its expectation; returns the problems found.
fn check(table: &Value, name: &str, op: &str, want: &Value, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fail = |p: String| problems.push(format!("{name} {op}: {p}"));
    match (&run.result, want["ok"].as_bool().unwrap_or(false)) {
        (Ok(()), true) => {}
        (Ok(()), false) => fail(format!("succeeded, expected {}", want["code"])),
        (Err(e), true) => fail(format!("expected success, got {e:?}")),
        (Err(e), false) => {
            if want["code"] != e.code() {
                fail(format!("code {}, expected {}", e.code(), want["code"]));
            }
            if want.get("status").is_some() && want["status"].as_u64() != e.status().map(u64::from)
            {
                fail(format!(
                    "status {:?}, expected {}",
                    e.status(),
                    want["status"]
                ));
            }
            if let Some(m) = want["message"].as_str() {
                if !e.message().contains(m) {
                    fail(format!("message {:?} lacks {m:?}", e.message()));
                }
            }
            if let Some(m) = want["not_message"].as_str() {
                if e.message().contains(m) {
                    fail(format!("message {:?} contains {m:?}", e.message()));
                }
            }
        }
    }
    if want["requests"].as_u64() != Some(run.requests) {
        fail(format!(
            "server saw {} requests, expected {}",
            run.requests, want["requests"]
        ));
    }
    if let Some(stored) = want["stored"].as_bool() {
        if stored != run.stored {
            fail(format!("stored = {}, expected {stored}", run.stored));
        }
    }
    if let Some(min) = want["min_ms"].as_u64() {
        if run.elapsed < Duration::from_millis(min) {
            fail(format!("took {:?}, Retry-After not honoured", run.elapsed));
        }
    }
    let within = Duration::from_millis(table["within_ms"].as_u64().unwrap());
    if run.elapsed > within {
        fail(format!("took {:?}, more than {within:?}", run.elapsed));
    }
    problems
}

fn outcome(run: &Run) -> String {
    match &run.result {
        Ok(()) => "ok".into(),
        Err(e) => match e.status() {
            Some(s) => format!("{} {s}", e.code()),
            None => e.code().into(),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    let table: Value = serde_json::from_str(TABLE).expect("faults.json parses");
    let table = Arc::new(table);
    let cases = table["cases"].as_array().unwrap().clone();
    // A few cases at a time: each has its own sandbox, and a loaded 2-core machine must not turn
    // a 300 ms timeout into a spurious extra attempt.
    let gate = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = Vec::new();
    for case in cases {
        for op in ["get", "post"] {
            let (table, case, gate) = (table.clone(), case.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = gate.acquire().await.unwrap();
                let name = case["name"].as_str().unwrap().to_owned();
                let want = effective(&case, op).clone();
                if want.get("skip").is_some() || case.pointer("/engines/rust/skip").is_some() {
                    return (name, op, "skipped".to_owned(), Vec::new());
                }
                let run = run_case(&table, &case, op).await;
                let line = format!(
                    "{} ({} req, {} ms)",
                    outcome(&run),
                    run.requests,
                    run.elapsed.as_millis()
                );
                let problems = check(&table, &name, op, &want, &run);
                (name, op, line, problems)
            }));
        }
    }
    let mut problems = Vec::new();
    for task in tasks {
        let (name, op, line, p) = task.await.expect("case task");
        println!("rust  {name:<28} {op:<4} {line}");
        problems.extend(p);
    }
    assert!(
        problems.is_empty(),
        "fault matrix failures:\n{}",
        problems.join("\n")
    );
}

/// Dropping the future is how a Rust caller cancels; 1,000 dropped calls against a server that
/// never answers must leave no connection open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_calls_release_connections() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let open = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let (o, a) = (open.clone(), accepted.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            o.fetch_add(1, Ordering::SeqCst);
            a.fetch_add(1, Ordering::SeqCst);
            let o = o.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                // Never answer; notice when the client closes.
                while matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {}
                o.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    let client = Client::new(
        Config::builder()
            .base_url(&url)
            .credentials(KEY, SECRET)
            .build()
            .unwrap(),
    )
    .unwrap();
    for batch in 0..20 {
        let mut calls = Vec::new();
        for _ in 0..50 {
            let c = client.clone();
            calls.push(tokio::spawn(async move { c.list_app_users().await }));
        }
        tokio::time::sleep(Duration::from_millis(if batch == 0 { 100 } else { 20 })).await;
        for call in calls {
            call.abort();
            assert!(call.await.unwrap_err().is_cancelled());
        }
    }
    let until = Instant::now() + Duration::from_secs(5);
    while open.load(Ordering::SeqCst) > 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "rust cancellation: 1000 dropped calls, {} connections accepted, {} still open",
        accepted.load(Ordering::SeqCst),
        open.load(Ordering::SeqCst)
    );
    assert_eq!(open.load(Ordering::SeqCst), 0, "connections leaked");
}

/// The canary: a unique password through a full flow; no Debug/Display of the client, its
/// configuration or any error shows it or its Authorization form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_never_shown() {
    use base64::Engine as _;
    let secret = format!("canary-{}", std::process::id());
    let sandbox = conversations_sandbox::spawn(Options {
        seed_demo: true,
        secret: secret.clone(),
        ..Options::default()
    })
    .await
    .unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{secret}"));
    let config = Config::builder()
        .base_url(sandbox.url())
        .credentials(KEY, &secret)
        .timeout(Duration::from_millis(300))
        .deadline(Duration::from_secs(3))
        .build()
        .unwrap();
    let client = Client::new(config.clone()).unwrap();
    let mut shown = vec![
        format!("{client:?}"),
        format!("{config:?}"),
        format!("{:?}", Config::builder().credentials(KEY, &secret)),
    ];
    client.list_app_users().await.unwrap();
    client
        .send_message(BEN, &BaseMessage::new("canary", "facebook"))
        .await
        .unwrap();
    let wrong = Client::new(
        Config::builder()
            .base_url(sandbox.url())
            .credentials(KEY, format!("{secret}-wrong"))
            .build()
            .unwrap(),
    )
    .unwrap();
    let errors = [
        client.get_app_user("nobody").await.unwrap_err(),
        wrong.list_app_users().await.unwrap_err(),
    ];
    sandbox.shutdown().await;
    let down = client.list_app_users().await.unwrap_err();
    for e in errors.iter().chain([&down]) {
        shown.push(format!("{e:?}"));
        shown.push(format!("{e}"));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            shown.push(format!("{s:?} {s}"));
            source = s.source();
        }
    }
    for text in &shown {
        assert!(!text.contains(&secret), "secret shown: {text}");
        assert!(!text.contains(&basic), "Authorization shown: {text}");
    }
}
