//! Issue 12 on the Rust client: ids `.`/`..` never reach the wire, a compressed answer is
//! decoded (as fetch engines do) and a corrupt one is a `decode` error sent once.
#![cfg(feature = "client")]

use conversations_core::{Client, Config};
use std::io::Write;
use std::sync::atomic::Ordering;
use support::{canned, response};

mod support;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
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
    let server = canned(response("", b"{}"), false).await;
    let (url, count) = (server.url, server.requests);
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
    let server = canned(response("content-encoding: gzip\r\n", &body), false).await;
    let (url, count) = (server.url, server.requests);
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
    let server = canned(response("content-encoding: gzip\r\n", &body), false).await;
    let (url, count) = (server.url, server.requests);
    let err = client(&url).list_app_users().await.expect_err("corrupt");
    assert_eq!(err.code(), "decode", "{err:?}");
    assert_eq!(err.status(), Some(200));
    assert_eq!(count.load(Ordering::SeqCst), 1, "not retried");
}
