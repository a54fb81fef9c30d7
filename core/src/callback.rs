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

use crate::json::Reader;
use serde_json::{Map, Value};
use std::borrow::Cow;
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
    dedup_key: String,
}

impl CallbackEvent {
    /// A key that is equal for redeliveries of the same event: the event's `id` when it has one,
    /// else its type, account, user, message direction, timestamp and text.
    pub fn dedup_key(&self) -> &str {
        &self.dedup_key
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

/// One object's fields as read: the known ones, and the others as written.
struct Fields<'a> {
    known: Vec<(&'static str, Option<Cow<'a, str>>)>,
    extra: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&str> {
        self.known
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn take(&mut self, name: &str) -> Option<String> {
        self.known
            .iter_mut()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.take())
            .map(Cow::into_owned)
    }
}

/// A body read without building a tree: borrowed from the text, so the engine's JSON output
/// needs no JSON library beyond core's reader (the browser build stays small).
struct Scanned<'a> {
    top: Fields<'a>,
    app_user: Option<Fields<'a>>,
    message: Option<Fields<'a>>,
    /// The `id` field, when it is a string (the de-duplication key).
    id: Option<Cow<'a, str>>,
}

const TOP: [&str; 3] = ["type", "account_id", "page_id"];
const USER: [&str; 3] = ["id", "given_name", "surname"];
const MESSAGE: [&str; 4] = ["direction", "text", "channel", "timestamp"];

/// A string field (or null); any other JSON type is not what the contract says.
fn string_or_null<'a>(
    r: &mut Reader<'a>,
    at: &str,
    key: &str,
) -> Result<Option<Cow<'a, str>>, Refusal> {
    match r.peek() {
        Some(b'"') => Ok(Some(r.string()?)),
        Some(b'n') => {
            r.null()?;
            Ok(None)
        }
        _ => Err(Refusal::Event(format!("{at}{key} must be a string"))),
    }
}

/// Why a scan stopped: a syntax error (the body is not JSON) or a shape error.
enum Refusal {
    Json,
    Event(String),
}

impl From<crate::json::JsonError> for Refusal {
    fn from(_: crate::json::JsonError) -> Self {
        Refusal::Json
    }
}

fn fields<'a>(
    r: &mut Reader<'a>,
    names: &'static [&'static str],
    at: &str,
    // `dyn`: one copy of this function in the wasm build, not one per caller.
    nested: &mut dyn FnMut(&mut Reader<'a>, &str) -> Result<bool, Refusal>,
) -> Result<Fields<'a>, Refusal> {
    let mut out = Fields {
        known: names.iter().map(|n| (*n, None)).collect(),
        extra: Vec::new(),
    };
    let mut failure = None;
    let result = r.object(|r, key| {
        let step = (|| {
            if let Some(i) = names.iter().position(|n| *n == key) {
                out.known[i].1 = string_or_null(r, at, key)?;
            } else if !nested(r, key)? {
                let raw = r.raw_value()?;
                out.extra.push((Cow::Owned(key.to_owned()), raw));
            }
            Ok(())
        })();
        step.map_err(|e: Refusal| {
            let err = r.error("stopped");
            failure = Some(e);
            err
        })
    });
    match (result, failure) {
        (_, Some(refusal)) => Err(refusal),
        (Err(_), None) => Err(Refusal::Json),
        (Ok(()), None) => Ok(out),
    }
}

fn object_or_null<'a>(
    r: &mut Reader<'a>,
    names: &'static [&'static str],
    key: &'static str,
    at: &'static str,
) -> Result<Option<Fields<'a>>, Refusal> {
    match r.peek() {
        Some(b'{') => Ok(Some(fields(r, names, at, &mut |_, _| Ok(false))?)),
        Some(b'n') => {
            r.null()?;
            Ok(None)
        }
        _ => Err(Refusal::Event(format!("{key} must be an object"))),
    }
}

fn scan(body: &[u8]) -> Result<(&str, Scanned<'_>), CallbackError> {
    let not_json = |why: &dyn fmt::Display| {
        CallbackError::new(
            CallbackErrorKind::NotJson,
            format!(
                "The callback body is not JSON ({why}); expected a Conversations event object."
            ),
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| not_json(&"not UTF-8"))?;
    // Syntax first: a body that is not JSON at all says so, whatever its first fields are.
    let mut check = Reader::new(text);
    check
        .skip()
        .and_then(|()| check.finish())
        .map_err(|e| not_json(&e))?;
    let mut r = Reader::new(text);
    if r.peek() != Some(b'{') {
        return Err(not_an_event("expected a JSON object"));
    }
    let mut app_user = None;
    let mut message = None;
    let top = fields(&mut r, &TOP, "", &mut |r, key| match key {
        "app_user" => {
            app_user = object_or_null(r, &USER, "app_user", "app_user.")?;
            Ok(true)
        }
        "message" => {
            message = object_or_null(r, &MESSAGE, "message", "message.")?;
            Ok(true)
        }
        _ => Ok(false),
    });
    let top = match top {
        Ok(top) => top,
        Err(Refusal::Json) => return Err(not_json(&"invalid JSON")),
        Err(Refusal::Event(why)) => return Err(not_an_event(why)),
    };
    // The event's own id, when it has one as a string, is its de-duplication key.
    let id = top
        .extra
        .iter()
        .find(|(k, raw)| k == "id" && raw.starts_with('"'))
        .and_then(|(_, raw)| Reader::new(raw).string().ok());
    let scanned = Scanned {
        top,
        app_user,
        message,
        id,
    };
    match scanned.top.get("type") {
        Some(t) if !t.bytes().all(|b| b.is_ascii_whitespace()) => {}
        _ => return Err(not_an_event("\"type\" must be a non-empty string")),
    }
    if let Some(user) = &scanned.app_user {
        if user.get("id").is_none() {
            return Err(not_an_event("app_user.id is missing"));
        }
    }
    if scanned.top.get("type") == Some(MESSAGE_RECEIVED)
        && (scanned.app_user.is_none() || scanned.message.is_none())
    {
        return Err(not_an_event(
            "a message.received event needs \"app_user\" and \"message\" objects",
        ));
    }
    Ok((text, scanned))
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
        // Whole seconds as integers: float formatting would add its tables to the wasm build.
        return Err(stale(format!(
            "The callback's Date header is {} s away from now, more than the {} s allowed.",
            (age / 1000.0) as u64,
            (max_age_ms / 1000.0) as u64
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

impl Scanned<'_> {
    fn dedup_key(&self) -> String {
        if let Some(id) = &self.id {
            return format!("id:{id}");
        }
        let user = self.app_user.as_ref().and_then(|u| u.get("id"));
        let message = |k| self.message.as_ref().and_then(|m| m.get(k));
        let parts = [
            self.top.get("type"),
            self.top.get("account_id"),
            user,
            message("direction"),
            message("timestamp"),
            message("text"),
        ];
        let mut out = String::from("[");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match part {
                Some(s) => crate::json::write_str(&mut out, s),
                None => out.push_str("null"),
            }
        }
        out.push(']');
        out
    }
}

fn owned_extra(fields: &Fields<'_>) -> Map<String, Value> {
    fields
        .extra
        .iter()
        // Checked by the scan: every raw value is valid JSON.
        .map(|(k, raw)| {
            (
                k.to_string(),
                serde_json::from_str(raw).unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// Parses a callback body (UTF-8 JSON) into an event. See the module docs for what is accepted.
pub fn parse(body: &[u8]) -> Result<CallbackEvent, CallbackError> {
    let (text, scanned) = scan(body)?;
    let dedup_key = scanned.dedup_key();
    let Scanned {
        mut top,
        app_user,
        message,
        ..
    } = scanned;
    let event_type = top.take("type").unwrap_or_default();
    let kind = match event_type.as_str() {
        MESSAGE_RECEIVED => EventKind::MessageReceived,
        other => EventKind::Other(other.to_owned()),
    };
    Ok(CallbackEvent {
        kind,
        account_id: top.take("account_id"),
        page_id: top.take("page_id"),
        app_user: app_user.map(|mut u| CallbackUser {
            extra: owned_extra(&u),
            id: u.take("id").unwrap_or_default(),
            given_name: u.take("given_name"),
            surname: u.take("surname"),
        }),
        message: message.map(|mut m| CallbackMessage {
            extra: owned_extra(&m),
            direction: m.take("direction"),
            text: m.take("text"),
            channel: m.take("channel"),
            timestamp: m.take("timestamp"),
        }),
        extra: owned_extra(&top),
        event_type,
        raw: serde_json::from_str(text).unwrap_or(Value::Null),
        dedup_key,
    })
}

/// `given_name` → `givenName`, for the JS view.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            // ASCII only: the API's keys are snake_case, and Unicode case tables would weigh on the wasm build.
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes one object of the JS view: the known fields under their camelCase names (null when
/// absent), then the unknown ones camelCased, as written; a name already used is not repeated.
fn write_fields(out: &mut String, fields: &Fields<'_>, tail: &[(&str, &str)]) {
    let mut used: Vec<String> = Vec::new();
    out.push('{');
    for (key, value) in &fields.known {
        if !used.is_empty() {
            out.push(',');
        }
        let name = camel(key);
        crate::json::write_str(out, &name);
        out.push(':');
        match value {
            Some(v) => crate::json::write_str(out, v),
            None => out.push_str("null"),
        }
        used.push(name);
    }
    for (name, raw) in tail {
        out.push(',');
        crate::json::write_str(out, name);
        out.push(':');
        out.push_str(raw);
        used.push((*name).to_owned());
    }
    for (key, raw) in &fields.extra {
        let name = camel(key);
        if used.contains(&name) {
            continue;
        }
        out.push(',');
        crate::json::write_str(out, &name);
        out.push(':');
        out.push_str(raw);
        used.push(name);
    }
    out.push('}');
}

fn write_event(out: &mut String, text: &str, scanned: &Scanned<'_>) {
    let nested = |fields: &Option<Fields<'_>>| {
        let mut s = String::new();
        match fields {
            Some(f) => write_fields(&mut s, f, &[]),
            None => s.push_str("null"),
        }
        s
    };
    let user = nested(&scanned.app_user);
    let message = nested(&scanned.message);
    let mut key = String::new();
    crate::json::write_str(&mut key, &scanned.dedup_key());
    write_fields(
        out,
        &scanned.top,
        &[
            ("appUser", &user),
            ("message", &message),
            ("dedupKey", &key),
            ("raw", text.trim()),
        ],
    );
}

/// The engine's entry point (`Engine.parseCallback` in `npm/ENGINE.md`): `date` is the request's
/// `Date` header (or None), `max_age_ms` negative for no freshness window.
/// Returns `{"ok": EVENT}` or `{"error": {"code", "status", "message"}}`, EVENT being the JS
/// view: camelCase keys (unknown ones converted too, their values as sent), absent known fields
/// as `null`, `dedupKey`, and the body as sent in `raw`. Written with core's own JSON reader
/// and writer, so the browser build links no JSON library. The signature itself is checked by
/// the caller's verifier before this call.
pub fn parse_to_json(date: Option<&str>, body: &[u8], max_age_ms: f64, now_ms: f64) -> String {
    let result = (|| {
        if max_age_ms >= 0.0 {
            check_fresh(date, max_age_ms, now_ms)?;
        }
        scan(body)
    })();
    let mut out = String::with_capacity(body.len() * 2 + 64);
    match result {
        Ok((text, scanned)) => {
            out.push_str("{\"ok\":");
            write_event(&mut out, text, &scanned);
        }
        Err(e) => {
            out.push_str("{\"error\":{\"code\":");
            crate::json::write_str(&mut out, e.code());
            out.push_str(",\"status\":");
            out.push_str(&e.status().to_string());
            out.push_str(",\"message\":");
            crate::json::write_str(&mut out, &e.message);
            out.push('}');
        }
    }
    out.push('}');
    out
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
    fn typed_parse_agrees_with_the_engine_view() {
        let body = br#" {"type":"message.received","id":null,"delivery_attempt":2,"app_user":{"id":"u1","given_name":"Zo\u00eb","profile_pic":"p"},"message":{"text":"Hi \"x\"","media":{"url":"m"}}} "#;
        let event = parse(body).unwrap();
        assert_eq!(event.kind, EventKind::MessageReceived);
        let user = event.app_user.as_ref().unwrap();
        assert_eq!(
            (user.id.as_str(), user.given_name.as_deref()),
            ("u1", Some("Zoë"))
        );
        assert_eq!(user.extra["profile_pic"], "p");
        let message = event.message.as_ref().unwrap();
        assert_eq!(message.text.as_deref(), Some("Hi \"x\""));
        assert_eq!(message.extra["media"]["url"], "m");
        assert_eq!(event.extra["delivery_attempt"], 2);
        assert_eq!(event.raw["app_user"]["given_name"], "Zoë");
        let js: Value = serde_json::from_str(&parse_to_json(None, body, -1.0, 0.0)).unwrap();
        assert_eq!(js["ok"]["dedupKey"], event.dedup_key());
        assert_eq!(js["ok"]["appUser"]["profilePic"], "p");
        assert_eq!(js["ok"]["deliveryAttempt"], 2);
        assert_eq!(js["ok"]["raw"], event.raw);
        assert_eq!(
            parse(br#"{"type":"x","id":"e1"}"#).unwrap().dedup_key(),
            "id:e1"
        );
        assert_eq!(
            parse(b"{\"type\":\"x\"").unwrap_err().kind,
            CallbackErrorKind::NotJson
        );
        assert_eq!(
            parse(b"[1]").unwrap_err().kind,
            CallbackErrorKind::NotAnEvent
        );
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
