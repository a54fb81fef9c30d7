//! The wasm-bindgen binding: exposes [`conversations_core::engine::Engine`] to JS as the `Engine`
//! class of `npm/ENGINE.md`, plus `execute`, which performs a whole call — attempts over fetch
//! (gloo-net), waits on the platform's timers, the caller's AbortSignal — with every decision
//! taken by core's policy. Type conversion and I/O only.

mod io;

use conversations_core::engine::{Engine, ErrorInfo};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One account's engine (see `npm/ENGINE.md`).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    inner: Rc<Engine>,
}

pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    // json_compatible: maps become plain objects and None becomes null, as ENGINE.md specifies.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

pub(crate) fn error_object(info: &ErrorInfo) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &"error".into(), &to_js(info));
    obj.into()
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Builds an engine from the config object; an invalid config is reported by `configError()`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> WasmEngine {
        let value = if config.is_undefined() || config.is_null() {
            serde_json::Value::Null
        } else {
            serde_wasm_bindgen::from_value(config)
                .unwrap_or_else(|e| serde_json::json!({ "invalid configuration": e.to_string() }))
        };
        WasmEngine {
            inner: Rc::new(Engine::from_value(value)),
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
        to_js(&self.inner.policy())
    }

    /// Validates and builds one request: `{ method, url, headers, body }` or `{ error }`.
    pub fn request(&self, op: &str, id: Option<String>, body_json: Option<String>) -> JsValue {
        match self.inner.request(op, id.as_deref(), body_json.as_deref()) {
            Ok(req) => io::request_object(&req),
            Err(e) => error_object(&ErrorInfo::from(&e)),
        }
    }

    /// Decodes one response into the JSON envelope `{"ok": ...}` / `{"error": ...}`.
    pub fn decode(&self, op: &str, status: u16, body: &[u8]) -> String {
        self.inner.decode(op, status, body)
    }

    /// The delay in ms before the next attempt, or -1.
    #[wasm_bindgen(js_name = retryDelay)]
    #[allow(clippy::too_many_arguments)]
    pub fn retry_delay(
        &self,
        op: &str,
        attempt: u32,
        outcome: &str,
        status: u16,
        retry_after: Option<String>,
        elapsed_ms: f64,
        now_ms: f64,
        random: f64,
    ) -> f64 {
        self.inner.retry_delay(
            op,
            attempt,
            outcome,
            status,
            retry_after.as_deref(),
            elapsed_ms,
            now_ms,
            random,
        )
    }

    /// Performs a whole call over fetch: builds the request, runs attempts with the per-attempt
    /// timeout, waits between them as core's policy says, honours `signal`. Resolves to the final
    /// response `{ status, headers, body: Uint8Array, attempts }` (the caller decodes it with
    /// `decode`), or to `{ error }` for invalid input, transport failures, timeouts and aborts.
    /// `onAttempt`, if given, is called after each attempt with `{ attempt, method, url, status,
    /// durationMs, delayMs, error }` (never any header).
    pub fn execute(
        &self,
        op: String,
        id: Option<String>,
        body_json: Option<String>,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: Option<f64>,
        on_attempt: Option<js_sys::Function>,
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
            )
            .await)
        })
    }
}
