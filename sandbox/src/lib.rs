//! A local, stateful stand-in of the MessageMedia Conversations API (beta).
//!
//! It serves the eight API operations under `/beta/conversations/...` with HTTP Basic auth,
//! plus `/sandbox/*` control endpoints to simulate inbound messages, inject faults, inspect
//! callback deliveries and request counts, and reset state. It is written independently of the
//! SDK so that it checks the SDK rather than mirroring it. See `README.md` for the details.
//!
//! Start one in-process (e.g. from a test):
//!
//! ```no_run
//! # async fn demo() -> Result<(), conversations_sandbox::Error> {
//! let sandbox = conversations_sandbox::spawn(conversations_sandbox::Options {
//!     seed_demo: true,
//!     ..Default::default()
//! })
//! .await?;
//! println!("API at {}", sandbox.url());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod app;
mod body;
pub mod cli;
mod conn;
mod control;
mod cors;
mod counters;
mod delivery;
mod delivery_log;
mod fault_set;
mod faults;
mod guard;
mod http;
mod inbound;
mod message;
pub mod openapi;
mod persist;
mod routes;
mod server;
mod state;
mod util;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::{App, Store};
use crate::persist::Db;
use crate::state::{Change, State};

/// Default API key (Basic-auth user name).
pub const DEFAULT_KEY: &str = "sandbox-key";
/// Default API secret (Basic-auth password).
pub const DEFAULT_SECRET: &str = "sandbox-secret";
/// Default listening host.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// Default port of the binary (the library default is 0: any free port).
pub const DEFAULT_PORT: u16 = 8080;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to bind (name or IP). Default `127.0.0.1`.
    pub host: String,
    /// Port to bind; 0 picks a free one. Default 0.
    pub port: u16,
    /// The API key clients must send as the Basic-auth user name.
    pub key: String,
    /// The API secret clients must send as the Basic-auth password.
    pub secret: String,
    /// File to keep the state in across restarts: an SQLite database, each write committed
    /// before it is answered (a file in the earlier JSON format is migrated at start).
    pub data: Option<PathBuf>,
    /// Start with the demo world when there is no saved state (and reset to it by default).
    pub seed_demo: bool,
    /// Browser origins (`https://app.example.com`) allowed to call the API besides loopback
    /// ones (CORS). Control endpoints are never open to browsers.
    pub allow_origins: Vec<String>,
    /// Host names accepted in the `Host` header besides loopback names, IP literals and
    /// `host` (e.g. a container's service name).
    pub allow_hosts: Vec<String>,
    /// How long a client may take to send a request body (408 and closed after). 30 s.
    pub body_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: DEFAULT_HOST.to_owned(),
            port: 0,
            key: DEFAULT_KEY.to_owned(),
            secret: DEFAULT_SECRET.to_owned(),
            data: None,
            seed_demo: false,
            allow_origins: Vec::new(),
            allow_hosts: Vec::new(),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a sandbox could not start.
#[derive(Debug)]
pub enum Error {
    /// The listening socket could not be bound.
    Bind(std::io::Error),
    /// The `--data` file exists but cannot be read or understood (it is left untouched).
    Data(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Bind(e) => write!(f, "cannot listen: {e}"),
            Error::Data(e) => write!(f, "cannot load the data file: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Bind(e) => Some(e),
            Error::Data(_) => None,
        }
    }
}

/// A sandbox serving in the background of the current tokio runtime. Dropping it stops it
/// too; [`RunningSandbox::shutdown`] also waits until it has stopped.
pub struct RunningSandbox {
    addr: SocketAddr,
    /// `key:secret`, for the control calls of [`RunningSandbox::simulate_inbound`].
    credentials: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, aborts open connections and background deliveries, and waits for
    /// the server task to end. State changes are already on disk when they were answered.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// A simulated inbound message for [`RunningSandbox::simulate_inbound`]: a Facebook user writes
/// to an integrated page.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Inbound {
    /// The message text.
    pub text: String,
    /// An existing app user to write as (their page and names are used).
    pub app_user_id: Option<String>,
    /// The writer's given name (default `Alex`, or the app user's).
    pub given_name: Option<String>,
    /// The writer's surname (default `Tester`, or the app user's).
    pub surname: Option<String>,
    /// The page written to (default: the app user's, else the first integrated page).
    pub page_id: Option<String>,
}

impl Inbound {
    /// A message with this text from the default user to the first integrated page.
    pub fn text(text: impl Into<String>) -> Self {
        Inbound {
            text: text.into(),
            ..Default::default()
        }
    }

    /// Written by this person (found by page and names, or created).
    pub fn from_user(mut self, given_name: impl Into<String>, surname: impl Into<String>) -> Self {
        self.given_name = Some(given_name.into());
        self.surname = Some(surname.into());
        self
    }

    /// Written by this existing app user.
    pub fn from_app_user(mut self, app_user_id: impl Into<String>) -> Self {
        self.app_user_id = Some(app_user_id.into());
        self
    }
}

/// Why [`RunningSandbox::simulate_inbound`] failed: the sandbox's status and message (e.g. 409
/// `The account is not provisioned.`), or status 0 when it could not be reached.
#[derive(Debug, Clone)]
pub struct SimulateError {
    /// The HTTP status, 0 without a response.
    pub status: u16,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for SimulateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "simulate_inbound failed ({}): {}",
            self.status, self.message
        )
    }
}

impl std::error::Error for SimulateError {}

impl RunningSandbox {
    /// Simulates an inbound message through the control endpoint `POST /sandbox/inbound` (with
    /// the sandbox's credentials): stores a RECEIVED message and, with a callback URL, delivers
    /// the event. Returns the endpoint's answer: `{app_user_id, message, event, delivery_id}`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use conversations_sandbox::{spawn, Inbound, Options};
    /// let sandbox = spawn(Options { seed_demo: true, ..Default::default() }).await?;
    /// let sent = sandbox.simulate_inbound(Inbound::text("Hi!").from_user("Ben", "Sims")).await?;
    /// assert_eq!(sent["event"]["message"]["text"], "Hi!");
    /// # Ok(()) }
    /// ```
    pub async fn simulate_inbound(
        &self,
        inbound: Inbound,
    ) -> Result<serde_json::Value, SimulateError> {
        use serde_json::{json, Value};
        let state = self.control("GET", "/sandbox/state", None).await?;
        let users = state["state"]["users"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let user = match &inbound.app_user_id {
            Some(id) => Some(
                users
                    .iter()
                    .find(|u| u["id"] == id.as_str())
                    .cloned()
                    .ok_or_else(|| SimulateError {
                        status: 404,
                        message: format!("no app user {id}"),
                    })?,
            ),
            None => None,
        };
        let pick = |given: &Option<String>, key: &str, default: &str| {
            given
                .clone()
                .or_else(|| {
                    user.as_ref()
                        .and_then(|u| u[key].as_str().map(str::to_owned))
                })
                .unwrap_or_else(|| default.to_owned())
        };
        let page_id = inbound
            .page_id
            .clone()
            .or_else(|| {
                user.as_ref()
                    .and_then(|u| u["page_id"].as_str().map(str::to_owned))
            })
            .or_else(|| {
                state["state"]["integrated_pages"][0]
                    .as_str()
                    .map(str::to_owned)
            })
            .ok_or_else(|| SimulateError {
                status: 409,
                message: "no Facebook page is integrated (start with seed_demo, or integrate one)"
                    .to_owned(),
            })?;
        let body = json!({
            "page_id": page_id,
            "given_name": pick(&inbound.given_name, "given_name", "Alex"),
            "surname": pick(&inbound.surname, "surname", "Tester"),
            "text": inbound.text,
        });
        let answer: Value = self.control("POST", "/sandbox/inbound", Some(body)).await?;
        Ok(answer)
    }

    /// One control call over loopback HTTP with Basic auth and a JSON body.
    async fn control(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value, SimulateError> {
        use base64::Engine as _;
        use http_body_util::{BodyExt, Full};
        let unreachable = |e: &dyn fmt::Display| SimulateError {
            status: 0,
            message: e.to_string(),
        };
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|e| unreachable(&e))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .map_err(|e| unreachable(&e))?;
        tokio::spawn(conn);
        let auth = base64::engine::general_purpose::STANDARD.encode(&self.credentials);
        let bytes = body.map(|b| b.to_string()).unwrap_or_default();
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, self.addr.to_string())
            .header(hyper::header::AUTHORIZATION, format!("Basic {auth}"))
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(bytes::Bytes::from(bytes)))
            .map_err(|e| unreachable(&e))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| unreachable(&e))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| unreachable(&e))?
            .to_bytes();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if !(200..300).contains(&status) {
            let message = value["message"].as_str().map_or_else(
                || String::from_utf8_lossy(&body).into_owned(),
                str::to_owned,
            );
            return Err(SimulateError { status, message });
        }
        Ok(value)
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds and starts a sandbox on the current tokio runtime.
pub async fn spawn(opts: Options) -> Result<RunningSandbox, Error> {
    let (db, saved) = match &opts.data {
        Some(path) => {
            let path = path.clone();
            let (db, saved) = tokio::task::spawn_blocking(move || Db::open(&path))
                .await
                .map_err(|e| Error::Data(e.to_string()))?
                .map_err(Error::Data)?;
            (Some(Arc::new(db)), saved)
        }
        None => (None, None),
    };
    let fresh = saved.is_none();
    let (state, version) = saved.unwrap_or_default();
    let listener = TcpListener::bind((opts.host.as_str(), opts.port))
        .await
        .map_err(Error::Bind)?;
    let addr = listener.local_addr().map_err(Error::Bind)?;
    let (stop, stopped) = watch::channel(false);
    let app = Arc::new(App {
        store: RwLock::new(Store::new(state, version)),
        writes: tokio::sync::Mutex::new(()),
        db,
        faults: Mutex::default(),
        counters: Mutex::default(),
        deliveries: Mutex::default(),
        delivery_limits: Default::default(),
        credentials: format!("{}:{}", opts.key, opts.secret).into_bytes(),
        seed_demo: opts.seed_demo,
        addr,
        access: guard::Access::new(&opts.host, &opts.allow_hosts, &opts.allow_origins),
        body_timeout: opts.body_timeout,
        shutdown: stopped.clone(),
    });
    // A fresh world is written at once, so the data file holds it from the start.
    if fresh {
        let world = initial_state(opts.seed_demo);
        app.mutate(move |_| Ok(((), vec![Change::Replace(Box::new(world))])))
            .await
            .map_err(|e| Error::Data(e.message.into_owned()))?;
    }
    let task = tokio::spawn(server::serve(listener, app, stopped));
    Ok(RunningSandbox {
        addr,
        credentials: format!("{}:{}", opts.key, opts.secret),
        stop,
        task: Some(task),
    })
}

fn initial_state(seed_demo: bool) -> State {
    if seed_demo {
        State::demo()
    } else {
        State::default()
    }
}
