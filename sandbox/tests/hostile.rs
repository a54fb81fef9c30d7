//! Hostile input never yields a 5xx, a panic or a dead server.

mod common;

use std::time::Duration;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends raw bytes, returns the status line's code (None when the server just closed).
async fn raw(sb: &Sb, bytes: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(sb.addr).await.unwrap();
    let _ = s.write_all(bytes).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|t| t.get(..3))
        .and_then(|c| c.parse().ok())
}

#[tokio::test]
async fn garbage_on_the_wire() {
    let sb = Sb::demo().await;
    let long_path = format!(
        "GET /{} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n",
        "a".repeat(70_000)
    );
    let huge_header = format!(
        "GET / HTTP/1.1\r\nhost: localhost\r\nx-big: {}\r\n\r\n",
        "b".repeat(500_000)
    );
    let cases: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"\x00\x01\x02\xff\xfe\r\n\r\n".to_vec(),
        b"GET /beta/conversations/users/\xff\xfe HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n".to_vec(),
        b"GET /beta/conversations/users/%FF%00%2 HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n".to_vec(),
        b"GET /%%%%/..//../ HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n".to_vec(),
        b"POST /beta/conversations/provision HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\n{\"na".to_vec(),
        b"POST /beta/conversations/provision HTTP/1.1\r\nhost: localhost\r\ncontent-length: nope\r\n\r\n".to_vec(),
        b"POST /sandbox/inbound HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"GET /beta/conversations/users HTTP/1.1\r\nhost: \xff\xfe\r\nauthorization: Basic \xff\r\nconnection: close\r\n\r\n".to_vec(),
        long_path.into_bytes(),
        huge_header.into_bytes(),
    ];
    for case in cases {
        let status = raw(&sb, &case).await;
        assert!(
            status.is_none_or(|s| s < 500),
            "{status:?} for {:?}",
            String::from_utf8_lossy(&case[..case.len().min(80)])
        );
    }
    assert_eq!(
        sb.get("/beta/conversations/users").await.status,
        200,
        "still serving"
    );
}

#[tokio::test]
async fn hostile_bodies_and_paths() {
    let sb = Sb::demo().await;
    let deep = "[".repeat(100_000);
    let bodies: Vec<Vec<u8>> = vec![
        deep.into_bytes(),
        b"{\"text\": \"\\ud800\", \"channel\": \"x\"}".to_vec(),
        b"{\"text\": 1e999999, \"channel\": \"x\"}".to_vec(),
        vec![0u8; 1000],
        b"null".to_vec(),
        b"{\"name\": {\"nested\": true}}".to_vec(),
    ];
    for path in [
        "/beta/conversations/provision",
        "/beta/conversations/users/3898c5e4-73cc-44f9-812f-3698a4c3bb1d/messages",
        "/sandbox/inbound",
        "/sandbox/faults",
        "/sandbox/reset",
    ] {
        for body in &bodies {
            let r = sb.post_bytes(path, body).await;
            // Reset tolerates unknown fields, like every endpoint; all else here is invalid.
            let want = if path == "/sandbox/reset" && body.starts_with(b"{\"name\"") {
                200
            } else {
                400
            };
            assert_eq!(
                r.status,
                want,
                "{path} {:?}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
        }
    }
    for path in [
        "/beta/conversations/users/%",
        "/beta/conversations/users/%%",
        "/beta/conversations/users/%00",
        "/beta/conversations/users/%C0%AF",
        "/beta/conversations/users/..%2F..%2Fetc%2Fpasswd",
        "/beta/conversations/users/x/messages?y=%ZZ",
        "/beta/conversations//users",
        "/beta/conversations/facebook/pages/%E2%82%AC/integrate",
    ] {
        for method in ["GET", "POST", "DELETE", "PATCH", "HEAD"] {
            let auth = default_auth();
            let r = request(
                sb.addr,
                method,
                path,
                &[("authorization", &auth)],
                Some(b"{}".to_vec()),
            )
            .await
            .unwrap();
            assert!(r.status < 500, "{method} {path}: {}", r.status);
        }
    }
    // A chunked body over the limit is refused too (no Content-Length to check up front).
    let mut s = TcpStream::connect(sb.addr).await.unwrap();
    let auth = default_auth();
    s.write_all(format!("POST /beta/conversations/provision HTTP/1.1\r\nhost: localhost\r\nauthorization: {auth}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..20 {
        let head = format!("{:x}\r\n", chunk.len());
        if s.write_all(head.as_bytes()).await.is_err()
            || s.write_all(&chunk).await.is_err()
            || s.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(
        String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 413"),
        "{:?}",
        String::from_utf8_lossy(&buf[..buf.len().min(100)])
    );
    assert_eq!(
        sb.get("/beta/conversations/users").await.status,
        200,
        "still serving"
    );
}
