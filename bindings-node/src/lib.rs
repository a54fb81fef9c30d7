//! The napi binding: exposes [`conversations_core::engine::Engine`] to Node as the `Engine` class
//! specified in `npm/ENGINE.md`. Type conversion only; every API fact lives in core.

use conversations_core::call::Failure;
use conversations_core::engine::{Engine, ErrorInfo, Next, RequestHead};
use conversations_core::HttpRequest;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::Arc;

mod fast;
mod io;

/// Adds what napi-rs does not generate: the `Io` class (raw Node-API, see `io.rs`).
#[napi(module_exports)]
pub fn module_exports(exports: Object, env: Env) -> Result<()> {
    io::register(env.raw(), exports.raw())
}

/// One account's engine (see `npm/ENGINE.md`). `decode` and `requestLine`, called on every API
/// call, are own properties of each instance, installed by the constructor (see `fast.rs`).
#[napi(js_name = "Engine")]
pub struct JsEngine {
    inner: Arc<Engine>,
}

#[napi]
impl JsEngine {
    /// Builds an engine from the config object; an invalid config is reported by `configError()`.
    #[napi(constructor)]
    pub fn new(env: Env, this: This, config: Option<serde_json::Value>) -> Result<Self> {
        let inner = Arc::new(Engine::from_value(
            config.unwrap_or(serde_json::Value::Null),
        ));
        fast::install(env.raw(), this.object.raw(), &inner)?;
        Ok(JsEngine { inner })
    }

    /// `null`, or the `invalid_input` error of the configuration.
    #[napi]
    pub fn config_error<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        match self.inner.config_error() {
            Some(e) => env.to_js_value(&ErrorInfo::from(e)),
            None => Null.into_unknown(env),
        }
    }

    /// The resolved time, retry and size budget.
    #[napi]
    pub fn policy<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        env.to_js_value(&self.inner.policy())
    }

    /// Validates and builds one request: `{ method, url, headers, body }` or `{ error }`. With
    /// `passthrough`, the body is sent exactly as given and only the id is checked.
    #[napi]
    pub fn request<'e>(
        &self,
        env: &'e Env,
        op: String,
        id: Option<String>,
        body_json: Option<String>,
        passthrough: Option<bool>,
    ) -> Result<Object<'e>> {
        match self.inner.request_with(
            &op,
            id.as_deref(),
            body_json.as_deref(),
            passthrough.unwrap_or(false),
        ) {
            Ok(req) => request_object(env, req),
            Err(e) => error_object(env, &e),
        }
    }

    /// The method and headers every request of `op` sends: `{ method, headers }` or `{ error }`.
    /// The JS layer asks once per operation and reuses them (see `requestLine`).
    #[napi]
    pub fn request_head<'e>(&self, env: &'e Env, op: String) -> Result<Object<'e>> {
        match self.inner.request_head(&op) {
            Ok(head) => head_object(env, head),
            Err(e) => error_object(env, &e),
        }
    }

    /// Parses an inbound callback (`conversations_core::callback`) with its `Date` header: JSON text
    /// `{"ok": event}` or `{"error": ...}`; `max_age_ms` negative for no freshness window. Static: no account needed.
    #[napi]
    pub fn parse_callback(
        date: Option<String>,
        body: Uint8Array,
        max_age_ms: f64,
        now_ms: f64,
    ) -> String {
        conversations_core::callback::parse_to_json(date.as_deref(), &body, max_age_ms, now_ms)
    }

    /// The first attempt's budget in ms, for a call with its own per-attempt timeout (see
    /// `Engine::budget`); `policy().budgetMs` is the one for calls without.
    #[napi]
    pub fn budget(&self, timeout_ms: Option<f64>) -> f64 {
        self.inner.budget(timeout_ms)
    }

    /// After an attempt that did not end the call well: `{ delayMs, budgetMs, end: null }` to
    /// retry, or `{ delayMs: -1, end }` (`response` or a failure kind) when the call is over.
    /// See `Engine::after`; `null` and absent fields are alike.
    #[napi]
    pub fn after<'e>(&self, env: &'e Env, report: serde_json::Value) -> Result<Object<'e>> {
        let number = |key: &str| report.get(key).and_then(serde_json::Value::as_f64);
        let text = |key: &str| report.get(key).and_then(|v| v.as_str().map(str::to_owned));
        next_object(env, self.inner.after_js(number, text))
    }

    /// The failure kinds' names, in the order of their ids (`conversations_core::call::Failure`).
    #[napi]
    pub fn failure_kinds() -> Vec<&'static str> {
        Failure::ALL.iter().map(|f| f.name()).collect()
    }
}

fn next_object(env: &Env, next: Next) -> Result<Object<'_>> {
    let mut obj = Object::new(env)?;
    match next {
        Next::Retry {
            delay_ms,
            budget_ms,
        } => {
            obj.set("delayMs", delay_ms)?;
            obj.set("budgetMs", budget_ms)?;
            obj.set("end", Null)?;
        }
        Next::Stop(end) => {
            obj.set("delayMs", -1.0)?;
            obj.set("end", end.name())?;
        }
        _ => obj.set("end", "fatal")?,
    }
    Ok(obj)
}

fn request_object<'e>(env: &'e Env, req: HttpRequest) -> Result<Object<'e>> {
    let mut headers = Object::new(env)?;
    for (name, value) in req.headers {
        headers.set(name, value)?;
    }
    let mut obj = Object::new(env)?;
    obj.set("method", req.method.as_str())?;
    obj.set("url", req.url)?;
    obj.set("headers", headers)?;
    match req.body {
        Some(body) => obj.set("body", body)?,
        None => obj.set("body", Null)?,
    }
    Ok(obj)
}

fn head_object<'e>(env: &'e Env, head: RequestHead) -> Result<Object<'e>> {
    let mut headers = Object::new(env)?;
    for (name, value) in head.headers {
        headers.set(name, value)?;
    }
    let mut obj = Object::new(env)?;
    obj.set("method", head.method.as_str())?;
    obj.set("headers", headers)?;
    Ok(obj)
}

fn error_object<'e>(env: &'e Env, e: &conversations_core::Error) -> Result<Object<'e>> {
    let mut obj = Object::new(env)?;
    obj.set("error", env.to_js_value(&ErrorInfo::from(e))?)?;
    Ok(obj)
}
