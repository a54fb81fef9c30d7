//! The delivery registry: the log of callback deliveries and the limits on how many run at
//! once. Kept apart from the sending (`delivery.rs`) so the shared state holds data, not
//! handlers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::util::{lock, now_timestamp};

/// Old records are dropped past this many, so a long-running sandbox stays small.
const MAX_RECORDS: usize = 1000;
/// Attempts in progress at once, in total and per receiver (`host:port`): each holds a socket,
/// so a receiver that never answers can hold at most this many file descriptors, and the API
/// keeps the rest. Further deliveries wait their turn in order (`attempts` stays 0).
pub(crate) const MAX_IN_FLIGHT: usize = 32;
pub(crate) const MAX_IN_FLIGHT_PER_RECEIVER: usize = 4;

/// The semaphores bounding concurrent delivery attempts.
pub(crate) struct DeliveryLimits {
    total: Arc<Semaphore>,
    per_receiver: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Default for DeliveryLimits {
    fn default() -> Self {
        Self {
            total: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            per_receiver: Mutex::default(),
        }
    }
}

impl DeliveryLimits {
    /// Waits (fairly, first come first served) until this receiver and the sandbox both have
    /// room for one more attempt.
    pub(crate) async fn admit(
        &self,
        receiver: &str,
    ) -> Option<(OwnedSemaphorePermit, OwnedSemaphorePermit)> {
        let one = lock(&self.per_receiver)
            .entry(receiver.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(MAX_IN_FLIGHT_PER_RECEIVER)))
            .clone();
        let mine = one.acquire_owned().await.ok()?;
        let total = self.total.clone().acquire_owned().await.ok()?;
        Some((mine, total))
    }
}

/// One callback delivery and how it went.
#[derive(Clone, Serialize)]
pub(crate) struct Delivery {
    pub id: u64,
    pub url: String,
    pub event: Value,
    pub created_at: String,
    pub attempts: u32,
    pub delivered: bool,
    /// No further attempt will be made (delivered, given up, or impossible).
    pub done: bool,
    /// HTTP status of the last attempt that got a response.
    pub status: Option<u16>,
    pub last_error: Option<String>,
}

/// The delivery log.
#[derive(Default)]
pub(crate) struct Deliveries {
    next_id: u64,
    records: Vec<Delivery>,
}

impl Deliveries {
    pub(crate) fn to_json(&self) -> Value {
        json!({ "data": self.records })
    }

    /// Forgets all records; ids keep counting so a still-running retry cannot hit a new one.
    pub(crate) fn clear(&mut self) {
        self.records.clear();
    }

    /// Records a new, not yet attempted delivery of `event` to `url`; returns its id.
    pub(crate) fn record(&mut self, url: String, event: Value) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        if self.records.len() >= MAX_RECORDS {
            self.records.remove(0);
        }
        self.records.push(Delivery {
            id,
            url,
            event,
            created_at: now_timestamp(),
            attempts: 0,
            delivered: false,
            done: false,
            status: None,
            last_error: None,
        });
        id
    }

    pub(crate) fn update(&mut self, id: u64, f: impl FnOnce(&mut Delivery)) {
        if let Some(d) = self.records.iter_mut().find(|d| d.id == id) {
            f(d);
        }
    }
}
