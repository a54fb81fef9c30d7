//! Counts of API requests that reached the server, faulted or not, so reliability tests can
//! prove how many attempts a client really made.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// More distinct routes than this (a fuzzer's random paths) are pooled under one key.
const MAX_KEYS: usize = 10_000;
const OTHER_KEY: &str = "* (other)";

/// Request counts keyed by `"METHOD /raw/path"` (the path as sent, without the query).
#[derive(Default)]
pub(crate) struct Counters {
    total: u64,
    by_route: BTreeMap<String, u64>,
}

impl Counters {
    pub(crate) fn record(&mut self, method: &str, path: &str) {
        self.total += 1;
        let key = format!("{method} {path}");
        let key = if self.by_route.len() >= MAX_KEYS && !self.by_route.contains_key(&key) {
            OTHER_KEY.to_owned()
        } else {
            key
        };
        *self.by_route.entry(key).or_default() += 1;
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({ "total": self.total, "by_route": self.by_route })
    }
}
