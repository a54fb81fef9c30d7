//! The shared server state: the persistent world plus the runtime-only test machinery.

use std::net::SocketAddr;
use std::sync::Mutex;

use base64::Engine;
use hyper::header::{HeaderMap, AUTHORIZATION};
use hyper::StatusCode;
use tokio::sync::watch;

use crate::counters::Counters;
use crate::delivery::Deliveries;
use crate::faults::FaultSet;
use crate::http::ApiError;
use crate::persist::{Persister, Snapshot, FORMAT};
use crate::state::State;
use crate::util::lock;

/// The state plus its change counter, guarded together so a snapshot is always consistent.
pub(crate) struct Store {
    pub state: State,
    pub version: u64,
}

/// Everything a request handler can reach.
pub(crate) struct App {
    pub store: Mutex<Store>,
    pub persister: Option<Persister>,
    pub faults: Mutex<FaultSet>,
    pub counters: Mutex<Counters>,
    pub deliveries: Mutex<Deliveries>,
    /// `key:secret`, compared with the decoded Basic credentials.
    pub credentials: Vec<u8>,
    /// Whether `POST /sandbox/reset` reseeds the demo world by default.
    pub seed_demo: bool,
    /// The bound address, for absolute URLs when a request has no usable Host header.
    pub addr: SocketAddr,
    /// Flips to true on shutdown; background deliveries stop retrying.
    pub shutdown: watch::Receiver<bool>,
}

impl App {
    /// Runs `f` with the state under the lock.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&lock(&self.store).state)
    }

    /// Runs `f`, which must validate before it changes anything, then (with `--data`) waits
    /// until the changed state is durably on disk before the caller answers the client.
    pub(crate) async fn mutate<T>(
        &self,
        f: impl FnOnce(&mut State) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let (out, pending) = {
            let mut store = lock(&self.store);
            let out = f(&mut store.state)?;
            store.version += 1;
            let pending = self.persister.as_ref().map(|_| {
                let snapshot = Snapshot {
                    format: FORMAT.to_owned(),
                    version: store.version,
                    state: store.state.clone(),
                };
                (
                    store.version,
                    serde_json::to_vec_pretty(&snapshot).unwrap_or_default(),
                )
            });
            (out, pending)
        };
        if let (Some(persister), Some((version, bytes))) = (&self.persister, pending) {
            persister.write(version, bytes).await.map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("The sandbox could not save its state: {e}"),
                )
            })?;
        }
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
