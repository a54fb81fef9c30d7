//! Issue 12 on the Rust client: ids `.`/`..` never reach the wire, a compressed answer is
//! decoded (as fetch engines do) and a corrupt one is a `decode` error sent once.
#![cfg(feature = "client")]

use conversations_core::{Client, Config};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server answering every request with `answer` (full HTTP response bytes); counts requests.
async fn server(answer: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (seen, answer) = (seen.clone(), answer.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.clear();
                    seen.fetch_add(1, Ordering::SeqCst);
                    if sock.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, count)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn response(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .base_url(url)
            .credentials("k", "s")
            .build()
            .expect("config"),
    )
    .expect("client")
}

#[tokio::test]
async fn dot_ids_are_refused_before_sending() {
    let (url, count) = server(response("", b"{}")).await;
    let client = client(&url);
    for id in [".", ".."] {
        let err = client.get_app_user(id).await.expect_err(id);
        assert_eq!(err.code(), "invalid_input", "{id:?}");
        assert_eq!(err.field(), Some("app_user_id"));
        let err = client.integrate_facebook_page(id).await.expect_err(id);
        assert_eq!(err.field(), Some("facebook_page_id"));
    }
    assert_eq!(count.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[tokio::test]
async fn a_gzip_body_is_decoded() {
    let body = gzip(br#"{"id":"u1","surname":"Sims","given_name":"Ben"}"#);
    let (url, count) = server(response("content-encoding: gzip\r\n", &body)).await;
    let user = client(&url).get_app_user("u1").await.expect("decoded");
    assert_eq!(user.id, "u1");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_corrupt_gzip_body_is_a_decode_error_sent_once() {
    // A gzip header, then bytes that are no deflate stream.
    let mut body = gzip(b"{\"data\":[]}");
    body.truncate(10);
    body.extend_from_slice(&[0xff; 32]);
    let (url, count) = server(response("content-encoding: gzip\r\n", &body)).await;
    let err = client(&url).list_app_users().await.expect_err("corrupt");
    assert_eq!(err.code(), "decode", "{err:?}");
    assert_eq!(err.status(), Some(200));
    assert_eq!(count.load(Ordering::SeqCst), 1, "not retried");
}
