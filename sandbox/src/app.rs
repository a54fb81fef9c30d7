//! The shared server state: the persistent world plus the runtime-only test machinery.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use hyper::header::{HeaderMap, AUTHORIZATION};
use hyper::StatusCode;
use tokio::sync::watch;

use crate::counters::Counters;
use crate::delivery_log::{Deliveries, DeliveryLimits};
use crate::fault_set::FaultSet;
use crate::guard::Access;
use crate::http::ApiError;
use crate::persist::Db;
use crate::state::{Change, State};
use crate::util::{read_lock, write_lock};

/// The state plus its change counter, guarded together so an export is always consistent.
pub(crate) struct Store {
    pub state: State,
    pub version: u64,
    /// The `GET /users` body, serialised on first read after the user list changed.
    pub users_json: OnceLock<Bytes>,
}

impl Store {
    pub(crate) fn new(state: State, version: u64) -> Self {
        Self {
            state,
            version,
            users_json: OnceLock::new(),
        }
    }
}

/// Everything a request handler can reach.
pub(crate) struct App {
    /// The read model: every read is served from here, never from the database.
    pub store: RwLock<Store>,
    /// Serialises writes: plan, commit, apply, one at a time.
    pub writes: tokio::sync::Mutex<()>,
    /// The `--data` database, when given.
    pub db: Option<Arc<Db>>,
    pub faults: Mutex<FaultSet>,
    pub counters: Mutex<Counters>,
    pub deliveries: Mutex<Deliveries>,
    /// Bounds on concurrent callback deliveries (per receiver and in total).
    pub delivery_limits: DeliveryLimits,
    /// `key:secret`, compared with the decoded Basic credentials.
    pub credentials: Vec<u8>,
    /// Whether `POST /sandbox/reset` reseeds the demo world by default.
    pub seed_demo: bool,
    /// The bound address, for absolute URLs when a request has no usable Host header.
    pub addr: SocketAddr,
    /// Which browsers and host names may talk to it (see `guard.rs`).
    pub access: Access,
    /// How long a client may take to send a request body.
    pub body_timeout: Duration,
    /// Flips to true on shutdown; background deliveries stop retrying.
    pub shutdown: watch::Receiver<bool>,
}

impl App {
    /// Runs `f` with the state under the read lock (never blocked by a commit in progress).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&read_lock(&self.store).state)
    }

    /// A write. `plan` validates against the current state and says what changes; the
    /// changes are committed to the data file in one transaction and only then applied in
    /// memory, so an error (including a failed commit, 500) means nothing changed, and an
    /// answered write is on disk. Runs in its own task: a client that hangs up mid-write
    /// cannot leave the database and memory disagreeing.
    pub(crate) async fn mutate<T: Send + 'static>(
        self: &Arc<Self>,
        plan: impl FnOnce(&State) -> Result<(T, Vec<Change>), ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let app = self.clone();
        tokio::spawn(async move { app.mutate_now(plan).await })
            .await
            .unwrap_or_else(|e| {
                Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("The sandbox failed while writing: {e}"),
                ))
            })
    }

    async fn mutate_now<T>(
        &self,
        plan: impl FnOnce(&State) -> Result<(T, Vec<Change>), ApiError>,
    ) -> Result<T, ApiError> {
        let _gate = self.writes.lock().await;
        let (out, mut changes) = plan(&read_lock(&self.store).state)?;
        if changes.is_empty() {
            return Ok(out);
        }
        let version = read_lock(&self.store).version + 1;
        if let Some(db) = &self.db {
            let db = db.clone();
            changes =
                tokio::task::spawn_blocking(move || db.commit(version, &changes).map(|()| changes))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()))
                    .map_err(|e| {
                        ApiError::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            format!(
                                "The sandbox could not save its state (nothing was changed): {e}"
                            ),
                        )
                    })?;
        }
        let mut store = write_lock(&self.store);
        for change in changes {
            if matches!(change, Change::AddUser(_) | Change::Replace(_)) {
                store.users_json = OnceLock::new();
            }
            store.state.apply(change);
        }
        store.version = version;
        Ok(out)
    }

    /// True when the request carries the sandbox's Basic credentials.
    pub(crate) fn authorised(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some((scheme, token)) = value.trim().split_once(' ') else {
            return false;
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return false;
        }
        let token = token.trim();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(token));
        match decoded {
            Ok(d) => constant_time_eq(&d, &self.credentials),
            Err(_) => false,
        }
    }
}

/// Compares without an early exit, so timing does not reveal how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
