//! # conversations-core
//!
//! The protocol of the MessageMedia Conversations API, without I/O: models, the operation table,
//! request building with validation, response and error decoding, and the retry/deadline policy
//! as pure functions. The Node (napi) and browser (wasm-bindgen) bindings are thin layers over
//! [`engine::Engine`]; Rust programs can use the typed pieces directly, or the ready async
//! [`Client`] behind the `client` feature.
//!
//! ```
//! use conversations_core::{build_request, decode, Body, Config, Operation, Output};
//!
//! let config = Config::builder()
//!     .base_url("http://127.0.0.1:8080")
//!     .credentials("API_KEY", "API_SECRET")
//!     .build()?;
//! let req = build_request(&config, Operation::GetAppUserById, Some("a/b c"), Body::None)?;
//! assert_eq!(req.url, "http://127.0.0.1:8080/beta/conversations/users/a%2Fb%20c");
//!
//! let out = decode(Operation::GetAppUserById, 200, br#"{"id":"u1","given_name":"Ben"}"#)?;
//! let Output::AppUser(user) = out else { unreachable!() };
//! assert_eq!(user.given_name.as_deref(), Some("Ben"));
//! # Ok::<(), conversations_core::Error>(())
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
pub mod call;
pub mod callback;
pub mod config;
pub mod date;
pub mod decode;
pub mod engine;
pub mod error;
pub mod json;
pub mod models;
pub mod operation;
pub mod request;
pub mod retry;
mod validate;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
#[cfg(feature = "transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "transport")))]
pub mod transport;

pub use config::{Config, ConfigBuilder};
pub use decode::{decode, Output};
pub use error::{Error, ErrorKind};
pub use operation::{Method, Operation, OperationSpec};
pub use request::{build_request, Body, HttpRequest};
pub use retry::{Outcome, RetryPolicy};

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{Client, RawResponse, WithResponse};
