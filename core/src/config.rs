//! Client configuration: where to send requests, as whom, and the time and retry budget.

use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::validate;
use base64::Engine as _;
use std::fmt;
use std::time::Duration;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.messagemedia.com";
/// The user agent every request carries (the original SDK's), before any suffix.
pub const USER_AGENT: &str = "messagemedia-conversations-sdk-1.0.0";
/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default overall deadline of one call, retries included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// A validated configuration. Build one with [`Config::builder`].
///
/// The password is kept only inside the precomputed `Authorization` value; neither appears in
/// `Debug` output.
#[derive(Clone)]
pub struct Config {
    base_url: String,
    username: Option<String>,
    authorization: Option<String>,
    user_agent: String,
    retry: RetryPolicy,
    timeout: Duration,
    deadline: Duration,
    max_response_bytes: usize,
}

impl Config {
    /// Starts a configuration with the defaults (production URL, no credentials).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The Basic-auth user name, if credentials are set.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The full `Authorization` header value, if credentials are set. Handle with care: it
    /// contains the password.
    pub fn authorization(&self) -> Option<&str> {
        self.authorization.as_deref()
    }

    /// The `user-agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The overall deadline of one call, retries included.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

impl Default for Config {
    /// The production URL, no credentials, the default time, retry and size budget.
    fn default() -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            username: None,
            authorization: None,
            user_agent: USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field(
                "password",
                &self.authorization.as_ref().map(|_| "[redacted]"),
            )
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Builds a [`Config`]; [`ConfigBuilder::build`] validates everything at once.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    base_url: Option<String>,
    username: Option<String>,
    password: Option<String>,
    user_agent_suffix: Option<String>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: Option<usize>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// The API's base URL: absolute `http` or `https`, optionally with a path prefix (for a
    /// proxy). Default [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Basic-auth credentials: the API key and secret.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// Sets or clears the user name alone (a password without a user name is an error).
    pub fn username(mut self, username: Option<String>) -> Self {
        self.username = username;
        self
    }

    /// Sets or clears the password alone.
    pub fn password(mut self, password: Option<String>) -> Self {
        self.password = password;
        self
    }

    /// A product token appended to the user agent (e.g. `my-app/2.1`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Maximum retries after the first attempt; 0 disables retries.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// Per-attempt timeout (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }

    /// Overall deadline of a call, retries included (default [`DEFAULT_DEADLINE`]).
    pub fn deadline(mut self, t: Duration) -> Self {
        self.deadline = Some(t);
        self
    }

    /// Largest response body accepted (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = Some(n);
        self
    }

    /// Validates and builds the configuration; an `invalid_input` error names the bad field.
    pub fn build(self) -> Result<Config, Error> {
        let base_url = validate::base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let authorization = match (&self.username, &self.password) {
            (None, None) => None,
            (Some(user), Some(password)) => {
                validate::username(user)?;
                let raw = format!("{user}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                ))
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    "username",
                    "username is required when a password is set",
                ))
            }
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    "password",
                    "password is required when a username is set",
                ))
            }
        };
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) if !suffix.trim().is_empty() => {
                validate::header_text("userAgent", suffix)?;
                format!("{USER_AGENT} {}", suffix.trim())
            }
            _ => USER_AGENT.to_owned(),
        };
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let deadline = self.deadline.unwrap_or(DEFAULT_DEADLINE);
        if timeout.is_zero() {
            return Err(Error::invalid_input(
                "timeoutMs",
                "timeout must be positive",
            ));
        }
        if deadline.is_zero() {
            return Err(Error::invalid_input(
                "deadlineMs",
                "deadline must be positive",
            ));
        }
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(Error::invalid_input(
                "maxResponseBytes",
                "maxResponseBytes must be positive",
            ));
        }
        Ok(Config {
            base_url,
            username: self.username,
            authorization,
            user_agent,
            retry: self.retry,
            timeout,
            deadline,
            max_response_bytes,
        })
    }
}
