//! The one error type of the SDK: what went wrong, as data.

use std::borrow::Cow;
use std::fmt;

/// What kind of failure an [`Error`] is. Each kind has a stable machine code ([`ErrorKind::code`])
/// that every runtime (Rust, Node, browser) reports identically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a non-2xx status.
    Api,
    /// An attempt or the overall deadline ran out.
    Timeout,
    /// The connection failed (refused, reset, DNS, TLS...).
    Transport,
    /// A 2xx response whose body is not what the operation returns.
    Decode,
    /// The caller's input was rejected before any request was sent.
    InvalidInput,
    /// The caller cancelled the call.
    Aborted,
}

impl ErrorKind {
    /// The stable machine code: `api`, `timeout`, `transport`, `decode`, `invalid_input`, `aborted`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Aborted => "aborted",
        }
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An SDK error. It always keeps what the server sent (status and raw body) when there was a
/// response, and names the offending field for invalid input. It never holds credentials.
pub struct Error {
    kind: ErrorKind,
    status: Option<u16>,
    message: Cow<'static, str>,
    body: Option<Vec<u8>>,
    field: Option<Cow<'static, str>>,
    headers: Option<Vec<(String, String)>>,
    source: Option<Source>,
}

impl Error {
    /// For a 401 from the API, the message with what to do (the Rust client's errors; the JS
    /// layer adds its own words, and the original SDK's surface keeps the original message).
    #[cfg(feature = "client")]
    pub(crate) fn with_auth_hint(mut self) -> Self {
        if self.status == Some(401) && matches!(self.kind, ErrorKind::Api) {
            self.message = format!(
                "{}: check the API key and secret (ConfigBuilder::credentials, or MESSAGEMEDIA_API_KEY and MESSAGEMEDIA_API_SECRET with Config::from_env)",
                self.message
            )
            .into();
        }
        self
    }

    fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind,
            status: None,
            message: message.into(),
            body: None,
            field: None,
            headers: None,
            source: None,
        }
    }

    /// An API error: a non-2xx `status` with its documented `message` and the raw `body`.
    pub fn api(status: u16, message: impl Into<Cow<'static, str>>, body: Vec<u8>) -> Self {
        Error {
            status: Some(status),
            body: Some(body),
            ..Error::new(ErrorKind::Api, message)
        }
    }

    /// A 2xx response that could not be decoded; keeps the status and the raw body.
    pub fn decode(status: u16, message: impl Into<Cow<'static, str>>, body: Vec<u8>) -> Self {
        Error {
            status: Some(status),
            body: Some(body),
            ..Error::new(ErrorKind::Decode, message)
        }
    }

    /// A response body larger than the configured cap (`max_response_bytes`): a `decode`
    /// error with the status, worded in one place for every engine.
    pub fn too_large(status: u16, cap: usize) -> Self {
        Error::decode(
            status,
            format!("response body exceeds the {cap}-byte limit"),
            Vec::new(),
        )
    }

    /// Input rejected before any request: `field` names what was wrong as the caller wrote it
    /// (Rust: `app_user_id`, `text`, `base_url`; the JS engine: `appUserId`, `body.text`,
    /// `baseUrl`).
    pub fn invalid_input(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error {
            field: Some(field.into()),
            ..Error::new(ErrorKind::InvalidInput, message)
        }
    }

    /// A transport failure (connection refused, reset, DNS, TLS...).
    pub fn transport(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Transport, message)
    }

    /// An attempt or the overall deadline ran out.
    pub fn timeout(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Timeout, message)
    }

    /// The caller cancelled the call.
    pub fn aborted(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Aborted, message)
    }

    /// Attaches the underlying cause (kept for [`std::error::Error::source`]).
    pub fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Attaches the headers (lower-case names) of the response this error is about.
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.headers = Some(headers);
        self
    }

    /// Attaches the HTTP status of the response this error is about.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine code (see [`ErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The human-readable message (the documented one for API errors).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The raw response body, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The raw response body as text (invalid UTF-8 replaced), when a response arrived.
    pub fn body_text(&self) -> Option<Cow<'_, str>> {
        self.body.as_deref().map(String::from_utf8_lossy)
    }

    /// The offending field, for [`ErrorKind::InvalidInput`], as Rust code writes it: a builder
    /// method (`base_url`), an argument (`app_user_id`) or a model's field, relative to the
    /// value passed (`callback_url`, `actions[0].response_text`). Errors of
    /// [`crate::engine::Engine`], which serves JS, use the JS names (`body.callbackUrl`).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The headers of the response this error is about (lower-case names), when the client
    /// that raised it had them (the `client` feature's [`crate::Client`] does).
    pub fn headers(&self) -> Option<&[(String, String)]> {
        self.headers.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    // Hand-written so the body is shown as text and the shape stays stable; no field of an
    // error can hold a credential, but the body is shown shortened to keep logs readable.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.body_text().map(|b| {
            let mut end = b.len().min(512);
            while !b.is_char_boundary(end) {
                end -= 1;
            }
            b[..end].to_string()
        });
        f.debug_struct("Error")
            .field("code", &self.code())
            .field("status", &self.status)
            .field("message", &self.message)
            .field("field", &self.field)
            .field("body", &body)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}
