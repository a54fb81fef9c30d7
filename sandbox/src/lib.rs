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
mod control;
mod cors;
mod counters;
mod delivery;
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
