//! The browser's I/O: fetch through gloo-net, the platform's timers, AbortSignal. Every decision
//! (what to send, whether and when to retry, how to read the answer) is core's; how a failure is
//! worded is the JS layer's (`npm/lib/failure.js`), so this file reports failures as kinds.

use crate::{error_object, set};
use conversations_core::engine::{Engine, ErrorInfo};
use conversations_core::{HttpRequest, Method};
use gloo_net::http::{Headers, RequestBuilder, Response};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
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
    // gloo-net's `Request::send` keeps only the rejection's name and message; the retry outcome
    // needs the whole value (Node's fetch says ECONNREFUSED in `cause.code`), so fetch is called
    // here on gloo-net's request.
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

/// Why an attempt or the call failed, as the JS layer names it (ENGINE.md, `execute`).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Timeout,
    Deadline,
    Aborted,
    TooLarge,
    Redirect,
    Network,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Timeout => "timeout",
            Kind::Deadline => "deadline",
            Kind::Aborted => "aborted",
            Kind::TooLarge => "too_large",
            Kind::Redirect => "redirect",
            Kind::Network => "network",
        }
    }
}

/// A failed attempt: its kind, the retry outcome core should judge (`None`: final), the attempt
/// budget in ms (for timeouts) and what fetch rejected with (for network failures).
struct Failed {
    kind: Kind,
    outcome: Option<String>,
    ms: f64,
    status: Option<u16>,
    cause: JsValue,
}

impl Failed {
    fn fatal(kind: Kind) -> Failed {
        Failed {
            kind,
            outcome: None,
            ms: 0.0,
            status: None,
            cause: JsValue::UNDEFINED,
        }
    }

    fn too_large(status: u16) -> Failed {
        Failed {
            status: Some(status),
            ..Failed::fatal(Kind::TooLarge)
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
    let controller = AbortController::new().map_err(|_| Failed::fatal(Kind::Network))?;
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
            Failed::fatal(Kind::Aborted)
        } else if timed_out.get() {
            Failed {
                kind: Kind::Timeout,
                outcome: Some("timeout".into()),
                ms: timeout_ms,
                status: None,
                cause: JsValue::UNDEFINED,
            }
        } else {
            let outcome = classify
                .and_then(|f| f.call1(&JsValue::NULL, &cause).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "reset".into());
            Failed {
                kind: Kind::Network,
                outcome: (outcome != "fatal").then_some(outcome),
                ms: 0.0,
                status: None,
                cause,
            }
        }
    };

    let headers = web_sys::Headers::new().map_err(&why)?;
    for (name, value) in &req.headers {
        headers.set(name, value).map_err(&why)?;
    }
    let builder = RequestBuilder::new(&req.url)
        .method(match req.method {
            Method::Get => gloo_net::http::Method::GET,
            _ => gloo_net::http::Method::POST,
        })
        .headers(Headers::from_raw(headers))
        .abort_signal(Some(&controller.signal()))
        // A redirect is reported, not followed: credentials must not travel elsewhere.
        .redirect(web_sys::RequestRedirect::Manual);
    let request = match &req.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|_| Failed::fatal(Kind::Network))?;
    // Held until the attempt ends: Node's fetch (undici) links our controller's signal to the
    // Request's own signal through a weak reference, so a Request collected mid-read would
    // never see the abort and a stalled body would hang past the timeout.
    let request: web_sys::Request = request.into();
    let response: Response = JsFuture::from(fetch(&request))
        .await
        .map_err(&why)?
        .unchecked_into::<web_sys::Response>()
        .into();

    if response.type_() == web_sys::ResponseType::Opaqueredirect {
        return Err(Failed::fatal(Kind::Redirect));
    }
    let status = response.status();
    let headers: Vec<(String, String)> = response.headers().entries().collect();
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

/// The whole call; see `Engine.execute`.
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
    let policy = engine.policy();
    let timeout = timeout_ms
        .filter(|t| t.is_finite() && *t > 0.0)
        .unwrap_or(policy.timeout_ms);
    let started = now();
    let signal = signal.as_ref();
    let mut n = 0;
    loop {
        n += 1;
        if is_aborted(signal) {
            return failure_object(Failed::fatal(Kind::Aborted), n - 1);
        }
        let remaining = policy.deadline_ms - (now() - started);
        if remaining <= 0.0 {
            return failure_object(Failed::fatal(Kind::Deadline), n - 1);
        }
        let t0 = now();
        let budget = timeout.min(remaining).ceil();
        let result = attempt(
            &req,
            budget,
            policy.max_response_bytes,
            signal,
            classify.as_ref(),
        )
        .await;
        let (outcome, status, retry_after) = match &result {
            Ok(raw) if (200..300).contains(&raw.status) => (None, raw.status, None),
            Ok(raw) => (Some("status"), raw.status, raw.header("retry-after")),
            Err(f) => (f.outcome.as_deref(), 0, None),
        };
        let delay = outcome.map_or(-1.0, |outcome| {
            engine.retry_delay(
                op,
                n,
                outcome,
                status,
                retry_after,
                now() - started,
                now(),
                js_sys::Math::random(),
            )
        });
        if let Some(f) = &on_attempt {
            let event = Object::new();
            set(&event, "attempt", &JsValue::from(n));
            let status = result.as_ref().map_or(JsValue::NULL, |r| r.status.into());
            set(&event, "status", &status);
            let failure = result
                .as_ref()
                .err()
                .map_or(JsValue::NULL, |f| f.kind.name().into());
            set(&event, "failure", &failure);
            if let Err(f) = &result {
                set(&event, "ms", &JsValue::from(f.ms));
                set(&event, "cause", &f.cause);
            }
            set(&event, "durationMs", &JsValue::from(now() - t0));
            set(&event, "delayMs", &JsValue::from(delay));
            let _ = f.call1(&JsValue::NULL, &event);
        }
        if delay < 0.0 {
            return match result {
                Ok(raw) => response_object(raw, n),
                Err(failed) => failure_object(failed, n),
            };
        }
        if !sleep(delay, signal).await {
            return failure_object(Failed::fatal(Kind::Aborted), n);
        }
    }
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
