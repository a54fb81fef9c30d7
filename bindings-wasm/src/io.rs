//! The browser's I/O: fetch through gloo-net, the platform's timers, AbortSignal. Every decision
//! (what to send, whether and when to retry, how to read the answer) is core's.

use crate::{error_object, to_js};
use conversations_core::engine::{Engine, ErrorInfo};
use conversations_core::{Error, HttpRequest, Method};
use gloo_net::http::RequestBuilder;
use js_sys::{Function, Object, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader};

#[wasm_bindgen]
extern "C" {
    // Global timers exist in browsers, workers, Deno and Node; Node returns an object, not a number.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// `{ method, url, headers, body }` as ENGINE.md specifies.
pub(crate) fn request_object(req: &HttpRequest) -> JsValue {
    let headers = Object::new();
    for (name, value) in &req.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    let obj = Object::new();
    set(&obj, "method", &JsValue::from_str(req.method.as_str()));
    set(&obj, "url", &JsValue::from_str(&req.url));
    set(&obj, "headers", &headers);
    let body = req.body.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    set(&obj, "body", &body);
    obj.into()
}

/// A response as one attempt read it.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How an attempt failed: the outcome name for the retry policy (`None`: final), and the error.
struct Failed {
    outcome: Option<&'static str>,
    error: Error,
}

/// An AbortSignal listener that is removed when dropped (so the closure never outlives it).
struct Listener {
    signal: AbortSignal,
    closure: Closure<dyn FnMut()>,
}

impl Listener {
    fn on_abort(signal: &AbortSignal, f: impl FnMut() + 'static) -> Listener {
        let closure = Closure::wrap(Box::new(f) as Box<dyn FnMut()>);
        let _ = signal.add_event_listener_with_callback("abort", closure.as_ref().unchecked_ref());
        Listener {
            signal: signal.clone(),
            closure,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.closure.as_ref().unchecked_ref());
    }
}

/// A timer that is cleared when dropped.
struct Timer {
    id: JsValue,
    _closure: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: f64, f: impl FnMut() + 'static) -> Timer {
        let closure = Closure::wrap(Box::new(f) as Box<dyn FnMut()>);
        let id = set_timeout(closure.as_ref().unchecked_ref(), ms.max(0.0));
        Timer {
            id,
            _closure: closure,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

fn aborted() -> Error {
    Error::aborted("the call was aborted")
}

/// Waits `ms`, or less if `signal` fires; returns false when aborted.
async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> bool {
    if signal.is_some_and(AbortSignal::aborted) {
        return false;
    }
    let mut timer = None;
    let mut listener = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let on_time = resolve.clone();
        timer = Some(Timer::start(ms, move || {
            let _ = on_time.call1(&JsValue::NULL, &JsValue::TRUE);
        }));
        if let Some(signal) = signal {
            listener = Some(Listener::on_abort(signal, move || {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::FALSE);
            }));
        }
    });
    let done = JsFuture::from(promise).await;
    drop((timer, listener));
    done.map(|v| v.is_truthy()).unwrap_or(false)
}

/// One attempt: send, read the capped body, all under one AbortController that the caller's
/// signal and the per-attempt timer both fire.
async fn attempt(
    req: &HttpRequest,
    timeout_ms: f64,
    max_bytes: usize,
    signal: Option<&AbortSignal>,
) -> Result<Raw, Failed> {
    let controller = AbortController::new()
        .map_err(|_| final_error(Error::transport("AbortController is unavailable")))?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Timer::start(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let _listener = signal.map(|s| {
        let controller = controller.clone();
        Listener::on_abort(s, move || controller.abort())
    });
    let why = |what: &str, e: String| -> Failed {
        if signal.is_some_and(AbortSignal::aborted) {
            final_error(aborted())
        } else if timed_out.get() {
            Failed {
                outcome: Some("timeout"),
                error: Error::timeout(format!("the request timed out after {timeout_ms} ms")),
            }
        } else {
            // fetch cannot tell a refused connection from a reset: assume it may have been sent.
            Failed {
                outcome: Some("reset"),
                error: Error::transport(format!("{what}: {e}")),
            }
        }
    };

    let method = match req.method {
        Method::Get => gloo_net::http::Method::GET,
        _ => gloo_net::http::Method::POST,
    };
    let mut builder = RequestBuilder::new(&req.url)
        .method(method)
        .abort_signal(Some(&controller.signal()))
        // A redirect is reported, not followed: credentials must not travel elsewhere.
        .redirect(web_sys::RequestRedirect::Manual);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    let request = match &req.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| final_error(Error::invalid_input("request", e.to_string())))?;
    let response = request
        .send()
        .await
        .map_err(|e| why("the request failed", e.to_string()))?;

    if response.type_() == web_sys::ResponseType::Opaqueredirect {
        return Err(final_error(Error::transport(
            "the server answered with a redirect, which is not followed",
        )));
    }
    let status = response.status();
    let headers: Vec<(String, String)> = response.headers().entries().collect();
    let too_large = || {
        final_error(Error::decode(
            status,
            format!("response body exceeds the {max_bytes}-byte limit"),
            Vec::new(),
        ))
    };
    let declared = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_bytes as u64) {
        controller.abort();
        return Err(too_large());
    }
    let mut body = Vec::new();
    if let Some(stream) = response.body() {
        let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(|e| {
                why(
                    "the connection failed while reading the body",
                    format!("{e:?}"),
                )
            })?;
            if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
                break;
            }
            let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())
                .map_err(|e| why("unreadable body chunk", format!("{e:?}")))?
                .unchecked_into();
            if body.len() + bytes.length() as usize > max_bytes {
                let _ = reader.cancel();
                controller.abort();
                return Err(too_large());
            }
            let start = body.len();
            body.resize(start + bytes.length() as usize, 0);
            bytes.copy_to(&mut body[start..]);
        }
    }
    Ok(Raw {
        status,
        headers,
        body,
    })
}

fn final_error(error: Error) -> Failed {
    Failed {
        outcome: None,
        error,
    }
}

/// The whole call; see `Engine.execute`.
pub(crate) async fn execute(
    engine: &Engine,
    op: &str,
    id: Option<&str>,
    body_json: Option<&str>,
    signal: Option<AbortSignal>,
    timeout_ms: Option<f64>,
    on_attempt: Option<Function>,
) -> JsValue {
    let req = match engine.request(op, id, body_json) {
        Ok(req) => req,
        Err(e) => return error_object(&ErrorInfo::from(&e)),
    };
    let policy = engine.policy();
    let timeout = timeout_ms
        .filter(|t| t.is_finite() && *t > 0.0)
        .unwrap_or(policy.timeout_ms);
    let max_bytes = policy.max_response_bytes as usize;
    let started = now();
    let signal = signal.as_ref();
    let mut n = 0;
    loop {
        n += 1;
        if signal.is_some_and(AbortSignal::aborted) {
            return error_object(&ErrorInfo::from(&aborted()));
        }
        let remaining = policy.deadline_ms - (now() - started);
        if remaining <= 0.0 {
            let e = Error::timeout(format!(
                "the call's deadline of {} ms was exceeded",
                policy.deadline_ms
            ));
            return error_object(&ErrorInfo::from(&e));
        }
        let t0 = now();
        let result = attempt(&req, timeout.min(remaining), max_bytes, signal).await;
        let delay = match &result {
            Ok(raw) if (200..300).contains(&raw.status) => -1.0,
            Ok(raw) => engine.retry_delay(
                op,
                n,
                "status",
                raw.status,
                raw.header("retry-after"),
                now() - started,
                now(),
                js_sys::Math::random(),
            ),
            Err(Failed {
                outcome: Some(outcome),
                ..
            }) => engine.retry_delay(
                op,
                n,
                outcome,
                0,
                None,
                now() - started,
                now(),
                js_sys::Math::random(),
            ),
            Err(_) => -1.0,
        };
        if let Some(f) = &on_attempt {
            let event = Object::new();
            set(&event, "attempt", &JsValue::from(n));
            set(&event, "method", &JsValue::from_str(req.method.as_str()));
            set(&event, "url", &JsValue::from_str(&req.url));
            let status = result.as_ref().map_or(JsValue::NULL, |r| r.status.into());
            set(&event, "status", &status);
            set(&event, "durationMs", &JsValue::from(now() - t0));
            set(&event, "delayMs", &JsValue::from(delay));
            let error = result
                .as_ref()
                .err()
                .map_or(JsValue::NULL, |f| to_js(&ErrorInfo::from(&f.error)));
            set(&event, "error", &error);
            let _ = f.call1(&JsValue::NULL, &event);
        }
        if delay < 0.0 {
            return match result {
                Ok(raw) => response_object(raw, n),
                Err(failed) => error_object(&ErrorInfo::from(&failed.error)),
            };
        }
        if !sleep(delay, signal).await {
            return error_object(&ErrorInfo::from(&aborted()));
        }
    }
}

fn response_object(raw: Raw, attempts: u32) -> JsValue {
    let headers = Object::new();
    for (name, value) in &raw.headers {
        set(
            &headers,
            &name.to_ascii_lowercase(),
            &JsValue::from_str(value),
        );
    }
    let obj = Object::new();
    set(&obj, "status", &JsValue::from(raw.status));
    set(&obj, "headers", &headers);
    set(&obj, "body", &Uint8Array::from(raw.body.as_slice()));
    set(&obj, "attempts", &JsValue::from(attempts));
    obj.into()
}
