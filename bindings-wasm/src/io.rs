//! The browser's I/O: fetch (web-sys), the platform's timers, AbortSignal. Every decision
//! (what to send, whether and when to retry, how to read the answer) is core's; how a failure is
//! worded is the JS layer's (`npm/lib/failure.js`), so this file reports failures as kinds.

use crate::{error_object, set};
use conversations_core::call::{Clock, End, Failure, Step};
use conversations_core::engine::{Engine, ErrorInfo};
use conversations_core::{HttpRequest, Operation};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};
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
    // Called directly, not through a wrapper that keeps only a rejection's name and message:
    // the failure kind needs the whole value (Node's fetch says ECONNREFUSED in `cause.code`).
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(request: &web_sys::Request) -> Promise;
}

fn now() -> f64 {
    js_sys::Date::now()
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

/// A failed attempt: its kind (core's list, which also decides what follows), the attempt
/// budget in ms (for timeouts), the status (for a body over the cap) and what fetch rejected
/// with (for network failures).
struct Failed {
    kind: Failure,
    ms: f64,
    status: Option<u16>,
    cause: JsValue,
}

impl Failed {
    fn of(kind: Failure) -> Failed {
        Failed {
            kind,
            ms: 0.0,
            status: None,
            cause: JsValue::UNDEFINED,
        }
    }

    fn too_large(status: u16) -> Failed {
        Failed {
            status: Some(status),
            ..Failed::of(Failure::TooLarge)
        }
    }
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

fn is_aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

/// Waits `ms`, or less if `signal` fires; returns false when aborted.
async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> bool {
    if is_aborted(signal) {
        return false;
    }
    let mut timer = None;
    let mut listener = None;
    let promise = Promise::new(&mut |resolve, _| {
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
    done.is_ok_and(|v| v.is_truthy())
}

/// One attempt: send, read the capped body, all under one AbortController that the caller's
/// signal and the per-attempt timer both fire.
async fn attempt(
    req: &HttpRequest,
    timeout_ms: f64,
    max_bytes: f64,
    signal: Option<&AbortSignal>,
    classify: Option<&Function>,
) -> Result<Raw, Failed> {
    let controller = AbortController::new().map_err(|_| Failed::of(Failure::Fatal))?;
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
    // A rejection means: the caller aborted, the timer fired, or the network failed (the JS
    // layer's `classify` tells a refused connection from a reset where the platform can).
    let why = |cause: JsValue| -> Failed {
        if is_aborted(signal) {
            Failed::of(Failure::Aborted)
        } else if timed_out.get() {
            Failed {
                ms: timeout_ms,
                ..Failed::of(Failure::Timeout)
            }
        } else {
            let kind = classify
                .and_then(|f| f.call1(&JsValue::NULL, &cause).ok())
                .and_then(|v| v.as_string())
                .and_then(|name| Failure::from_name(&name))
                .unwrap_or(Failure::Reset);
            Failed {
                cause,
                ..Failed::of(kind)
            }
        }
    };

    let headers = web_sys::Headers::new().map_err(&why)?;
    for (name, value) in &req.headers {
        headers.set(name, value).map_err(&why)?;
    }
    // The request as core built it, method by name (fetch takes any token), straight into
    // fetch's RequestInit.
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    // A redirect is reported, not followed: credentials must not travel elsewhere.
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    // Held until the attempt ends: Node's fetch (undici) links our controller's signal to the
    // Request's own signal through a weak reference, so a Request collected mid-read would
    // never see the abort and a stalled body would hang past the timeout.
    let request =
        web_sys::Request::new_with_str_and_init(&req.url, &init).map_err(|cause| Failed {
            cause,
            ..Failed::of(Failure::Fatal)
        })?;
    let response: web_sys::Response = JsFuture::from(fetch(&request))
        .await
        .map_err(&why)?
        .unchecked_into();

    if response.type_() == web_sys::ResponseType::Opaqueredirect {
        return Err(Failed::of(Failure::Redirect));
    }
    let status = response.status();
    let headers = header_list(&response.headers());
    let declared = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n as f64 > max_bytes) {
        controller.abort();
        return Err(Failed::too_large(status));
    }
    let mut body = Vec::new();
    if let Some(stream) = response.body() {
        let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(&why)?;
            if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
                break;
            }
            let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())
                .map_err(&why)?
                .unchecked_into();
            let start = body.len();
            let len = bytes.length() as usize;
            if (start + len) as f64 > max_bytes {
                let _ = reader.cancel();
                controller.abort();
                return Err(Failed::too_large(status));
            }
            body.resize(start + len, 0);
            bytes.copy_to(&mut body[start..]);
        }
    }
    Ok(Raw {
        status,
        headers,
        body,
    })
}

/// The time since `origin` (a `Date.now()` reading) on the call machine's clock.
fn since(origin: f64) -> Duration {
    // Whole ms, as the clock gives them (a float conversion would link a panicking path).
    Duration::from_millis((now() - origin) as u64)
}

/// A response's headers as (name, value) pairs: `Headers` iterates like a `Map`.
fn header_list(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let entries = headers.unchecked_ref::<js_sys::Map>().entries();
    let mut out = Vec::new();
    while let Ok(next) = entries.next() {
        if next.done() {
            break;
        }
        let pair: js_sys::Array = next.value().unchecked_into();
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((name, value));
        }
    }
    out
}

/// The whole call; see `Engine.execute`. core's call machine decides every step; this loop
/// sends, sleeps, and reports each attempt to `on_attempt`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn execute(
    engine: &Engine,
    op: &str,
    id: Option<&str>,
    body_json: Option<&str>,
    signal: Option<AbortSignal>,
    timeout_ms: Option<f64>,
    on_attempt: Option<Function>,
    classify: Option<Function>,
    passthrough: bool,
) -> JsValue {
    let req = match engine.request_with(op, id, body_json, passthrough) {
        Ok(req) => req,
        Err(e) => return error_object(&ErrorInfo::from(&e)),
    };
    let Some(operation) = Operation::from_id(op) else {
        return failure_object(Failed::of(Failure::Fatal), 0);
    };
    let max_bytes = engine.policy().max_response_bytes;
    let signal = signal.as_ref();
    let origin = now();
    let mut call = engine.call(operation, timeout_ms);
    // What the last attempt got: the response to hand back, or its failure.
    let mut last: Option<Result<Raw, Failed>> = None;
    loop {
        match call.next(since(origin)) {
            Step::Send { attempt: n, budget } => {
                let t0 = now();
                let result = if is_aborted(signal) {
                    Err(Failed::of(Failure::Aborted))
                } else {
                    let ms = (budget.as_secs_f64() * 1000.0).ceil();
                    attempt(&req, ms, max_bytes, signal, classify.as_ref()).await
                };
                let clock = Clock::new(
                    since(origin),
                    UNIX_EPOCH + Duration::from_millis(now() as u64),
                    js_sys::Math::random(),
                );
                match &result {
                    Ok(raw) => call.on_response(raw.status, raw.header("retry-after"), clock),
                    Err(failed) => call.on_failure(failed.kind, clock),
                }
                if let Some(f) = &on_attempt {
                    // What follows, for the logger: a wait (its length), or -1 for none.
                    let delay = match call.next(clock.now) {
                        Step::Wait { until } => {
                            until.saturating_sub(clock.now).as_secs_f64() * 1000.0
                        }
                        Step::Send { .. } => 0.0,
                        _ => -1.0,
                    };
                    report(f, n, &result, now() - t0, delay);
                }
                last = Some(result);
            }
            Step::Wait { until } => {
                let ms = until.saturating_sub(since(origin)).as_secs_f64() * 1000.0;
                if !sleep(ms, signal).await {
                    return failure_object(Failed::of(Failure::Aborted), call.attempts());
                }
            }
            Step::Done(end) => {
                let attempts = call.attempts();
                return match (end, last) {
                    (End::Response, Some(Ok(raw))) => response_object(raw, attempts),
                    (End::Failed(Failure::Deadline), _) | (_, None) => {
                        failure_object(Failed::of(Failure::Deadline), attempts)
                    }
                    (_, Some(Err(failed))) => failure_object(failed, attempts),
                    (_, Some(Ok(raw))) => response_object(raw, attempts),
                };
            }
            _ => return failure_object(Failed::of(Failure::Fatal), call.attempts()),
        }
    }
}

/// Tells `on_attempt` how attempt `n` went: `{ attempt, status, failure, ms, cause, durationMs,
/// delayMs }`.
fn report(f: &Function, n: u32, result: &Result<Raw, Failed>, duration_ms: f64, delay_ms: f64) {
    let event = Object::new();
    set(&event, "attempt", &JsValue::from(n));
    let status = result.as_ref().map_or(JsValue::NULL, |r| r.status.into());
    set(&event, "status", &status);
    let failure = result
        .as_ref()
        .err()
        .map_or(JsValue::NULL, |f| f.kind.name().into());
    set(&event, "failure", &failure);
    if let Err(f) = result {
        set(&event, "ms", &JsValue::from(f.ms));
        set(&event, "cause", &f.cause);
    }
    set(&event, "durationMs", &JsValue::from(duration_ms));
    set(&event, "delayMs", &JsValue::from(delay_ms));
    let _ = f.call1(&JsValue::NULL, &event);
}

fn failure_object(failed: Failed, attempts: u32) -> JsValue {
    let obj = Object::new();
    set(&obj, "failure", &failed.kind.name().into());
    set(&obj, "ms", &JsValue::from(failed.ms));
    set(
        &obj,
        "status",
        &failed.status.map_or(JsValue::NULL, JsValue::from),
    );
    set(&obj, "cause", &failed.cause);
    set(&obj, "attempts", &JsValue::from(attempts));
    obj.into()
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
