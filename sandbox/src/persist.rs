//! The `--data` file: an SQLite database (WAL), one transaction per API write, committed before
//! the answer. The in-memory [`State`] is the read model: reads never touch the database, so
//! they never wait for a write to reach the disk.
//!
//! A data file in the earlier JSON format (`conversations-sandbox/state/v1`) is migrated at
//! start: converted into a database next to it, then renamed over it atomically.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::state::{Account, AppUser, Change, Direction, Message, State};
use crate::util::lock;

/// The JSON export's format marker (`GET /sandbox/state`, and the earlier data-file format).
pub(crate) const FORMAT: &str = "conversations-sandbox/state/v1";
/// The database's format marker, in its `meta` table.
const DB_FORMAT: &str = "conversations-sandbox/sqlite/v1";
/// How long a write waits for a lock held by another connection (e.g. an `sqlite3` shell)
/// before it fails with 500; the sandbox itself never holds two.
const BUSY_TIMEOUT: Duration = Duration::from_millis(1000);
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The JSON export, and the earlier data-file format.
#[derive(Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub format: String,
    /// Number of writes since the data began.
    pub version: u64,
    pub state: State,
}

/// The open database. The connection is behind a mutex only to be `Sync`: writes are already
/// serialised by the caller, and reads never come here.
pub(crate) struct Db {
    conn: Mutex<Option<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL, callback_url TEXT, account_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (seq INTEGER PRIMARY KEY, page_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL, surname TEXT NOT NULL, page_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, direction TEXT NOT NULL, text TEXT,
    channel TEXT NOT NULL, timestamp TEXT NOT NULL, extra TEXT);
";

impl Db {
    /// Opens (creating, or migrating from JSON) the data file. Returns the saved state and
    /// version, or `None` for a new file. An unreadable or foreign file is an error and is
    /// left untouched.
    pub(crate) fn open(path: &Path) -> Result<(Db, Option<(State, u64)>), String> {
        remove_stray_files(path);
        match file_kind(path)? {
            Kind::Missing | Kind::Empty | Kind::Sqlite => {}
            Kind::Json(snapshot) => migrate(path, &snapshot)?,
            Kind::Foreign => {
                return Err(format!(
                    "{} is not a sandbox data file (neither SQLite nor the JSON format)",
                    path.display()
                ))
            }
        }
        let conn = connect(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let saved = load(&conn).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok((
            Db {
                conn: Mutex::new(Some(conn)),
            },
            saved,
        ))
    }

    /// Writes `changes` and the new `version` in one transaction. On error nothing of it is
    /// stored (the transaction rolls back when dropped).
    pub(crate) fn commit(&self, version: u64, changes: &[Change]) -> rusqlite::Result<()> {
        let mut guard = lock(&self.conn);
        let conn = guard.as_mut().ok_or(rusqlite::Error::InvalidQuery)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for change in changes {
            write_change(&tx, change)?;
        }
        set_meta(&tx, "version", &version.to_string())?;
        tx.commit()
    }

    /// Closes the database: SQLite checkpoints the WAL into the file and removes `-wal` and
    /// `-shm`, so a cleanly stopped sandbox leaves exactly the data file.
    pub(crate) fn close(&self) {
        if let Some(conn) = lock(&self.conn).take() {
            let _ = conn.close();
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.close();
    }
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: a commit appends to the log (no rewrite of the database). synchronous=FULL: the
    // log is fsynced at every commit, so an answered write survives a crash, not only kill -9.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let foreign: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table') \
         AND NOT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    if foreign {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            Some("an SQLite database of something else, not a sandbox data file".to_owned()),
        ));
    }
    conn.execute_batch(SCHEMA)?;
    let format: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match format.as_deref() {
        None => set_meta(&conn, "format", DB_FORMAT)?,
        Some(DB_FORMAT) => {}
        Some(other) => {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
                Some(format!("format {other:?}, expected {DB_FORMAT:?}")),
            ))
        }
    }
    Ok(conn)
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

fn write_change(conn: &Connection, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::Provision(a) => {
            conn.execute(
                "INSERT OR REPLACE INTO account (id, name, callback_url, account_id) \
                 VALUES (1, ?1, ?2, ?3)",
                params![a.name, a.callback_url, a.account_id],
            )?;
        }
        Change::Authenticate => set_meta(conn, "facebook_authenticated", "1")?,
        Change::Integrate(page) => {
            conn.execute(
                "INSERT OR IGNORE INTO pages (page_id) VALUES (?1)",
                params![page],
            )?;
        }
        Change::AddUser(u) => {
            conn.execute(
                "INSERT INTO users (id, given_name, surname, page_id) VALUES (?1, ?2, ?3, ?4)",
                params![u.id, u.given_name, u.surname, u.page_id],
            )?;
            for m in &u.messages {
                insert_message(conn, &u.id, m)?;
            }
        }
        Change::AddMessage { user_id, message } => insert_message(conn, user_id, message)?,
        Change::Replace(state) => {
            conn.execute_batch(
                "DELETE FROM account; DELETE FROM pages; DELETE FROM users; DELETE FROM messages; \
                 DELETE FROM meta WHERE key = 'facebook_authenticated';",
            )?;
            write_state(conn, state)?;
        }
    }
    Ok(())
}

/// Inserts a whole state into empty tables.
fn write_state(conn: &Connection, state: &State) -> rusqlite::Result<()> {
    if let Some(a) = &state.account {
        write_change(conn, &Change::Provision(a.clone()))?;
    }
    if state.facebook_authenticated {
        write_change(conn, &Change::Authenticate)?;
    }
    for page in &state.integrated_pages {
        write_change(conn, &Change::Integrate(page.clone()))?;
    }
    let mut insert_user = conn.prepare_cached(
        "INSERT INTO users (id, given_name, surname, page_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for u in &state.users {
        insert_user.execute(params![u.id, u.given_name, u.surname, u.page_id])?;
        for m in &u.messages {
            insert_message(conn, &u.id, m)?;
        }
    }
    Ok(())
}

fn insert_message(conn: &Connection, user_id: &str, m: &Message) -> rusqlite::Result<()> {
    let direction = match m.direction {
        Direction::Received => "RECEIVED",
        Direction::Sent => "SENT",
    };
    let extra = (!m.extra.is_empty()).then(|| serde_json::to_string(&m.extra).unwrap_or_default());
    conn.prepare_cached(
        "INSERT INTO messages (user_id, direction, text, channel, timestamp, extra) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        user_id,
        direction,
        m.text,
        m.channel,
        m.timestamp,
        extra
    ])?;
    Ok(())
}

/// Reads the whole state (users and messages in insertion order); `None` for a new database.
fn load(conn: &Connection) -> rusqlite::Result<Option<(State, u64)>> {
    let version: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(version) = version.and_then(|v| v.parse::<u64>().ok()) else {
        return Ok(None);
    };
    let account = conn
        .query_row(
            "SELECT name, callback_url, account_id FROM account WHERE id = 1",
            [],
            |r| {
                Ok(Account {
                    name: r.get(0)?,
                    callback_url: r.get(1)?,
                    account_id: r.get(2)?,
                })
            },
        )
        .optional()?;
    let facebook_authenticated = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'facebook_authenticated'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .is_some_and(|v| v == "1");
    let integrated_pages = conn
        .prepare("SELECT page_id FROM pages ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let mut users = conn
        .prepare("SELECT id, given_name, surname, page_id FROM users ORDER BY seq")?
        .query_map([], |r| {
            Ok(AppUser {
                id: r.get(0)?,
                given_name: r.get(1)?,
                surname: r.get(2)?,
                page_id: r.get(3)?,
                messages: Vec::new(),
            })
        })?
        .collect::<Result<Vec<AppUser>, _>>()?;
    let index: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), i))
        .collect();
    let mut stmt = conn.prepare(
        "SELECT user_id, direction, text, channel, timestamp, extra FROM messages ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let user_id: String = r.get(0)?;
        let Some(&i) = index.get(&user_id) else {
            continue;
        };
        let direction = match r.get::<_, String>(1)?.as_str() {
            "SENT" => Direction::Sent,
            _ => Direction::Received,
        };
        let extra: Option<String> = r.get(5)?;
        let extra = extra
            .and_then(|e| serde_json::from_str::<Map<String, Value>>(&e).ok())
            .unwrap_or_default();
        users[i].messages.push(Message {
            direction,
            text: r.get(2)?,
            channel: r.get(3)?,
            timestamp: r.get(4)?,
            extra,
        });
    }
    Ok(Some((
        State {
            account,
            facebook_authenticated,
            integrated_pages,
            users,
        },
        version,
    )))
}

enum Kind {
    Missing,
    Empty,
    Sqlite,
    Json(Box<Snapshot>),
    Foreign,
}

fn file_kind(path: &Path) -> Result<Kind, String> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Kind::Missing),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut head = [0u8; 16];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    if n == 0 {
        return Ok(Kind::Empty);
    }
    if &head[..n] == SQLITE_MAGIC {
        return Ok(Kind::Sqlite);
    }
    if head[..n].trim_ascii_start().first() != Some(&b'{') {
        return Ok(Kind::Foreign);
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let snapshot: Snapshot = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a sandbox data file: {e}", path.display()))?;
    if snapshot.format != FORMAT {
        return Err(format!(
            "{} has format {:?}, expected {FORMAT:?}",
            path.display(),
            snapshot.format
        ));
    }
    Ok(Kind::Json(Box::new(snapshot)))
}

/// The earlier JSON file becomes a database: built beside it under a temporary name, closed
/// (so it is one self-contained file), fsynced, then renamed over it. A crash at any point
/// leaves either the JSON file or the complete database.
fn migrate(path: &Path, snapshot: &Snapshot) -> Result<(), String> {
    let tmp = sibling(path, &format!("migrate-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    let built = (|| -> rusqlite::Result<()> {
        let mut conn = Connection::open(&tmp)?;
        conn.execute_batch(SCHEMA)?;
        set_meta(&conn, "format", DB_FORMAT)?;
        let tx = conn.transaction()?;
        write_state(&tx, &snapshot.state)?;
        set_meta(&tx, "version", &snapshot.version.max(1).to_string())?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)
    })();
    let result = built
        .map_err(|e| e.to_string())
        .and_then(|()| {
            File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| e.to_string())
        })
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| e.to_string()));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(sibling_suffix(&tmp, "-journal"));
        return Err(format!("cannot migrate {} to SQLite: {e}", path.display()));
    }
    if let Ok(d) = File::open(dir_of(path)) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `.NAME.TAG` in the data file's directory.
fn sibling(path: &Path, tag: &str) -> PathBuf {
    dir_of(path).join(format!(".{}.{tag}", file_name(path)))
}

fn sibling_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Temp files a `kill -9` may have left: the earlier format's `.NAME.tmp-*` and an
/// interrupted migration's `.NAME.migrate-*` (SQLite's own `-wal`/`-shm` are recovered by
/// SQLite itself on open, and removed on close).
fn remove_stray_files(path: &Path) {
    let prefixes = [
        format!(".{}.tmp-", file_name(path)),
        format!(".{}.migrate-", file_name(path)),
    ];
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
