//! A ready async client for Rust programs (feature `client`): core's request building, decoding
//! and retry policy driven over core's HTTP attempt ([`Transport`]: hyper, rustls, keep-alive)
//! and tokio timers.

use crate::call::{Call, Clock, End, Failure, Step};
use crate::config::Config;
use crate::decode::{decode_as, decode_text};
use crate::error::Error;
use crate::models::{
    AppUser, BaseMessage, ConfigureAccountRequest, ConfigureAccountResponse,
    GetAppUserMessagesResponse, GetAppUsersResponse, GetFacebookAuthorisationUrlResponse,
    GetFacebookPagesResponse, SendMessageResponse,
};
use crate::operation::Operation;
use crate::request::{build_target, header, request_headers, Body};
use crate::transport::bytes::Bytes;
use crate::transport::http::header::{self as http_header, HeaderMap, HeaderName, HeaderValue};
use crate::transport::http::Uri;
use crate::transport::Transport;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The source of randomness for retry jitter: a number in `[0, 1)`.
pub type Jitter = Arc<dyn Fn() -> f64 + Send + Sync>;

/// An async client for one account. Cheap to clone (clones share the connection pool).
///
/// Needs the `client` feature and a tokio runtime (in an application: tokio with the `macros`
/// and `rt-multi-thread` features, for `#[tokio::main]`).
///
/// # Example
///
/// ```no_run
/// use conversations_core::{models::BaseMessage, Client, Config};
///
/// #[tokio::main]
/// async fn main() -> Result<(), conversations_core::Error> {
///     // MESSAGEMEDIA_API_KEY, MESSAGEMEDIA_API_SECRET and MESSAGEMEDIA_BASE_URL.
///     let client = Client::new(Config::from_env()?)?;
///     let users = client.list_app_users().await?;
///     if let Some(first) = users.data.first() {
///         client
///             .send_message(&first.id, &BaseMessage::new("Hello!", "facebook"))
///             .await?;
///     }
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    config: Arc<Config>,
    /// Each operation's headers (in `Operation::ALL` order), built once: they depend on the
    /// config alone, and parsing them per call was a measurable share of a keep-alive call.
    headers: Arc<[Result<HeaderMap, String>]>,
    jitter: Jitter,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A response as received: status, headers and the raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, lower-case names, in the order received (a repeated header appears once per
    /// value); values that are not visible ASCII are decoded as lossy UTF-8.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// A call's typed result with the response it was decoded from: what the `*_with_response`
/// methods return.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WithResponse<T> {
    /// The typed result.
    pub data: T,
    /// The response: status, headers, raw body.
    pub response: RawResponse,
}

impl Client {
    /// A client with its own keep-alive connection pool: core's own HTTP client, or, when the
    /// environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, any case), a reqwest
    /// client that goes through it as `NO_PROXY` says.
    pub fn new(config: Config) -> Result<Client, Error> {
        const PROXY_VARS: [&str; 6] = [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ];
        if PROXY_VARS
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
        {
            let http = Transport::builder()
                .build()
                .map_err(|e| Error::transport("could not build the HTTP client").with_source(e))?;
            return Ok(Client::with_http_client(config, http));
        }
        Ok(Client::over(config, Transport::direct(None, None)?))
    }

    /// A client over a caller-built reqwest client (custom TLS roots, proxies, ...). Build it
    /// from [`Transport::builder`], or at least without reqwest's decompression features: core
    /// decodes bodies itself (see [`Transport::from_client`]).
    pub fn with_http_client(config: Config, http: reqwest::Client) -> Client {
        Client::over(config, Transport::from_client(http))
    }

    fn over(config: Config, transport: Transport) -> Client {
        let headers = Operation::ALL
            .iter()
            .map(|&op| header_map(&config, op))
            .collect();
        Client {
            transport,
            config: Arc::new(config),
            headers,
            jitter: Arc::new(fastrand::f64),
        }
    }

    /// Replaces the jitter source (tests use a constant to make delays deterministic).
    pub fn with_jitter(mut self, jitter: impl Fn() -> f64 + Send + Sync + 'static) -> Client {
        self.jitter = Arc::new(jitter);
        self
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends a message to an app user (createSendMessage). Any kind: [`BaseMessage::text`],
    /// [`BaseMessage::image`], [`BaseMessage::actions`], or one the SDK does not know yet.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// use conversations_core::models::BaseMessage;
    ///
    /// let sent = client
    ///     .send_message("app-user-id", &BaseMessage::new("Hello!", "facebook"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_message(
        &self,
        app_user_id: &str,
        message: &BaseMessage,
    ) -> Result<SendMessageResponse, Error> {
        Ok(self
            .send_message_with_response(app_user_id, message)
            .await?
            .data)
    }

    /// [`Client::send_message`], with the response's status, headers and raw body.
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// use conversations_core::models::{Action, BaseMessage};
    /// let buttons = BaseMessage::actions(
    ///     "Was the coffee any good?",
    ///     [Action::reply("The best!", "Y"), Action::reply("That was coffee?", "N")],
    ///     "facebook",
    /// );
    /// let sent = client.send_message_with_response("3898c5e4-…", &buttons).await?;
    /// println!("{} {:?}", sent.response.status, sent.response.header("x-request-id"));
    /// println!("{}: {}", sent.data.channel, sent.response.body_text());
    /// # Ok(()) }
    /// ```
    pub async fn send_message_with_response(
        &self,
        app_user_id: &str,
        message: &BaseMessage,
    ) -> Result<WithResponse<SendMessageResponse>, Error> {
        self.json(
            Operation::CreateSendMessage,
            Some(app_user_id),
            Body::Message(message),
        )
        .await
    }

    /// The conversation with an app user (getAppUserMessages).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let conversation = client.list_messages("app-user-id").await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_messages(
        &self,
        app_user_id: &str,
    ) -> Result<GetAppUserMessagesResponse, Error> {
        Ok(self.list_messages_with_response(app_user_id).await?.data)
    }

    /// [`Client::list_messages`], with the response's status, headers and raw body.
    pub async fn list_messages_with_response(
        &self,
        app_user_id: &str,
    ) -> Result<WithResponse<GetAppUserMessagesResponse>, Error> {
        self.json(Operation::GetAppUserMessages, Some(app_user_id), Body::None)
            .await
    }

    /// One app user (getAppUserById).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let user = client.get_app_user("app-user-id").await?;
    /// println!("{:?}", user.given_name);
    /// # Ok(()) }
    /// ```
    pub async fn get_app_user(&self, app_user_id: &str) -> Result<AppUser, Error> {
        Ok(self.get_app_user_with_response(app_user_id).await?.data)
    }

    /// [`Client::get_app_user`], with the response's status, headers and raw body.
    pub async fn get_app_user_with_response(
        &self,
        app_user_id: &str,
    ) -> Result<WithResponse<AppUser>, Error> {
        self.json(Operation::GetAppUserById, Some(app_user_id), Body::None)
            .await
    }

    /// All app users (getAppUsers).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let users = client.list_app_users().await?;
    /// for user in &users.data {
    ///     println!("{}", user.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_app_users(&self) -> Result<GetAppUsersResponse, Error> {
        Ok(self.list_app_users_with_response().await?.data)
    }

    /// [`Client::list_app_users`], with the response's status, headers and raw body.
    pub async fn list_app_users_with_response(
        &self,
    ) -> Result<WithResponse<GetAppUsersResponse>, Error> {
        self.json(Operation::GetAppUsers, None, Body::None).await
    }

    /// Provisions the account (createConfigureAccount).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// use conversations_core::models::ConfigureAccountRequest;
    ///
    /// let request = ConfigureAccountRequest::new("My shop").with_callback_url("https://example.com/hooks");
    /// let account = client.provision_account(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn provision_account(
        &self,
        request: &ConfigureAccountRequest,
    ) -> Result<ConfigureAccountResponse, Error> {
        Ok(self.provision_account_with_response(request).await?.data)
    }

    /// [`Client::provision_account`], with the response's status, headers and raw body.
    pub async fn provision_account_with_response(
        &self,
        request: &ConfigureAccountRequest,
    ) -> Result<WithResponse<ConfigureAccountResponse>, Error> {
        self.json(
            Operation::CreateConfigureAccount,
            None,
            Body::ConfigureAccount(request),
        )
        .await
    }

    /// Integrates a Facebook page (createIntegrateFacebookPage); returns the raw body.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let raw = client.integrate_facebook_page("1573307926039629").await?;
    /// # Ok(()) }
    /// ```
    pub async fn integrate_facebook_page(&self, facebook_page_id: &str) -> Result<String, Error> {
        Ok(self
            .integrate_facebook_page_with_response(facebook_page_id)
            .await?
            .data)
    }

    /// [`Client::integrate_facebook_page`], with the response's status, headers and raw body.
    pub async fn integrate_facebook_page_with_response(
        &self,
        facebook_page_id: &str,
    ) -> Result<WithResponse<String>, Error> {
        let op = Operation::CreateIntegrateFacebookPage;
        let raw = self.execute(op, Some(facebook_page_id), Body::None).await?;
        let data = decode_text(op, raw.status, &raw.body)
            .map_err(|e| e.with_auth_hint().with_headers(raw.headers.clone()))?;
        Ok(WithResponse {
            data,
            response: raw,
        })
    }

    /// The Facebook pages the authenticated Facebook user manages (getFacebookPages).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let pages = client.list_facebook_pages().await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_facebook_pages(&self) -> Result<GetFacebookPagesResponse, Error> {
        Ok(self.list_facebook_pages_with_response().await?.data)
    }

    /// [`Client::list_facebook_pages`], with the response's status, headers and raw body.
    pub async fn list_facebook_pages_with_response(
        &self,
    ) -> Result<WithResponse<GetFacebookPagesResponse>, Error> {
        self.json(Operation::GetFacebookPages, None, Body::None)
            .await
    }

    /// Where the Facebook user authorises the account (getFacebookAuthorisationURL).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(client: conversations_core::Client) -> Result<(), conversations_core::Error> {
    /// let authorisation = client.get_facebook_authorisation_url().await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_facebook_authorisation_url(
        &self,
    ) -> Result<GetFacebookAuthorisationUrlResponse, Error> {
        Ok(self
            .get_facebook_authorisation_url_with_response()
            .await?
            .data)
    }

    /// [`Client::get_facebook_authorisation_url`], with the response's status, headers and raw
    /// body.
    pub async fn get_facebook_authorisation_url_with_response(
        &self,
    ) -> Result<WithResponse<GetFacebookAuthorisationUrlResponse>, Error> {
        self.json(Operation::GetFacebookAuthorisationUrl, None, Body::None)
            .await
    }

    async fn json<T: crate::json::Wire>(
        &self,
        op: Operation,
        id: Option<&str>,
        body: Body<'_>,
    ) -> Result<WithResponse<T>, Error> {
        let raw = self.execute(op, id, body).await?;
        let data = decode_as(op, raw.status, &raw.body)
            .map_err(|e| e.with_auth_hint().with_headers(raw.headers.clone()))?;
        Ok(WithResponse {
            data,
            response: raw,
        })
    }

    /// Builds the request, then runs attempts until success, a final failure, or the deadline.
    async fn execute(
        &self,
        op: Operation,
        id: Option<&str>,
        body: Body<'_>,
    ) -> Result<RawResponse, Error> {
        let (url, body) = build_target(&self.config, op, id, body)?;
        // core's URL rule (validate.rs) makes URLs every HTTP stack reads alike: http's parser
        // takes them as they are.
        let url = Uri::try_from(url)
            .map_err(|e| Error::invalid_input("base_url", format!("invalid request URL: {e}")))?;
        let body = body.map(Bytes::from).unwrap_or_default();
        // core's call machine decides; this loop only sends, sleeps and reports back.
        let origin = Instant::now();
        let clock = || Clock::new(origin.elapsed(), SystemTime::now(), (self.jitter)());
        let mut call = Call::start(op, &self.config, origin.elapsed());
        // What the last attempt got: the response to decode, or the error to report.
        let mut last = None;
        loop {
            match call.next(origin.elapsed()) {
                Step::Send { budget, .. } => match self.attempt(op, &url, &body, budget).await {
                    Ok((raw, retry_after)) => {
                        call.on_response(raw.status, retry_after.as_deref(), clock());
                        last = Some(Ok(raw));
                    }
                    Err((failure, error)) => {
                        call.on_failure(failure, clock());
                        last = Some(Err(error));
                    }
                },
                Step::Wait { until } => {
                    tokio::time::sleep(until.saturating_sub(origin.elapsed())).await
                }
                Step::Done(End::Failed(Failure::Deadline)) => {
                    return Err(deadline_error(self.config.deadline()))
                }
                // Done before any attempt ended can only be the deadline's doing.
                Step::Done(_) => {
                    return last.unwrap_or_else(|| Err(deadline_error(self.config.deadline())))
                }
            }
        }
    }

    /// One attempt through the shared [`Transport`]: send the request and read the whole
    /// (capped) body within `budget`.
    async fn attempt(
        &self,
        op: Operation,
        url: &Uri,
        body: &Bytes,
        budget: Duration,
    ) -> Result<(RawResponse, Option<String>), (Failure, Error)> {
        // core names the method; http knows every name the operation table uses.
        let method =
            crate::transport::http::Method::from_bytes(op.spec().method.as_str().as_bytes())
                .map_err(|_| {
                    (
                        Failure::Fatal,
                        Error::invalid_input("operation", "unknown method"),
                    )
                })?;
        let headers = Operation::ALL
            .iter()
            .position(|&o| o == op)
            .and_then(|i| self.headers.get(i))
            .ok_or_else(|| {
                (
                    Failure::Fatal,
                    Error::invalid_input("operation", "unknown operation"),
                )
            })?
            .as_ref()
            .map_err(|e| (Failure::Fatal, Error::invalid_input("config", e.clone())))?;
        // Clones of the URL, headers and body share their bytes (a retry sends them again).
        let mut request = crate::transport::Request::new(body.clone());
        *request.method_mut() = method;
        *request.uri_mut() = url.clone();
        *request.headers_mut() = headers.clone();
        let response = self
            .transport
            .send(request, self.config.max_response_bytes(), Some(budget))
            .await
            .map_err(|e| (e.failure, e.error))?;
        let retry_after = response
            .headers
            .get(http_header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let headers = response
            .headers
            .iter()
            .map(|(name, value)| {
                let value = match value.to_str() {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        Ok((
            RawResponse {
                status: response.status,
                headers,
                body: response.body,
            },
            retry_after,
        ))
    }
}

/// The headers every request of `op` sends under `config` (see [`request_headers`]; the
/// transport adds `content-length: 0` to a POST without a body).
fn header_map(config: &Config, op: Operation) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::with_capacity(5);
    for (name, value) in request_headers(config, op) {
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| format!("the {name} header value is not valid"))?;
        value.set_sensitive(name == header::AUTHORIZATION);
        map.insert(HeaderName::from_static(name), value);
    }
    Ok(map)
}

fn deadline_error(deadline: Duration) -> Error {
    Error::timeout(format!(
        "the call's deadline of {} ms was exceeded",
        deadline.as_millis()
    ))
}
