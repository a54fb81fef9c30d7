//! Request building: operation + arguments + config → the exact HTTP request.

use crate::config::Config;
use crate::error::Error;
use crate::models::{BaseMessage, ConfigureAccountRequest};
use crate::operation::{self, BodyKind, Method, Operation, Rust, Surface};
use crate::validate;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

/// Header names, lower-case as HTTP/2 and fetch report them.
pub mod header {
    /// Basic credentials.
    pub const AUTHORIZATION: &str = "authorization";
    /// The SDK's product token.
    pub const USER_AGENT: &str = "user-agent";
    /// Sent by every operation that returns JSON.
    pub const ACCEPT: &str = "accept";
    /// Sent with a JSON body.
    pub const CONTENT_TYPE: &str = "content-type";
    /// Read from 429/503 responses.
    pub const RETRY_AFTER: &str = "retry-after";
}

/// `accept` value of JSON operations.
pub const ACCEPT_JSON: &str = "application/json";
/// `content-type` of JSON bodies.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";

/// What `encodeURIComponent` leaves alone: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes a path parameter exactly like JavaScript's `encodeURIComponent`.
pub fn encode_uri_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A request body, typed.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Body<'a> {
    /// No body.
    None,
    /// The message of createSendMessage.
    Message(&'a BaseMessage),
    /// The provisioning request of createConfigureAccount.
    ConfigureAccount(&'a ConfigureAccountRequest),
    /// JSON text sent exactly as given, unchecked, or no body at all (`None`): for callers that
    /// decide the body themselves, such as the original SDK's surface (see
    /// [`crate::engine::Engine::request_with`]). Refused only by operations that take no body.
    AsGiven(Option<&'a str>),
}

/// A request ready to send. `Debug` hides the `authorization` header.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Headers, lower-case names, in a stable order.
    pub headers: Vec<(&'static str, String)>,
    /// The body (JSON text), if any.
    pub body: Option<String>,
}

/// Headers as `Debug` shows them: the `authorization` value hidden.
pub(crate) fn redacted<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    headers
        .iter()
        .map(|(k, v)| {
            let v = if *k == header::AUTHORIZATION {
                "[redacted]"
            } else {
                v.as_str()
            };
            (*k, v)
        })
        .collect()
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &redacted(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// Validates the arguments and builds the request for `op`.
///
/// `id` is the path parameter (app_user_id / facebook_page_id) for operations that have one;
/// `body` must match the operation's body kind. Every problem is an `invalid_input` error naming
/// the field as Rust code writes it (`app_user_id`, `callback_url`, `actions[0].response_text`),
/// returned before anything is sent.
pub fn build_request(
    config: &Config,
    op: Operation,
    id: Option<&str>,
    body: Body<'_>,
) -> Result<HttpRequest, Error> {
    let (url, json) = build_target(config, op, id, body)?;
    Ok(HttpRequest {
        method: op.spec().method,
        url,
        headers: request_headers(config, op),
        body: json,
    })
}

/// The headers of every request of `op` under `config`: they depend on nothing else, so callers
/// that send many requests can build them once (see [`build_target`]).
pub fn request_headers(config: &Config, op: Operation) -> Vec<(&'static str, String)> {
    let spec = op.spec();
    let mut headers = Vec::with_capacity(4);
    if let Some(auth) = config.authorization() {
        headers.push((header::AUTHORIZATION, auth.to_owned()));
    }
    headers.push((header::USER_AGENT, config.user_agent().to_owned()));
    if spec.accept_json {
        headers.push((header::ACCEPT, ACCEPT_JSON.to_owned()));
    }
    // Every operation with a body kind sends a JSON body (validation guarantees it is present).
    if spec.body != BodyKind::None {
        headers.push((header::CONTENT_TYPE, CONTENT_TYPE_JSON.to_owned()));
    }
    headers
}

/// The per-call part of [`build_request`]: validates the arguments and returns the URL and the
/// body (JSON text, for operations that take one). With [`request_headers`] and the operation's
/// method it makes the same request as [`build_request`].
pub fn build_target(
    config: &Config,
    op: Operation,
    id: Option<&str>,
    body: Body<'_>,
) -> Result<(String, Option<String>), Error> {
    build_target_for::<Rust>(config, op, id, body)
}

/// [`build_target`], with errors naming fields, parameters and operations as `S` does (the JS
/// engine's are [`crate::operation::Js`]).
pub(crate) fn build_target_for<S: Surface>(
    config: &Config,
    op: Operation,
    id: Option<&str>,
    body: Body<'_>,
) -> Result<(String, Option<String>), Error> {
    let spec = op.spec();
    let mut url = String::with_capacity(config.base_url().len() + spec.path.len() + 48);
    url.push_str(config.base_url());
    match (spec.path_param, id) {
        (Some(name), Some(value)) => {
            let value = validate::id(value).map_err(|why| {
                let name = S::param(name);
                let message = sentence(&name, why);
                Error::invalid_input(name, message)
            })?;
            let placeholder = spec.path.find('{').unwrap_or(spec.path.len());
            let after = spec.path[placeholder..]
                .find('}')
                .map_or(spec.path.len(), |end| placeholder + end + 1);
            url.push_str(&spec.path[..placeholder]);
            url.extend(utf8_percent_encode(value, COMPONENT));
            url.push_str(&spec.path[after..]);
        }
        (Some(name), None) => {
            let name = S::param(name);
            let message = sentence(&name, "is required");
            return Err(Error::invalid_input(name, message));
        }
        (None, Some(_)) => {
            let message = sentence(&S::operation(op), "takes no path parameter");
            return Err(Error::invalid_input("id", message));
        }
        (None, None) => url.push_str(spec.path),
    }

    let json = match (spec.body, body) {
        (BodyKind::None, Body::None | Body::AsGiven(None)) => None,
        (kind, Body::AsGiven(json)) if kind != BodyKind::None => json.map(str::to_owned),
        // Typed bodies follow the same rules as JSON ones (crate::body): written, then checked.
        (BodyKind::Message, Body::Message(m)) => Some(crate::body::check::<S>(
            &operation::MESSAGE,
            &m.to_wire_json(),
        )?),
        (BodyKind::ConfigureAccount, Body::ConfigureAccount(a)) => Some(crate::body::check::<S>(
            &operation::ACCOUNT,
            &a.to_wire_json(),
        )?),
        (BodyKind::None, _) => {
            let message = sentence(&S::operation(op), "takes no body");
            return Err(Error::invalid_input("body", message));
        }
        (_, _) => {
            let message = sentence(&S::operation(op), "requires a body of the right kind");
            return Err(Error::invalid_input("body", message));
        }
    };
    Ok((url, json))
}

/// `subject` and `rest`, joined by a space: without `format!`, each of whose sites costs the
/// wasm engine code size.
pub(crate) fn sentence(subject: &str, rest: &str) -> String {
    let mut s = String::with_capacity(subject.len() + 1 + rest.len());
    s.push_str(subject);
    s.push(' ');
    s.push_str(rest);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encode_uri_component("a/b c?d#e"), "a%2Fb%20c%3Fd%23e");
        assert_eq!(encode_uri_component("-_.!~*'()"), "-_.!~*'()");
        assert_eq!(encode_uri_component("100%"), "100%25");
        assert_eq!(encode_uri_component("é😀"), "%C3%A9%F0%9F%98%80");
        assert_eq!(encode_uri_component("a+b&c=d;e"), "a%2Bb%26c%3Dd%3Be");
    }
}
