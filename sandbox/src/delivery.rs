//! Outbound callback deliveries: a JSON POST to the account's `callback_url`, retried in the
//! background with exponential backoff, each attempt recorded for `GET /sandbox/deliveries`.
//! A minimal HTTP/1.1 client over hyper's connection API keeps a full client stack out.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HOST, USER_AGENT};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

use crate::app::App;
use crate::util::lock;

/// Attempts per delivery before it is given up.
pub(crate) const MAX_ATTEMPTS: u32 = 5;
/// Wait before the second attempt; doubles after each failure (100, 200, 400, 800 ms).
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);
/// Records a delivery of `event` to `url` and starts it in the background; returns its id.
pub(crate) fn enqueue(app: &Arc<App>, url: String, event: Value) -> u64 {
    let id = lock(&app.deliveries).record(url.clone(), event.clone());
    let body = Bytes::from(serde_json::to_vec(&event).unwrap_or_default());
    tokio::spawn(run(app.clone(), id, url, body));
    id
}

async fn run(app: Arc<App>, id: u64, url: String, body: Bytes) {
    let mut shutdown = app.shutdown.clone();
    let mut backoff = FIRST_BACKOFF;
    let receiver = parse_target(&url)
        .map(|t| format!("{}:{}", t.host, t.port))
        .unwrap_or_default();
    for attempt in 1..=MAX_ATTEMPTS {
        let permits = tokio::select! {
            p = app.delivery_limits.admit(&receiver) => p,
            _ = shutdown.changed() => return,
        };
        let outcome = post_once(&url, body.clone()).await;
        drop(permits);
        let mut give_up = attempt == MAX_ATTEMPTS;
        lock(&app.deliveries).update(id, |d| {
            d.attempts = attempt;
            match &outcome {
                Ok(status) => {
                    d.status = Some(*status);
                    if (200..300).contains(status) {
                        d.delivered = true;
                        d.last_error = None;
                    } else {
                        d.last_error = Some(format!("callback answered HTTP {status}"));
                    }
                }
                Err(PostError::Permanent(e)) | Err(PostError::Transient(e)) => {
                    d.last_error = Some(e.clone());
                }
            }
            give_up |= d.delivered || matches!(outcome, Err(PostError::Permanent(_)));
            d.done = give_up;
        });
        if give_up {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.changed() => return,
        }
        backoff *= 2;
    }
}

enum PostError {
    /// Retrying cannot help (unsupported or invalid URL).
    Permanent(String),
    Transient(String),
}

/// `http://host[:port][/path][?query]` split into what a request needs.
struct Target {
    host: String,
    port: u16,
    authority: String,
    path_and_query: String,
}

fn parse_target(url: &str) -> Result<Target, PostError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Err(PostError::Permanent(
            "https callback URLs are not supported by the sandbox (use http://)".to_owned(),
        ));
    }
    let rest = url
        .get(7..)
        .filter(|_| lower.starts_with("http://"))
        .ok_or_else(|| PostError::Permanent(format!("not an http URL: {url}")))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    // Userinfo is not sent anywhere; it only must not be mistaken for the host.
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let path_and_query = match tail.chars().next() {
        None => "/".to_owned(),
        Some('?') => format!("/{tail}"),
        Some(_) => tail.to_owned(),
    };
    let invalid = || PostError::Permanent(format!("invalid callback URL: {url}"));
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(invalid)?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| invalid())?,
            None if after.is_empty() => 80,
            None => return Err(invalid()),
        };
        (h.to_owned(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse().map_err(|_| invalid())?),
            None => (authority.to_owned(), 80),
        }
    };
    if host.is_empty() {
        return Err(invalid());
    }
    Ok(Target {
        host,
        port,
        authority: authority.to_owned(),
        path_and_query,
    })
}

/// One POST attempt: the response status, or why there was none.
async fn post_once(url: &str, body: Bytes) -> Result<u16, PostError> {
    let target = parse_target(url)?;
    let transient =
        |what: &str, e: &dyn std::fmt::Display| PostError::Transient(format!("{what}: {e}"));
    let stream = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((target.host.as_str(), target.port)),
    )
    .await
    .map_err(|e| transient("connect timed out", &e))?
    .map_err(|e| transient("connect failed", &e))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| transient("handshake failed", &e))?;
    // The connection (and its socket) ends with this attempt, answered or not: a receiver
    // that never answers must not keep descriptors after the attempt gave up.
    let _conn = AbortOnDrop(tokio::spawn(conn));
    let request = Request::post(target.path_and_query.as_str())
        .header(HOST, target.authority.as_str())
        .header(CONTENT_TYPE, "application/json")
        .header(
            USER_AGENT,
            concat!("conversations-sandbox/", env!("CARGO_PKG_VERSION")),
        )
        .body(Full::new(body))
        .map_err(|e| PostError::Permanent(format!("invalid callback URL: {e}")))?;
    let response = tokio::time::timeout(RESPONSE_TIMEOUT, sender.send_request(request))
        .await
        .map_err(|e| transient("no response", &e))?
        .map_err(|e| transient("request failed", &e))?;
    Ok(response.status().as_u16())
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_callback_urls() {
        let t = parse_target("http://127.0.0.1:9000/cb?x=1#frag")
            .ok()
            .unwrap();
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 9000));
        assert_eq!(t.path_and_query, "/cb?x=1");
        let t = parse_target("HTTP://example.com?q").ok().unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path_and_query.as_str()),
            ("example.com", 80, "/?q")
        );
        let t = parse_target("http://u:p@[::1]:81").ok().unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path_and_query.as_str()),
            ("::1", 81, "/")
        );
        assert!(matches!(
            parse_target("https://x"),
            Err(PostError::Permanent(_))
        ));
        assert!(matches!(
            parse_target("http://x:notaport/"),
            Err(PostError::Permanent(_))
        ));
        assert!(matches!(
            parse_target("http:///"),
            Err(PostError::Permanent(_))
        ));
    }
}
