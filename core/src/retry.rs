//! Retry and deadline policy as pure functions: whoever does the I/O asks [`RetryPolicy::delay`]
//! after a failed attempt and sleeps for the answer. Nothing here sleeps or reads a clock.

use crate::operation::{Method, Operation};
use std::time::{Duration, SystemTime};

/// How an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// A response arrived with a non-2xx `status`; `retry_after` is its Retry-After header.
    Status {
        /// The HTTP status.
        status: u16,
        /// The raw Retry-After header value, if any.
        retry_after: Option<&'a str>,
    },
    /// The request provably never left: connection refused, DNS failure.
    Refused,
    /// The attempt timed out; the server may have received the request.
    Timeout,
    /// The connection failed after the request may have been sent (reset, broken pipe, TLS).
    Reset,
}

impl<'a> Outcome<'a> {
    /// Parses the outcome names of the engine interface (`status`, `refused`, `timeout`, `reset`).
    pub fn from_name(name: &str, status: u16, retry_after: Option<&'a str>) -> Option<Outcome<'a>> {
        Some(match name {
            "status" => Outcome::Status {
                status,
                retry_after,
            },
            "refused" => Outcome::Refused,
            "timeout" => Outcome::Timeout,
            "reset" => Outcome::Reset,
            _ => return None,
        })
    }
}

/// Statuses worth another GET: rate limiting and the gateway/availability family.
pub const RETRYABLE_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// When and how long to wait before another attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first backoff step; each retry doubles it (before jitter).
    pub base_delay: Duration,
    /// No wait is longer than this; a longer Retry-After means "do not retry".
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Whether `outcome` of `op` may be retried at all, regardless of budget. GETs are retried on
    /// transport failures and [`RETRYABLE_STATUSES`]; POSTs only when the request never left.
    pub fn is_retryable(op: Operation, outcome: Outcome<'_>) -> bool {
        match (op.spec().method, outcome) {
            (_, Outcome::Refused) => true,
            (Method::Get, Outcome::Timeout | Outcome::Reset) => true,
            (Method::Get, Outcome::Status { status, .. }) => RETRYABLE_STATUSES.contains(&status),
            _ => false,
        }
    }

    /// The wait before the next attempt, or `None` to give up.
    ///
    /// `attempt` counts the attempts made so far (1 after the first failure); `elapsed` is the time
    /// since the call started and `deadline` its overall budget; `now` is the wall clock (for an
    /// HTTP-date Retry-After); `random` in `[0, 1)` drives full jitter.
    #[allow(clippy::too_many_arguments)]
    pub fn delay(
        &self,
        op: Operation,
        attempt: u32,
        outcome: Outcome<'_>,
        elapsed: Duration,
        deadline: Duration,
        now: SystemTime,
        random: f64,
    ) -> Option<Duration> {
        if attempt == 0 || attempt > self.max_retries || !Self::is_retryable(op, outcome) {
            return None;
        }
        let retry_after = match outcome {
            Outcome::Status {
                retry_after: Some(value),
                ..
            } => parse_retry_after(value, now),
            _ => None,
        };
        let delay = match retry_after {
            // The server asked for longer than we are willing to wait: report its answer now.
            Some(wait) if wait > self.max_delay => return None,
            Some(wait) => wait,
            None => {
                let exp = self
                    .base_delay
                    .saturating_mul(1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX))
                    .min(self.max_delay);
                let r = if random.is_finite() {
                    random.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                exp.mul_f64(r)
            }
        };
        (elapsed.saturating_add(delay) < deadline).then_some(delay)
    }
}

/// Parses a Retry-After value: delta-seconds or an HTTP-date (relative to `now`; a past date
/// means zero). Anything else is ignored.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = crate::date::parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const NOW: Duration = Duration::from_secs(1_700_000_000);

    fn delay(op: Operation, attempt: u32, outcome: Outcome<'_>, random: f64) -> Option<Duration> {
        RetryPolicy::default().delay(
            op,
            attempt,
            outcome,
            Duration::ZERO,
            Duration::from_secs(60),
            UNIX_EPOCH + NOW,
            random,
        )
    }

    #[test]
    fn backoff_doubles_with_full_jitter_and_caps() {
        let get = Operation::GetAppUsers;
        assert_eq!(
            delay(get, 1, Outcome::Timeout, 0.5),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            delay(get, 2, Outcome::Timeout, 0.5),
            Some(Duration::from_millis(200))
        );
        assert_eq!(delay(get, 3, Outcome::Timeout, 0.5), None);
        let policy = RetryPolicy {
            max_retries: 40,
            ..RetryPolicy::default()
        };
        let d = policy.delay(
            get,
            40,
            Outcome::Reset,
            Duration::ZERO,
            Duration::from_secs(60),
            UNIX_EPOCH,
            0.999_999,
        );
        assert!(d.unwrap() <= Duration::from_secs(5));
    }

    #[test]
    fn posts_retry_only_when_never_sent() {
        let post = Operation::CreateSendMessage;
        assert!(delay(post, 1, Outcome::Refused, 0.0).is_some());
        assert_eq!(delay(post, 1, Outcome::Timeout, 0.0), None);
        assert_eq!(delay(post, 1, Outcome::Reset, 0.0), None);
        let s503 = Outcome::Status {
            status: 503,
            retry_after: None,
        };
        assert_eq!(delay(post, 1, s503, 0.0), None);
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + NOW;
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(4));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(4)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(4));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn deadline_stops_retries() {
        let d = RetryPolicy::default().delay(
            Operation::GetAppUsers,
            1,
            Outcome::Timeout,
            Duration::from_millis(59_950),
            Duration::from_secs(60),
            UNIX_EPOCH,
            0.9,
        );
        assert_eq!(d, None);
    }
}
