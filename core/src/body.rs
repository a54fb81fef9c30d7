//! Request bodies: the caller's JSON checked against its [`BodyModel`] and written in wire form.
//!
//! The rules (also in `npm/ENGINE.md`): known fields may be given under their wire name or its
//! alias (camelCase) and are sent under the wire name, in the model's order; fields the model
//! does not know are sent after them, under the caller's key and with the value exactly as
//! written; a `null` value means "absent" and is not sent (as the original SDK dropped null
//! keys); each kind's required fields must be present and not blank; a kind the model does not
//! know needs only the model's own required fields.
//!
//! Errors name a field as the caller's surface `S` writes it ([`Surface`]): `body.callbackUrl`,
//! `body.actions[0].responseText` for the JS engine; `callback_url`, `actions[0].response_text`
//! (the Rust models' fields, relative to the value passed) for the Rust client. Messages are
//! built without `format!` where a push does: each of its sites costs the wasm engine size.

use crate::error::Error;
use crate::json::{write_key, write_str, JsonError, Reader};
use crate::operation::{BodyModel, FieldSpec, FieldType, KindSpec, Surface};
use crate::request::sentence;
use crate::validate;
use std::borrow::Cow;

/// The most known fields a model has (a fixed array of slots: no allocation for them).
const MAX_FIELDS: usize = 6;

/// Checks `json` (the caller's body) against `model` and returns the wire JSON to send; a
/// problem is an error naming the field as `S` writes it.
pub(crate) fn check<S: Surface>(model: &'static BodyModel, json: &str) -> Result<String, Error> {
    let mut r = Reader::new(json);
    if r.peek() != Some(b'{') {
        let valid = r.skip().and_then(|()| r.finish()).is_ok();
        return Err(Error::invalid_input(
            "body",
            if valid {
                "body must be an object"
            } else {
                "body is not valid JSON"
            },
        ));
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut problem = None;
    let parsed =
        object::<S>(model, &mut r, S::BODY, &mut out, &mut problem).and_then(|()| r.finish());
    match (problem, parsed) {
        (Some(problem), _) => Err(problem),
        (None, Err(e)) => Err(Error::invalid_input(
            "body",
            format!("body is not valid JSON: {e}"),
        )),
        (None, Ok(())) => Ok(out),
    }
}

/// The path of `field` of the object at `path` (`body.callbackUrl`; `callback_url` at Rust's
/// root, where the path is empty).
fn field_path<S: Surface>(path: &str, field: &FieldSpec) -> String {
    let name = S::field(field);
    if path.is_empty() {
        return name.to_owned();
    }
    let mut out = String::with_capacity(path.len() + 1 + name.len());
    out.push_str(path);
    out.push('.');
    out.push_str(name);
    out
}

/// The object at `path`, as the subject of a message (`body`; `the message` at Rust's root).
fn subject(path: &str, model: &BodyModel) -> String {
    if path.is_empty() {
        sentence("the", model.name)
    } else {
        path.to_owned()
    }
}

/// The known field of `model` whose wire name is `wire` (every name the table lists is one).
fn wire_field(model: &BodyModel, wire: &str) -> Option<(usize, &'static FieldSpec)> {
    model
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.wire == wire)
}

/// A known field's value as given.
enum Slot<'a> {
    Text(Cow<'a, str>),
    /// A list, already written in wire form, and its length.
    List(String, usize),
}

/// Reads one object of `model` at `r` (the caller checked it starts with `{`) and appends its
/// wire form to `out`. A problem with the caller's input is put in `problem` (and the read is
/// abandoned with a `JsonError`, which the caller then ignores).
fn object<'a, S: Surface>(
    model: &'static BodyModel,
    r: &mut Reader<'a>,
    path: &str,
    out: &mut String,
    problem: &mut Option<Error>,
) -> Result<(), JsonError> {
    debug_assert!(model.fields.len() <= MAX_FIELDS);
    let mut slots: [Option<Slot<'a>>; MAX_FIELDS] = Default::default();
    // Which known fields appeared at all (null included): a second spelling is an error.
    let mut seen = [None::<bool>; MAX_FIELDS];
    let mut extra: Vec<(String, &'a str)> = Vec::new();
    r.object(|r, key| {
        let Some(i) = model
            .fields
            .iter()
            .position(|f| key == f.wire || key == f.alias)
        else {
            if !r.null()? {
                extra.push((key.to_owned(), r.raw_value()?));
            }
            return Ok(());
        };
        let field = &model.fields[i];
        let by_wire = key == field.wire;
        if let Some(before) = seen[i] {
            // The keys as written: the JSON's (or a Rust model's `extra`) spellings.
            let mut message = subject(path, model);
            if before == by_wire {
                message.push_str(" has ");
                message.push_str(key);
                message.push_str(" twice");
            } else {
                message.push_str(" has both ");
                message.push_str(field.wire);
                message.push_str(" and ");
                message.push_str(field.alias);
            }
            return Err(invalid(r, problem, field_path::<S>(path, field), message));
        }
        seen[i] = Some(by_wire);
        if r.null()? {
            return Ok(());
        }
        slots[i] = Some(match field.value {
            FieldType::Text | FieldType::Url => {
                if r.peek() != Some(b'"') {
                    r.skip()?;
                    let name = field_path::<S>(path, field);
                    let message = sentence(&name, "must be a string");
                    return Err(invalid(r, problem, name, message));
                }
                Slot::Text(r.string()?)
            }
            FieldType::List(item) => {
                let name = field_path::<S>(path, field);
                if r.peek() != Some(b'[') {
                    r.skip()?;
                    let mut message = sentence(&name, "must be a list of ");
                    message.push_str(item.name);
                    message.push_str(" objects");
                    return Err(invalid(r, problem, name, message));
                }
                let mut list = String::from("[");
                let mut n = 0usize;
                r.array(|r| {
                    let mut path = String::with_capacity(name.len() + 4);
                    path.push_str(&name);
                    path.push('[');
                    path.push_str(&n.to_string());
                    path.push(']');
                    if n > 0 {
                        list.push(',');
                    }
                    n += 1;
                    if r.peek() != Some(b'{') {
                        r.skip()?;
                        let mut message = sentence(&path, "must be an object (");
                        message.push_str(item.name);
                        message.push(' ');
                        message.push_str(
                            item.kind_field
                                .and_then(|wire| wire_field(item, wire))
                                .map_or("fields", |(_, f)| S::field(f)),
                        );
                        message.push(')');
                        return Err(invalid(r, problem, path, message));
                    }
                    object::<S>(item, r, &path, &mut list, problem)
                })?;
                list.push(']');
                Slot::List(list, n)
            }
        });
        Ok(())
    })?;

    let kind = match kind_of(model, &slots) {
        Ok(kind) => kind,
        Err(kind_field) => {
            let name = match wire_field(model, kind_field) {
                Some((_, field)) => field_path::<S>(path, field),
                None => kind_field.to_owned(),
            };
            let mut message = sentence(&name, "is required: the ");
            message.push_str(model.name);
            message.push_str(" kind (");
            for (i, k) in model.kinds.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push_str(k.name);
            }
            message.push_str(" or any other the API takes)");
            return Err(invalid(r, problem, name, message));
        }
    };
    let spec = kind.and_then(|(name, _)| model.kind(name));
    for wire in model
        .required
        .iter()
        .chain(spec.map_or(&[][..], |k| k.required))
    {
        let Some((i, field)) = wire_field(model, wire) else {
            continue;
        };
        let filled = match &slots[i] {
            Some(Slot::Text(s)) => !crate::validate::is_blank(s),
            Some(Slot::List(_, n)) => *n > 0,
            None => false,
        };
        if !filled {
            let name = field_path::<S>(path, field);
            let message = required_message::<S>(model, &name, &slots[i], spec);
            return Err(invalid(r, problem, name, message));
        }
    }
    for (i, field) in model.fields.iter().enumerate() {
        if let (FieldType::Url, Some(Slot::Text(url))) = (field.value, &slots[i]) {
            if let Err(why) = validate::http_url(url) {
                let name = field_path::<S>(path, field);
                let mut message = sentence(&name, "must be an http(s) URL, but ");
                message.push_str(why);
                return Err(invalid(r, problem, name, message));
            }
        }
    }

    let mut sep = '{';
    for (i, field) in model.fields.iter().enumerate() {
        let value = match (&slots[i], kind) {
            (Some(slot), _) => slot,
            // An inferred kind is sent: the API needs the discriminator.
            (None, Some((name, true))) if model.kind_field == Some(field.wire) => {
                out.push(sep);
                sep = ',';
                write_key(out, field.wire);
                write_str(out, name);
                continue;
            }
            (None, _) => continue,
        };
        out.push(sep);
        sep = ',';
        write_key(out, field.wire);
        match value {
            Slot::Text(s) => write_str(out, s),
            Slot::List(list, _) => out.push_str(list),
        }
    }
    for (key, raw) in &extra {
        out.push(sep);
        sep = ',';
        write_str(out, key);
        out.push(':');
        out.push_str(raw);
    }
    if sep == '{' {
        out.push('{');
    }
    out.push('}');
    Ok(())
}

/// The body's kind: `(name, inferred)`, or `None` for a model without kinds; or the
/// discriminator's name when it is required and absent.
fn kind_of<'s>(
    model: &'static BodyModel,
    slots: &'s [Option<Slot<'_>>; MAX_FIELDS],
) -> Result<Option<(&'s str, bool)>, &'static str> {
    let Some(kind_field) = model.kind_field else {
        return Ok(None);
    };
    let slot = |wire: &str| {
        model
            .fields
            .iter()
            .position(|f| f.wire == wire)
            .and_then(|i| slots[i].as_ref())
    };
    if let Some(Slot::Text(given)) = slot(kind_field) {
        return Ok(Some((given.as_ref(), false)));
    }
    if let Some(kind) = model
        .kinds
        .iter()
        .find(|k| k.inferred_from.is_some_and(|f| slot(f).is_some()))
    {
        return Ok(Some((kind.name, true)));
    }
    match model.default_kind {
        Some(name) => Ok(Some((name, false))),
        None => Err(kind_field),
    }
}

fn required_message<S: Surface>(
    model: &BodyModel,
    name: &str,
    slot: &Option<Slot<'_>>,
    kind: Option<&KindSpec>,
) -> String {
    let mut message = sentence(
        name,
        match slot {
            Some(Slot::List(..)) => "must not be empty",
            _ => "is required and must not be blank",
        },
    );
    if let Some(k) = kind {
        message.push_str(": a ");
        message.push_str(k.name);
        message.push(' ');
        message.push_str(model.name);
        message.push_str(" needs ");
        push_named::<S>(&mut message, k.needs, model);
    }
    message
}

/// Appends `text` (words naming `model`'s fields by their wire names, as [`KindSpec::needs`]
/// does) with each field named as `S` writes it (`displayText` → `display_text` in Rust).
fn push_named<S: Surface>(out: &mut String, text: &str, model: &BodyModel) {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let word = is_word(bytes[i]);
        while i < bytes.len() && is_word(bytes[i]) == word {
            i += 1;
        }
        // Runs end at ASCII bytes (word bytes are ASCII), so this never falls back to "".
        let run = crate::json::slice(text, start, i);
        match wire_field(model, run) {
            Some((_, field)) if word => out.push_str(S::field(field)),
            _ => out.push_str(run),
        }
    }
}

fn invalid(
    r: &Reader<'_>,
    problem: &mut Option<Error>,
    field: String,
    message: String,
) -> JsonError {
    *problem = Some(Error::invalid_input(field, message));
    r.error("invalid body")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Js, Rust, ACCOUNT, ACTION, MESSAGE};

    #[test]
    fn models_fit_the_slots() {
        for m in [&MESSAGE, &ACTION, &ACCOUNT] {
            assert!(m.fields.len() <= MAX_FIELDS, "{}", m.name);
            for k in m.kinds {
                for f in k.required.iter().chain(m.required) {
                    assert!(m.fields.iter().any(|x| x.wire == *f), "{} {f}", m.name);
                }
            }
        }
    }

    #[test]
    fn canonical_order_then_extras_nulls_dropped() {
        let out = check::<Js>(
            &MESSAGE,
            r#"{"x":{"a" : [1,null]},"text":"hi","y":null,"channel":"facebook"}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"channel":"facebook","text":"hi","x":{"a" : [1,null]}}"#
        );
    }

    #[test]
    fn errors_name_the_field_and_what_the_kind_needs() {
        let err = check::<Js>(&MESSAGE, r#"{"type":"image","channel":"facebook"}"#).unwrap_err();
        assert_eq!(err.field(), Some("body.media"));
        assert!(err.message().contains("image's URL"), "{}", err.message());
        let err = check::<Js>(
            &MESSAGE,
            r#"{"channel":"f","text":"t","actions":[{"type":"reply","displayText":"a"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("body.actions[0].responseText"));
        assert_eq!(
            err.message(),
            "body.actions[0].responseText is required and must not be blank: a reply action needs displayText, the button's label, and responseText, what a tap sends back"
        );
    }

    /// The same bodies as the Rust client sends them: its models' field names, relative to the
    /// value passed, in the field and in the words of the message.
    #[test]
    fn rust_errors_name_the_models_fields() {
        let cases: [(&BodyModel, &str, &str, &str); 7] = [
            (
                &MESSAGE,
                r#"{"channel":"f","text":"t","actions":[{"type":"reply","displayText":"a"}]}"#,
                "actions[0].response_text",
                "actions[0].response_text is required and must not be blank: a reply action needs display_text, the button's label, and response_text, what a tap sends back",
            ),
            (
                &ACCOUNT,
                r#"{"name":"n","callback_url":"not a url"}"#,
                "callback_url",
                "callback_url must be an http(s) URL, but ",
            ),
            // A key in the model's `extra` that spells a known field: the keys as written.
            (
                &ACCOUNT,
                r#"{"name":"n","callback_url":"https://a.test","callbackUrl":"https://a.test"}"#,
                "callback_url",
                "the account has both callback_url and callbackUrl",
            ),
            // The discriminator is `kind` in the models (`type` is a Rust keyword).
            (
                &MESSAGE,
                r#"{"channel":"f","type":"image"}"#,
                "media",
                "media is required and must not be blank: a image message needs media",
            ),
            (
                &MESSAGE,
                r#"{"channel":"f","actions":[1]}"#,
                "actions[0]",
                "actions[0] must be an object (action kind)",
            ),
            (
                &MESSAGE,
                r#"{"channel":"f","text":"t","actions":[{}]}"#,
                "actions[0].kind",
                "actions[0].kind is required: the action kind (reply or any other the API takes)",
            ),
            (
                &MESSAGE,
                r#"{"channel":"f"}"#,
                "text",
                "text is required and must not be blank: a text message needs text (an image needs kind \"image\" and media; buttons need actions)",
            ),
        ];
        for (model, json, field, message) in cases {
            let err = check::<Rust>(model, json).unwrap_err();
            assert_eq!(err.field(), Some(field), "{json}");
            assert!(err.message().starts_with(message), "{}", err.message());
        }
    }

    #[test]
    fn each_field_has_a_name_per_surface() {
        let names = |m: &BodyModel| -> Vec<(&str, &str)> {
            m.fields
                .iter()
                .map(|f| (Rust::field(f), Js::field(f)))
                .collect()
        };
        assert_eq!(
            names(&ACTION),
            [
                ("kind", "type"),
                ("display_text", "displayText"),
                ("response_text", "responseText")
            ]
        );
        assert_eq!(
            names(&ACCOUNT),
            [("name", "name"), ("callback_url", "callbackUrl")]
        );
    }
}
