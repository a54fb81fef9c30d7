//! A canned HTTP/1.1 server for the tests of core's attempt (`transport.rs`) and of the Rust
//! client's inputs (`client_inputs.rs`): every request gets the same raw answer bytes.
// Each test binary that declares `mod support;` uses a part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running canned server: its URL, how many request heads it read, and the last one.
pub struct Canned {
    pub url: String,
    pub requests: Arc<AtomicUsize>,
    pub last_head: Arc<Mutex<String>>,
}

/// Answers each request with `answer` (raw response bytes; empty: never answers). With `close`
/// the connection closes after the answer; otherwise it waits for the next request on it.
pub async fn canned(answer: Vec<u8>, close: bool) -> Canned {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let requests = Arc::new(AtomicUsize::new(0));
    let last_head = Arc::new(Mutex::new(String::new()));
    let (count, head) = (requests.clone(), last_head.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (count, head, answer) = (count.clone(), head.clone(), answer.clone());
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
                    *head.lock().expect("lock") = String::from_utf8_lossy(&buf).into_owned();
                    buf.clear();
                    count.fetch_add(1, Ordering::SeqCst);
                    if sock.write_all(&answer).await.is_err() || close {
                        return;
                    }
                }
            });
        }
    });
    Canned {
        url,
        requests,
        last_head,
    }
}

/// A `200 OK` JSON response: `headers` (each line ending in CRLF), a content-length, `body`.
pub fn response(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
