//! `transport::Transport`, the one attempt the Rust client and the Node addon share: the failure
//! kind and Node-style code of each fault, the size cap (declared and decoded), deflate zlib-wrapped
//! or raw, and TLS failures as fatal.
#![cfg(feature = "transport")]

use conversations_core::call::Failure;
use conversations_core::transport::http::Method;
use conversations_core::transport::Request;
use conversations_core::transport::{AttemptError, Response, Transport};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{canned, response};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

mod support;

/// A request of `method` to `url` without a body.
fn request(method: Method, url: &str) -> Request {
    let mut request = Request::new(Default::default());
    *request.method_mut() = method;
    *request.uri_mut() = url.parse().expect("url");
    request
}

async fn get(url: &str, max_bytes: usize) -> Result<Response, AttemptError> {
    let transport = Transport::direct(None, None).expect("transport");
    let request = request(Method::GET, url);
    transport
        .send(request, max_bytes, Some(Duration::from_secs(5)))
        .await
}

fn failed(result: Result<Response, AttemptError>) -> (Failure, u16, &'static str) {
    let e = result.expect_err("a failure");
    (e.failure, e.status, e.code)
}

#[tokio::test]
async fn gzip_and_deflate_zlib_wrapped_or_raw_are_decoded_and_gzip_deflate_br_asked_for() {
    let text = br#"{"data":"deflated"}"#;
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(text).expect("zlib");
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    raw.write_all(text).expect("raw");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(text).expect("gzip");
    for (coding, body) in [
        ("deflate", zlib.finish().expect("zlib")),
        ("deflate", raw.finish().expect("raw")),
        ("gzip", gzip.finish().expect("gzip")),
    ] {
        let headers = format!("content-encoding: {coding}\r\n");
        let server = canned(response(&headers, &body), true).await;
        let (url, head) = (server.url, server.last_head);
        let got = get(&url, 1 << 20).await.expect("a response");
        assert_eq!(got.body, text);
        // Kept, as node:http keeps it: the headers are the ones received.
        assert_eq!(
            got.headers.get("content-encoding").map(|v| v.as_bytes()),
            Some(coding.as_bytes())
        );
        let head = head.lock().expect("lock").to_ascii_lowercase();
        assert!(head.contains("accept-encoding: gzip,deflate,br"), "{head}");
    }
}

#[tokio::test]
async fn a_corrupt_deflate_body_is_fatal_bad_encoding() {
    let url = canned(response("content-encoding: deflate\r\n", &[0xff; 32]), true)
        .await
        .url;
    assert_eq!(
        failed(get(&url, 1 << 20).await),
        (Failure::Fatal, 200, "ERR_BAD_ENCODING")
    );
}

#[tokio::test]
async fn the_cap_holds_for_a_declared_length_and_for_an_inflating_body() {
    let url = canned(response("", &[b'x'; 2000]), true).await.url;
    assert_eq!(
        failed(get(&url, 1000).await),
        (Failure::TooLarge, 200, "ERR_TOO_LARGE")
    );
    assert_eq!(get(&url, 2000).await.expect("at the cap").body.len(), 2000);
    let mut bomb = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    bomb.write_all(&vec![0u8; 8 << 20]).expect("bomb");
    let bomb = bomb.finish().expect("bomb");
    assert!(bomb.len() < 1 << 20);
    let url = canned(response("content-encoding: deflate\r\n", &bomb), true)
        .await
        .url;
    assert_eq!(
        failed(get(&url, 1 << 20).await),
        (Failure::TooLarge, 200, "ERR_TOO_LARGE")
    );
}

#[tokio::test]
async fn a_post_without_a_body_says_content_length_0_as_node_http_and_fetch_do() {
    let server = canned(response("", b"{}"), false).await;
    let transport = Transport::direct(None, None).expect("transport");
    for (method, length) in [
        (Method::POST, Some("0")),
        (Method::PUT, Some("0")),
        (Method::GET, None),
    ] {
        let request = request(method.clone(), &server.url);
        transport
            .send(request, 1 << 20, Some(Duration::from_secs(5)))
            .await
            .expect("a response");
        let head = server.last_head.lock().expect("lock").to_ascii_lowercase();
        let sent = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length: "));
        assert_eq!(sent, length, "{method}: {head}");
    }
}

#[tokio::test]
async fn refused_timeout_and_reset_carry_their_codes() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let closed = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    assert_eq!(
        failed(get(&closed, 1000).await),
        (Failure::Refused, 0, "ECONNREFUSED")
    );

    let silent = canned(Vec::new(), false).await.url;
    let transport = Transport::direct(None, None).expect("transport");
    let request = request(Method::GET, &silent);
    let timed_out = transport
        .send(request, 1000, Some(Duration::from_millis(100)))
        .await;
    assert_eq!(failed(timed_out), (Failure::Timeout, 0, "ETIMEDOUT"));

    let cut = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\npartial".to_vec();
    let url = canned(cut, true).await.url;
    assert_eq!(
        failed(get(&url, 1 << 20).await),
        (Failure::Reset, 0, "ECONNRESET")
    );
}

/// An `https://` URL to a server that answers in plain HTTP at once; counts connections.
async fn not_tls() -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let accepted = Arc::new(Mutex::new(0usize));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            *count.lock().expect("lock") += 1;
            let _ = sock.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_tls_failure_is_fatal_not_refused() {
    // An https URL to a server that does not speak TLS: the handshake fails in rustls.
    let url = not_tls().await.0;
    assert_eq!(
        failed(get(&url, 1000).await),
        (Failure::Fatal, 0, "ERR_TLS_CERT")
    );
}

#[test]
fn a_bad_ca_is_refused_naming_ca_and_a_bad_extra_ca_is_ignored() {
    let err = Transport::direct(Some("not a certificate"), None).expect_err("bad ca");
    assert_eq!(err.field(), Some("ca"), "{err:?}");
    assert!(Transport::direct(None, Some("not a certificate")).is_ok());
}

/// The Rust client goes through the same attempt: a TLS failure ends the call at once (before
/// this transport it was `refused`, retried until the attempts ran out).
#[cfg(feature = "client")]
#[tokio::test]
async fn the_client_does_not_retry_a_tls_failure() {
    use conversations_core::{Client, Config};
    let (url, accepted) = not_tls().await;
    let config = Config::builder()
        .base_url(&url)
        .credentials("k", "s")
        .build()
        .expect("config");
    let err = Client::new(config)
        .expect("client")
        .list_app_users()
        .await
        .expect_err("no TLS");
    assert_eq!(err.code(), "transport", "{err:?}");
    assert_eq!(*accepted.lock().expect("lock"), 1, "not retried");
}
