//! `Io`: HTTP attempts in Rust for the JS pipeline (issue #18; the contract is the one
//! `npm/lib/transport-rust.js` relies on: `new Io(onDone, options)`, `head`, `send`, `cancel`,
//! `close`). Each attempt is core's ([`conversations_core::transport::Transport::send`]: size
//! cap while reading, decompression, failure kinds), run on a tokio runtime owned by the addon
//! (one thread, shared by every `Io` and every Node environment, created on first use).
//!
//! Per call the JS thread crosses in once (`send`) and once back (`onDone`): a worker that
//! finds the completion queue empty wakes the JS thread through a threadsafe function, whose
//! drain delivers every completion queued meanwhile (at 64 in flight one wake-up serves
//! several calls). The per-call methods are raw Node-API functions installed on each instance
//! with the `Io` itself as their data: napi-rs's method glue cost about 5k instructions per
//! call (see `fast.rs`), more than this crossing.
//!
//! Lifetimes: the native state is an `Arc<Io>` shared by the four functions (one count each,
//! released by their finalizers), the threadsafe function (one count, released when Node
//! finalizes it) and the running attempts. The JS object holds `onDone` as a property, and the
//! addon holds the object strongly only while sends are in flight, so an idle `Io` (and an
//! `onDone` that refers back to it) can be collected; its finalizer releases the threadsafe
//! function. The threadsafe function handle lives behind a mutex that its release and its
//! finalizer clear, so a worker never calls a handle Node has freed (environment teardown
//! with attempts in flight: they finish into a queue nobody drains).

use crate::fast::{define_methods, js_string, release, string_of, throw, throw_type, Call};
use conversations_core::call::Failure;
use conversations_core::transport::bytes::Bytes;
use conversations_core::transport::http::header::{HeaderMap, HeaderName, HeaderValue};
use conversations_core::transport::http::{Method, Uri};
use conversations_core::transport::{AttemptError, Request, Response, Tls, Transport};
use napi::sys;
use std::collections::HashMap;
use std::ffi::{c_void, CStr};
use std::fmt::Write as _;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

/// One runtime for the addon: an `Io` costs a connection pool, not a thread. A current-thread
/// runtime driven by a thread of its own, not a one-worker multi-thread runtime: that one woke
/// its own driver (an eventfd write and an extra epoll turn) before each request it took from
/// JS, on the lone call's critical path; a current-thread scheduler has no workers to notify.
fn runtime() -> Option<&'static tokio::runtime::Handle> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Handle>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            let handle = rt.handle().clone();
            // Runs for the life of the process, as the worker of the runtime it replaced did.
            std::thread::Builder::new()
                .name("conversations-io".into())
                .spawn(move || rt.block_on(std::future::pending::<()>()))
                .ok()?;
            Some(handle)
        })
        .as_ref()
}

/// A poisoned lock only means a panic elsewhere; the data (queues, maps) stays consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The response kind in `onDone`; failures use their `Failure` id.
const RESPONSE: i32 = -1;

/// A finished send, waiting on the JS thread's next drain.
struct Completion {
    slot: u32,
    kind: i32,
    status: u32,
    /// The headers as `name:value\n` lines, or `CODE message` for a failure.
    text: String,
    body: Option<Vec<u8>>,
}

impl Completion {
    fn failure(slot: u32, failure: Failure, status: u16, code: &str, message: &str) -> Self {
        Completion {
            slot,
            kind: failure_id(failure),
            status: u32::from(status),
            text: format!("{code} {message}"),
            body: None,
        }
    }

    fn of(slot: u32, result: Result<Response, AttemptError>) -> Self {
        match result {
            Ok(response) => {
                let mut text = String::with_capacity(response.headers.len() * 32);
                for (name, value) in &response.headers {
                    text.push_str(name.as_str());
                    text.push(':');
                    // Header values are bytes, which node:http reads as Latin-1: so do we, for
                    // the JS side to see the same string whichever transport ran.
                    match value.to_str() {
                        Ok(ascii) => text.push_str(ascii),
                        Err(_) => text.extend(value.as_bytes().iter().map(|&b| char::from(b))),
                    }
                    text.push('\n');
                }
                Completion {
                    slot,
                    kind: RESPONSE,
                    status: u32::from(response.status),
                    text,
                    body: Some(response.body),
                }
            }
            Err(e) => Completion::failure(slot, e.failure, e.status, e.code, &error_text(&e.error)),
        }
    }
}

/// The error's message with its chain of causes (rustls's certificate verdict, the socket
/// error), which is what a developer needs to act on.
fn error_text(error: &conversations_core::Error) -> String {
    let mut text = error.message().to_owned();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        let _ = write!(text, ": {s}");
        source = s.source();
    }
    text
}

fn failure_id(failure: Failure) -> i32 {
    Failure::ALL
        .iter()
        .position(|f| *f == failure)
        .map_or(-2, |i| i as i32)
}

/// The threadsafe function's handle. Node-API documents `napi_call_threadsafe_function` and
/// `napi_release_threadsafe_function` as callable from any thread.
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: see above; the handle is only passed to Node-API, which synchronises internally, and
// only while it is live (the `Io::tsfn` mutex, cleared before Node frees it).
unsafe impl Send for Tsfn {}

/// A send in flight, as `cancel` finds it.
struct Pending {
    /// Set by whichever of the attempt and `cancel` ends the send first: that one delivers.
    claimed: Arc<AtomicBool>,
    abort: tokio::task::AbortHandle,
}

/// A JS-thread-only value (napi_ref); `Io` is shared with the worker, which never touches it.
struct JsRefs {
    /// `this`: strong while sends are in flight, weak otherwise.
    this: sys::napi_ref,
    /// `onDone`: weak; `this` holds it as a property.
    on_done: sys::napi_ref,
}
// SAFETY: only read and used on the JS thread (constructor, send, deliver, finalizer); the
// worker threads never touch it, they only keep the `Io` that contains it alive.
unsafe impl Send for JsRefs {}

struct Io {
    /// The trusted certificates (the process-wide TLS configuration for this Io's CA options),
    /// to build a pool on the first send and a fresh one after `close()`.
    tls: Tls,
    /// The pool new sends use; `None` until the first send, and after `close()` until the next
    /// one: an Io that never sends costs no pool.
    transport: Mutex<Option<Transport>>,
    /// Header sets registered by `head()`, by key.
    heads: Mutex<Vec<HeaderMap>>,
    pending: Mutex<HashMap<u32, Pending>>,
    /// Completed sends not yet handed to JS.
    done: Mutex<Vec<Completion>>,
    /// Sends started and not yet delivered. JS thread only.
    in_flight: AtomicU32,
    tsfn: Mutex<Option<Tsfn>>,
    refs: Mutex<Option<JsRefs>>,
}

impl Io {
    fn transport(&self) -> Result<Transport, conversations_core::Error> {
        let mut transport = lock(&self.transport);
        if let Some(t) = transport.as_ref() {
            return Ok(t.clone());
        }
        let t = Transport::direct_with(&self.tls)?;
        *transport = Some(t.clone());
        Ok(t)
    }

    /// Queues a completion; wakes the JS thread only if the queue was empty (otherwise a
    /// wake-up is already pending and its drain will take this one too).
    fn complete(&self, completion: Completion) {
        let first = {
            let mut done = lock(&self.done);
            done.push(completion);
            done.len() == 1
        };
        if first {
            if let Some(tsfn) = lock(&self.tsfn).as_ref() {
                // SAFETY: the handle is live while it is in the mutex (see `Tsfn`). A call
                // after Node began closing it returns napi_closing, which needs nothing.
                unsafe {
                    sys::napi_call_threadsafe_function(
                        tsfn.0,
                        ptr::null_mut(),
                        sys::ThreadsafeFunctionCallMode::nonblocking,
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The methods (see `fast.rs` for the call helpers they share with the engine's fast path).

fn undefined(env: sys::napi_env) -> sys::napi_value {
    let mut out = ptr::null_mut();
    // SAFETY: a live env (every caller is a callback of it); `out` is a valid out-pointer.
    unsafe { sys::napi_get_undefined(env, &mut out) };
    out
}

/// `head(flat)`: registers a header set `[name, value, ...]` and returns its key.
unsafe extern "C" fn head(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info; the data is an `Io` (`constructor`).
    let Some(call) = (unsafe { Call::<Io, 1>::new(env, info) }) else {
        return ptr::null_mut();
    };
    let mut len = 0u32;
    // SAFETY: a live env and value.
    if unsafe { sys::napi_get_array_length(env, call.arg(0), &mut len) } != sys::Status::napi_ok
        || len % 2 != 0
    {
        throw_type(env, "head: expected [name, value, ...]");
        return ptr::null_mut();
    }
    let mut map = HeaderMap::with_capacity(len as usize / 2);
    let (mut buf, mut heap) = ([0u8; 256], Vec::new());
    let mut name = HeaderName::from_static("x");
    for i in 0..len {
        let mut element = ptr::null_mut();
        // SAFETY: a live env; the index is within the array's length.
        let text = unsafe {
            sys::napi_get_element(env, call.arg(0), i, &mut element);
            string_of(env, element, &mut buf, &mut heap)
        };
        let Some(text) = text else {
            throw_type(env, "head: header names and values must be strings");
            return ptr::null_mut();
        };
        if i % 2 == 0 {
            let Ok(parsed) = HeaderName::from_bytes(text.as_bytes()) else {
                throw_type(env, &format!("head: invalid header name {text:?}"));
                return ptr::null_mut();
            };
            name = parsed;
        } else {
            let Ok(value) = HeaderValue::from_str(text) else {
                throw_type(env, &format!("head: invalid value for header {name}"));
                return ptr::null_mut();
            };
            map.append(name.clone(), value);
        }
    }
    let key = {
        let mut heads = lock(&call.data().heads);
        heads.push(map);
        heads.len() - 1
    };
    let mut out = ptr::null_mut();
    // SAFETY: a live env.
    unsafe { sys::napi_create_uint32(env, key as u32, &mut out) };
    out
}

/// `send(slot, method, url, head, body, timeoutMs, maxBytes)`: starts one attempt; its result
/// comes to `onDone(slot, ...)`, exactly once.
unsafe extern "C" fn send(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info; the data is an `Io` (`constructor`).
    let Some(call) = (unsafe { Call::<Io, 7>::new(env, info) }) else {
        return ptr::null_mut();
    };
    let io = call.data();
    let (mut method_buf, mut method_heap) = ([0u8; 16], Vec::new());
    let (mut url_buf, mut url_heap) = ([0u8; 512], Vec::new());
    let (mut body_buf, mut body_heap) = ([0u8; 1024], Vec::new());
    let (
        Some(slot),
        Some(method),
        Some(url),
        Some(head_key),
        Some(body),
        Some(timeout_ms),
        Some(max_bytes),
    ) = (
        call.u32(0, "slot"),
        call.string(1, "method", &mut method_buf, &mut method_heap),
        call.string(2, "url", &mut url_buf, &mut url_heap),
        call.u32(3, "head"),
        call.optional_string(4, "body", &mut body_buf, &mut body_heap),
        call.f64(5, "timeoutMs"),
        call.f64(6, "maxBytes"),
    )
    else {
        return ptr::null_mut();
    };
    let Some(headers) = lock(&io.heads).get(head_key as usize).cloned() else {
        throw_type(env, "send: unknown head key");
        return ptr::null_mut();
    };
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        throw_type(env, "send: invalid method");
        return ptr::null_mut();
    };

    // From here on the send is accepted: whatever happens, one completion.
    if io.in_flight.fetch_add(1, Ordering::Relaxed) == 0 {
        // SAFETY: the JS thread, in the env the Io was made in.
        unsafe { hold(env, io, true) };
    }
    let fail = |message: &str| {
        io.complete(Completion::failure(
            slot,
            Failure::Fatal,
            0,
            "ERR_IO",
            message,
        ));
        undefined(env)
    };
    // The engine's URLs follow core's URL rule (an ASCII host, nothing a parser would encode):
    // http's parser takes them as they are, without the url crate's normalising pass.
    let request = match Uri::try_from(url) {
        Ok(uri) => {
            let body = body.map_or_else(Bytes::new, |b| Bytes::copy_from_slice(b.as_bytes()));
            let mut request = Request::new(body);
            *request.method_mut() = method;
            *request.uri_mut() = uri;
            *request.headers_mut() = headers;
            request
        }
        Err(e) => return fail(&format!("invalid URL: {e}")),
    };
    let transport = match io.transport() {
        Ok(t) => t,
        Err(e) => return fail(&error_text(&e)),
    };
    let Some(rt) = runtime() else {
        return fail("could not start the I/O thread");
    };
    let timeout = (timeout_ms.is_finite() && timeout_ms > 0.0)
        .then(|| Duration::from_secs_f64(timeout_ms / 1000.0));
    // A cap beyond what fits in memory is no cap; NaN or negative allows nothing.
    let max_bytes = if max_bytes >= usize::MAX as f64 {
        usize::MAX
    } else if max_bytes > 0.0 {
        max_bytes as usize
    } else {
        0
    };
    let claimed = Arc::new(AtomicBool::new(false));
    let task_claimed = Arc::clone(&claimed);
    let task_io = call.data_arc();
    let task = rt.spawn(async move {
        let result = transport.send(request, max_bytes, timeout).await;
        if result.is_ok() {
            // hyper hands a keep-alive connection back to its pool from a task of its own,
            // woken when the body ends. Completing first let the caller's next send (a
            // sequential loop) find the pool empty now and then and open a second connection:
            // one yield lets that task run before the JS thread hears of the response.
            tokio::task::yield_now().await;
        }
        if !task_claimed.swap(true, Ordering::AcqRel) {
            task_io.complete(Completion::of(slot, result));
        }
    });
    lock(&io.pending).insert(
        slot,
        Pending {
            claimed,
            abort: task.abort_handle(),
        },
    );
    undefined(env)
}

/// `cancel(slot)`: ends the slot's attempt now with kind aborted, unless it already ended.
unsafe extern "C" fn cancel(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info; the data is an `Io` (`constructor`).
    let Some(call) = (unsafe { Call::<Io, 1>::new(env, info) }) else {
        return ptr::null_mut();
    };
    let Some(slot) = call.u32(0, "slot") else {
        return ptr::null_mut();
    };
    let io = call.data();
    let claimed = lock(&io.pending)
        .get(&slot)
        .and_then(|p| (!p.claimed.swap(true, Ordering::AcqRel)).then(|| p.abort.clone()));
    if let Some(abort) = claimed {
        // Dropping the attempt drops its connection: a half-read response is never reused.
        abort.abort();
        io.complete(Completion::failure(
            slot,
            Failure::Aborted,
            0,
            "ERR_ABORTED",
            "the request was cancelled",
        ));
    }
    undefined(env)
}

/// `close()`: idle keep-alive connections close, attempts in flight finish, later sends open
/// new connections.
unsafe extern "C" fn close(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info; the data is an `Io` (`constructor`).
    let Some(call) = (unsafe { Call::<Io, 0>::new(env, info) }) else {
        return ptr::null_mut();
    };
    // The pool closes its idle connections when its last user lets go of it: now if nothing is
    // in flight, otherwise when the attempts in flight (each holding it) end.
    let old = lock(&call.data().transport).take();
    drop(old);
    undefined(env)
}

/// Holds (`true`) or lets go of the object and the event loop: while sends are in flight, the
/// `Io` must neither be collected (its completions would be lost) nor let Node exit.
///
/// # Safety
/// On the JS thread, with the env the `Io` was created in.
unsafe fn hold(env: sys::napi_env, io: &Io, on: bool) {
    if let Some(refs) = lock(&io.refs).as_ref() {
        let mut count = 0u32;
        // SAFETY: the ref is live until the object's finalizer deletes it (after clearing).
        unsafe {
            if on {
                sys::napi_reference_ref(env, refs.this, &mut count);
            } else {
                sys::napi_reference_unref(env, refs.this, &mut count);
            }
        }
    }
    if let Some(tsfn) = lock(&io.tsfn).as_ref() {
        // SAFETY: live while in the mutex (see `Tsfn`); ref/unref are JS-thread calls.
        unsafe {
            if on {
                sys::napi_ref_threadsafe_function(env, tsfn.0);
            } else {
                sys::napi_unref_threadsafe_function(env, tsfn.0);
            }
        }
    }
}

/// On the JS thread, after a worker's wake-up: every queued completion to `onDone`.
unsafe extern "C" fn deliver(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() {
        return; // the threadsafe function is being torn down
    }
    // SAFETY: the context is the threadsafe function's Arc<Io> count, released only by its
    // finalizer, which does not run during a call.
    let io = unsafe { &*(context as *const Io) };
    let batch = std::mem::take(&mut *lock(&io.done));
    if batch.is_empty() {
        return;
    }
    let on_done = {
        let refs = lock(&io.refs);
        let mut value = ptr::null_mut();
        if let Some(refs) = refs.as_ref() {
            // SAFETY: the ref is live until the object's finalizer deletes it.
            unsafe { sys::napi_get_reference_value(env, refs.on_done, &mut value) };
        }
        value
    };
    let recv = undefined(env);
    let delivered = batch.len() as u32;
    let mut first_error: sys::napi_value = ptr::null_mut();
    {
        let mut pending = lock(&io.pending);
        for c in &batch {
            pending.remove(&c.slot);
        }
    }
    for c in batch {
        if on_done.is_null() {
            continue;
        }
        let mut argv = [ptr::null_mut(); 5];
        // SAFETY: JS thread, live env; every out-pointer is valid, and the body buffer is
        // copied by Node before `c` is dropped.
        unsafe {
            sys::napi_create_uint32(env, c.slot, &mut argv[0]);
            sys::napi_create_int32(env, c.kind, &mut argv[1]);
            sys::napi_create_uint32(env, c.status, &mut argv[2]);
            argv[3] = js_string(env, &c.text);
            match &c.body {
                Some(body) => {
                    let mut copy = ptr::null_mut();
                    sys::napi_create_buffer_copy(
                        env,
                        body.len(),
                        body.as_ptr().cast::<c_void>(),
                        &mut copy,
                        &mut argv[4],
                    );
                }
                None => argv[4] = recv,
            }
            let status =
                sys::napi_call_function(env, recv, on_done, 5, argv.as_ptr(), ptr::null_mut());
            if status == sys::Status::napi_pending_exception {
                // The rest still get their completion; the first exception is rethrown after,
                // to surface as an uncaught exception as a throwing node:http callback does.
                let mut error = ptr::null_mut();
                sys::napi_get_and_clear_last_exception(env, &mut error);
                if first_error.is_null() {
                    first_error = error;
                }
            }
        }
    }
    if io.in_flight.fetch_sub(delivered, Ordering::Relaxed) == delivered {
        // SAFETY: JS thread, the env of the Io.
        unsafe { hold(env, io, false) };
    }
    if !first_error.is_null() {
        // SAFETY: a live env and a value it produced.
        unsafe { sys::napi_throw(env, first_error) };
    }
}

/// Node finalized the threadsafe function (after its release, or at environment teardown).
unsafe extern "C" fn tsfn_finalized(env: sys::napi_env, data: *mut c_void, hint: *mut c_void) {
    // SAFETY: `data` is the threadsafe function's own Arc<Io> count.
    let io = unsafe { &*(data as *const Io) };
    // Workers must not call the handle from now on: Node frees it after this returns.
    lock(&io.tsfn).take();
    // Nobody will receive what is still in flight (the environment is going away): end it now
    // rather than let it hold connections and the runtime's attention until its timeout.
    for (_, pending) in lock(&io.pending).drain() {
        pending.abort.abort();
    }
    // SAFETY: as above; this is the count's release.
    unsafe { release::<Io>(env, data, hint) };
}

/// The JS object was collected (or the environment is going away): let go of the threadsafe
/// function and the references.
unsafe extern "C" fn object_finalized(env: sys::napi_env, data: *mut c_void, hint: *mut c_void) {
    // SAFETY: `data` is the object finalizer's own Arc<Io> count.
    let io = unsafe { &*(data as *const Io) };
    if let Some(tsfn) = lock(&io.tsfn).take() {
        // SAFETY: the handle was live (in the mutex); releasing it once is this Io's release.
        unsafe {
            sys::napi_release_threadsafe_function(tsfn.0, sys::ThreadsafeFunctionReleaseMode::abort)
        };
    }
    if let Some(refs) = lock(&io.refs).take() {
        // SAFETY: finalizers may delete references; these are deleted once, here.
        unsafe {
            sys::napi_delete_reference(env, refs.this);
            sys::napi_delete_reference(env, refs.on_done);
        }
    }
    // SAFETY: as above; this is the count's release.
    unsafe { release::<Io>(env, data, hint) };
}

/// Reads `options[name]` as a string; None when absent, null or not a string.
///
/// # Safety
/// `env` is the live env of the current callback and `options` a live value of it.
unsafe fn option(env: sys::napi_env, options: sys::napi_value, name: &CStr) -> Option<String> {
    let mut kind = sys::ValueType::napi_undefined;
    let mut value = ptr::null_mut();
    let (mut buf, mut heap) = ([0u8; 64], Vec::new());
    // SAFETY: see above; `options` is checked to be an object before it is read.
    unsafe {
        let readable = sys::napi_typeof(env, options, &mut kind) == sys::Status::napi_ok
            && kind == sys::ValueType::napi_object
            && sys::napi_get_named_property(env, options, name.as_ptr(), &mut value)
                == sys::Status::napi_ok;
        readable
            .then(|| string_of(env, value, &mut buf, &mut heap).map(str::to_owned))
            .flatten()
    }
}

/// `new Io(onDone, options)`.
unsafe extern "C" fn constructor(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let mut argc = 2usize;
    let mut argv = [ptr::null_mut(); 2];
    let mut this = ptr::null_mut();
    let mut kind = sys::ValueType::napi_undefined;
    // SAFETY: called by Node with this call's env and info; `argv` has room for `argc` values.
    let ok = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            &mut this,
            ptr::null_mut(),
        ) == sys::Status::napi_ok
            && sys::napi_typeof(env, argv[0], &mut kind) == sys::Status::napi_ok
    };
    if !ok || kind != sys::ValueType::napi_function {
        throw_type(env, "new Io(onDone, options): onDone must be a function");
        return ptr::null_mut();
    }
    // SAFETY: `argv[1]` is a live value of this call.
    let (ca, extra_ca) = unsafe {
        (
            option(env, argv[1], c"ca"),
            option(env, argv[1], c"extraCa"),
        )
    };
    // The certificates are read now, so that a bad `ca` throws here; the pool waits for a send.
    let tls = match Tls::new(ca.as_deref(), extra_ca.as_deref()) {
        Ok(tls) => tls,
        Err(e) => {
            throw(env, &error_text(&e));
            return ptr::null_mut();
        }
    };
    let io = Arc::new(Io {
        tls,
        transport: Mutex::new(None),
        heads: Mutex::new(Vec::new()),
        pending: Mutex::new(HashMap::new()),
        done: Mutex::new(Vec::new()),
        in_flight: AtomicU32::new(0),
        tsfn: Mutex::new(None),
        refs: Mutex::new(None),
    });
    // SAFETY: the env and values are this call's; each `Arc::into_raw` count below goes to
    // exactly one finalizer (or is released on the failure path).
    unsafe {
        // The object: its finalizer releases the threadsafe function and the references.
        let object_data = Arc::into_raw(Arc::clone(&io)) as *mut c_void;
        if sys::napi_add_finalizer(
            env,
            this,
            object_data,
            Some(object_finalized),
            ptr::null_mut(),
            ptr::null_mut(),
        ) != sys::Status::napi_ok
        {
            release::<Io>(env, object_data, ptr::null_mut());
            throw(env, "new Io: could not attach to the object");
            return ptr::null_mut();
        }

        let name = js_string(env, "conversations-io");
        let mut tsfn = ptr::null_mut();
        let context = Arc::into_raw(Arc::clone(&io)) as *mut c_void;
        if sys::napi_create_threadsafe_function(
            env,
            ptr::null_mut(),
            ptr::null_mut(),
            name,
            0,
            1,
            context,
            Some(tsfn_finalized),
            context,
            Some(deliver),
            &mut tsfn,
        ) != sys::Status::napi_ok
        {
            release::<Io>(env, context, ptr::null_mut());
            throw(env, "new Io: could not create the threadsafe function");
            return ptr::null_mut();
        }
        // Idle, an Io does not keep the process alive; `send` refs it while sends are in flight.
        sys::napi_unref_threadsafe_function(env, tsfn);
        *lock(&io.tsfn) = Some(Tsfn(tsfn));

        let mut this_ref = ptr::null_mut();
        let mut on_done_ref = ptr::null_mut();
        sys::napi_create_reference(env, this, 0, &mut this_ref);
        sys::napi_create_reference(env, argv[0], 0, &mut on_done_ref);
        *lock(&io.refs) = Some(JsRefs {
            this: this_ref,
            on_done: on_done_ref,
        });
    }
    // `onDone` lives as long as the object (the references to both are weak when idle).
    let defined = define_methods(
        env,
        this,
        &io,
        &[
            (c"head", head),
            (c"send", send),
            (c"cancel", cancel),
            (c"close", close),
        ],
        &[(c"onDone", argv[0])],
    );
    if let Err(message) = defined {
        throw(env, message);
        return ptr::null_mut();
    }
    this
}

/// Defines the `Io` class on `exports`.
pub fn register(env: sys::napi_env, exports: sys::napi_value) -> napi::Result<()> {
    let mut class = ptr::null_mut();
    // SAFETY: a live env during module registration; the name is a static C string.
    let status = unsafe {
        sys::napi_define_class(
            env,
            c"Io".as_ptr(),
            2,
            Some(constructor),
            ptr::null_mut(),
            0,
            ptr::null(),
            &mut class,
        )
    };
    // SAFETY: as above; `class` was just created.
    if status != sys::Status::napi_ok
        || unsafe { sys::napi_set_named_property(env, exports, c"Io".as_ptr(), class) }
            != sys::Status::napi_ok
    {
        return Err(napi::Error::from_reason("could not define Io"));
    }
    Ok(())
}
