//! The fault registry: the rules posted to `POST /sandbox/faults`, validated, and matched
//! against requests. It knows nothing of handlers; `faults.rs` turns a matched action into
//! a step the router carries out.

use std::collections::BTreeMap;
use std::sync::Mutex;

use base64::Engine;
use hyper::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::http::ApiError;
use crate::util::lock;

/// Largest raw body a fault may produce (`body_base64` × `repeat`).
const MAX_RAW_BYTES: usize = 64 * 1024 * 1024;

/// A fault as posted to `POST /sandbox/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    /// Which requests it applies to; omitted = every API request.
    #[serde(rename = "match", default)]
    pub matcher: Match,
    /// How many matching requests it affects; omitted or null = all of them until cleared.
    #[serde(default)]
    pub count: Option<u32>,
    pub action: Action,
}

/// Request selector. Both parts optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Match {
    /// HTTP method, case-insensitive. Preflight `OPTIONS` requests are only matched when named.
    #[serde(default)]
    pub method: Option<String>,
    /// Raw (still percent-encoded) request path prefix, e.g. `/beta/conversations/users`.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

/// What happens to a matched request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Action {
    /// Answer with this status, body and headers instead of handling the request.
    Status {
        status: u16,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
    /// Wait, then handle the request normally.
    Delay { ms: u64 },
    /// Close the connection with a TCP reset and no response; with `after_handling` the
    /// request is processed first (its effects persist) and only the answer is lost.
    Reset {
        #[serde(default)]
        after_handling: bool,
    },
    /// Handle the request, send headers and half the body, then reset the connection.
    /// `body` replaces the real body (as a 200 JSON response) when given.
    ResetMidBody {
        #[serde(default)]
        body: Option<String>,
    },
    /// Like `reset_mid_body` but the connection is closed gracefully (FIN).
    Truncated {
        #[serde(default)]
        body: Option<String>,
    },
    /// A complete response whose JSON body is malformed.
    Malformed {
        #[serde(default)]
        status: Option<u16>,
        #[serde(default)]
        body: Option<String>,
    },
    /// Exact body bytes (base64, repeated `repeat` times) for invalid UTF-8 or huge bodies.
    Raw {
        #[serde(default)]
        status: Option<u16>,
        body_base64: String,
        #[serde(default)]
        repeat: Option<u32>,
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
    /// A redirect (`status` 3xx, default 302) to `location`.
    Redirect {
        #[serde(default)]
        status: Option<u16>,
        location: String,
    },
}

/// An installed fault.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fault {
    pub id: u64,
    #[serde(rename = "match")]
    pub matcher: Match,
    /// Requests it will still affect (`null` = unlimited).
    pub remaining: Option<u32>,
    /// Requests it has affected so far.
    pub hits: u64,
    pub action: Action,
}

/// The installed faults, tried in installation order.
#[derive(Default)]
pub(crate) struct FaultSet {
    next_id: u64,
    faults: Vec<Fault>,
}

impl FaultSet {
    /// Validates and installs a fault.
    pub(crate) fn add(&mut self, spec: FaultSpec) -> Result<Fault, String> {
        validate(&spec)?;
        self.next_id += 1;
        let fault = Fault {
            id: self.next_id,
            matcher: spec.matcher,
            remaining: spec.count,
            hits: 0,
            action: spec.action,
        };
        self.faults.push(fault.clone());
        Ok(fault)
    }

    pub(crate) fn clear(&mut self) -> usize {
        std::mem::take(&mut self.faults).len()
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({ "data": self.faults })
    }

    /// The action of the first fault matching this request, consuming one of its uses.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<Action> {
        let index = self.faults.iter().position(|f| {
            let method_ok = match &f.matcher.method {
                Some(m) => m.eq_ignore_ascii_case(method),
                // A browser's preflight is not "the request"; only hit it when asked to.
                None => !method.eq_ignore_ascii_case("OPTIONS"),
            };
            let path_ok = f
                .matcher
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p));
            method_ok && path_ok && f.remaining != Some(0)
        })?;
        let fault = &mut self.faults[index];
        fault.hits += 1;
        let action = fault.action.clone();
        if let Some(n) = fault.remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                self.faults.remove(index);
            }
        }
        Some(action)
    }
}

fn validate(spec: &FaultSpec) -> Result<(), String> {
    if spec.count == Some(0) {
        return Err("count must be at least 1 (or omitted for unlimited)".to_owned());
    }
    let status_in = |s: u16, lo: u16, hi: u16| {
        if (lo..=hi).contains(&s) {
            Ok(())
        } else {
            Err(format!("status {s} is not in {lo}..={hi}"))
        }
    };
    match &spec.action {
        Action::Status {
            status, headers, ..
        } => {
            status_in(*status, 200, 599)?;
            header_pairs(headers).map(|_| ())
        }
        Action::Delay { .. } | Action::Reset { .. } => Ok(()),
        Action::ResetMidBody { .. } | Action::Truncated { .. } => Ok(()),
        Action::Malformed { status, .. } => status_in(status.unwrap_or(200), 200, 599),
        Action::Raw {
            status,
            body_base64,
            repeat,
            headers,
        } => {
            status_in(status.unwrap_or(200), 200, 599)?;
            header_pairs(headers)?;
            let bytes = decode_base64(body_base64)?;
            let total = bytes.len().saturating_mul(repeat.unwrap_or(1) as usize);
            if total > MAX_RAW_BYTES {
                return Err(format!("raw body of {total} bytes exceeds {MAX_RAW_BYTES}"));
            }
            Ok(())
        }
        Action::Redirect { status, location } => {
            status_in(status.unwrap_or(302), 300, 399)?;
            HeaderValue::from_str(location)
                .map(|_| ())
                .map_err(|_| "location is not a valid header value".to_owned())
        }
    }
}

pub(crate) fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("body_base64 is not valid base64: {e}"))
}

pub(crate) fn header_pairs(
    headers: &BTreeMap<String, String>,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    headers
        .iter()
        .map(|(k, v)| {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| format!("invalid header name {k:?}"))?;
            // Stricter than `HeaderValue` (which allows obs-text): tab and visible ASCII only,
            // as the OpenAPI pattern says.
            let value = v
                .bytes()
                .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
                .then(|| HeaderValue::from_str(v).ok())
                .flatten()
                .ok_or_else(|| format!("invalid value for header {k:?}"))?;
            Ok((name, value))
        })
        .collect()
}

/// Parses and installs a fault posted to the control endpoint.
pub(crate) fn install(faults: &Mutex<FaultSet>, bytes: &[u8]) -> Result<Value, ApiError> {
    let invalid =
        |e: &dyn std::fmt::Display| ApiError::bad_request(format!("Not a valid fault: {e}"));
    let value: Value = serde_json::from_slice(bytes).map_err(|e| invalid(&e))?;
    // serde would also read a struct from a JSON array; only objects are documented.
    let is_object = |v: Option<&Value>| v.is_none_or(Value::is_object);
    if !value.is_object() || !is_object(value.get("match")) || !is_object(value.get("action")) {
        return Err(invalid(
            &"the fault, its match and its action must be JSON objects",
        ));
    }
    let spec: FaultSpec = serde_json::from_value(value).map_err(|e| invalid(&e))?;
    let fault = lock(faults).add(spec).map_err(|e| invalid(&e))?;
    Ok(serde_json::to_value(fault).unwrap_or_default())
}
