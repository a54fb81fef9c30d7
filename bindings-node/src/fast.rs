//! The per-call methods (`decode`, `requestLine`) as plain Node-API functions.
//!
//! napi-rs's generated glue for a `#[napi]` method costs about as much as the work it wraps: each
//! call opens a native-borrow scope (an `Arc<Mutex<_>>` allocated and freed), checks the class
//! identity of `this` and copies every string argument onto the heap; callgrind counted about 5k
//! instructions of glue per `decode` of a small body, against 2.5k for the decoding itself. These
//! two are called once or twice per API call, so they are installed on each engine instance as
//! functions whose data is the engine itself, shared and immutable (`Arc<Engine>`): there is no
//! `&mut` to guard, and nothing is copied but the strings, onto the stack when they fit.

use conversations_core::engine::Engine;
use napi::sys;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

/// A per-call method: a plain Node-API callback.
pub(crate) type Method =
    unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// Defines `decode` and `requestLine` as own, read-only properties of `this`, each owning a
/// reference to `engine` that is released when the function is collected.
pub fn install(
    env: sys::napi_env,
    this: sys::napi_value,
    engine: &Arc<Engine>,
) -> napi::Result<()> {
    define_methods(
        env,
        this,
        engine,
        &[(c"decode", decode), (c"requestLine", request_line)],
        &[],
    )
    .map_err(napi::Error::from_reason)
}

/// Defines `methods` as own properties of `this`, each a function whose data is `owner` (one
/// `Arc` count per function, released by its finalizer: a function may outlive `this`), and
/// `values` as plain own properties.
pub(crate) fn define_methods<T>(
    env: sys::napi_env,
    this: sys::napi_value,
    owner: &Arc<T>,
    methods: &[(&'static CStr, Method)],
    values: &[(&'static CStr, sys::napi_value)],
) -> Result<(), &'static str> {
    let mut descriptors = Vec::with_capacity(methods.len() + values.len());
    let property = |name: &'static CStr, value| sys::napi_property_descriptor {
        utf8name: name.as_ptr(),
        name: ptr::null_mut(),
        method: None,
        getter: None,
        setter: None,
        value,
        attributes: sys::PropertyAttributes::default,
        data: ptr::null_mut(),
    };
    for &(name, callback) in methods {
        let data = Arc::into_raw(Arc::clone(owner)) as *mut c_void;
        let mut function = ptr::null_mut();
        // SAFETY: `env` is the live env of the calling callback; `data` stays valid until the
        // finalizer added below (or the failure path) releases it.
        unsafe {
            let created = sys::napi_create_function(
                env,
                name.as_ptr(),
                name.to_bytes().len() as isize,
                Some(callback),
                data,
                &mut function,
            );
            if created != sys::Status::napi_ok
                || sys::napi_add_finalizer(
                    env,
                    function,
                    data,
                    Some(release::<T>),
                    ptr::null_mut(),
                    ptr::null_mut(),
                ) != sys::Status::napi_ok
            {
                release::<T>(env, data, ptr::null_mut());
                return Err("could not create a method");
            }
        }
        descriptors.push(property(name, function));
    }
    for &(name, value) in values {
        descriptors.push(property(name, value));
    }
    // SAFETY: the descriptors point at static names and at live values.
    let status =
        unsafe { sys::napi_define_properties(env, this, descriptors.len(), descriptors.as_ptr()) };
    if status != sys::Status::napi_ok {
        return Err("could not define the methods");
    }
    Ok(())
}

/// Releases the `Arc<T>` count a finalizer was given.
pub(crate) unsafe extern "C" fn release<T>(
    _env: sys::napi_env,
    data: *mut c_void,
    _hint: *mut c_void,
) {
    // SAFETY: `data` came from `Arc::into_raw` of an `Arc<T>` and is released exactly once.
    drop(unsafe { Arc::from_raw(data as *const T) });
}

/// The arguments and the data (the engine, the `Io`) of one call, or the JS exception already
/// thrown.
pub(crate) struct Call<T, const N: usize> {
    env: sys::napi_env,
    /// How many arguments the caller passed (may exceed `N`).
    argc: usize,
    argv: [sys::napi_value; N],
    data: *const T,
}

impl<T, const N: usize> Call<T, N> {
    /// # Safety
    /// A Node-API callback's env and info, of a function made by [`define_methods`] with a `T`.
    pub(crate) unsafe fn new(env: sys::napi_env, info: sys::napi_callback_info) -> Option<Self> {
        let mut argc = N;
        let mut argv = [ptr::null_mut(); N];
        let mut data = ptr::null_mut();
        // SAFETY: `argv` has room for `argc` values; missing arguments are set to `undefined`.
        let status = unsafe {
            sys::napi_get_cb_info(
                env,
                info,
                &mut argc,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                &mut data,
            )
        };
        if status != sys::Status::napi_ok || data.is_null() {
            throw(env, "invalid call");
            return None;
        }
        Some(Call {
            env,
            argc,
            argv,
            data: data as *const T,
        })
    }

    /// The function's data.
    pub(crate) fn data(&self) -> &T {
        // SAFETY: the function holding `data` keeps this reference alive (see `define_methods`).
        unsafe { &*self.data }
    }

    /// The function's data as the `Arc` it is a count of, with a count of its own.
    pub(crate) fn data_arc(&self) -> Arc<T> {
        // SAFETY: `data` came from `Arc::into_raw` (see `define_methods`) and is live; this adds
        // the returned Arc's own count.
        unsafe {
            Arc::increment_strong_count(self.data);
            Arc::from_raw(self.data)
        }
    }

    fn type_of(&self, i: usize) -> sys::napi_valuetype {
        let mut kind = sys::ValueType::napi_undefined;
        // SAFETY: `argv[i]` is a live value of this call.
        unsafe { sys::napi_typeof(self.env, self.argv[i], &mut kind) };
        kind
    }

    /// Argument `i` as a string: on the stack when it fits `buf`, else on the heap.
    pub(crate) fn string<'b>(
        &self,
        i: usize,
        name: &str,
        buf: &'b mut [u8],
        heap: &'b mut Vec<u8>,
    ) -> Option<&'b str> {
        // SAFETY: `argv[i]` is a live value of this call.
        let text = unsafe { string_of(self.env, self.argv[i], buf, heap) };
        if text.is_none() {
            throw_type(self.env, &format!("{name} must be a string"));
        }
        text
    }

    /// Argument `i` as an optional string: `null` and `undefined` are `None`.
    pub(crate) fn optional_string<'b>(
        &self,
        i: usize,
        name: &str,
        buf: &'b mut [u8],
        heap: &'b mut Vec<u8>,
    ) -> Option<Option<&'b str>> {
        match self.type_of(i) {
            sys::ValueType::napi_null | sys::ValueType::napi_undefined => Some(None),
            _ => self.string(i, name, buf, heap).map(Some),
        }
    }

    /// Argument `i` as the bytes of a Uint8Array (a Buffer is one).
    fn bytes(&self, i: usize, name: &str) -> Option<&[u8]> {
        let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        // SAFETY: all out-pointers are valid; on success `data` (already offset) holds `len` bytes
        // that live at least as long as this call.
        let status = unsafe {
            sys::napi_get_typedarray_info(
                self.env,
                self.argv[i],
                &mut kind,
                &mut len,
                &mut data,
                &mut buffer,
                &mut offset,
            )
        };
        if status != sys::Status::napi_ok || kind != sys::TypedarrayType::uint8_array {
            throw_type(self.env, &format!("{name} must be a Uint8Array"));
            return None;
        }
        Some(if len == 0 || data.is_null() {
            &[]
        } else {
            unsafe { std::slice::from_raw_parts(data as *const u8, len) }
        })
    }

    /// Argument `i` as a flag: `true` only for the value `true`; an argument the caller left out
    /// is read without crossing into Node (the fast path passes three).
    fn flag(&self, i: usize) -> bool {
        if i >= self.argc.min(N) {
            return false;
        }
        let mut value = false;
        // SAFETY: `argv[i]` is a live value of this call; a non-boolean leaves `value` false.
        let status = unsafe { sys::napi_get_value_bool(self.env, self.argv[i], &mut value) };
        status == sys::Status::napi_ok && value
    }

    /// Argument `i` as a number.
    pub(crate) fn f64(&self, i: usize, name: &str) -> Option<f64> {
        let mut value = 0f64;
        // SAFETY: `argv[i]` is a live value of this call.
        if unsafe { sys::napi_get_value_double(self.env, self.argv[i], &mut value) }
            != sys::Status::napi_ok
        {
            throw_type(self.env, &format!("{name} must be a number"));
            return None;
        }
        Some(value)
    }

    /// Argument `i` itself.
    pub(crate) fn arg(&self, i: usize) -> sys::napi_value {
        self.argv[i]
    }

    pub(crate) fn u32(&self, i: usize, name: &str) -> Option<u32> {
        let mut value = 0u32;
        // SAFETY: `argv[i]` is a live value of this call.
        if unsafe { sys::napi_get_value_uint32(self.env, self.argv[i], &mut value) }
            != sys::Status::napi_ok
        {
            throw_type(self.env, &format!("{name} must be a number"));
            return None;
        }
        Some(value)
    }

    /// The string `work` returns, as this call's result; a panic (a bug) becomes a JS exception
    /// instead of aborting the process.
    fn answer(&self, doing: &str, work: impl FnOnce() -> String) -> sys::napi_value {
        match catch_unwind(AssertUnwindSafe(work)) {
            Ok(text) => self.string_result(&text),
            Err(_) => {
                throw(
                    self.env,
                    &format!("the engine failed while {doing} (a bug: please report it)"),
                );
                ptr::null_mut()
            }
        }
    }

    pub(crate) fn string_result(&self, text: &str) -> sys::napi_value {
        let mut out = ptr::null_mut();
        // SAFETY: `text` is valid UTF-8 of the given length.
        let status = unsafe {
            sys::napi_create_string_utf8(
                self.env,
                text.as_ptr().cast(),
                text.len() as isize,
                &mut out,
            )
        };
        if status != sys::Status::napi_ok {
            throw(self.env, "could not create the result string");
            return ptr::null_mut();
        }
        out
    }
}

/// `decode(op, status, body)`: the JSON envelope of `Engine::decode`.
unsafe extern "C" fn decode(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info.
    let Some(call) = (unsafe { Call::<Engine, 3>::new(env, info) }) else {
        return ptr::null_mut();
    };
    let (mut buf, mut heap) = ([0u8; 64], Vec::new());
    let Some(op) = call.string(0, "op", &mut buf, &mut heap) else {
        return ptr::null_mut();
    };
    let Some(status) = call.u32(1, "status") else {
        return ptr::null_mut();
    };
    let Some(body) = call.bytes(2, "body") else {
        return ptr::null_mut();
    };
    let status = u16::try_from(status).unwrap_or(0);
    call.answer("decoding", || call.data().decode(op, status, body))
}

/// `requestLine(op, id, bodyJson, passthrough?)`: see `Engine::request_line_with`.
unsafe extern "C" fn request_line(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: called by Node with this call's env and info.
    let Some(call) = (unsafe { Call::<Engine, 4>::new(env, info) }) else {
        return ptr::null_mut();
    };
    let (mut op_buf, mut op_heap) = ([0u8; 64], Vec::new());
    let (mut id_buf, mut id_heap) = ([0u8; 256], Vec::new());
    let (mut body_buf, mut body_heap) = ([0u8; 1024], Vec::new());
    let Some(op) = call.string(0, "op", &mut op_buf, &mut op_heap) else {
        return ptr::null_mut();
    };
    let Some(id) = call.optional_string(1, "id", &mut id_buf, &mut id_heap) else {
        return ptr::null_mut();
    };
    let Some(body) = call.optional_string(2, "bodyJson", &mut body_buf, &mut body_heap) else {
        return ptr::null_mut();
    };
    let passthrough = call.flag(3);
    call.answer("building a request", || {
        call.data().request_line_with(op, id, body, passthrough)
    })
}

/// A JS string (null, with the exception thrown, if Node cannot make it).
///
/// # Safety
/// `env` is the live env of the current callback.
pub(crate) unsafe fn js_string(env: sys::napi_env, text: &str) -> sys::napi_value {
    let mut out = ptr::null_mut();
    // SAFETY: `text` is valid UTF-8 of the given length.
    unsafe {
        sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut out)
    };
    out
}

/// The string `value` (None if it is not one): on the stack when it fits `buf`, else on the heap.
///
/// # Safety
/// `env` is the live env of the current callback and `value` a live value of it.
pub(crate) unsafe fn string_of<'b>(
    env: sys::napi_env,
    value: sys::napi_value,
    buf: &'b mut [u8],
    heap: &'b mut Vec<u8>,
) -> Option<&'b str> {
    let mut len = 0usize;
    // SAFETY: `buf` is writable for `buf.len()` bytes, NUL included.
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            env,
            value,
            buf.as_mut_ptr().cast::<c_char>(),
            buf.len(),
            &mut len,
        )
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    // Node never splits a character, so a cut copy may end up to 4 bytes short of the buffer.
    let bytes: &'b [u8] = if len + 4 < buf.len() {
        &buf[..len]
    } else {
        // It may have been cut short: ask for the length, then copy it whole.
        // SAFETY: a null buffer asks for the length only; then `heap` has room for it.
        unsafe {
            sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len);
            heap.resize(len + 1, 0);
            sys::napi_get_value_string_utf8(
                env,
                value,
                heap.as_mut_ptr().cast::<c_char>(),
                heap.len(),
                &mut len,
            );
        }
        &heap[..len]
    };
    // Node writes valid UTF-8 (lone surrogates become U+FFFD).
    std::str::from_utf8(bytes).ok()
}

pub(crate) fn throw(env: sys::napi_env, message: &str) {
    let message = std::ffi::CString::new(message).unwrap_or_default();
    // SAFETY: `message` is NUL-terminated and outlives the call.
    unsafe { sys::napi_throw_error(env, ptr::null(), message.as_ptr()) };
}

pub(crate) fn throw_type(env: sys::napi_env, message: &str) {
    let message = std::ffi::CString::new(message).unwrap_or_default();
    // SAFETY: `message` is NUL-terminated and outlives the call.
    unsafe { sys::napi_throw_type_error(env, ptr::null(), message.as_ptr()) };
}
