//! Fault injection: what a matched fault does to the request, so client retry, timeout and
//! error handling can be tested against real sockets. The router asks [`step`] what to do
//! and carries it out; this module never calls back into the router.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use hyper::{Response, StatusCode};

use crate::body::SandboxBody;
use crate::conn::ConnControl;
use crate::fault_set::{decode_base64, header_pairs, Action};
use crate::http::Resp;

/// Longest delay honoured; "forever" in practice, and a stalled task still ends eventually.
const MAX_DELAY_MS: u64 = 24 * 60 * 60 * 1000;
/// The default body of a `malformed` fault: JSON cut off mid-token.
const MALFORMED_BODY: &str = "{\"data\": [{\"id\": \"3898c5e4-73cc-44f9";

/// What the router does with a request a fault matched.
pub(crate) enum Step {
    /// Answer with this instead of handling the request.
    Answer(Resp),
    /// Wait this long, then handle the request normally.
    HandleAfter(Duration),
    /// Reset the connection with no answer; handle the request first when `handle` is set
    /// (its effects persist, only the answer is lost).
    Reset { handle: bool },
    /// Send half of `answer` (the real answer when `None`), then break the connection: with
    /// a reset when `reset`, gracefully otherwise. See [`cut`].
    Cut { answer: Option<Resp>, reset: bool },
}

fn with_body(status: u16, content_type: Option<&'static str>, body: impl Into<Bytes>) -> Resp {
    let mut resp = Response::new(SandboxBody::full(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if let Some(ct) = content_type {
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    resp
}

fn add_headers(resp: &mut Resp, headers: &BTreeMap<String, String>) {
    // Validated when the fault was installed.
    for (name, value) in header_pairs(headers).unwrap_or_default() {
        resp.headers_mut().insert(name, value);
    }
}

/// What `action` asks the router to do.
pub(crate) fn step(action: Action) -> Step {
    match action {
        Action::Status {
            status,
            body,
            headers,
        } => {
            let body = body.unwrap_or_default();
            let ct = (!body.is_empty()).then_some("text/plain; charset=utf-8");
            let mut resp = with_body(status, ct, body);
            add_headers(&mut resp, &headers);
            Step::Answer(resp)
        }
        Action::Delay { ms } => Step::HandleAfter(Duration::from_millis(ms.min(MAX_DELAY_MS))),
        Action::Reset { after_handling } => Step::Reset {
            handle: after_handling,
        },
        Action::ResetMidBody { body } => Step::Cut {
            answer: body.map(json_200),
            reset: true,
        },
        Action::Truncated { body } => Step::Cut {
            answer: body.map(json_200),
            reset: false,
        },
        Action::Malformed { status, body } => Step::Answer(with_body(
            status.unwrap_or(200),
            Some("application/json"),
            body.unwrap_or_else(|| MALFORMED_BODY.to_owned()),
        )),
        Action::Raw {
            status,
            body_base64,
            repeat,
            headers,
        } => {
            // Streamed: one copy of the chunk (at most the 1 MiB a control request can
            // carry), not `repeat` copies per request.
            let chunk = Bytes::from(decode_base64(&body_base64).unwrap_or_default());
            let mut resp =
                Response::new(SandboxBody::repeat(chunk, u64::from(repeat.unwrap_or(1))));
            *resp.status_mut() =
                StatusCode::from_u16(status.unwrap_or(200)).unwrap_or(StatusCode::OK);
            resp.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            add_headers(&mut resp, &headers);
            Step::Answer(resp)
        }
        Action::Redirect { status, location } => {
            let mut resp = with_body(status.unwrap_or(302), None, Bytes::new());
            if let Ok(v) = HeaderValue::from_str(&location) {
                resp.headers_mut().insert(LOCATION, v);
            }
            Step::Answer(resp)
        }
    }
}

fn json_200(body: String) -> Resp {
    with_body(200, Some("application/json"), body)
}

/// Sends half of `resp`'s body under a Content-Length for all of it, then breaks the
/// connection: reset when `conn` is given, graceful close otherwise.
pub(crate) fn cut(resp: Resp, conn: Option<ConnControl>) -> Resp {
    let (mut parts, body) = resp.into_parts();
    let full = body.into_full_bytes().unwrap_or_default();
    // An empty body cannot be cut; promise two bytes and send none.
    let declared = full.len().max(2);
    let first = full.slice(..full.len() / 2);
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(declared));
    Response::from_parts(parts, SandboxBody::cut(first, declared as u64, conn))
}
