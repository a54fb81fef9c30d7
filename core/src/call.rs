//! One call as a sans-IO state machine: the attempt budget, the deadline, the stop on 2xx, the
//! stop on an abort or a fatal failure, when to ask the retry policy for a delay and what
//! `Retry-After` says all live here, and a driver (the Rust client, the wasm binding's `execute`,
//! the JS pipeline through [`crate::engine::Engine::after`]) only carries out its steps. Time is
//! injected: `now` is a monotonic instant measured by the driver from any origin it likes, so the
//! machine runs the same on every runtime.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use conversations_core::call::{Call, Clock, End, Failure, Step};
//! use conversations_core::{Config, Operation};
//!
//! let config = Config::builder()
//!     .username(Some("k".to_owned()))
//!     .password(Some("s".to_owned()))
//!     .build()?;
//! let clock = |ms| Clock::new(Duration::from_millis(ms), SystemTime::UNIX_EPOCH, 0.0);
//! let mut call = Call::start(Operation::GetAppUsers, &config, Duration::ZERO);
//! assert!(matches!(call.next(Duration::ZERO), Step::Send { attempt: 1, .. }));
//! call.on_response(503, None, clock(10)); // retryable: wait (here 0 ms of jitter), send again
//! assert!(matches!(call.next(Duration::from_millis(10)), Step::Send { attempt: 2, .. }));
//! call.on_failure(Failure::Refused, clock(20));
//! assert!(matches!(call.next(Duration::from_millis(20)), Step::Send { attempt: 3, .. }));
//! call.on_response(200, None, clock(30));
//! assert!(matches!(call.next(Duration::from_millis(30)), Step::Done(End::Response)));
//! # Ok::<(), conversations_core::Error>(())
//! ```

use std::ops::RangeInclusive;
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::operation::Operation;
use crate::retry::{Outcome, RetryPolicy};

/// The statuses that end a call well (the JS layer reads them from `policy()`, to hand a 2xx
/// to a surface's own parser). `decode::is_success` reads this range.
pub const SUCCESS: RangeInclusive<u16> = 200..=299;

/// Why an attempt (or the call) ended without a usable response. One list for every driver and
/// for the JS layer, which words each kind (`npm/lib/failure.js`, `KINDS`, checked against
/// [`Failure::ALL`] by `core/tests/js_copies.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// The request provably never left (connection refused, DNS failure): worth another attempt
    /// whatever the method.
    Refused,
    /// The connection failed after the request may have been sent.
    Reset,
    /// The attempt's budget ran out (the driver's timer, or the transport's own timeout).
    Timeout,
    /// The caller cancelled the call.
    Aborted,
    /// The response body exceeds the size cap.
    TooLarge,
    /// The server answered with a redirect, which is not followed (credentials stay home).
    Redirect,
    /// Anything else not worth retrying (a TLS failure, a body that does not decompress).
    Fatal,
    /// The call's deadline left no time for (the rest of) an attempt. Only the machine reports
    /// it, in [`End::Failed`]; a driver never passes it to [`Call::on_failure`].
    Deadline,
}

impl Failure {
    /// Every kind, in the order of their numeric ids.
    pub const ALL: [Failure; 8] = [
        Failure::Refused,
        Failure::Reset,
        Failure::Timeout,
        Failure::Aborted,
        Failure::TooLarge,
        Failure::Redirect,
        Failure::Fatal,
        Failure::Deadline,
    ];

    /// The kind's name in the engine interface (`npm/ENGINE.md`).
    pub fn name(self) -> &'static str {
        match self {
            Failure::Refused => "refused",
            Failure::Reset => "reset",
            Failure::Timeout => "timeout",
            Failure::Aborted => "aborted",
            Failure::TooLarge => "too_large",
            Failure::Redirect => "redirect",
            Failure::Fatal => "fatal",
            Failure::Deadline => "deadline",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Failure> {
        Failure::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What the retry policy judges; `None` for kinds that end the call whatever the policy.
    fn outcome(self) -> Option<Outcome<'static>> {
        match self {
            Failure::Refused => Some(Outcome::Refused),
            Failure::Reset => Some(Outcome::Reset),
            Failure::Timeout => Some(Outcome::Timeout),
            _ => None,
        }
    }
}

/// What the driver does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Send the request (attempt number `attempt`) and report back within `budget`: a response
    /// with [`Call::on_response`], anything else with [`Call::on_failure`] (including
    /// [`Failure::Timeout`] when `budget` runs out).
    Send {
        /// 1 for the first attempt.
        attempt: u32,
        /// How long this attempt may take.
        budget: Duration,
    },
    /// Sleep until `until` (on the driver's monotonic clock), then ask again.
    Wait {
        /// When to ask [`Call::next`] again.
        until: Duration,
    },
    /// The call is over.
    Done(End),
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum End {
    /// The last response is the answer (2xx, or a final non-2xx the driver decodes into the
    /// documented error).
    Response,
    /// The last attempt failed this way and no other follows: the driver reports the error it
    /// has for it; [`Failure::Deadline`] when the call's deadline is what ended it.
    Failed(Failure),
}

impl End {
    /// The name the engine interface gives it: `response`, or the failure's name.
    pub fn name(self) -> &'static str {
        match self {
            End::Response => "response",
            End::Failed(failure) => failure.name(),
        }
    }
}

/// The clocks and the randomness a decision may need, read by the driver.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Clock {
    /// The monotonic instant, from the same origin as every other `now` of the call.
    pub now: Duration,
    /// The wall clock, for an HTTP-date `Retry-After`.
    pub wall: SystemTime,
    /// A number in `[0, 1)` for retry jitter.
    pub random: f64,
}

impl Clock {
    /// The readings for one decision.
    pub fn new(now: Duration, wall: SystemTime, random: f64) -> Clock {
        Clock { now, wall, random }
    }
}

#[derive(Debug, Clone, Copy)]
enum State {
    Ready,
    InFlight { budget: Duration },
    Waiting { until: Duration },
    Over(End),
}

/// One call of one operation (see the module docs).
#[derive(Debug, Clone)]
pub struct Call {
    op: Operation,
    retry: RetryPolicy,
    timeout: Duration,
    deadline: Duration,
    started: Duration,
    attempt: u32,
    state: State,
}

impl Call {
    /// A call of `op` under `config`'s retry policy, timeout and deadline, starting at `now`.
    pub fn start(op: Operation, config: &Config, now: Duration) -> Call {
        Call {
            op,
            retry: *config.retry(),
            timeout: config.timeout(),
            deadline: config.deadline(),
            started: now,
            attempt: 0,
            state: State::Ready,
        }
    }

    /// The same call with its own per-attempt timeout instead of the configured one (a per-call
    /// option of the JS client). A zero timeout keeps the configured one.
    pub fn with_timeout(mut self, timeout: Duration) -> Call {
        if !timeout.is_zero() {
            self.timeout = timeout;
        }
        self
    }

    /// The call as a driver that keeps no machine sees it after attempt number `attempt` was
    /// sent with `budget`, the call having started at instant zero: what [`Call::on_response`] or
    /// [`Call::on_failure`] and then [`Call::next`] say from here is what the whole machine
    /// would have said (the JS pipeline carries these two numbers between engine calls).
    pub fn resume(mut self, attempt: u32, budget: Duration) -> Call {
        self.started = Duration::ZERO;
        self.attempt = attempt;
        self.state = State::InFlight { budget };
        self
    }

    /// The attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: Duration) -> Step {
        match self.state {
            State::Over(end) => Step::Done(end),
            State::Waiting { until } if now < until => Step::Wait { until },
            State::InFlight { budget } => Step::Send {
                attempt: self.attempt,
                budget,
            },
            State::Waiting { .. } | State::Ready => {
                let remaining = self
                    .deadline
                    .saturating_sub(now.saturating_sub(self.started));
                if remaining.is_zero() {
                    return self.finish(End::Failed(Failure::Deadline));
                }
                let budget = self.timeout.min(remaining);
                self.attempt += 1;
                self.state = State::InFlight { budget };
                Step::Send {
                    attempt: self.attempt,
                    budget,
                }
            }
        }
    }

    /// A response arrived: `status` with its `Retry-After` header, if any. Ignored unless an
    /// attempt is in flight.
    pub fn on_response(&mut self, status: u16, retry_after: Option<&str>, clock: Clock) {
        if !matches!(self.state, State::InFlight { .. }) {
            return;
        }
        if SUCCESS.contains(&status) {
            self.state = State::Over(End::Response);
            return;
        }
        let outcome = Outcome::Status {
            status,
            retry_after,
        };
        // A final non-2xx response is decoded by the driver into the documented error.
        self.state = self.retry_or(outcome, clock, End::Response);
    }

    /// The attempt in flight ended without a response. Ignored unless an attempt is in flight.
    pub fn on_failure(&mut self, failure: Failure, clock: Clock) {
        let State::InFlight { budget } = self.state else {
            return;
        };
        // A timeout of an attempt whose budget the deadline cut short is the deadline's doing.
        let end = if failure == Failure::Timeout && budget < self.timeout {
            Failure::Deadline
        } else {
            failure
        };
        self.state = match failure.outcome() {
            Some(outcome) => self.retry_or(outcome, clock, End::Failed(end)),
            None => State::Over(End::Failed(end)),
        };
    }

    fn retry_or(&self, outcome: Outcome<'_>, clock: Clock, end: End) -> State {
        let delay = self.retry.delay(
            self.op,
            self.attempt,
            outcome,
            clock.now.saturating_sub(self.started),
            self.deadline,
            clock.wall,
            clock.random,
        );
        match delay {
            Some(wait) => State::Waiting {
                until: clock.now.saturating_add(wait),
            },
            None => State::Over(end),
        }
    }

    fn finish(&mut self, end: End) -> Step {
        self.state = State::Over(end);
        Step::Done(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn clock(n: u64) -> Clock {
        Clock::new(ms(n), SystemTime::UNIX_EPOCH, 0.5)
    }

    fn config(retries: u32) -> Config {
        Config::builder()
            .username(Some("k".to_owned()))
            .password(Some("s".to_owned()))
            .timeout(ms(1000))
            .deadline(ms(2500))
            .retry(RetryPolicy {
                max_retries: retries,
                ..RetryPolicy::default()
            })
            .build()
            .expect("config")
    }

    fn send(call: &mut Call, now: u64) -> (u32, Duration) {
        match call.next(ms(now)) {
            Step::Send { attempt, budget } => (attempt, budget),
            other => panic!("expected Send at {now} ms, got {other:?}"),
        }
    }

    #[test]
    fn a_2xx_ends_the_call_at_once() {
        let mut call = Call::start(Operation::GetAppUsers, &config(2), ms(0));
        assert_eq!(send(&mut call, 0), (1, ms(1000)));
        call.on_response(201, None, clock(5));
        assert_eq!(call.next(ms(5)), Step::Done(End::Response));
        // A finished call stays finished, whatever is reported after.
        call.on_failure(Failure::Refused, clock(6));
        assert_eq!(call.next(ms(6)), Step::Done(End::Response));
    }

    #[test]
    fn a_retryable_get_waits_then_sends_again_until_the_budget_is_spent() {
        let mut call = Call::start(Operation::GetAppUsers, &config(1), ms(0));
        send(&mut call, 0);
        call.on_response(503, None, clock(10));
        // Full jitter with random 0.5 on a 200 ms base: 100 ms.
        assert_eq!(call.next(ms(50)), Step::Wait { until: ms(110) });
        assert_eq!(send(&mut call, 110).0, 2);
        call.on_response(503, None, clock(120));
        // Out of retries: the last response is the answer (decoded into the API error).
        assert_eq!(call.next(ms(120)), Step::Done(End::Response));
        assert_eq!(call.attempts(), 2);
    }

    #[test]
    fn retry_after_sets_the_wait_and_a_long_one_ends_the_call() {
        let mut call = Call::start(Operation::GetAppUsers, &config(2), ms(0));
        send(&mut call, 0);
        call.on_response(429, Some("1"), clock(10));
        assert_eq!(call.next(ms(10)), Step::Wait { until: ms(1010) });
        send(&mut call, 1010);
        call.on_response(429, Some("9"), clock(1020));
        assert_eq!(call.next(ms(1020)), Step::Done(End::Response));
    }

    #[test]
    fn a_post_that_may_have_arrived_is_never_repeated() {
        let mut call = Call::start(Operation::CreateSendMessage, &config(2), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Reset, clock(5));
        assert_eq!(call.next(ms(5)), Step::Done(End::Failed(Failure::Reset)));
        let mut call = Call::start(Operation::CreateSendMessage, &config(2), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Refused, clock(5));
        assert!(matches!(call.next(ms(500)), Step::Send { attempt: 2, .. }));
    }

    #[test]
    fn the_deadline_bounds_the_last_attempt_and_names_itself() {
        let mut call = Call::start(Operation::GetAppUsers, &config(5), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Timeout, clock(1000));
        let until = match call.next(ms(1000)) {
            Step::Wait { until } => until,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            send(&mut call, 2000.max(until.as_millis() as u64)).1,
            ms(500)
        );
        call.on_failure(Failure::Timeout, clock(2500));
        assert_eq!(
            call.next(ms(2500)),
            Step::Done(End::Failed(Failure::Deadline))
        );
    }

    #[test]
    fn a_wait_past_the_deadline_ends_the_call_before_another_attempt() {
        let mut call = Call::start(Operation::GetAppUsers, &config(5), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Reset, clock(100));
        // The driver overslept: nothing is left of the deadline.
        assert_eq!(
            call.next(ms(2600)),
            Step::Done(End::Failed(Failure::Deadline))
        );
    }

    #[test]
    fn aborts_and_fatal_failures_are_never_retried() {
        for failure in [
            Failure::Aborted,
            Failure::TooLarge,
            Failure::Redirect,
            Failure::Fatal,
        ] {
            let mut call = Call::start(Operation::GetAppUsers, &config(2), ms(0));
            send(&mut call, 0);
            call.on_failure(failure, clock(1));
            assert_eq!(call.next(ms(1)), Step::Done(End::Failed(failure)));
        }
    }

    #[test]
    fn a_resumed_call_decides_as_the_whole_machine_does() {
        let base = Call::start(Operation::GetAppUsers, &config(2), ms(0));
        let mut whole = base.clone();
        send(&mut whole, 0);
        whole.on_failure(Failure::Timeout, clock(1000));
        let mut resumed = base.resume(1, ms(1000));
        resumed.on_failure(Failure::Timeout, clock(1000));
        assert_eq!(whole.next(ms(1100)), resumed.next(ms(1100)));
        assert_eq!(whole.attempts(), 2);
        let short = Call::start(Operation::GetAppUsers, &config(2), ms(0)).with_timeout(ms(300));
        let mut short = short;
        assert_eq!(send(&mut short, 0).1, ms(300));
    }

    #[test]
    fn failure_names_round_trip() {
        for failure in Failure::ALL {
            assert_eq!(Failure::from_name(failure.name()), Some(failure));
        }
        assert_eq!(Failure::from_name("network"), None);
    }
}
