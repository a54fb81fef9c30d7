//! `GET /openapi.json`: the committed `sandbox/openapi.json`, compiled in so the served
//! document and the file can never drift apart.

use hyper::StatusCode;

use crate::http::{bytes_response, Resp, JSON};

/// The OpenAPI 3.0 description of everything the sandbox serves.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

pub(crate) fn response() -> Resp {
    bytes_response(StatusCode::OK, JSON, OPENAPI_JSON)
}
