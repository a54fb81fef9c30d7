//! Request dispatch and the eight Conversations API operations under `/beta/conversations`.

use std::sync::Arc;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, HOST, ORIGIN};
use hyper::{Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::app::App;
use crate::conn::ConnControl;
use crate::faults::Step;
use crate::http::{
    bytes_response, empty_response, json_object, json_response, method_not_allowed, read_body,
    route_not_found, ApiError, Resp, JSON,
};
use crate::state::{Account, Change, Direction, State, FACEBOOK_PAGES};
use crate::util::{is_http_url, is_non_blank, lock, percent_decode, read_lock, uuid_v4};

const API_PREFIX: &str = "/beta/conversations/";

/// Entry point for every request: who is asking (Host, Origin), then control routes,
/// counting, faults and the API; CORS headers on API answers only.
pub(crate) async fn dispatch(app: Arc<App>, conn: ConnControl, req: Request<Incoming>) -> Resp {
    let path = req.uri().path();
    let is_control = path == "/sandbox" || path.starts_with("/sandbox/");
    if !app.access.host_ok(req.headers()) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "The Host header does not name this sandbox (DNS rebinding is refused). Use \
             127.0.0.1 or localhost, or start the sandbox with --allow-host NAME.",
        )
        .into_response();
    }
    let origin: Option<HeaderValue> = req.headers().get(ORIGIN).cloned();
    if let Some(o) = &origin {
        if !app.access.origin_ok(o) {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "Browser pages from origin {} may not use the sandbox: only loopback \
                     origins can, and those given with --allow-origin ORIGIN.",
                    String::from_utf8_lossy(o.as_bytes())
                ),
            )
            .into_response();
        }
    }
    let mut resp = route(app, conn, req, is_control).await;
    if !is_control {
        crate::cors::decorate(&mut resp, origin.as_ref());
    }
    resp
}

async fn route(app: Arc<App>, conn: ConnControl, req: Request<Incoming>, is_control: bool) -> Resp {
    let path = req.uri().path().to_owned();
    if !is_control && path != "/openapi.json" {
        lock(&app.counters).record(req.method().as_str(), &path);
        let fault = lock(&app.faults).take(req.method().as_str(), &path);
        if let Some(action) = fault {
            return carry_out(crate::faults::step(action), &app, conn, req).await;
        }
    }
    if req.method() == Method::OPTIONS {
        if is_control {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "The sandbox's control endpoints cannot be called from a browser page.",
            )
            .into_response();
        }
        return crate::cors::preflight(req.headers());
    }
    if path == "/openapi.json" {
        return match *req.method() {
            Method::GET => crate::openapi::response(),
            _ => method_not_allowed("GET, OPTIONS"),
        };
    }
    if is_control {
        return crate::control::handle(&app, req).await;
    }
    api(&app, req).await
}

/// Carries out what a matched fault asked for.
async fn carry_out(step: Step, app: &Arc<App>, conn: ConnControl, req: Request<Incoming>) -> Resp {
    match step {
        Step::Answer(resp) => resp,
        Step::HandleAfter(pause) => {
            tokio::time::sleep(pause).await;
            api(app, req).await
        }
        Step::Reset { handle } => {
            if handle {
                let _ = api(app, req).await;
            }
            conn.abort();
            // Never reaches the client: the write fails and the socket is reset.
            empty_response(StatusCode::OK)
        }
        Step::Cut { answer, reset } => {
            let resp = match answer {
                Some(resp) => resp,
                None => api(app, req).await,
            };
            crate::faults::cut(resp, reset.then_some(conn))
        }
    }
}

/// The operations, keyed by the raw path segments after `/beta/conversations/`.
enum Op {
    Provision,
    Authorise,
    Pages,
    Integrate(Option<String>),
    Users,
    User(Option<String>),
    Messages(Option<String>),
    SendMessage(Option<String>),
}

/// Handles an API request (no faults): routing, 404/405, auth, then the operation.
pub(crate) async fn api(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().to_owned();
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return route_not_found();
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let method = req.method().clone();
    let is = |m: Method| method == m;
    // Ids are percent-decoded; `None` means the decoded bytes were not UTF-8 (never valid).
    let op = match segments.as_slice() {
        ["provision"] if is(Method::POST) => Op::Provision,
        ["provision"] => return method_not_allowed("POST, OPTIONS"),
        ["facebook", "authorise"] if is(Method::GET) => Op::Authorise,
        ["facebook", "authorise"] => return method_not_allowed("GET, OPTIONS"),
        ["facebook", "pages"] if is(Method::GET) => Op::Pages,
        ["facebook", "pages"] => return method_not_allowed("GET, OPTIONS"),
        ["facebook", "pages", id, "integrate"] if is(Method::POST) => {
            Op::Integrate(percent_decode(id))
        }
        ["facebook", "pages", _, "integrate"] => return method_not_allowed("POST, OPTIONS"),
        ["users"] if is(Method::GET) => Op::Users,
        ["users"] => return method_not_allowed("GET, OPTIONS"),
        ["users", id] if is(Method::GET) => Op::User(percent_decode(id)),
        ["users", _] => return method_not_allowed("GET, OPTIONS"),
        ["users", id, "messages"] if is(Method::GET) => Op::Messages(percent_decode(id)),
        ["users", id, "messages"] if is(Method::POST) => Op::SendMessage(percent_decode(id)),
        ["users", _, "messages"] => return method_not_allowed("GET, POST, OPTIONS"),
        _ => return route_not_found(),
    };
    if !app.authorised(req.headers()) {
        return ApiError::unauthorized().into_response();
    }
    let result = match op {
        Op::Provision => provision(app, req).await,
        Op::Authorise => authorise(app, &req),
        Op::Pages => pages(app),
        Op::Integrate(id) => integrate(app, id).await,
        Op::Users => users(app),
        Op::User(id) => user(app, id),
        Op::Messages(id) => messages(app, id),
        Op::SendMessage(id) => send_message(app, id, req).await,
    };
    result.unwrap_or_else(ApiError::into_response)
}

fn provisioned(state: &State) -> Result<&Account, ApiError> {
    state.account.as_ref().ok_or_else(ApiError::not_provisioned)
}

fn not_authenticated() -> ApiError {
    ApiError::bad_request("The Facebook user isn't authenticated.")
}

fn user_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "The app user does not exist.")
}

/// POST /provision `{name, callback_url?}`.
async fn provision(app: &Arc<App>, req: Request<Incoming>) -> Result<Resp, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, app.body_timeout).await?;
    let invalid = || ApiError::bad_request("Not a valid request body.");
    let body = json_object(&bytes).ok_or_else(invalid)?;
    let name = match body.get("name") {
        Some(Value::String(s)) if is_non_blank(s) => s.clone(),
        _ => return Err(invalid()),
    };
    let callback_url = match body.get("callback_url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if is_http_url(s) => Some(s.clone()),
        _ => return Err(invalid()),
    };
    let account = Account {
        name: name.clone(),
        callback_url: callback_url.clone(),
        account_id: uuid_v4(),
    };
    app.mutate(move |state| {
        if state.account.is_some() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "The account has already been provisioned.",
            ));
        }
        Ok(((), vec![Change::Provision(account)]))
    })
    .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({ "name": name, "callback_url": callback_url }),
    ))
}

/// GET /facebook/authorise: a URL back into the sandbox that "authenticates" when opened.
fn authorise(app: &App, req: &Request<Incoming>) -> Result<Resp, ApiError> {
    let account_id = app.read(|s| provisioned(s).map(|a| a.account_id.clone()))?;
    let host = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| app.addr.to_string());
    let url = format!("http://{host}/sandbox/facebook/authorise?state={account_id}");
    Ok(json_response(
        StatusCode::OK,
        &json!({ "authorisation_url": url }),
    ))
}

/// GET /facebook/pages.
fn pages(app: &App) -> Result<Resp, ApiError> {
    app.read(|s| {
        provisioned(s)?;
        if !s.facebook_authenticated {
            return Err(not_authenticated());
        }
        let data: Vec<Value> = FACEBOOK_PAGES
            .iter()
            .map(|(id, name)| json!({ "id": id, "name": name }))
            .collect();
        Ok(json_response(StatusCode::OK, &json!({ "data": data })))
    })
}

/// POST /facebook/pages/{id}/integrate: 200 with an empty text body, like the real API.
async fn integrate(app: &Arc<App>, id: Option<String>) -> Result<Resp, ApiError> {
    app.mutate(move |s| {
        provisioned(s)?;
        if !s.facebook_authenticated {
            return Err(not_authenticated());
        }
        let id = id
            .filter(|id| FACEBOOK_PAGES.iter().any(|(p, _)| p == id))
            .ok_or_else(|| ApiError::bad_request("The facebookPageId is invalid."))?;
        let changes = if s.integrated_pages.contains(&id) {
            Vec::new()
        } else {
            vec![Change::Integrate(id)]
        };
        Ok(((), changes))
    })
    .await?;
    Ok(bytes_response(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        "",
    ))
}

/// GET /users.
/// The answer is serialised once per change of the user list and shared by every reader
/// until the next one (messages do not change it), so a long list costs one copy, not one
/// serialisation per request.
fn users(app: &App) -> Result<Resp, ApiError> {
    let store = read_lock(&app.store);
    provisioned(&store.state)?;
    let body = store
        .users_json
        .get_or_init(|| {
            let data: Vec<Value> = store.state.users.iter().map(|u| u.summary()).collect();
            Bytes::from(serde_json::to_vec(&json!({ "data": data })).unwrap_or_default())
        })
        .clone();
    drop(store);
    Ok(bytes_response(StatusCode::OK, JSON, body))
}

/// GET /users/{id}.
fn user(app: &App, id: Option<String>) -> Result<Resp, ApiError> {
    app.read(|s| {
        provisioned(s)?;
        let user = id.and_then(|id| s.user(&id)).ok_or_else(user_not_found)?;
        Ok(json_response(StatusCode::OK, &user.summary()))
    })
}

/// GET /users/{id}/messages, oldest first.
fn messages(app: &App, id: Option<String>) -> Result<Resp, ApiError> {
    app.read(|s| {
        let account = provisioned(s)?;
        let user = id.and_then(|id| s.user(&id)).ok_or_else(user_not_found)?;
        let data: Vec<Value> = user.messages.iter().map(|m| m.to_json()).collect();
        Ok(json_response(
            StatusCode::OK,
            &json!({
                "messages": { "data": data },
                "metadata": { "user_id": user.id, "account_id": account.account_id },
            }),
        ))
    })
}

/// POST /users/{id}/messages: appends a SENT message of any kind (see [`crate::message`]).
async fn send_message(
    app: &Arc<App>,
    id: Option<String>,
    req: Request<Incoming>,
) -> Result<Resp, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, app.body_timeout).await?;
    let invalid = || ApiError::bad_request("The posted request is invalid.");
    let body = json_object(&bytes).ok_or_else(invalid)?;
    let (text, extra) = crate::message::validate_sent(&body).map_err(|_| invalid())?;
    let echo = Value::Object(body);
    app.mutate(move |s| {
        provisioned(s)?;
        let user = id
            .as_deref()
            .and_then(|id| s.user(id))
            .ok_or_else(user_not_found)?;
        let message = user.next_message(Direction::Sent, text, extra);
        let change = Change::AddMessage {
            user_id: user.id.clone(),
            message,
        };
        Ok(((), vec![change]))
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, &echo))
}
