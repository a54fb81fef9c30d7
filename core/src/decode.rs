//! Response decoding: status + body → the operation's output or an [`Error`].

use crate::error::Error;
use crate::json::{self, Wire};
use crate::models::{
    AppUser, ConfigureAccountResponse, GetAppUserMessagesResponse, GetAppUsersResponse,
    GetFacebookAuthorisationUrlResponse, GetFacebookPagesResponse, SendMessageResponse,
};
use crate::operation::{Operation, ResponseKind};
use serde::Serialize;

/// The decoded success output of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Output {
    /// createSendMessage
    SendMessage(SendMessageResponse),
    /// getAppUserMessages
    AppUserMessages(GetAppUserMessagesResponse),
    /// getAppUserById
    AppUser(AppUser),
    /// getAppUsers
    AppUsers(GetAppUsersResponse),
    /// createConfigureAccount
    ConfigureAccount(ConfigureAccountResponse),
    /// createIntegrateFacebookPage: the raw body.
    IntegrateFacebookPage(String),
    /// getFacebookPages
    FacebookPages(GetFacebookPagesResponse),
    /// getFacebookAuthorisationURL
    FacebookAuthorisationUrl(GetFacebookAuthorisationUrlResponse),
}

/// Whether `status` is a success (any 2xx).
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a response of `op`. Any 2xx gives the output; any other status an `api` error with the
/// documented message; a 2xx body that is not what `op` returns a `decode` error. Never panics.
pub fn decode(op: Operation, status: u16, body: &[u8]) -> Result<Output, Error> {
    Ok(match op {
        Operation::CreateSendMessage => Output::SendMessage(decode_as(op, status, body)?),
        Operation::GetAppUserMessages => Output::AppUserMessages(decode_as(op, status, body)?),
        Operation::GetAppUserById => Output::AppUser(decode_as(op, status, body)?),
        Operation::GetAppUsers => Output::AppUsers(decode_as(op, status, body)?),
        Operation::CreateConfigureAccount => Output::ConfigureAccount(decode_as(op, status, body)?),
        Operation::CreateIntegrateFacebookPage => {
            Output::IntegrateFacebookPage(decode_text(op, status, body)?)
        }
        Operation::GetFacebookPages => Output::FacebookPages(decode_as(op, status, body)?),
        Operation::GetFacebookAuthorisationUrl => {
            Output::FacebookAuthorisationUrl(decode_as(op, status, body)?)
        }
    })
}

/// The `api` error for a non-2xx status of `op`, or `None` for a 2xx.
pub fn status_error(op: Operation, status: u16, body: &[u8]) -> Option<Error> {
    (!is_success(status)).then(|| Error::api(status, op.error_message(status), body.to_vec()))
}

impl Output {
    /// Appends the camelCase JSON form the JS surfaces return (a JSON string for the raw text of
    /// createIntegrateFacebookPage).
    pub fn write_js(&self, out: &mut String) {
        match self {
            Output::SendMessage(v) => v.write_js(out),
            Output::AppUserMessages(v) => v.write_js(out),
            Output::AppUser(v) => v.write_js(out),
            Output::AppUsers(v) => v.write_js(out),
            Output::ConfigureAccount(v) => v.write_js(out),
            Output::IntegrateFacebookPage(v) => v.write_js(out),
            Output::FacebookPages(v) => v.write_js(out),
            Output::FacebookAuthorisationUrl(v) => v.write_js(out),
        }
    }
}

/// Decodes a JSON operation's response into `T` (one of the response models).
pub fn decode_as<T: Wire>(op: Operation, status: u16, body: &[u8]) -> Result<T, Error> {
    if let Some(err) = status_error(op, status, body) {
        return Err(err);
    }
    debug_assert_eq!(op.spec().response, ResponseKind::Json);
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::decode(status, "response body is not valid UTF-8", body.to_vec()).with_source(e)
    })?;
    if text.trim().is_empty() {
        return Err(Error::decode(
            status,
            "response body is empty; a JSON document was expected",
            body.to_vec(),
        ));
    }
    json::from_str(text).map_err(|e| {
        Error::decode(
            status,
            format!("response body is not a valid {} response: {e}", op.id()),
            body.to_vec(),
        )
        .with_source(e)
    })
}

/// Decodes a text operation's response (the raw body as a string).
pub fn decode_text(op: Operation, status: u16, body: &[u8]) -> Result<String, Error> {
    if let Some(err) = status_error(op, status, body) {
        return Err(err);
    }
    String::from_utf8(body.to_vec()).map_err(|e| {
        Error::decode(status, "response body is not valid UTF-8", body.to_vec()).with_source(e)
    })
}
