//! `POST /sandbox/inbound`: a Facebook user messages an integrated page. Creates or finds the
//! app user, records a RECEIVED message, and pushes an event to the account's callback URL.

use std::sync::Arc;

use hyper::StatusCode;
use serde_json::{json, Map, Value};

use crate::app::App;
use crate::http::{json_object, json_response, ApiError, Resp};
use crate::state::{AppUser, Change, Direction};
use crate::util::{is_non_blank, uuid_v4};

/// The event type pushed for an inbound message.
pub(crate) const EVENT_TYPE: &str = "message.received";

fn required(body: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    match body.get(name) {
        Some(Value::String(s)) if is_non_blank(s) => Ok(s.clone()),
        _ => Err(ApiError::bad_request(format!(
            "Not a valid inbound message: \"{name}\" must be a non-blank string."
        ))),
    }
}

/// Handles an inbound simulation request whose body has been read.
pub(crate) async fn receive(app: &Arc<App>, bytes: &[u8]) -> Result<Resp, ApiError> {
    let body = json_object(bytes).ok_or_else(|| {
        ApiError::bad_request("Not a valid inbound message: the body must be a JSON object.")
    })?;
    let page_id = required(&body, "page_id")?;
    let given_name = required(&body, "given_name")?;
    let surname = required(&body, "surname")?;
    let (text, extra) = crate::message::validate_inbound(&body).map_err(ApiError::bad_request)?;

    let (user_id, message, event, callback) = app
        .mutate(move |s| {
            // 409: the body is fine, the sandbox's state does not allow it (yet).
            let account = s.account.clone().ok_or_else(|| {
                ApiError::new(StatusCode::CONFLICT, "The account is not provisioned.")
            })?;
            if !s.integrated_pages.contains(&page_id) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "The page is not integrated with the account.",
                ));
            }
            let mut changes = Vec::with_capacity(2);
            let existing = s.users.iter().find(|u| {
                u.page_id == page_id && u.given_name == given_name && u.surname == surname
            });
            let new_user;
            let user = match existing {
                Some(u) => u,
                None => {
                    new_user = AppUser {
                        id: uuid_v4(),
                        given_name,
                        surname,
                        page_id: page_id.clone(),
                        messages: Vec::new(),
                    };
                    changes.push(Change::AddUser(new_user.clone()));
                    &new_user
                }
            };
            let message = user.next_message(Direction::Received, text, extra);
            let message_json = message.to_json();
            let event = json!({
                "type": EVENT_TYPE,
                "account_id": account.account_id,
                "page_id": page_id,
                "app_user": {
                    "id": user.id,
                    "given_name": user.given_name,
                    "surname": user.surname,
                },
                "message": message_json,
            });
            let user_id = user.id.clone();
            changes.push(Change::AddMessage {
                user_id: user_id.clone(),
                message,
            });
            Ok((
                (user_id, message_json, event, account.callback_url),
                changes,
            ))
        })
        .await?;

    // Only after the message is durably stored: a callback never announces a lost message.
    let delivery_id = callback.map(|url| crate::delivery::enqueue(app, url, event.clone()));
    Ok(json_response(
        StatusCode::CREATED,
        &json!({
            "app_user_id": user_id,
            "message": message,
            "event": event,
            "delivery_id": delivery_id,
        }),
    ))
}
