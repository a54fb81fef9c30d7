//! The engine: core's whole protocol behind a string-and-bytes interface, so that each binding
//! (napi for Node, wasm-bindgen for browsers) is only type conversion plus I/O. The interface is
//! specified for JS callers in `npm/ENGINE.md` and exercised by the conformance vectors.

use crate::call::{Call, Clock, End, Failure, Step};
use crate::config::Config;
use crate::decode::{decode, transcode, Output};
use crate::error::Error;
use crate::json::{write_key, write_str, Wire};
use crate::operation::Js;
use crate::operation::Method;
use crate::operation::Operation;
use crate::request::{build_target_for, request_headers, Body, HttpRequest};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The engine's configuration as JS passes it (camelCase; numbers are JS numbers).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct EngineConfig {
    /// API base URL (default: production).
    pub base_url: Option<String>,
    /// Basic-auth user (API key).
    pub username: Option<String>,
    /// Basic-auth password (API secret).
    pub password: Option<String>,
    /// Product token appended to the user agent.
    pub user_agent_suffix: Option<String>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
    /// Per-attempt timeout in ms.
    pub timeout_ms: Option<f64>,
    /// Overall deadline in ms.
    pub deadline_ms: Option<f64>,
    /// Response size cap in bytes.
    pub max_response_bytes: Option<f64>,
    /// Refuse the production API without credentials (the modern client sets it; the original
    /// SDK's surface does not, as the original sent such calls).
    pub require_credentials: Option<bool>,
}

/// The resolved time, retry and size budget, for the binding's timers and readers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Policy {
    /// The base URL in force (the default when none was configured).
    pub base_url: String,
    /// Per-attempt timeout in ms.
    pub timeout_ms: f64,
    /// Overall deadline in ms.
    pub deadline_ms: f64,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Response size cap in bytes.
    pub max_response_bytes: f64,
    /// The first attempt's budget in ms (see [`Engine::budget`]).
    pub budget_ms: f64,
    /// The lowest status that is a success (the JS layer hands those to a surface's own parser).
    pub success_min: u16,
    /// The highest status that is a success.
    pub success_max: u16,
}

/// What one attempt of a call the JS pipeline drives came to, for [`Engine::after`]: the JS
/// layer keeps no call machine, only these numbers between engine calls.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct Report<'a> {
    /// The attempt's number (1 for the first).
    pub attempt: u32,
    /// The budget the attempt was sent with, in ms (from [`Engine::budget`] or [`Next::Retry`]).
    pub budget_ms: f64,
    /// The call's own per-attempt timeout in ms, when it has one (else the configured one).
    pub timeout_ms: Option<f64>,
    /// The time since the call started, in ms.
    pub elapsed_ms: f64,
    /// The wall clock in ms since the epoch (for an HTTP-date `Retry-After`).
    pub now_ms: f64,
    /// A number in `[0, 1)` for retry jitter.
    pub random: f64,
    /// The response's status when one arrived (its body decoded to an error).
    pub status: Option<u16>,
    /// The response's `Retry-After` header.
    pub retry_after: Option<&'a str>,
    /// How the attempt failed when no response arrived.
    pub failure: Option<Failure>,
}

/// What the JS pipeline does after an attempt that did not end the call well.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Next {
    /// Wait `delay_ms`, then send attempt number `attempt + 1` with `budget_ms`.
    Retry {
        /// The wait before the next attempt.
        delay_ms: f64,
        /// The next attempt's budget, counted from the end of the wait.
        budget_ms: f64,
    },
    /// The call is over.
    Stop(End),
}

/// An error as the engine interface reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// Stable machine code.
    pub code: &'static str,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Human-readable message.
    pub message: String,
    /// Raw response body (lossy UTF-8), when a response arrived.
    pub body: Option<String>,
    /// The offending field, for `invalid_input`.
    pub field: Option<String>,
}

impl ErrorInfo {
    /// Appends the JSON form `{"code","status","message","body","field"}`.
    pub fn write_json(&self, out: &mut String) {
        out.push('{');
        write_key(out, "code");
        write_str(out, self.code);
        out.push(',');
        write_key(out, "status");
        match self.status {
            Some(status) => out.push_str(&status.to_string()),
            None => out.push_str("null"),
        }
        out.push(',');
        write_key(out, "message");
        write_str(out, &self.message);
        out.push(',');
        write_key(out, "body");
        self.body.write_js(out);
        out.push(',');
        write_key(out, "field");
        self.field.write_js(out);
        out.push('}');
    }

    /// The JSON form as a string.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(96 + self.body.as_ref().map_or(0, String::len));
        self.write_json(&mut out);
        out
    }
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        ErrorInfo {
            code: e.code(),
            status: e.status(),
            message: e.message().to_owned(),
            body: e.body_text().map(|b| b.into_owned()),
            field: e.field().map(str::to_owned),
        }
    }
}

/// The constant part of the requests of one operation: see [`Engine::request_head`].
/// `Debug` hides the `authorization` header.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestHead {
    /// The method.
    pub method: Method,
    /// Headers, lower-case names, in the same order as [`HttpRequest::headers`].
    pub headers: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for RequestHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead")
            .field("method", &self.method)
            .field("headers", &crate::request::redacted(&self.headers))
            .finish()
    }
}

/// One account's engine: a validated [`Config`] (or the reason it is invalid).
#[derive(Debug)]
pub struct Engine {
    config: Config,
    config_error: Option<Error>,
}

impl Engine {
    /// Builds an engine; an invalid configuration is kept and reported by
    /// [`Engine::config_error`] and by every [`Engine::request`].
    pub fn new(cfg: EngineConfig) -> Engine {
        match build_config(cfg) {
            Ok(config) => Engine::with_config(config),
            Err(err) => Engine::rejected(err),
        }
    }

    /// Builds an engine from the configuration's JSON text.
    pub fn from_json(json: &str) -> Engine {
        match serde_json::from_str::<Value>(json) {
            Ok(value) => Engine::from_value(value),
            Err(e) => Engine::rejected(invalid_config(e)),
        }
    }

    /// Builds an engine from the configuration as a JSON value (`null` means all defaults).
    pub fn from_value(value: Value) -> Engine {
        let value = if value.is_null() {
            Value::Object(Map::new())
        } else {
            value
        };
        match serde_json::from_value::<EngineConfig>(value) {
            Ok(cfg) => Engine::new(cfg),
            Err(e) => Engine::rejected(invalid_config(e)),
        }
    }

    /// An engine whose every request reports `err`; its policy is the default one. (Public for
    /// bindings that convert the configuration themselves, e.g. wasm without serde_json's
    /// `Value` deserializer.)
    pub fn rejected(err: Error) -> Engine {
        Engine {
            config: Config::default(),
            config_error: Some(err),
        }
    }

    /// Builds an engine over an already validated [`Config`].
    pub fn with_config(config: Config) -> Engine {
        Engine {
            config,
            config_error: None,
        }
    }

    /// The configuration problem, if the configuration was invalid.
    pub fn config_error(&self) -> Option<&Error> {
        self.config_error.as_ref()
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The time, retry and size budget.
    pub fn policy(&self) -> Policy {
        Policy {
            base_url: self.config.base_url().to_owned(),
            timeout_ms: self.config.timeout().as_secs_f64() * 1000.0,
            deadline_ms: self.config.deadline().as_secs_f64() * 1000.0,
            max_retries: self.config.retry().max_retries,
            max_response_bytes: self.config.max_response_bytes() as f64,
            budget_ms: self.budget(None),
            success_min: *crate::call::SUCCESS.start(),
            success_max: *crate::call::SUCCESS.end(),
        }
    }

    /// A call of `op` as core's call machine, started at instant zero, with its own per-attempt
    /// timeout in ms, if any (the wasm binding's `execute` drives one).
    pub fn call(&self, op: Operation, timeout_ms: Option<f64>) -> Call {
        let call = Call::start(op, &self.config, Duration::ZERO);
        match timeout_ms {
            Some(ms) => call.with_timeout(millis(ms)),
            None => call,
        }
    }

    /// The first attempt's budget in ms for a call whose own per-attempt timeout is `timeout_ms`
    /// (`None`: the configured one); every later budget comes from [`Engine::after`]. The same
    /// for every operation: what differs between them is only what happens after an attempt.
    pub fn budget(&self, timeout_ms: Option<f64>) -> f64 {
        match self
            .call(Operation::GetAppUsers, timeout_ms)
            .next(Duration::ZERO)
        {
            Step::Send { budget, .. } => as_ms(budget),
            _ => -1.0,
        }
    }

    /// [`Engine::after`] for the report object of the engine interface (`npm/ENGINE.md`, `after`:
    /// `{ op, attempt, budgetMs, timeoutMs, elapsedMs, nowMs, random, status, retryAfter,
    /// failure }`), read through the binding's accessors: `number` and `text` give a field's
    /// value, `None` when it is absent, null or of another type. The field names live here only.
    pub fn after_js(
        &self,
        number: impl Fn(&str) -> Option<f64>,
        text: impl Fn(&str) -> Option<String>,
    ) -> Next {
        let retry_after = text("retryAfter");
        let mut report = Report {
            attempt: number("attempt").map_or(0, |n| n as u32),
            budget_ms: number("budgetMs").unwrap_or(0.0),
            timeout_ms: number("timeoutMs"),
            elapsed_ms: number("elapsedMs").unwrap_or(0.0),
            now_ms: number("nowMs").unwrap_or(0.0),
            random: number("random").unwrap_or(0.0),
            status: number("status").map(|s| u16::try_from(s as u32).unwrap_or(0)),
            retry_after: retry_after.as_deref(),
            failure: None,
        };
        // An unknown name is a failure core does not retry.
        report.failure = text("failure").map(|n| Failure::from_name(&n).unwrap_or(Failure::Fatal));
        self.after(&text("op").unwrap_or_default(), &report)
    }

    /// The decision after an attempt of `op` that did not end the call well (a response that
    /// decoded to an error, or a failure): core's call machine, resumed from what `report` says.
    /// An unknown operation, or a report with neither a status nor a failure, stops the call.
    pub fn after(&self, op: &str, report: &Report<'_>) -> Next {
        let Some(op) = Operation::from_id(op) else {
            return Next::Stop(End::Failed(Failure::Fatal));
        };
        let mut call = self
            .call(op, report.timeout_ms)
            .resume(report.attempt, millis(report.budget_ms));
        let clock = Clock::new(
            millis(report.elapsed_ms),
            UNIX_EPOCH + millis(report.now_ms),
            report.random,
        );
        match (report.status, report.failure) {
            (Some(status), _) => call.on_response(status, report.retry_after, clock),
            (None, Some(failure)) => call.on_failure(failure, clock),
            (None, None) => call.on_failure(Failure::Fatal, clock),
        }
        let until = match call.next(clock.now) {
            Step::Wait { until } => until,
            Step::Done(end) => return Next::Stop(end),
            // A retry without a wait (zero jitter): the next attempt starts now.
            Step::Send { budget, .. } => {
                return Next::Retry {
                    delay_ms: 0.0,
                    budget_ms: as_ms(budget),
                }
            }
        };
        match call.next(until) {
            Step::Send { budget, .. } => Next::Retry {
                delay_ms: as_ms(until.saturating_sub(clock.now)),
                budget_ms: as_ms(budget),
            },
            Step::Done(end) => Next::Stop(end),
            Step::Wait { .. } => Next::Stop(End::Failed(Failure::Fatal)),
        }
    }

    /// Validates and builds the request of operation `op` (by id); `body_json` is the caller's
    /// body as JSON text (camelCase or snake_case keys).
    pub fn request(
        &self,
        op: &str,
        id: Option<&str>,
        body_json: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        self.request_with(op, id, body_json, false)
    }

    /// [`Engine::request`], or with `passthrough` the request with `body_json` sent exactly as
    /// given: only the path parameter is checked (present and not blank) and the body is neither
    /// parsed nor validated (`None` sends no body). An operation that takes no body still refuses
    /// one. This is how the original SDK's surface sends plain-object bodies as the original did.
    ///
    /// ```
    /// use conversations_core::engine::{Engine, EngineConfig};
    /// let engine = Engine::new(EngineConfig::default());
    /// let body = r#"{"text":"hi","channel":"facebook","extra":null}"#;
    /// let req = engine.request_with("createSendMessage", Some("u1"), Some(body), true).unwrap();
    /// assert_eq!(req.body.as_deref(), Some(body));
    /// assert!(engine.request_with("createSendMessage", Some(" "), Some(body), true).is_err());
    /// ```
    pub fn request_with(
        &self,
        op: &str,
        id: Option<&str>,
        body_json: Option<&str>,
        passthrough: bool,
    ) -> Result<HttpRequest, Error> {
        let (op, url, body) = self.target(op, id, body_json, passthrough)?;
        Ok(HttpRequest {
            method: op.spec().method,
            url,
            headers: request_headers(&self.config, op),
            body,
        })
    }

    /// The constant part of every request of `op`: its method and headers. With
    /// [`Engine::request_line`] it makes the same request as [`Engine::request`], without
    /// rebuilding (and re-crossing into JS) the same headers on every call.
    pub fn request_head(&self, op: &str) -> Result<RequestHead, Error> {
        if let Some(err) = &self.config_error {
            return Err(clone_error(err));
        }
        let op = operation(op)?;
        Ok(RequestHead {
            method: op.spec().method,
            headers: request_headers(&self.config, op),
        })
    }

    /// The per-call part of [`Engine::request`] as one string, so a binding crosses one value:
    /// the URL, followed by `\n` and the body JSON for operations that send one; or, when the
    /// input is invalid, the JSON envelope `{"error": ErrorInfo}` (it starts with `{`, which a
    /// URL never does; URLs never contain a newline: the base URL rejects control characters and
    /// path parameters are percent-encoded).
    pub fn request_line(&self, op: &str, id: Option<&str>, body_json: Option<&str>) -> String {
        self.request_line_with(op, id, body_json, false)
    }

    /// [`Engine::request_line`], with `passthrough` as in [`Engine::request_with`].
    pub fn request_line_with(
        &self,
        op: &str,
        id: Option<&str>,
        body_json: Option<&str>,
        passthrough: bool,
    ) -> String {
        match self.target(op, id, body_json, passthrough) {
            Ok((_, mut url, None)) => {
                url.shrink_to_fit();
                url
            }
            Ok((_, mut url, Some(body))) => {
                url.reserve_exact(body.len() + 1);
                url.push('\n');
                url.push_str(&body);
                url
            }
            Err(err) => envelope("error", 0, |out| ErrorInfo::from(&err).write_json(out)),
        }
    }

    fn target(
        &self,
        op: &str,
        id: Option<&str>,
        body_json: Option<&str>,
        passthrough: bool,
    ) -> Result<(Operation, String, Option<String>), Error> {
        if let Some(err) = &self.config_error {
            return Err(clone_error(err));
        }
        let op = operation(op)?;
        if passthrough {
            let (url, body) =
                build_target_for::<Js>(&self.config, op, id, Body::AsGiven(body_json))?;
            return Ok((op, url, body));
        }
        let (url, body) = match (op.spec().body.model(), body_json) {
            (Some(model), Some(json)) => {
                let wire = crate::body::check::<Js>(model, json)?;
                build_target_for::<Js>(&self.config, op, id, Body::AsGiven(Some(&wire)))?
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    "body",
                    format!("{} takes no body", op.id()),
                ))
            }
            (None, None) => build_target_for::<Js>(&self.config, op, id, Body::None)?,
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    "body",
                    format!("{} requires a body", op.id()),
                ))
            }
        };
        Ok((op, url, body))
    }

    /// Decodes a response into the result of `op`, as the decoded value or error.
    pub fn decode_output(&self, op: &str, status: u16, body: &[u8]) -> Result<Output, Error> {
        let op = self.decodable(op, status, body)?;
        decode(op, status, body)
    }

    /// The operation named `op`, or the error when it is unknown or `body` exceeds the size cap.
    fn decodable(&self, op: &str, status: u16, body: &[u8]) -> Result<Operation, Error> {
        let op = operation(op)?;
        let cap = self.config.max_response_bytes();
        if body.len() > cap {
            return Err(Error::too_large(status, cap));
        }
        Ok(op)
    }

    /// Decodes a response into the JSON envelope `{"ok": OUTPUT}` or `{"error": ErrorInfo}`.
    /// The output is transcoded from the body (see [`crate::decode::transcode`]), not built and
    /// then written.
    pub fn decode(&self, op: &str, status: u16, body: &[u8]) -> String {
        // The camelCase output is about the size of the wire body.
        let mut out = String::with_capacity(16 + body.len() + body.len() / 8);
        out.push_str("{\"ok\":");
        let result = self
            .decodable(op, status, body)
            .and_then(|op| transcode(op, status, body, &mut out));
        match result {
            Ok(()) => {
                out.push('}');
                out
            }
            Err(err) => envelope("error", 256, |out| ErrorInfo::from(&err).write_json(out)),
        }
    }
}

/// The current wall clock in ms since the epoch (for callers outside JS).
pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn as_ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `ms` as a duration: NaN and anything not positive are zero, infinity the longest (1e15 ms).
fn millis(ms: f64) -> Duration {
    if ms > 0.0 {
        Duration::from_secs_f64(ms.min(1e15) / 1000.0)
    } else {
        Duration::ZERO
    }
}

fn envelope(key: &str, size_hint: usize, write: impl FnOnce(&mut String)) -> String {
    // Written straight into the envelope: no intermediate copy of a multi-MB output.
    let mut out = String::with_capacity(64 + size_hint + size_hint / 8);
    out.push('{');
    write_key(&mut out, key);
    write(&mut out);
    out.push('}');
    out
}

fn invalid_config(e: serde_json::Error) -> Error {
    Error::invalid_input("config", format!("invalid configuration: {e}"))
}

fn operation(id: &str) -> Result<Operation, Error> {
    Operation::from_id(id).ok_or_else(|| {
        let mut message = String::from("unknown operation ");
        // Quoted as JSON quotes it (`{:?}` would link core's Unicode escaping tables).
        write_str(&mut message, id);
        Error::invalid_input("operation", message)
    })
}

fn clone_error(e: &Error) -> Error {
    Error::invalid_input(
        e.field().unwrap_or("config").to_owned(),
        e.message().to_owned(),
    )
}

fn build_config(cfg: EngineConfig) -> Result<Config, Error> {
    let mut b = Config::builder()
        .username(cfg.username)
        .password(cfg.password)
        .require_credentials(cfg.require_credentials == Some(true));
    if let Some(url) = cfg.base_url {
        b = b.base_url(url);
    }
    if let Some(s) = cfg.user_agent_suffix {
        b = b.user_agent_suffix(s);
    }
    if let Some(n) = cfg.max_retries {
        b = b.max_retries(whole("maxRetries", n, 100.0)? as u32);
    }
    if let Some(ms) = cfg.timeout_ms {
        b = b.timeout(Duration::from_millis(whole("timeoutMs", ms, 1e10)? as u64));
    }
    if let Some(ms) = cfg.deadline_ms {
        b = b.deadline(Duration::from_millis(whole("deadlineMs", ms, 1e10)? as u64));
    }
    if let Some(n) = cfg.max_response_bytes {
        b = b.max_response_bytes(whole("maxResponseBytes", n, 1e12)? as usize);
    }
    b.build_for(&crate::config::JS)
}

/// A non-negative whole number no larger than `max`.
fn whole(field: &'static str, n: f64, max: f64) -> Result<f64, Error> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max {
        Ok(n)
    } else {
        Err(Error::invalid_input(
            field,
            // `max` is whole: printed as an integer, so wasm builds link no float formatting.
            format!(
                "{field} must be a whole number between 0 and {}",
                max as u64
            ),
        ))
    }
}
