//! Fault injection kinds and request counters, against real sockets.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const USERS: &str = "/beta/conversations/users";

#[tokio::test]
async fn status_fault_with_retry_after_then_normal() {
    let sb = Sb::demo().await;
    let f = sb
        .fault(json!({
            "match": { "method": "GET", "path_prefix": USERS },
            "count": 2,
            "action": { "kind": "status", "status": 503, "body": "<html>busy</html>",
                        "headers": { "retry-after": "1", "content-type": "text/html" } }
        }))
        .await;
    assert_eq!(f["remaining"], 2);
    for _ in 0..2 {
        let r = sb.get(USERS).await;
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after").unwrap(), "1");
        assert_eq!(r.header("content-type").unwrap(), "text/html");
        assert_eq!(r.text(), "<html>busy</html>");
        assert_eq!(
            r.header("access-control-expose-headers").unwrap(),
            "retry-after"
        );
    }
    assert_eq!(sb.get(USERS).await.status, 200, "count exhausted");
    assert_eq!(
        sb.count("GET", USERS).await,
        3,
        "faulted requests are counted"
    );
    assert_eq!(
        sb.ctl("GET", "/sandbox/faults", None).await.json()["data"],
        json!([])
    );
}

#[tokio::test]
async fn matching_by_method_and_prefix_and_clear() {
    let sb = Sb::demo().await;
    sb.fault(
        json!({ "match": { "method": "post" }, "action": { "kind": "status", "status": 500 } }),
    )
    .await;
    assert_eq!(sb.get(USERS).await.status, 200, "GET not matched");
    let send = format!("{USERS}/{BEN}/messages");
    let msg = json!({ "text": "x", "channel": "facebook" });
    assert_eq!(sb.post(&send, msg.clone()).await.status, 500);
    assert_eq!(
        sb.post(&send, msg.clone()).await.status,
        500,
        "unlimited count"
    );
    // Control routes are never faulted.
    assert_eq!(sb.ctl("POST", "/sandbox/reset", None).await.status, 200);
    // Reset cleared the fault.
    assert_eq!(sb.post(&send, msg.clone()).await.status, 201);

    sb.fault(json!({ "match": { "path_prefix": "/beta/conversations/facebook" }, "action": { "kind": "status", "status": 502 } }))
        .await;
    assert_eq!(
        sb.get("/beta/conversations/facebook/pages").await.status,
        502
    );
    assert_eq!(sb.get(USERS).await.status, 200);
    // Preflights pass unless OPTIONS is named.
    let r = request(
        sb.addr,
        "OPTIONS",
        "/beta/conversations/facebook/pages",
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 204);
    let r = sb.ctl("DELETE", "/sandbox/faults", None).await;
    assert_eq!(r.json(), json!({ "cleared": 1 }));
    assert_eq!(
        sb.get("/beta/conversations/facebook/pages").await.status,
        200
    );
}

#[tokio::test]
async fn reset_fault_aborts_connection_and_is_counted() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "count": 1, "action": { "kind": "reset" } }))
        .await;
    let auth = default_auth();
    let err = request(sb.addr, "GET", USERS, &[("authorization", &auth)], None)
        .await
        .unwrap_err();
    assert!(!err.is_empty());
    assert_eq!(sb.get(USERS).await.status, 200);
    assert_eq!(sb.count("GET", USERS).await, 2);

    // A raw socket sees a reset (or EOF) without a single response byte.
    sb.fault(json!({ "count": 1, "action": { "kind": "reset" } }))
        .await;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(sb.addr).await.unwrap();
    s.write_all(format!("GET {USERS} HTTP/1.1\r\nhost: localhost\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf).await {
        Ok(_) => assert!(buf.is_empty(), "no response bytes"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
    }
}

#[tokio::test]
async fn reset_after_handling_keeps_the_effect() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "match": { "method": "POST" }, "count": 1, "action": { "kind": "reset", "after_handling": true } }))
        .await;
    let send = format!("{USERS}/{BEN}/messages");
    let auth = default_auth();
    let r = request(
        sb.addr,
        "POST",
        &send,
        &[("authorization", &auth)],
        Some(br#"{"text":"lost answer","channel":"facebook"}"#.to_vec()),
    )
    .await;
    assert!(r.is_err());
    let h = sb.get(&send).await.json();
    let last = h["messages"]["data"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["text"], "lost answer", "the request was processed");
}

#[tokio::test]
async fn delay_fault_delays_then_answers() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "count": 1, "action": { "kind": "delay", "ms": 300 } }))
        .await;
    let t = Instant::now();
    let r = sb.get(USERS).await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 2);

    // A "forever" stall: the client gives up; the sandbox keeps serving others.
    sb.fault(json!({ "count": 1, "action": { "kind": "delay", "ms": 18446744073709551615u64 } }))
        .await;
    let stalled = tokio::time::timeout(Duration::from_millis(200), sb.get(USERS)).await;
    assert!(stalled.is_err(), "stalled request does not answer");
    assert_eq!(sb.get(USERS).await.status, 200);
}

#[tokio::test]
async fn malformed_truncated_and_mid_body_reset() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "count": 1, "action": { "kind": "malformed" } }))
        .await;
    let r = sb.get(USERS).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").unwrap(), "application/json");
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    sb.fault(json!({ "count": 1, "action": { "kind": "truncated" } }))
        .await;
    let auth = default_auth();
    let err = request(sb.addr, "GET", USERS, &[("authorization", &auth)], None)
        .await
        .unwrap_err();
    assert!(err.starts_with("body"), "{err}");

    sb.fault(
        json!({ "count": 1, "action": { "kind": "reset_mid_body", "body": "{\"data\": []}" } }),
    )
    .await;
    let err = request(sb.addr, "GET", USERS, &[("authorization", &auth)], None)
        .await
        .unwrap_err();
    assert!(err.starts_with("body"), "{err}");
    assert_eq!(sb.get(USERS).await.status, 200);
}

#[tokio::test]
async fn raw_bytes_invalid_utf8_and_huge_body() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "count": 1, "action": { "kind": "raw", "body_base64": "/w==", "headers": { "x-test": "1" } } }))
        .await;
    let r = sb.get(USERS).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, vec![0xff]);
    assert_eq!(r.header("x-test").unwrap(), "1");

    // Over 10 MB: 769 bytes of 'a' (given as base64) repeated 13636 times.
    let kib = "YWFh".repeat(256) + "YQ==";
    let one = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &kib).unwrap();
    assert_eq!(one.len(), 769);
    sb.fault(json!({ "count": 1, "action": { "kind": "raw", "status": 200, "body_base64": kib, "repeat": 13636 } }))
        .await;
    let r = sb.get(USERS).await;
    assert_eq!(r.body.len(), 769 * 13636);
    assert!(r.body.len() > 10_000_000);

    let r = sb
        .ctl(
            "POST",
            "/sandbox/faults",
            Some(json!({ "action": { "kind": "raw", "body_base64": "%%%" } })),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn redirect_fault() {
    let sb = Sb::demo().await;
    sb.fault(json!({ "count": 1, "action": { "kind": "redirect", "status": 307, "location": "http://127.0.0.1:1/elsewhere" } }))
        .await;
    let r = sb.get(USERS).await;
    assert_eq!(r.status, 307);
    assert_eq!(
        r.header("location").unwrap(),
        "http://127.0.0.1:1/elsewhere"
    );
}

#[tokio::test]
async fn invalid_faults_are_rejected() {
    let sb = Sb::demo().await;
    for bad in [
        json!({}),
        json!({ "action": { "kind": "explode" } }),
        json!({ "action": { "kind": "status" } }),
        json!({ "action": { "kind": "status", "status": 999 } }),
        json!({ "action": { "kind": "status", "status": 100 } }),
        json!({ "action": { "kind": "status", "status": 500, "headers": { "bad header": "x" } } }),
        json!({ "count": 0, "action": { "kind": "reset" } }),
        json!({ "match": { "verb": "GET" }, "action": { "kind": "reset" } }),
        json!({ "match": [null, null], "action": { "kind": "reset" } }),
        json!({ "action": ["reset"] }),
        json!([{ "action": { "kind": "reset" } }]),
        json!({ "action": { "kind": "status", "status": 500, "headers": { "x": "\u{1}" } } }),
        json!({ "action": { "kind": "status", "status": 500, "headers": { "x": "\u{84}" } } }),
        json!({ "action": { "kind": "redirect", "status": 200, "location": "/" } }),
    ] {
        let r = sb.ctl("POST", "/sandbox/faults", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.message().starts_with("Not a valid fault"));
    }
    assert_eq!(
        sb.ctl("GET", "/sandbox/faults", None).await.json()["data"],
        json!([])
    );
}

#[tokio::test]
async fn request_counters() {
    let sb = Sb::demo().await;
    for _ in 0..3 {
        sb.get(USERS).await;
    }
    sb.get(&format!("{USERS}/{BEN}")).await;
    request(sb.addr, "GET", USERS, &[], None).await.unwrap(); // unauthorised still counts
    sb.ctl("GET", "/sandbox/state", None).await; // control routes do not
    let c = sb.counters().await;
    assert_eq!(c["total"], 5);
    assert_eq!(c["by_route"][format!("GET {USERS}")], 4);
    assert_eq!(c["by_route"][format!("GET {USERS}/{BEN}")], 1);
    let r = sb.ctl("DELETE", "/sandbox/requests", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(sb.counters().await, json!({ "total": 0, "by_route": {} }));
}
