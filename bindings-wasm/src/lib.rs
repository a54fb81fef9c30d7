//! The wasm-bindgen binding: exposes [`conversations_core::engine::Engine`] to JS as the `Engine`
//! class of `npm/ENGINE.md`, plus `execute`, which performs a whole call — attempts over fetch
//! (web-sys), waits on the platform's timers, the caller's AbortSignal — with every decision
//! taken by core's policy. Type conversion and I/O only.

mod io;

// A free-list allocator of about 1 KB instead of std's dlmalloc (about 7 KB): the engine makes
// few, small, short-lived allocations, and wasm in a browser or Node runs it on one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature has exactly one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

use conversations_core::call::Failure;
use conversations_core::engine::{Engine, EngineConfig, ErrorInfo, Next};
use conversations_core::Error;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One account's engine (see `npm/ENGINE.md`).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    inner: Rc<Engine>,
}

pub(crate) fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// An error to a JS value through core's own JSON writer: neither serde_json nor
/// serde-wasm-bindgen end up in the module (tens of KB of wasm).
pub(crate) fn to_js(info: &ErrorInfo) -> JsValue {
    js_sys::JSON::parse(&info.to_json()).unwrap_or(JsValue::NULL)
}

/// The JS config object as core's [`EngineConfig`], field by field (what serde does for the napi
/// binding, without serde_json's `Value` deserializer: about 10 KB of wasm). `undefined` and
/// `null` mean "not set", as in JSON; core validates the values.
fn engine_config(config: &JsValue) -> Result<EngineConfig, String> {
    let mut cfg = EngineConfig::default();
    if config.is_undefined() || config.is_null() {
        return Ok(cfg);
    }
    if !config.is_object() || js_sys::Array::is_array(config) {
        return Err("invalid configuration: expected an object".into());
    }
    let object: &js_sys::Object = config.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let value = js_sys::Reflect::get(config, &key).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() || value.is_null() {
            continue;
        }
        let key = key.as_string().unwrap_or_default();
        let text = || {
            value
                .as_string()
                .ok_or_else(|| format!("invalid configuration: {key} must be a string"))
        };
        let number = || {
            value
                .as_f64()
                .ok_or_else(|| format!("invalid configuration: {key} must be a number"))
        };
        let boolean = || {
            value
                .as_bool()
                .ok_or_else(|| format!("invalid configuration: {key} must be a boolean"))
        };
        match key.as_str() {
            "baseUrl" => cfg.base_url = Some(text()?),
            "username" => cfg.username = Some(text()?),
            "password" => cfg.password = Some(text()?),
            "userAgentSuffix" => cfg.user_agent_suffix = Some(text()?),
            "maxRetries" => cfg.max_retries = Some(number()?),
            "timeoutMs" => cfg.timeout_ms = Some(number()?),
            "deadlineMs" => cfg.deadline_ms = Some(number()?),
            "maxResponseBytes" => cfg.max_response_bytes = Some(number()?),
            "requireCredentials" => cfg.require_credentials = Some(boolean()?),
            _ => return Err(format!("invalid configuration: unknown field `{key}`")),
        }
    }
    Ok(cfg)
}

pub(crate) fn error_object(info: &ErrorInfo) -> JsValue {
    let obj = js_sys::Object::new();
    set(&obj, "error", &to_js(info));
    obj.into()
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Builds an engine from the config object; an invalid config is reported by `configError()`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> WasmEngine {
        let inner = match engine_config(&config) {
            Ok(cfg) => Engine::new(cfg),
            Err(why) => Engine::rejected(Error::invalid_input("config", why)),
        };
        WasmEngine {
            inner: Rc::new(inner),
        }
    }

    /// `null`, or the `invalid_input` error of the configuration.
    #[wasm_bindgen(js_name = configError)]
    pub fn config_error(&self) -> JsValue {
        match self.inner.config_error() {
            Some(e) => to_js(&ErrorInfo::from(e)),
            None => JsValue::NULL,
        }
    }

    /// The resolved time, retry and size budget.
    pub fn policy(&self) -> JsValue {
        // By hand rather than through serde_json: its float formatter and tables (about 10 KB)
        // would be linked for these three numbers alone.
        let p = self.inner.policy();
        let obj = js_sys::Object::new();
        set(&obj, "baseUrl", &JsValue::from_str(&p.base_url));
        set(&obj, "timeoutMs", &JsValue::from(p.timeout_ms));
        set(&obj, "deadlineMs", &JsValue::from(p.deadline_ms));
        set(&obj, "maxRetries", &JsValue::from(p.max_retries));
        set(
            &obj,
            "maxResponseBytes",
            &JsValue::from(p.max_response_bytes),
        );
        set(&obj, "budgetMs", &JsValue::from(p.budget_ms));
        set(&obj, "successMin", &JsValue::from(p.success_min));
        set(&obj, "successMax", &JsValue::from(p.success_max));
        obj.into()
    }

    /// Validates and builds one request: `{ method, url, headers, body }` or `{ error }`. With
    /// `passthrough`, the body is sent exactly as given and only the id is checked.
    pub fn request(
        &self,
        op: &str,
        id: Option<String>,
        body_json: Option<String>,
        passthrough: Option<bool>,
    ) -> JsValue {
        match self.inner.request_with(
            op,
            id.as_deref(),
            body_json.as_deref(),
            passthrough.unwrap_or(false),
        ) {
            Ok(req) => io::request_object(&req),
            Err(e) => error_object(&ErrorInfo::from(&e)),
        }
    }

    /// Decodes one response into the JSON envelope `{"ok": ...}` / `{"error": ...}`.
    pub fn decode(&self, op: &str, status: u32, body: &[u8]) -> String {
        // Out of range statuses read as 0, as in the native engine.
        self.inner
            .decode(op, u16::try_from(status).unwrap_or(0), body)
    }

    /// The first attempt's budget in ms, for a call with its own per-attempt timeout (see
    /// `Engine::budget`); `policy().budgetMs` is the one for calls without.
    pub fn budget(&self, timeout_ms: Option<f64>) -> f64 {
        self.inner.budget(timeout_ms)
    }

    /// After an attempt that did not end the call well (ENGINE.md, `after`): `{ delayMs,
    /// budgetMs, end: null }` to retry, or `{ delayMs: -1, end }` when the call is over.
    pub fn after(&self, report: &JsValue) -> JsValue {
        let get = |key: &str| js_sys::Reflect::get(report, &JsValue::from_str(key)).ok();
        let number = |key: &str| get(key).and_then(|v| v.as_f64());
        let text = |key: &str| get(key).and_then(|v| v.as_string());
        let obj = js_sys::Object::new();
        match self.inner.after_js(number, text) {
            Next::Retry {
                delay_ms,
                budget_ms,
            } => {
                set(&obj, "delayMs", &JsValue::from(delay_ms));
                set(&obj, "budgetMs", &JsValue::from(budget_ms));
                set(&obj, "end", &JsValue::NULL);
            }
            Next::Stop(end) => {
                set(&obj, "delayMs", &JsValue::from(-1.0));
                set(&obj, "end", &JsValue::from_str(end.name()));
            }
            _ => set(&obj, "end", &JsValue::from_str(Failure::Fatal.name())),
        }
        obj.into()
    }

    /// Performs a whole call over fetch: builds the request, runs attempts with the per-attempt
    /// timeout, waits between them as core's policy says, honours `signal`. Resolves (never
    /// rejects) to one of
    /// - `{ status, headers, body: Uint8Array, attempts }`: the final response, for `decode`;
    /// - `{ error }`: invalid input (`ErrorInfo`), before any request;
    /// - `{ failure, ms, cause, attempts }`: no usable response, `failure` being one of core's
    ///   failure kinds (`failureKinds()`): `timeout` (the attempt budget `ms` ran out),
    ///   `deadline`, `aborted`, `too_large`, `redirect` (a browser cannot read it), or `refused`,
    ///   `reset`, `fatal` for a fetch rejection (`cause`: what fetch rejected with).
    ///
    /// `onAttempt`, if given, is called after each attempt with `{ attempt, status, failure, ms,
    /// cause, durationMs, delayMs }` (never any header; `delayMs` -1 when no retry follows). `classify`, if given, maps a fetch rejection to
    /// the failure kind `refused`, `reset` or `fatal`; without it every network failure is a
    /// `reset` (fetch in a browser cannot tell a refused connection from a reset). `passthrough`
    /// sends the body as given, as in `request`.
    #[allow(clippy::too_many_arguments)]
    pub fn execute(
        &self,
        op: String,
        id: Option<String>,
        body_json: Option<String>,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: Option<f64>,
        on_attempt: Option<js_sys::Function>,
        classify: Option<js_sys::Function>,
        passthrough: Option<bool>,
    ) -> js_sys::Promise {
        let engine = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(io::execute(
                &engine,
                &op,
                id.as_deref(),
                body_json.as_deref(),
                signal,
                timeout_ms,
                on_attempt,
                classify,
                passthrough.unwrap_or(false),
            )
            .await)
        })
    }
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Parses an inbound callback (`conversations_core::callback`) with its `Date` header: JSON text
    /// `{"ok": event}` or `{"error": ...}`; `max_age_ms` negative for no freshness window. Static: no account needed.
    #[wasm_bindgen(js_name = parseCallback)]
    pub fn parse_callback(
        date: Option<String>,
        body: &[u8],
        max_age_ms: f64,
        now_ms: f64,
    ) -> String {
        conversations_core::callback::parse_to_json(date.as_deref(), body, max_age_ms, now_ms)
    }

    /// The failure kinds' names, in the order of their ids (`conversations_core::call::Failure`).
    #[wasm_bindgen(js_name = failureKinds)]
    pub fn failure_kinds() -> js_sys::Array {
        // Built by hand: a `Vec<String>` return links wasm-bindgen's vector glue (about 300
        // bytes gzipped) for this one list.
        let names = js_sys::Array::new();
        for failure in Failure::ALL {
            names.push(&JsValue::from_str(failure.name()));
        }
        names
    }
}
