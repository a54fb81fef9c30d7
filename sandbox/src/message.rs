//! The message kinds the send-message endpoint takes, as MessageMedia's own Postman collection
//! sends them: text (`text`), image (`type: "image"`, `media`, optional `text`) and reply
//! buttons (`type: "actions"`, `text`, `actions: [{type: "reply", displayText, responseText}]`
//! — camelCase inside `actions`). Unknown kinds, action types and fields are accepted and
//! stored as sent, so the sandbox does not refuse what the real API may add.

use serde_json::{Map, Value};

use crate::state::RESERVED_FIELDS;
use crate::util::{is_http_url, is_non_blank};

/// Why a body is not a valid message (the API answers every case with the same 400).
#[derive(Debug)]
pub(crate) struct Invalid(#[allow(dead_code)] pub &'static str);

fn non_blank(body: &Map<String, Value>, name: &str) -> Option<String> {
    match body.get(name) {
        Some(Value::String(s)) if is_non_blank(s) => Some(s.clone()),
        _ => None,
    }
}

/// Checks a posted message and splits it into its text and the other fields to store.
pub(crate) fn validate_sent(
    body: &Map<String, Value>,
) -> Result<(Option<String>, Map<String, Value>), Invalid> {
    non_blank(body, "channel").ok_or(Invalid("channel must be a non-blank string"))?;
    let text = match body.get("text") {
        None => None,
        Some(Value::String(s)) if is_non_blank(s) => Some(s.clone()),
        Some(_) => return Err(Invalid("text must be a non-blank string")),
    };
    match body.get("type") {
        None => {
            text.as_ref().ok_or(Invalid("a text message needs text"))?;
        }
        Some(Value::String(kind)) => match kind.as_str() {
            "text" => {
                text.as_ref().ok_or(Invalid("a text message needs text"))?;
            }
            "image" => match body.get("media") {
                Some(Value::String(url)) if is_http_url(url) => {}
                _ => return Err(Invalid("an image needs media, an http(s) URL")),
            },
            "actions" => {
                text.as_ref()
                    .ok_or(Invalid("an actions message needs text"))?;
                validate_actions(body.get("actions"))?;
            }
            // A kind the sandbox does not know yet: stored as sent.
            _ if is_non_blank(kind) => {}
            _ => return Err(Invalid("type must be a non-blank string")),
        },
        Some(_) => return Err(Invalid("type must be a string")),
    }
    Ok((text, extra_fields(body)))
}

fn validate_actions(actions: Option<&Value>) -> Result<(), Invalid> {
    let Some(Value::Array(actions)) = actions else {
        return Err(Invalid("actions must be an array"));
    };
    if actions.is_empty() {
        return Err(Invalid("actions must not be empty"));
    }
    for action in actions {
        let Value::Object(action) = action else {
            return Err(Invalid("each action must be an object"));
        };
        let kind = non_blank(action, "type").ok_or(Invalid("each action needs a type"))?;
        if kind == "reply"
            && (non_blank(action, "displayText").is_none()
                || non_blank(action, "responseText").is_none())
        {
            return Err(Invalid("a reply action needs displayText and responseText"));
        }
    }
    Ok(())
}

/// The fields stored beside text, channel, direction and timestamp (which the sandbox sets).
fn extra_fields(body: &Map<String, Value>) -> Map<String, Value> {
    body.iter()
        .filter(|(k, _)| !RESERVED_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The content of a simulated inbound message: `text`, an image (`media`) or both, and the
/// `responseText` of a reply button the Facebook user tapped. Returns the text and the extra
/// fields (`type: "image"` with `media`; `responseText`).
pub(crate) fn validate_inbound(
    body: &Map<String, Value>,
) -> Result<(Option<String>, Map<String, Value>), String> {
    let bad = |what: &str| format!("Not a valid inbound message: {what}.");
    let optional = |name: &str| match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if is_non_blank(s) => Ok(Some(s.clone())),
        Some(_) => Err(bad(&format!("\"{name}\" must be a non-blank string"))),
    };
    let text = optional("text")?;
    let media = optional("media")?;
    let response_text = optional("responseText")?;
    if text.is_none() && media.is_none() {
        return Err(bad(
            "\"text\" must be a non-blank string (or give \"media\")",
        ));
    }
    let mut extra = Map::new();
    if let Some(media) = media {
        if !is_http_url(&media) {
            return Err(bad("\"media\" must be an http(s) URL"));
        }
        extra.insert("type".to_owned(), Value::from("image"));
        extra.insert("media".to_owned(), Value::from(media));
    }
    if let Some(r) = response_text {
        extra.insert("responseText".to_owned(), Value::from(r));
    }
    Ok((text, extra))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(v: Value) -> Result<(Option<String>, Map<String, Value>), Invalid> {
        validate_sent(v.as_object().unwrap())
    }

    #[test]
    fn kinds() {
        assert!(sent(json!({"channel": "facebook", "text": "hi"})).is_ok());
        let (text, extra) =
            sent(json!({"channel": "facebook", "type": "image", "media": "https://x/y.png"}))
                .unwrap();
        assert_eq!(text, None);
        assert_eq!(extra["media"], "https://x/y.png");
        assert!(sent(json!({"channel": "facebook", "type": "image"})).is_err());
        assert!(sent(json!({"channel": "facebook", "type": "image", "media": "x"})).is_err());
        let ok = json!({"channel": "facebook", "type": "actions", "text": "Good?",
            "actions": [{"type": "reply", "displayText": "Yes", "responseText": "Y"},
                        {"type": "call", "number": "+61"}]});
        assert_eq!(sent(ok).unwrap().1["actions"][1]["number"], "+61");
        for bad in [
            json!({"channel": "facebook", "type": "actions", "text": "x", "actions": []}),
            json!({"channel": "facebook", "type": "actions", "text": "x",
                   "actions": [{"type": "reply", "displayText": "Yes"}]}),
            json!({"channel": "facebook", "type": "actions", "actions": [{"type": "x"}]}),
            json!({"channel": "facebook"}),
            json!({"text": "hi"}),
            json!({"channel": "facebook", "type": 3, "text": "hi"}),
        ] {
            assert!(sent(bad.clone()).is_err(), "{bad}");
        }
        let (_, extra) = sent(
            json!({"channel": "facebook", "type": "carousel", "cards": [1], "direction": "X"}),
        )
        .unwrap();
        assert_eq!(extra.get("cards"), Some(&json!([1])));
        assert!(extra.get("direction").is_none());
    }
}
