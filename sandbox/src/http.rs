//! Response builders, the JSON error shape and bounded request-body reading.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderValue, ALLOW, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE,
};
use hyper::{Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::body::SandboxBody;

/// Every handler answers with this.
pub(crate) type Resp = Response<SandboxBody>;

/// Largest request body accepted (413 beyond), so hostile clients cannot exhaust memory.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

pub(crate) const JSON: &str = "application/json";

/// An error answered as `{"message": ...}` with the given status.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: Cow<'static, str>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_provisioned() -> Self {
        Self::bad_request("The account is not provisioned.")
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub(crate) fn into_response(self) -> Resp {
        let mut resp = json_response(self.status, &json!({ "message": self.message }));
        if self.status == StatusCode::REQUEST_TIMEOUT {
            // The rest of the body may still come: the connection cannot be reused.
            resp.headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"conversations-sandbox\""),
            );
        }
        resp
    }
}

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Resp {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes_response(status, JSON, bytes)
}

/// A response with the given content type.
pub(crate) fn bytes_response(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Resp {
    let mut resp = Response::new(SandboxBody::full(body));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// An empty response.
pub(crate) fn empty_response(status: StatusCode) -> Resp {
    let mut resp = Response::new(SandboxBody::empty());
    *resp.status_mut() = status;
    resp
}

/// 404 for a path the sandbox does not serve.
pub(crate) fn route_not_found() -> Resp {
    ApiError::new(StatusCode::NOT_FOUND, "Not found.").into_response()
}

/// 405 for a known path with another method; `allow` lists the methods it does take.
pub(crate) fn method_not_allowed(allow: &'static str) -> Resp {
    let mut resp =
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.").into_response();
    resp.headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    resp
}

/// Reads a request body of at most [`MAX_BODY`] bytes within `timeout`: 413 beyond (checked
/// against Content-Length first so a huge upload is refused without reading it), 400 if the
/// client breaks off mid-body, 408 (and the connection closed) if it stops sending, so a
/// half-sent body cannot hold a connection forever.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Incoming,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(timeout, read_body_now(headers, body)).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "The request body did not arrive within {} ms.",
                timeout.as_millis()
            ),
        )),
    }
}

async fn read_body_now(headers: &HeaderMap, body: Incoming) -> Result<Bytes, ApiError> {
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.");
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large()),
        Err(_) => Err(ApiError::bad_request("The request body could not be read.")),
    }
}

/// Parses a body that must be a JSON object.
pub(crate) fn json_object(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}
