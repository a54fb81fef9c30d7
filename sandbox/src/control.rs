//! The `/sandbox/*` control endpoints used by tests and demos. They need the sandbox's
//! credentials (Basic auth, as the API) and JSON bodies, are never faulted, not counted, and
//! get no CORS headers: no web page can drive them. The one exception is the Facebook login
//! page behind the authorisation URL, which a browser opens.

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::app::App;
use crate::http::{
    bytes_response, json_object, json_response, method_not_allowed, read_body, route_not_found,
    ApiError, Resp, JSON,
};
use crate::persist::FORMAT;
use crate::state::{Change, State};
use crate::util::{lock, percent_decode, read_lock};

/// Routes a request under `/sandbox`.
pub(crate) async fn handle(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    if path == "/sandbox/facebook/authorise" {
        return match method {
            Method::GET => facebook_login(app, &req).await,
            _ => method_not_allowed("GET, OPTIONS"),
        };
    }
    if let Err(e) = check_caller(app, &req) {
        return e.into_response();
    }
    let result = match (path.as_str(), method) {
        ("/sandbox/inbound", Method::POST) => match body(app, req).await {
            Ok(bytes) => crate::inbound::receive(app, &bytes).await,
            Err(e) => Err(e),
        },
        ("/sandbox/inbound", _) => Ok(method_not_allowed("POST, OPTIONS")),
        ("/sandbox/faults", Method::GET) => Ok(ok(lock(&app.faults).to_json())),
        ("/sandbox/faults", Method::POST) => match body(app, req).await {
            Ok(bytes) => crate::fault_set::install(&app.faults, &bytes)
                .map(|fault| json_response(StatusCode::CREATED, &fault)),
            Err(e) => Err(e),
        },
        ("/sandbox/faults", Method::DELETE) => {
            let cleared = lock(&app.faults).clear();
            Ok(ok(json!({ "cleared": cleared })))
        }
        ("/sandbox/faults", _) => Ok(method_not_allowed("GET, POST, DELETE, OPTIONS")),
        ("/sandbox/deliveries", Method::GET) => Ok(ok(lock(&app.deliveries).to_json())),
        ("/sandbox/deliveries", Method::DELETE) => {
            lock(&app.deliveries).clear();
            Ok(ok(json!({ "cleared": true })))
        }
        ("/sandbox/deliveries", _) => Ok(method_not_allowed("GET, DELETE, OPTIONS")),
        ("/sandbox/requests", Method::GET) => Ok(ok(lock(&app.counters).to_json())),
        ("/sandbox/requests", Method::DELETE) => {
            *lock(&app.counters) = Default::default();
            Ok(ok(json!({ "cleared": true })))
        }
        ("/sandbox/requests", _) => Ok(method_not_allowed("GET, DELETE, OPTIONS")),
        ("/sandbox/reset", Method::POST) => match body(app, req).await {
            Ok(bytes) => reset(app, &bytes).await,
            Err(e) => Err(e),
        },
        ("/sandbox/reset", _) => Ok(method_not_allowed("POST, OPTIONS")),
        ("/sandbox/state", Method::GET) => Ok(state(app)),
        ("/sandbox/state", _) => Ok(method_not_allowed("GET, OPTIONS")),
        _ => Ok(route_not_found()),
    };
    result.unwrap_or_else(ApiError::into_response)
}

fn ok(value: Value) -> Resp {
    json_response(StatusCode::OK, &value)
}

/// The sandbox's credentials, and for a POST a JSON content type: a page cannot send either
/// without a CORS preflight, which control paths never pass.
fn check_caller(app: &App, req: &Request<Incoming>) -> Result<(), ApiError> {
    if !app.authorised(req.headers()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The sandbox's control endpoints need its credentials: Basic auth with the API \
             key and secret (--key, --secret).",
        ));
    }
    if req.method() == Method::POST {
        let json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(JSON));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Control requests must have Content-Type: application/json.",
            ));
        }
    }
    Ok(())
}

async fn body(app: &App, req: Request<Incoming>) -> Result<bytes::Bytes, ApiError> {
    let (parts, body) = req.into_parts();
    read_body(&parts.headers, body, app.body_timeout).await
}

/// The page behind the authorisation URL: opening it with the account's `state` marks the
/// Facebook user authenticated, standing in for Facebook's OAuth dialog.
async fn facebook_login(app: &Arc<App>, req: &Request<Incoming>) -> Resp {
    let state = req
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == "state")
                .then(|| percent_decode(&v.replace('+', " ")))
                .flatten()
        });
    let outcome = app
        .mutate(move |s| {
            let Some(state) = state.as_deref() else {
                return Err(ApiError::bad_request("missing state"));
            };
            if s.account.as_ref().map(|a| a.account_id.as_str()) != Some(state) {
                return Err(ApiError::new(StatusCode::NOT_FOUND, "unknown state"));
            }
            let changes = if s.facebook_authenticated {
                Vec::new()
            } else {
                vec![Change::Authenticate]
            };
            Ok(((), changes))
        })
        .await;
    let (status, title, text) = match outcome {
        Ok(()) => (
            StatusCode::OK,
            "Facebook user authenticated",
            "The sandbox Facebook user is now authenticated. You can close this page and list the Facebook pages.",
        ),
        Err(e) if e.status == StatusCode::BAD_REQUEST => (
            StatusCode::BAD_REQUEST,
            "Authorisation failed",
            "This authorisation link has no state parameter.",
        ),
        Err(e) if e.status == StatusCode::NOT_FOUND => (
            StatusCode::NOT_FOUND,
            "Authorisation failed",
            "This authorisation link is not valid for the provisioned account. Request a new one from GET /beta/conversations/facebook/authorise.",
        ),
        Err(e) => return e.into_response(),
    };
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{text}</p></body></html>\n"
    );
    bytes_response(status, "text/html; charset=utf-8", html)
}

/// Back to an empty (or, on request or when started with `--seed-demo`, the demo) world;
/// clears faults, counters and deliveries too.
async fn reset(app: &Arc<App>, bytes: &[u8]) -> Result<Resp, ApiError> {
    let seed = if bytes.iter().all(u8::is_ascii_whitespace) {
        app.seed_demo
    } else {
        let body = json_object(bytes).ok_or_else(|| {
            ApiError::bad_request("Not a valid reset request: expected {\"seed_demo\": bool}.")
        })?;
        match body.get("seed_demo") {
            None | Some(Value::Null) => app.seed_demo,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(ApiError::bad_request(
                    "Not a valid reset request: seed_demo must be a boolean.",
                ))
            }
        }
    };
    let world = if seed {
        State::demo()
    } else {
        State::default()
    };
    app.mutate(move |_| Ok(((), vec![Change::Replace(Box::new(world))])))
        .await?;
    lock(&app.faults).clear();
    *lock(&app.counters) = Default::default();
    lock(&app.deliveries).clear();
    Ok(ok(json!({ "reset": true, "seed_demo": seed })))
}

/// The whole state as JSON (the earlier data-file format), for debugging and assertions.
/// Serialised straight from the read model: no copy of the state.
fn state(app: &App) -> Resp {
    #[derive(serde::Serialize)]
    struct Export<'a> {
        format: &'static str,
        version: u64,
        state: &'a State,
    }
    let store = read_lock(&app.store);
    let bytes = serde_json::to_vec(&Export {
        format: FORMAT,
        version: store.version,
        state: &store.state,
    })
    .unwrap_or_default();
    drop(store);
    bytes_response(StatusCode::OK, JSON, bytes)
}
