//! The `--data` file: loaded at start, rewritten atomically after every change.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::state::State;

/// Marks the file's format so a future change can be detected instead of misread.
pub(crate) const FORMAT: &str = "conversations-sandbox/state/v1";

/// The file's top-level JSON object.
#[derive(Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub format: String,
    /// Bumped on every change; a writer never replaces a newer file with an older snapshot.
    pub version: u64,
    pub state: State,
}

/// Reads the data file: `Ok(None)` when it does not exist yet; an error (refusing to start
/// rather than overwrite data) when it exists but cannot be understood.
pub(crate) fn load(path: &Path) -> Result<Option<Snapshot>, String> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let snapshot: Snapshot = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a sandbox data file: {e}", path.display()))?;
    if snapshot.format != FORMAT {
        return Err(format!(
            "{} has format {:?}, expected {FORMAT:?}",
            path.display(),
            snapshot.format
        ));
    }
    Ok(Some(snapshot))
}

/// Serialises writes to the data file. Each caller hands over the snapshot it took while
/// holding the state lock; versions only grow, so skipping a snapshot older than what is
/// already on disk loses nothing (the newer one contains it).
pub(crate) struct Persister {
    path: PathBuf,
    written: tokio::sync::Mutex<u64>,
}

impl Persister {
    pub(crate) fn new(path: PathBuf, written: u64) -> Self {
        Self {
            path,
            written: tokio::sync::Mutex::new(written),
        }
    }

    /// Makes sure a snapshot at least as new as `version` is durably on disk.
    pub(crate) async fn write(&self, version: u64, bytes: Vec<u8>) -> io::Result<()> {
        let mut written = self.written.lock().await;
        if *written >= version {
            return Ok(());
        }
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || write_atomic(&path, &bytes))
            .await
            .map_err(io::Error::other)??;
        *written = version;
        Ok(())
    }
}

/// Temp file in the same directory, fsync, rename over the target, fsync the directory: a
/// crash at any point leaves either the old or the new complete file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "data path has no file name"))?;
    // Unique per write, so two writers (even two sandboxes in one process) never share one.
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
