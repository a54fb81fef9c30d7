//! Small helpers with no better home: ids, timestamps, percent-decoding, lock access.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// Locks a mutex, ignoring poisoning: every critical section leaves the data consistent
/// (validation happens before mutation), so a panic elsewhere must not wedge the server.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Read-locks, ignoring poisoning (as [`lock`]).
pub(crate) fn read_lock<T>(m: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(PoisonError::into_inner)
}

/// Write-locks, ignoring poisoning (as [`lock`]).
pub(crate) fn write_lock<T>(m: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(PoisonError::into_inner)
}

/// 64 random-enough bits without a `rand` dependency: std's per-process random SipHash keys
/// over a counter and the clock. Ids only need to be unique and unguessable-ish, not secure.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

/// A random UUID version 4 in its canonical lowercase form.
pub(crate) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&random_u64().to_be_bytes());
    b[8..].copy_from_slice(&random_u64().to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Now as RFC 3339 UTC with millisecond precision, e.g. `2017-12-12T18:18:40.000Z`.
/// This fixed-width form sorts lexicographically in time order, which the store relies on.
pub(crate) fn now_timestamp() -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    format_millis(ms)
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn format_millis(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = conversations_core::date::civil_from_days(days);
    let (h, rem) = (rem / 3_600_000, rem % 3_600_000);
    let (mi, rem) = (rem / 60_000, rem % 60_000);
    let (s, milli) = (rem / 1000, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Percent-decodes one path segment. Malformed `%` sequences are kept literally (lenient, like
/// most servers); `None` when the decoded bytes are not UTF-8, which no valid id can be.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// True when `s` has at least one character other than ASCII whitespace. The OpenAPI document
/// states the same rule as the pattern `[^ \t\n\r\f\v]`, so fuzzers and the server agree.
pub(crate) fn is_non_blank(s: &str) -> bool {
    s.chars()
        .any(|c| !matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\x0b'))
}

/// An absolute `http://` or `https://` URL with a non-empty authority and no ASCII whitespace:
/// the same rule as the OpenAPI pattern for `callback_url`.
pub(crate) fn is_http_url(s: &str) -> bool {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\x0b');
    let lower_prefix: String = s.chars().take(8).collect::<String>().to_ascii_lowercase();
    let rest = if lower_prefix.starts_with("https://") {
        &s[8..]
    } else if lower_prefix.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    !authority.is_empty() && !authority.contains(ws) && !tail.contains(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1_513_102_720_000), "2017-12-12T18:18:40.000Z");
        assert_eq!(format_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(uuid_v4(), uuid_v4());
    }

    #[test]
    fn decodes_percent() {
        assert_eq!(
            percent_decode("a%2Fb%20c%3Fd%23e").as_deref(),
            Some("a/b c?d#e")
        );
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode("%C3%A9").as_deref(), Some("é"));
    }

    #[test]
    fn urls_and_blanks() {
        assert!(is_http_url("http://a"));
        assert!(is_http_url("HTTPS://example.com/cb?x=1"));
        assert!(!is_http_url("ftp://a"));
        assert!(!is_http_url("http://"));
        assert!(!is_http_url("http:///x"));
        assert!(!is_http_url("http://a b"));
        assert!(!is_http_url("é"));
        assert!(is_non_blank(" x "));
        assert!(!is_non_blank(" \t\n"));
    }
}
