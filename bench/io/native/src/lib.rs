//! Issue #18 prototype: a whole call's I/O in Rust inside the addon, measured by bench/io/run.js
//! against node:http and undici. Not shipped.
//!
//! Per call, the JS thread crosses into the addon once (`call(ticket, op, id, body)`): core's
//! engine builds the request line there (`Engine::request_line`, as the package's fast path
//! does), the request goes to a tokio runtime owned by the addon (one worker thread, shared by
//! every client), reqwest sends it over its keep-alive pool, and the engine decodes the body on
//! that worker (`Engine::decode`): off the JS thread. The decoded envelope comes back through one
//! threadsafe function per client: a worker that finds the completion queue empty wakes the JS
//! thread once, which then drains every completion queued meanwhile (at 64 in flight one wake-up
//! serves several calls) and calls the JS `onDone(ticket, text)` for each.
//!
//! Raw Node-API (napi-sys) rather than napi-rs: its per-method glue cost about 5k instructions
//! per call in the package's addon (bindings-node/src/fast.rs says how), more than this crossing.

use conversations_core::engine::Engine;
use conversations_core::Operation;
use napi_sys as sys;
use std::ffi::{c_char, c_void};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// One runtime for the addon: a client costs a connection pool, not a thread.
fn runtime() -> Option<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("conversations-io")
                .enable_all()
                .build()
                .ok()
        })
        .as_ref()
}

/// The threadsafe function's handle, used from the worker; Node-API documents
/// `napi_call_threadsafe_function` as callable from any thread.
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: see above; the handle is only passed to Node-API, which synchronises internally.
unsafe impl Send for Tsfn {}
// SAFETY: as for Send.
unsafe impl Sync for Tsfn {}

/// The constant part of an operation's requests, built once per client (as the package's
/// `state.heads` caches `requestHead`).
struct Head {
    method: reqwest::Method,
    headers: reqwest::header::HeaderMap,
}

struct Client {
    engine: Engine,
    http: reqwest::Client,
    heads: Vec<Option<Head>>,
    /// Completed calls not yet handed to JS: (ticket, the engine's envelope or a failure).
    done: Mutex<Vec<(u32, String)>>,
    /// Calls sent and not yet delivered; the threadsafe function keeps the event loop alive
    /// only while this is above zero. Touched on the JS thread only.
    in_flight: AtomicU32,
    tsfn: OnceLock<Tsfn>,
    /// Set when Node has finalized the threadsafe function (at environment teardown it may do
    /// so before the `call` function's finalizer runs, which must then not release it again).
    tsfn_closed: AtomicBool,
}

impl Client {
    fn new(config_json: &str) -> Result<Client, String> {
        let engine = Engine::from_json(config_json);
        if let Some(err) = engine.config_error() {
            return Err(err.to_string());
        }
        let policy = engine.policy();
        let http = reqwest::Client::builder()
            // The engine's per-attempt timeout, as the package's transport arms its watchdog.
            .timeout(Duration::from_secs_f64(policy.timeout_ms / 1000.0))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        let heads = Operation::ALL
            .iter()
            .map(|op| {
                let head = engine.request_head(op.id()).ok()?;
                let mut headers = reqwest::header::HeaderMap::with_capacity(head.headers.len());
                for (name, value) in head.headers {
                    let value = reqwest::header::HeaderValue::from_str(&value).ok()?;
                    headers.insert(name, value);
                }
                let method = match head.method.as_str() {
                    "POST" => reqwest::Method::POST,
                    _ => reqwest::Method::GET,
                };
                Some(Head { method, headers })
            })
            .collect();
        Ok(Client {
            engine,
            http,
            heads,
            done: Mutex::new(Vec::new()),
            in_flight: AtomicU32::new(0),
            tsfn: OnceLock::new(),
            tsfn_closed: AtomicBool::new(false),
        })
    }

    /// Queues a completion; wakes the JS thread only if the queue was empty (otherwise a
    /// wake-up is already pending and its drain will take this one too).
    fn complete(&self, ticket: u32, text: String) {
        let first = {
            let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            done.push((ticket, text));
            done.len() == 1
        };
        if let (true, Some(tsfn)) = (first, self.tsfn.get()) {
            // SAFETY: the handle is live until the client's JS function is finalized, which
            // releases it; a call after that returns napi_closing and is ignored.
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

/// A failure before a response was read, as JSON text the JS side tells from an envelope.
fn failure(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timeout"
    } else {
        "network"
    };
    format!(
        "{{\"failure\":\"{kind}\",\"message\":{}}}",
        serde_json::Value::String(err.to_string())
    )
}

async fn perform(
    client: Arc<Client>,
    op: &'static str,
    request: reqwest::RequestBuilder,
) -> String {
    let response = match request.send().await {
        Ok(response) => response,
        Err(err) => return failure(&err),
    };
    let status = response.status().as_u16();
    match response.bytes().await {
        Ok(body) => client.engine.decode(op, status, &body),
        Err(err) => failure(&err),
    }
}

// ---------------------------------------------------------------------------------------------
// Node-API glue.

unsafe fn throw(env: sys::napi_env, message: &str) -> sys::napi_value {
    let mut text = message.as_bytes().to_vec();
    text.retain(|b| *b != 0);
    text.push(0);
    sys::napi_throw_error(env, ptr::null(), text.as_ptr().cast::<c_char>());
    ptr::null_mut()
}

/// The string argument `value`, or None for null/undefined (or a non-string).
unsafe fn string_arg(env: sys::napi_env, value: sys::napi_value) -> Option<String> {
    let mut len = 0usize;
    if sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len)
        != sys::Status::napi_ok
    {
        return None;
    }
    let mut buf = vec![0u8; len + 1];
    let mut written = 0usize;
    if sys::napi_get_value_string_utf8(
        env,
        value,
        buf.as_mut_ptr().cast::<c_char>(),
        buf.len(),
        &mut written,
    ) != sys::Status::napi_ok
    {
        return None;
    }
    buf.truncate(written);
    String::from_utf8(buf).ok()
}

unsafe fn js_string(env: sys::napi_env, text: &str) -> sys::napi_value {
    let mut out = ptr::null_mut();
    sys::napi_create_string_utf8(
        env,
        text.as_ptr().cast::<c_char>(),
        text.len() as isize,
        &mut out,
    );
    out
}

/// The first `N` arguments (missing ones undefined), how many were passed, and the function's data.
unsafe fn args<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> Option<([sys::napi_value; N], usize, *mut c_void)> {
    let mut argc = N;
    let mut argv = [ptr::null_mut(); N];
    let mut data = ptr::null_mut();
    let status = sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        argv.as_mut_ptr(),
        ptr::null_mut(),
        &mut data,
    );
    (status == sys::Status::napi_ok).then_some((argv, argc, data))
}

/// `call(ticket, op, id, bodyJson)`: undefined once the request is on its way (the result comes
/// to `onDone(ticket, text)`), or the engine's `{"error": ...}` text for invalid input.
unsafe extern "C" fn call(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let Some((argv, _, data)) = args::<4>(env, info) else {
        return throw(env, "call: bad arguments");
    };
    // SAFETY: `data` is the Arc<Client> this function was created with (see `create`), kept
    // until the function's finalizer.
    let client = &*(data as *const Client);
    let mut ticket = 0u32;
    if sys::napi_get_value_uint32(env, argv[0], &mut ticket) != sys::Status::napi_ok {
        return throw(env, "call: ticket must be a number");
    }
    let Some(op) = string_arg(env, argv[1]).and_then(|op| Operation::from_id(&op)) else {
        return throw(env, "call: unknown operation");
    };
    let id = string_arg(env, argv[2]);
    let body = string_arg(env, argv[3]);
    let mut line = client
        .engine
        .request_line(op.id(), id.as_deref(), body.as_deref());
    if line.starts_with('{') {
        return js_string(env, &line);
    }
    let index = Operation::ALL.iter().position(|o| *o == op).unwrap_or(0);
    let (Some(Some(head)), Some(rt)) = (client.heads.get(index), runtime()) else {
        return throw(env, "call: no request head or runtime");
    };
    let body = line.find('\n').map(|nl| {
        let body = line[nl + 1..].to_owned();
        line.truncate(nl);
        body
    });
    let mut request = client
        .http
        .request(head.method.clone(), line)
        .headers(head.headers.clone());
    if let Some(body) = body {
        request = request.body(body);
    }
    if client.in_flight.fetch_add(1, Ordering::Relaxed) == 0 {
        if let Some(tsfn) = client.tsfn.get() {
            sys::napi_ref_threadsafe_function(env, tsfn.0);
        }
    }
    // SAFETY: `data` came from Arc::into_raw; this adds the task's own count.
    Arc::increment_strong_count(data as *const Client);
    let task_client = Arc::from_raw(data as *const Client);
    rt.spawn(async move {
        let text = perform(Arc::clone(&task_client), op.id(), request).await;
        task_client.complete(ticket, text);
    });
    let mut undefined = ptr::null_mut();
    sys::napi_get_undefined(env, &mut undefined);
    undefined
}

/// On the JS thread, after a worker's wake-up: every queued completion to `onDone`.
unsafe extern "C" fn deliver(
    env: sys::napi_env,
    on_done: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() {
        return; // the function is being torn down
    }
    // SAFETY: the context is the client's Arc, released only by the tsfn finalizer.
    let client = &*(context as *const Client);
    let batch = std::mem::take(&mut *client.done.lock().unwrap_or_else(PoisonError::into_inner));
    let mut undefined = ptr::null_mut();
    sys::napi_get_undefined(env, &mut undefined);
    let delivered = batch.len() as u32;
    for (ticket, text) in batch {
        let mut args = [ptr::null_mut(); 2];
        sys::napi_create_uint32(env, ticket, &mut args[0]);
        args[1] = js_string(env, &text);
        sys::napi_call_function(env, undefined, on_done, 2, args.as_ptr(), ptr::null_mut());
    }
    if delivered > 0 && client.in_flight.fetch_sub(delivered, Ordering::Relaxed) == delivered {
        if let Some(tsfn) = client.tsfn.get() {
            sys::napi_unref_threadsafe_function(env, tsfn.0);
        }
    }
}

unsafe extern "C" fn release_client(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: one Arc count was handed to each finalizer that calls this.
    drop(Arc::from_raw(data as *const Client));
}

unsafe extern "C" fn tsfn_finalized(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    (*(data as *const Client))
        .tsfn_closed
        .store(true, Ordering::Release);
    release_client(env, data, ptr::null_mut());
}

unsafe extern "C" fn release_call(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let client = &*(data as *const Client);
    if let (Some(tsfn), false) = (
        client.tsfn.get(),
        client.tsfn_closed.load(Ordering::Acquire),
    ) {
        sys::napi_release_threadsafe_function(tsfn.0, sys::ThreadsafeFunctionReleaseMode::abort);
    }
    release_client(env, data, ptr::null_mut());
}

/// `create(configJson, onDone)`: the client's `call` function.
unsafe extern "C" fn create(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let Some((argv, 2.., _)) = args::<2>(env, info) else {
        return throw(env, "create(configJson, onDone)");
    };
    let Some(config) = string_arg(env, argv[0]) else {
        return throw(env, "create: configJson must be a string");
    };
    let client = match Client::new(&config) {
        Ok(client) => Arc::new(client),
        Err(message) => return throw(env, &message),
    };
    let name = js_string(env, "conversations-io");
    let mut tsfn = ptr::null_mut();
    let context = Arc::into_raw(Arc::clone(&client)) as *mut c_void;
    if sys::napi_create_threadsafe_function(
        env,
        argv[1],
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
        release_client(env, context, ptr::null_mut());
        return throw(env, "create: no threadsafe function");
    }
    // Idle clients do not keep the process alive; `call` refs it while calls are in flight.
    sys::napi_unref_threadsafe_function(env, tsfn);
    let _ = client.tsfn.set(Tsfn(tsfn));
    let data = Arc::into_raw(client) as *mut c_void;
    let mut function = ptr::null_mut();
    if sys::napi_create_function(env, c"call".as_ptr(), 4, Some(call), data, &mut function)
        != sys::Status::napi_ok
        || sys::napi_add_finalizer(
            env,
            function,
            data,
            Some(release_call),
            ptr::null_mut(),
            ptr::null_mut(),
        ) != sys::Status::napi_ok
    {
        release_call(env, data, ptr::null_mut());
        return throw(env, "create: no call function");
    }
    function
}

/// The module: `{ create }`.
///
/// # Safety
/// Called by Node once per environment, with a live env and exports object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(
    env: sys::napi_env,
    exports: sys::napi_value,
) -> sys::napi_value {
    let mut function = ptr::null_mut();
    if sys::napi_create_function(
        env,
        c"create".as_ptr(),
        6,
        Some(create),
        ptr::null_mut(),
        &mut function,
    ) == sys::Status::napi_ok
    {
        sys::napi_set_named_property(env, exports, c"create".as_ptr(), function);
    }
    exports
}
