//! Client configuration: where to send requests, as whom, and the time and retry budget.

use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::validate;
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
/// The environment variable holding the API key (Basic-auth user name).
pub const ENV_API_KEY: &str = "MESSAGEMEDIA_API_KEY";
/// The environment variable holding the API secret (Basic-auth password).
pub const ENV_API_SECRET: &str = "MESSAGEMEDIA_API_SECRET";
/// The environment variable holding the base URL (e.g. the sandbox's).
pub const ENV_BASE_URL: &str = "MESSAGEMEDIA_BASE_URL";
/// The production API's host: without credentials, every call to it fails.
const PRODUCTION_HOST: &str = "api.messagemedia.com";

/// The option names and hints of one surface, so that each error names what its reader wrote.
pub(crate) struct Names {
    pub(crate) base_url: &'static str,
    pub(crate) user_agent: &'static str,
    pub(crate) timeout: &'static str,
    pub(crate) deadline: &'static str,
    pub(crate) max_response_bytes: &'static str,
    pub(crate) credentials_hint: &'static str,
    pub(crate) userinfo_hint: &'static str,
}

/// Rust's names ([`ConfigBuilder`]'s methods).
pub(crate) const RUST: Names = Names {
    base_url: "base_url",
    user_agent: "user_agent_suffix",
    timeout: "timeout",
    deadline: "deadline",
    max_response_bytes: "max_response_bytes",
    credentials_hint: "pass the API key and secret with ConfigBuilder::credentials, or set MESSAGEMEDIA_API_KEY and MESSAGEMEDIA_API_SECRET and use Config::from_env",
    userinfo_hint: "pass them with ConfigBuilder::credentials",
};

/// The JS client's option names (the engine's configuration).
pub(crate) const JS: Names = Names {
    base_url: "baseUrl",
    user_agent: "userAgent",
    timeout: "timeoutMs",
    deadline: "deadlineMs",
    max_response_bytes: "maxResponseBytes",
    credentials_hint: "pass the API key and secret as the username and password options, or set MESSAGEMEDIA_API_KEY and MESSAGEMEDIA_API_SECRET",
    userinfo_hint: "pass them as the username and password options",
};

/// The `authorization` value for HTTP Basic auth (RFC 7617): `Basic ` and the base64 (RFC 4648,
/// padded) of `user:password`. Encoded here rather than with the `base64` crate, whose
/// general-purpose engine cost the browser build about 2 KB for this one value.
fn basic_authorization(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let raw = [user.as_bytes(), b":", password.as_bytes()].concat();
    let mut out = String::with_capacity(6 + raw.len().div_ceil(3) * 4);
    out.push_str("Basic ");
    for chunk in raw.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let bits = byte(0) << 16 | byte(1) << 8 | byte(2);
        // A chunk of n bytes gives n + 1 characters, then `=` up to 4.
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(bits >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    out
}

/// Whether a canonical base URL (see `validate::base_url`) is the production API.
fn is_production(canonical: &str) -> bool {
    // Prefixes, not `split_once("://")`: a `&str` search links core's two-way searcher (and
    // its slicing panic) into the browser build, about 1 KB gzipped for this one line.
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| canonical.strip_prefix(scheme))
        .unwrap_or(canonical);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    host.eq_ignore_ascii_case(PRODUCTION_HOST)
}

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

    /// A configuration from the environment: `MESSAGEMEDIA_API_KEY`, `MESSAGEMEDIA_API_SECRET`
    /// and `MESSAGEMEDIA_BASE_URL` (default: production), with the default budgets. To combine
    /// it with options set in code, use [`ConfigBuilder::env_fallback`].
    ///
    /// # Errors
    ///
    /// `invalid_input` for a bad `MESSAGEMEDIA_BASE_URL` (field `base_url`), or, against the
    /// production API, when the key and secret are not both set (field `credentials`).
    ///
    /// ```no_run
    /// // MESSAGEMEDIA_API_KEY=... MESSAGEMEDIA_API_SECRET=... cargo run
    /// let config = conversations_core::Config::from_env()?;
    /// # Ok::<(), conversations_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Config, Error> {
        ConfigBuilder::default().env_fallback().build()
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
    allow_anonymous: bool,
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

    /// Fills what is not set yet from the environment, as [`Config::from_env`] does:
    /// `MESSAGEMEDIA_API_KEY` and `MESSAGEMEDIA_API_SECRET` (the credentials, used only when
    /// neither is set on the builder) and `MESSAGEMEDIA_BASE_URL`. Unset or empty variables are
    /// ignored.
    ///
    /// ```
    /// use conversations_core::Config;
    ///
    /// // Options set in code win over the environment.
    /// let config = Config::builder()
    ///     .base_url("http://127.0.0.1:8080")
    ///     .env_fallback()
    ///     .build()?;
    /// assert_eq!(config.base_url(), "http://127.0.0.1:8080");
    /// # Ok::<(), conversations_core::Error>(())
    /// ```
    pub fn env_fallback(self) -> Self {
        self.env_fallback_from(|name| std::env::var(name).ok())
    }

    /// [`ConfigBuilder::env_fallback`] over any lookup (tests use a map, not the process
    /// environment).
    pub fn env_fallback_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        if self.username.is_none() && self.password.is_none() {
            self.username = var(ENV_API_KEY);
            self.password = var(ENV_API_SECRET);
        }
        if self.base_url.is_none() {
            self.base_url = var(ENV_BASE_URL);
        }
        self
    }

    /// Whether [`ConfigBuilder::build`] refuses the production API without credentials (default
    /// `true`: such calls can only fail, with a 401). Other base URLs (the sandbox, your own
    /// proxy, which adds the credentials) are accepted either way.
    pub fn require_credentials(mut self, required: bool) -> Self {
        self.allow_anonymous = !required;
        self
    }

    /// Validates and builds the configuration; an `invalid_input` error names the bad field
    /// (`base_url`, `username`, `password`, `timeout`, ...).
    ///
    /// ```
    /// use conversations_core::Config;
    ///
    /// // The production API needs the API key and secret...
    /// let err = Config::builder().build().unwrap_err();
    /// assert_eq!(err.field(), Some("credentials"));
    /// // ...the sandbox (or a proxy that adds them) does not.
    /// let sandbox = Config::builder().base_url("http://127.0.0.1:8080").build()?;
    /// assert!(sandbox.authorization().is_none());
    /// # Ok::<(), conversations_core::Error>(())
    /// ```
    pub fn build(self) -> Result<Config, Error> {
        self.build_for(&RUST)
    }

    /// Builds with the field names and hints of one surface (the engine passes the JS ones).
    pub(crate) fn build_for(self, names: &Names) -> Result<Config, Error> {
        let base_url = validate::base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            names.base_url,
            names.userinfo_hint,
        )?;
        let authorization = match (&self.username, &self.password) {
            (None, None) => {
                if !self.allow_anonymous && is_production(&base_url) {
                    return Err(Error::invalid_input(
                        "credentials",
                        format!(
                            "no credentials for the production API ({base_url}): {}; or set {} to the sandbox or to your own proxy that adds them",
                            names.credentials_hint, names.base_url
                        ),
                    ));
                }
                None
            }
            (Some(user), Some(password)) => {
                validate::username(user)?;
                Some(basic_authorization(user, password))
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    "username",
                    "username (the API key) is required when a password is set",
                ))
            }
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    "password",
                    "password (the API secret) is required when a username is set",
                ))
            }
        };
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) if !suffix.trim().is_empty() => {
                validate::header_text(names.user_agent, suffix)?;
                format!("{USER_AGENT} {}", suffix.trim())
            }
            _ => USER_AGENT.to_owned(),
        };
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let deadline = self.deadline.unwrap_or(DEFAULT_DEADLINE);
        if timeout.is_zero() {
            return Err(Error::invalid_input(
                names.timeout,
                format!("{} must be positive", names.timeout),
            ));
        }
        if deadline.is_zero() {
            return Err(Error::invalid_input(
                names.deadline,
                format!("{} must be positive", names.deadline),
            ));
        }
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(Error::invalid_input(
                names.max_response_bytes,
                format!("{} must be positive", names.max_response_bytes),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authorization_is_padded_base64_of_user_colon_password() {
        // RFC 4648 §10's vectors (after the `:` the encoding adds) and RFC 7617's example.
        for (user, password, encoded) in [
            ("", "", "Og=="),
            ("f", "", "Zjo="),
            ("fo", "", "Zm86"),
            ("foo", "bar", "Zm9vOmJhcg=="),
            ("foob", "a", "Zm9vYjph"),
            ("Aladdin", "open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            ("ключ", "s€cret\u{0}~?>", "0LrQu9GO0Yc6c+KCrGNyZXQAfj8+"),
            ("", "???", "Oj8/Pw=="),
        ] {
            assert_eq!(
                basic_authorization(user, password),
                format!("Basic {encoded}"),
                "{user}:{password}"
            );
        }
    }
}
