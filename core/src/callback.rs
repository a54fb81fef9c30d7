//! Inbound callbacks: what the API POSTs to the account's `callback_url`, parsed without I/O.
//!
//! The beta's callback format is not documented. Until it is, the event the sandbox delivers
//! (`tests/vectors/callbacks.json`, case `sandbox-contract`, which the sandbox's own tests check
//! its events against) is the provisional contract:
//!
//! ```json
//! {"type": "message.received", "account_id": "…", "page_id": "…",
//!  "app_user": {"id": "…", "given_name": "Ben", "surname": "Sims"},
//!  "message": {"direction": "RECEIVED", "text": "Hi!", "channel": "FACEBOOK", "timestamp": "…"}}
//! ```
//!
//! Parsing is therefore tolerant: any JSON object with a string `type` is an event; unknown
//! types and fields are kept ([`CallbackEvent::extra`], [`EventKind::Other`]) and the whole body
//! is always available as [`CallbackEvent::raw`]. Only a known type with a field of the wrong
//! JSON type, or a body that is not an event at all, is refused.
//!
//! Beta callbacks are unsigned. MessageMedia's signed webhooks put an RSA signature in
//! `X-Messagemedia-Signature` over the request line, the `Date` header and the body; this module
//! does not guess that scheme. [`verify`] hands those parts to a [`Verifier`] of the caller's and
//! checks the `Date` header against a freshness window, so a signature check slots in without
//! changing the parsing.
//!
//! ```
//! use conversations_core::callback::{parse, EventKind};
//!
//! let body = br#"{"type":"message.received","app_user":{"id":"u1","given_name":"Ben"},
//!                 "message":{"direction":"RECEIVED","text":"Hi!","channel":"FACEBOOK"}}"#;
//! let event = parse(body)?;
//! assert_eq!(event.kind, EventKind::MessageReceived);
//! assert_eq!(event.app_user.as_ref().map(|u| u.id.as_str()), Some("u1"));
//! assert_eq!(event.message.as_ref().and_then(|m| m.text.as_deref()), Some("Hi!"));
//! # Ok::<(), conversations_core::callback::CallbackError>(())
//! ```

use serde_json::{Map, Value};
use std::fmt;

/// The event type of an inbound message.
pub const MESSAGE_RECEIVED: &str = "message.received";
/// The header MessageMedia's signed webhooks carry their signature in.
pub const SIGNATURE_HEADER: &str = "x-messagemedia-signature";

/// What kind of event a callback is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// `message.received`: a user wrote to an integrated page.
    MessageReceived,
    /// A type this version does not know; the event is still delivered, with all its fields.
    Other(String),
}

/// The app user an event is about.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CallbackUser {
    /// The app user id (the path parameter of the users endpoints).
    pub id: String,
    /// Given name, when sent.
    pub given_name: Option<String>,
    /// Surname, when sent.
    pub surname: Option<String>,
    /// Fields this version does not know, as sent.
    pub extra: Map<String, Value>,
}

/// The message of an event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CallbackMessage {
    /// `RECEIVED` or `SENT` (or a value the API adds).
    pub direction: Option<String>,
    /// The text; absent for e.g. an image.
    pub text: Option<String>,
    /// `FACEBOOK` (or a channel the API adds).
    pub channel: Option<String>,
    /// The timestamp exactly as sent.
    pub timestamp: Option<String>,
    /// Fields this version does not know (`type`, `media`, `response_text`, …), as sent.
    pub extra: Map<String, Value>,
}

/// One parsed callback.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CallbackEvent {
    /// The `type` field as sent.
    pub event_type: String,
    /// The type, classified.
    pub kind: EventKind,
    /// The account, when sent.
    pub account_id: Option<String>,
    /// The page, when sent.
    pub page_id: Option<String>,
    /// The app user, when sent.
    pub app_user: Option<CallbackUser>,
    /// The message, when sent.
    pub message: Option<CallbackMessage>,
    /// Top-level fields this version does not know, as sent.
    pub extra: Map<String, Value>,
    /// The whole body as parsed: nothing the server sent is lost.
    pub raw: Value,
}

impl CallbackEvent {
    /// A key that is equal for redeliveries of the same event: the event's `id` when it has one,
    /// else its type, account, user, message direction, timestamp and text.
    pub fn dedup_key(&self) -> String {
        if let Some(Value::String(id)) = self.extra.get("id") {
            return format!("id:{id}");
        }
        let parts = [
            Some(self.event_type.as_str()),
            self.account_id.as_deref(),
            self.app_user.as_ref().map(|u| u.id.as_str()),
            self.message.as_ref().and_then(|m| m.direction.as_deref()),
            self.message.as_ref().and_then(|m| m.timestamp.as_deref()),
            self.message.as_ref().and_then(|m| m.text.as_deref()),
        ];
        Value::Array(
            parts
                .iter()
                .map(|p| p.map_or(Value::Null, |s| Value::String(s.to_owned())))
                .collect(),
        )
        .to_string()
    }
}

/// Why a callback was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackErrorKind {
    /// The body is not JSON (answer 400).
    NotJson,
    /// The body is JSON but not an event (answer 400).
    NotAnEvent,
    /// The verifier refused the request (answer 401).
    Unverified,
    /// The `Date` header is missing, unreadable or outside the freshness window (answer 401).
    Stale,
}

/// A refused callback: the kind, and a message that says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackError {
    /// What went wrong.
    pub kind: CallbackErrorKind,
    /// A sentence for logs and the response body.
    pub message: String,
}

impl CallbackError {
    fn new(kind: CallbackErrorKind, message: impl Into<String>) -> Self {
        CallbackError {
            kind,
            message: message.into(),
        }
    }

    /// The stable machine code: `not_json`, `not_an_event`, `unverified` or `stale`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            CallbackErrorKind::NotJson => "not_json",
            CallbackErrorKind::NotAnEvent => "not_an_event",
            CallbackErrorKind::Unverified => "unverified",
            CallbackErrorKind::Stale => "stale",
        }
    }

    /// The HTTP status a receiver answers with: 400 for a body that is not an event, 401 for a
    /// request that failed verification (neither is retried into success by the sender).
    pub fn status(&self) -> u16 {
        match self.kind {
            CallbackErrorKind::NotJson | CallbackErrorKind::NotAnEvent => 400,
            CallbackErrorKind::Unverified | CallbackErrorKind::Stale => 401,
        }
    }
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallbackError {}

fn not_an_event(why: impl fmt::Display) -> CallbackError {
    CallbackError::new(
        CallbackErrorKind::NotAnEvent,
        format!("The callback body is not a Conversations event: {why}."),
    )
}

/// Takes an optional string field out of `obj`; any other JSON type than string or null is refused.
fn take_str(
    obj: &mut Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<String>, CallbackError> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(not_an_event(format_args!("{at}{key} must be a string"))),
    }
}

fn take_object(
    obj: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<Map<String, Value>>, CallbackError> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(not_an_event(format_args!("{key} must be an object"))),
    }
}

/// Parses a callback body (UTF-8 JSON) into an event. See the module docs for what is accepted.
pub fn parse(body: &[u8]) -> Result<CallbackEvent, CallbackError> {
    let raw: Value = serde_json::from_slice(body).map_err(|e| {
        CallbackError::new(
            CallbackErrorKind::NotJson,
            format!("The callback body is not JSON ({e}); expected a Conversations event object."),
        )
    })?;
    let Value::Object(mut obj) = raw.clone() else {
        return Err(not_an_event("expected a JSON object"));
    };
    let event_type = match obj.remove("type") {
        Some(Value::String(t)) if !t.trim().is_empty() => t,
        _ => return Err(not_an_event("\"type\" must be a non-empty string")),
    };
    let kind = match event_type.as_str() {
        MESSAGE_RECEIVED => EventKind::MessageReceived,
        other => EventKind::Other(other.to_owned()),
    };
    let account_id = take_str(&mut obj, "account_id", "")?;
    let page_id = take_str(&mut obj, "page_id", "")?;
    let app_user = match take_object(&mut obj, "app_user")? {
        None => None,
        Some(mut u) => {
            let id = take_str(&mut u, "id", "app_user.")?
                .ok_or_else(|| not_an_event("app_user.id is missing"))?;
            Some(CallbackUser {
                id,
                given_name: take_str(&mut u, "given_name", "app_user.")?,
                surname: take_str(&mut u, "surname", "app_user.")?,
                extra: u,
            })
        }
    };
    let message = match take_object(&mut obj, "message")? {
        None => None,
        Some(mut m) => Some(CallbackMessage {
            direction: take_str(&mut m, "direction", "message.")?,
            text: take_str(&mut m, "text", "message.")?,
            channel: take_str(&mut m, "channel", "message.")?,
            timestamp: take_str(&mut m, "timestamp", "message.")?,
            extra: m,
        }),
    };
    if kind == EventKind::MessageReceived && (app_user.is_none() || message.is_none()) {
        return Err(not_an_event(
            "a message.received event needs \"app_user\" and \"message\" objects",
        ));
    }
    Ok(CallbackEvent {
        event_type,
        kind,
        account_id,
        page_id,
        app_user,
        message,
        extra: obj,
        raw,
    })
}

/// The parts of a callback request a signature covers, handed to a [`Verifier`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SignedParts<'a> {
    /// The request method, e.g. `POST`.
    pub method: &'a str,
    /// The request target as received, e.g. `/callbacks?x=1`.
    pub target: &'a str,
    /// The `Date` header, when present.
    pub date: Option<&'a str>,
    /// The `X-Messagemedia-Signature` header, when present.
    pub signature: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
}

impl<'a> SignedParts<'a> {
    /// The parts of one request: method, target, `Date`, signature header and raw body.
    pub fn new(
        method: &'a str,
        target: &'a str,
        date: Option<&'a str>,
        signature: Option<&'a str>,
        body: &'a [u8],
    ) -> Self {
        SignedParts {
            method,
            target,
            date,
            signature,
            body,
        }
    }

    /// The parts of a request given as a header list (names matched case-insensitively).
    pub fn from_headers(
        method: &'a str,
        target: &'a str,
        headers: &'a [(String, String)],
        body: &'a [u8],
    ) -> Self {
        Self::new(
            method,
            target,
            header(headers, "date"),
            header(headers, SIGNATURE_HEADER),
            body,
        )
    }
}

/// A check of a callback's authenticity (e.g. MessageMedia's RSA webhook signature, once the
/// Conversations API signs its callbacks). Any `Fn(&SignedParts) -> Result<(), String>` is one.
pub trait Verifier {
    /// `Ok` to accept the request, `Err(why)` to refuse it.
    fn verify(&self, parts: &SignedParts<'_>) -> Result<(), String>;
}

impl<F: Fn(&SignedParts<'_>) -> Result<(), String>> Verifier for F {
    fn verify(&self, parts: &SignedParts<'_>) -> Result<(), String> {
        self(parts)
    }
}

/// The header `name` (case-insensitive) among `headers`.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Checks that the `Date` header is within `max_age_ms` of `now_ms` (ms since the Unix epoch),
/// either way, so a captured request cannot be replayed later.
pub fn check_fresh(date: Option<&str>, max_age_ms: f64, now_ms: f64) -> Result<(), CallbackError> {
    let stale = |why: String| CallbackError::new(CallbackErrorKind::Stale, why);
    let date = date.ok_or_else(|| {
        stale("The callback has no Date header, and a freshness window is required.".into())
    })?;
    let at = httpdate::parse_http_date(date.trim()).map_err(|_| {
        stale(format!(
            "The callback's Date header is not an HTTP date: {date:?}."
        ))
    })?;
    let at_ms = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    let age = (now_ms - at_ms).abs();
    if age > max_age_ms {
        return Err(stale(format!(
            "The callback's Date header is {:.0} s away from now, more than the {:.0} s allowed.",
            age / 1000.0,
            max_age_ms / 1000.0
        )));
    }
    Ok(())
}

/// Verifies a callback request (freshness, then `verifier`), then parses its body.
/// `max_age_ms: None` skips the freshness check (beta callbacks carry no signed date).
pub fn verify(
    parts: &SignedParts<'_>,
    verifier: &dyn Verifier,
    max_age_ms: Option<f64>,
    now_ms: f64,
) -> Result<CallbackEvent, CallbackError> {
    if let Some(max) = max_age_ms {
        check_fresh(parts.date, max, now_ms)?;
    }
    verifier.verify(parts).map_err(|why| {
        CallbackError::new(
            CallbackErrorKind::Unverified,
            format!("The callback failed verification: {why}."),
        )
    })?;
    parse(parts.body)
}

/// `given_name` → `givenName`, for the JS view of unknown fields.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn with_extra(mut known: Map<String, Value>, extra: &Map<String, Value>) -> Value {
    for (k, v) in extra {
        known.entry(camel(k)).or_insert_with(|| v.clone());
    }
    Value::Object(known)
}

fn opt(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

/// The event as the JS layer sees it: camelCase keys (unknown ones converted too), absent known
/// fields as `null`, plus `dedupKey` and the body as sent in `raw`.
pub fn event_to_js(event: &CallbackEvent) -> Value {
    let mut top = Map::new();
    top.insert("type".into(), Value::String(event.event_type.clone()));
    top.insert("accountId".into(), opt(&event.account_id));
    top.insert("pageId".into(), opt(&event.page_id));
    let user = event.app_user.as_ref().map_or(Value::Null, |u| {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(u.id.clone()));
        m.insert("givenName".into(), opt(&u.given_name));
        m.insert("surname".into(), opt(&u.surname));
        with_extra(m, &u.extra)
    });
    top.insert("appUser".into(), user);
    let message = event.message.as_ref().map_or(Value::Null, |msg| {
        let mut m = Map::new();
        m.insert("direction".into(), opt(&msg.direction));
        m.insert("text".into(), opt(&msg.text));
        m.insert("channel".into(), opt(&msg.channel));
        m.insert("timestamp".into(), opt(&msg.timestamp));
        with_extra(m, &msg.extra)
    });
    top.insert("message".into(), message);
    top.insert("dedupKey".into(), Value::String(event.dedup_key()));
    top.insert("raw".into(), event.raw.clone());
    with_extra(top, &event.extra)
}

/// The engine's entry point (`Engine.parseCallback` in `npm/ENGINE.md`): `headers_json` is a
/// JSON object of header name → value (or null), `max_age_ms` negative for no freshness window.
/// Returns `{"ok": EVENT}` (see [`event_to_js`]) or `{"error": {"code", "status", "message"}}`.
/// The signature itself is checked by the caller's verifier before this call.
pub fn parse_to_json(
    headers_json: Option<&str>,
    body: &[u8],
    max_age_ms: f64,
    now_ms: f64,
) -> String {
    let result = (|| {
        if max_age_ms >= 0.0 {
            let headers: Map<String, Value> = headers_json
                .and_then(|h| serde_json::from_str(h).ok())
                .unwrap_or_default();
            let date = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("date"))
                .and_then(|(_, v)| v.as_str());
            check_fresh(date, max_age_ms, now_ms)?;
        }
        parse(body)
    })();
    let envelope = match result {
        Ok(event) => serde_json::json!({ "ok": event_to_js(&event) }),
        Err(e) => serde_json::json!({
            "error": { "code": e.code(), "status": e.status(), "message": e.message }
        }),
    };
    envelope.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case() {
        assert_eq!(camel("response_text"), "responseText");
        assert_eq!(camel("_x"), "_x");
        assert_eq!(camel("id"), "id");
    }

    #[test]
    fn verifier_runs_after_freshness() {
        let parts = SignedParts {
            method: "POST",
            target: "/cb",
            date: Some("Sun, 06 Nov 1994 08:49:37 GMT"),
            signature: None,
            body: br#"{"type":"x"}"#,
        };
        let now = 784_111_777_000.0;
        let refuse = |_: &SignedParts<'_>| Err("no signature".to_owned());
        let accept = |p: &SignedParts<'_>| p.signature.map_or(Ok(()), |_| Err("bad".into()));
        assert_eq!(
            verify(&parts, &refuse, None, now).map_err(|e| e.kind),
            Err(CallbackErrorKind::Unverified)
        );
        assert!(verify(&parts, &accept, Some(1000.0), now).is_ok());
        assert_eq!(
            verify(&parts, &accept, Some(1000.0), now + 5000.0).map_err(|e| e.kind),
            Err(CallbackErrorKind::Stale)
        );
    }
}
