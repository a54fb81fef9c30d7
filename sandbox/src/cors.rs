//! CORS, so browser code (the dashboard, the wasm engine's tests) can call the sandbox
//! directly from any origin.

use hyper::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, VARY,
};
use hyper::StatusCode;

use crate::http::{empty_response, Resp};

const ALLOW_METHODS: &str = "GET, POST, DELETE, OPTIONS";
const ALLOW_HEADERS: &str = "authorization, content-type, user-agent, accept";
const EXPOSE_HEADERS: &str = "retry-after";

/// Adds the CORS response headers: the caller's origin echoed (or `*` without one).
pub(crate) fn decorate(resp: &mut Resp, origin: Option<&HeaderValue>) {
    let h = resp.headers_mut();
    match origin {
        Some(o) => {
            h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
            h.append(VARY, HeaderValue::from_static("Origin"));
        }
        None => {
            h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        }
    }
    h.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
}

/// Answers a preflight for any path, without authentication (browsers never send it there).
/// Requested headers beyond the usual four are allowed too: the sandbox has nothing to protect.
pub(crate) fn preflight(request_headers: &HeaderMap) -> Resp {
    let mut resp = empty_response(StatusCode::NO_CONTENT);
    let allow = request_headers
        .get(ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| HeaderValue::from_str(&format!("{ALLOW_HEADERS}, {v}")).ok())
        .unwrap_or_else(|| HeaderValue::from_static(ALLOW_HEADERS));
    let h = resp.headers_mut();
    h.insert(ACCESS_CONTROL_ALLOW_HEADERS, allow);
    h.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    resp
}
