//! Connection control: the one thing a handler may do to the socket under it. A leaf module,
//! so the body type and the fault actions can use it without depending on the server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A handle on one client connection that lets a handler abort it with a TCP reset.
#[derive(Clone)]
pub(crate) struct ConnControl(Arc<AtomicBool>);

impl ConnControl {
    /// A handle on the flag the connection's socket wrapper checks.
    pub(crate) fn new(aborted: Arc<AtomicBool>) -> Self {
        Self(aborted)
    }

    /// Makes every further read or write on the connection fail, and its close send an RST.
    pub(crate) fn abort(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}
