//! One call as a sans-IO state machine: the attempt budget, the deadline, the stop on 2xx and
//! when to ask the retry policy for a delay live here, and a driver (the Rust client, a binding)
//! only carries out its steps. Time is injected: `now` is a monotonic instant measured by the
//! driver from any origin it likes, so the machine runs the same on every runtime.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use conversations_core::call::{Call, Clock, Failure, Step};
//! use conversations_core::{Config, Operation};
//!
//! let config = Config::builder()
//!     .username(Some("k".to_owned()))
//!     .password(Some("s".to_owned()))
//!     .build()?;
//! let clock = |ms| Clock::new(Duration::from_millis(ms), SystemTime::UNIX_EPOCH, 0.0);
//! let mut call = Call::start(Operation::GetAppUsers, &config, Duration::ZERO);
//! assert!(matches!(call.next(Duration::ZERO), Step::Send { attempt: 1, .. }));
//! call.on_response(503, None, clock(10)); // retryable: wait, then send again
//! assert!(matches!(call.next(Duration::from_millis(10)), Step::Wait { .. } | Step::Send { .. }));
//! # let _ = Failure::TimedOut;
//! # Ok::<(), conversations_core::Error>(())
//! ```

use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::Error;
use crate::operation::Operation;
use crate::retry::{Outcome, RetryPolicy};

/// What the driver does next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step {
    /// Send the request (attempt number `attempt`) and report back within `budget`: a response
    /// with [`Call::on_response`], anything else with [`Call::on_failure`] (including
    /// [`Failure::TimedOut`] when `budget` runs out).
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
    Done(Result<Answer, Error>),
}

/// How a call ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// The last response is the answer (2xx, or a final non-2xx to decode into the documented
    /// error): decode it for the caller.
    LastResponse,
}

/// How an attempt failed without a response. One list for every driver.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// The attempt's budget ran out (the driver's timer fired).
    TimedOut,
    /// The transport itself gave up waiting (its own timeout); `error` says so.
    Timeout(Error),
    /// The request provably never left (connection refused, DNS failure); `error` is what to
    /// report if no further attempt is made.
    Refused(Error),
    /// The connection failed after the request may have been sent.
    Reset(Error),
    /// Not worth retrying whatever the method (a body over the size cap, a bad URL).
    Fatal(Error),
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

#[derive(Debug)]
enum State {
    Ready,
    InFlight { budget: Duration },
    Waiting { until: Duration },
    Finished(Option<Result<Answer, Error>>),
}

/// One call of one operation (see the module docs).
#[derive(Debug)]
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

    /// What to do at `now`.
    pub fn next(&mut self, now: Duration) -> Step {
        match &mut self.state {
            State::Finished(result) => {
                let result = result
                    .take()
                    .unwrap_or_else(|| Err(Error::invalid_input("call", "the call is over")));
                Step::Done(result)
            }
            State::Waiting { until } if now < *until => Step::Wait { until: *until },
            State::InFlight { budget } => Step::Send {
                attempt: self.attempt,
                budget: *budget,
            },
            State::Waiting { .. } | State::Ready => {
                let remaining = self
                    .deadline
                    .saturating_sub(now.saturating_sub(self.started));
                if remaining.is_zero() {
                    self.state = State::Finished(None);
                    return Step::Done(Err(deadline_error(self.deadline)));
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

    /// A response arrived: `status` with its `Retry-After` header, if any.
    pub fn on_response(&mut self, status: u16, retry_after: Option<&str>, clock: Clock) {
        if (200..300).contains(&status) {
            self.state = State::Finished(Some(Ok(Answer::LastResponse)));
            return;
        }
        let outcome = Outcome::Status {
            status,
            retry_after,
        };
        self.state = match self.delay(outcome, clock) {
            Some(wait) => State::Waiting {
                until: clock.now.saturating_add(wait),
            },
            // A final non-2xx response is decoded by the caller into the documented error.
            None => State::Finished(Some(Ok(Answer::LastResponse))),
        };
    }

    /// The attempt ended without a response.
    pub fn on_failure(&mut self, failure: Failure, clock: Clock) {
        let (outcome, error) = match failure {
            Failure::TimedOut => {
                let budget = match self.state {
                    State::InFlight { budget } => budget,
                    _ => self.timeout,
                };
                let error = if budget < self.timeout {
                    deadline_error(self.deadline)
                } else {
                    Error::timeout(format!(
                        "the request timed out after {} ms",
                        budget.as_millis()
                    ))
                };
                (Some(Outcome::Timeout), error)
            }
            Failure::Timeout(e) => (Some(Outcome::Timeout), e),
            Failure::Refused(e) => (Some(Outcome::Refused), e),
            Failure::Reset(e) => (Some(Outcome::Reset), e),
            Failure::Fatal(e) => (None, e),
        };
        self.state = match outcome.and_then(|o| self.delay(o, clock)) {
            Some(wait) => State::Waiting {
                until: clock.now.saturating_add(wait),
            },
            None => State::Finished(Some(Err(error))),
        };
    }

    fn delay(&self, outcome: Outcome<'_>, clock: Clock) -> Option<Duration> {
        self.retry.delay(
            self.op,
            self.attempt,
            outcome,
            clock.now.saturating_sub(self.started),
            self.deadline,
            clock.wall,
            clock.random,
        )
    }
}

/// The error when the whole call ran out of time.
pub fn deadline_error(deadline: Duration) -> Error {
    Error::timeout(format!(
        "the call's deadline of {} ms was exceeded",
        deadline.as_millis()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn clock(n: u64) -> Clock {
        Clock {
            now: ms(n),
            wall: SystemTime::UNIX_EPOCH,
            random: 0.5,
        }
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
        assert!(matches!(
            call.next(ms(5)),
            Step::Done(Ok(Answer::LastResponse))
        ));
    }

    #[test]
    fn a_retryable_get_waits_then_sends_again_until_the_budget_is_spent() {
        let mut call = Call::start(Operation::GetAppUsers, &config(1), ms(0));
        send(&mut call, 0);
        call.on_response(503, None, clock(10));
        // Full jitter with random 0.5 on a 200 ms base: 100 ms.
        assert!(matches!(call.next(ms(50)), Step::Wait { until } if until == ms(110)));
        assert_eq!(send(&mut call, 110).0, 2);
        call.on_response(503, None, clock(120));
        // Out of retries: the last response is the answer (decoded into the API error).
        assert!(matches!(
            call.next(ms(120)),
            Step::Done(Ok(Answer::LastResponse))
        ));
    }

    #[test]
    fn a_post_that_may_have_arrived_is_never_repeated() {
        let mut call = Call::start(Operation::CreateSendMessage, &config(2), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Reset(Error::transport("reset")), clock(5));
        match call.next(ms(5)) {
            Step::Done(Err(e)) => assert_eq!(e.message(), "reset"),
            other => panic!("{other:?}"),
        }
        let mut call = Call::start(Operation::CreateSendMessage, &config(2), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Refused(Error::transport("refused")), clock(5));
        assert!(matches!(call.next(ms(500)), Step::Send { attempt: 2, .. }));
    }

    #[test]
    fn the_deadline_bounds_the_last_attempt_and_names_itself() {
        let mut call = Call::start(Operation::GetAppUsers, &config(5), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::TimedOut, clock(1000));
        let until = match call.next(ms(1000)) {
            Step::Wait { until } => until,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            send(&mut call, 2000.max(until.as_millis() as u64)).1,
            ms(500)
        );
        call.on_failure(Failure::TimedOut, clock(2500));
        match call.next(ms(2500)) {
            Step::Done(Err(e)) => {
                assert_eq!(e.kind(), ErrorKind::Timeout);
                assert_eq!(e.message(), "the call's deadline of 2500 ms was exceeded");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_fatal_failure_is_not_retried_and_a_finished_call_stays_finished() {
        let mut call = Call::start(Operation::GetAppUsers, &config(2), ms(0));
        send(&mut call, 0);
        call.on_failure(Failure::Fatal(Error::too_large(200, 4)), clock(1));
        assert!(matches!(call.next(ms(1)), Step::Done(Err(_))));
        assert!(matches!(call.next(ms(2)), Step::Done(Err(_))));
    }
}
