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

/// Whether `status` is a success (any 2xx): the call machine's rule, [`crate::call::SUCCESS`].
pub fn is_success(status: u16) -> bool {
    crate::call::SUCCESS.contains(&status)
}

/// Decodes a response of `op`. Any 2xx gives the output; any other status an `api` error with the
/// documented message; a 2xx body that is not what `op` returns a `decode` error. Never panics.
pub fn decode(op: Operation, status: u16, body: &[u8]) -> Result<Output, Error> {
    struct Decode<'b>(Operation, u16, &'b [u8]);
    impl ByModel for Decode<'_> {
        type Out = Result<Output, Error>;
        fn json<T: Wire>(self, wrap: fn(T) -> Output) -> Self::Out {
            decode_as(self.0, self.1, self.2).map(wrap)
        }
        fn text(self) -> Self::Out {
            decode_text(self.0, self.1, self.2).map(Output::IntegrateFacebookPage)
        }
    }
    by_model(op, Decode(op, status, body))
}

/// Decodes a response of `op` straight into the camelCase JSON the JS surfaces return: what
/// `decode(op, status, body)?.write_js(out)` writes and the same errors, without building the
/// output's Rust values (strings are copied as written). On an error `out` holds a partial output.
pub fn transcode(op: Operation, status: u16, body: &[u8], out: &mut String) -> Result<(), Error> {
    struct Transcode<'b, 'o>(Operation, u16, &'b [u8], &'o mut String);
    impl ByModel for Transcode<'_, '_> {
        type Out = Result<(), Error>;
        fn json<T: Wire>(self, _: fn(T) -> Output) -> Self::Out {
            let text = json_text(self.0, self.1, self.2)?;
            json::transcode_str::<T>(text, self.3)
                .map_err(|e| invalid_body(self.0, self.1, self.2, e))
        }
        fn text(self) -> Self::Out {
            json::write_str(self.3, &decode_text(self.0, self.1, self.2)?);
            Ok(())
        }
    }
    by_model(op, Transcode(op, status, body, out))
}

/// Something done with the model an operation returns (see [`by_model`]).
trait ByModel {
    type Out;
    /// For a JSON operation whose model is `T`, wrapped into [`Output`] by `wrap`.
    fn json<T: Wire>(self, wrap: fn(T) -> Output) -> Self::Out;
    /// For the operation whose response is the raw body text.
    fn text(self) -> Self::Out;
}

/// The one mapping from an operation to the model it returns.
fn by_model<B: ByModel>(op: Operation, b: B) -> B::Out {
    match op {
        Operation::CreateSendMessage => b.json(Output::SendMessage),
        Operation::GetAppUserMessages => b.json(Output::AppUserMessages),
        Operation::GetAppUserById => b.json(Output::AppUser),
        Operation::GetAppUsers => b.json(Output::AppUsers),
        Operation::CreateConfigureAccount => b.json(Output::ConfigureAccount),
        Operation::CreateIntegrateFacebookPage => b.text(),
        Operation::GetFacebookPages => b.json(Output::FacebookPages),
        Operation::GetFacebookAuthorisationUrl => b.json(Output::FacebookAuthorisationUrl),
    }
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
    let text = json_text(op, status, body)?;
    json::from_str(text).map_err(|e| invalid_body(op, status, body, e))
}

/// The body of a 2xx response of a JSON operation as text, or the error for any other status, a
/// body that is not UTF-8 or an empty one.
fn json_text(op: Operation, status: u16, body: &[u8]) -> Result<&str, Error> {
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
    Ok(text)
}

fn invalid_body(op: Operation, status: u16, body: &[u8], e: json::JsonError) -> Error {
    Error::decode(
        status,
        format!("response body is not a valid {} response: {e}", op.id()),
        body.to_vec(),
    )
    .with_source(e)
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
