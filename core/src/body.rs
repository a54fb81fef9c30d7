//! Request bodies: the caller's JSON checked against its [`BodyModel`] and written in wire form.
//!
//! The rules (also in `npm/ENGINE.md`): known fields may be given under their wire name or its
//! alias (camelCase) and are sent under the wire name, in the model's order; fields the model
//! does not know are sent after them, under the caller's key and with the value exactly as
//! written; a `null` value means "absent" and is not sent (as the original SDK dropped null
//! keys); each kind's required fields must be present and not blank; a kind the model does not
//! know needs only the model's own required fields.

use crate::error::Error;
use crate::json::{write_key, write_str, JsonError, Reader};
use crate::operation::{BodyModel, FieldType, KindSpec};
use crate::validate;
use std::borrow::Cow;

/// The most known fields a model has (a fixed array of slots: no allocation for them).
const MAX_FIELDS: usize = 6;

/// Checks `json` (the caller's body) against `model` and returns the wire JSON to send.
pub(crate) fn check(model: &'static BodyModel, json: &str) -> Result<String, Error> {
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
    let parsed = object(model, &mut r, "body", &mut out, &mut problem).and_then(|()| r.finish());
    match (problem, parsed) {
        (Some(problem), _) => Err(problem),
        (None, Err(e)) => Err(Error::invalid_input(
            "body",
            format!("body is not valid JSON: {e}"),
        )),
        (None, Ok(())) => Ok(out),
    }
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
fn object<'a>(
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
            let message = if before == by_wire {
                format!("{path} has {key} twice")
            } else {
                format!("{path} has both {} and {}", field.wire, field.alias)
            };
            let name = format!("{path}.{}", field.wire);
            return Err(invalid(r, problem, name, message));
        }
        seen[i] = Some(by_wire);
        if r.null()? {
            return Ok(());
        }
        slots[i] = Some(match field.value {
            FieldType::Text | FieldType::Url => {
                if r.peek() != Some(b'"') {
                    r.skip()?;
                    let name = format!("{path}.{}", field.wire);
                    let message = format!("{name} must be a string");
                    return Err(invalid(r, problem, name, message));
                }
                Slot::Text(r.string()?)
            }
            FieldType::List(item) => {
                let name = format!("{path}.{}", field.wire);
                if r.peek() != Some(b'[') {
                    r.skip()?;
                    let message = format!("{name} must be a list of {} objects", item.name);
                    return Err(invalid(r, problem, name, message));
                }
                let mut list = String::from("[");
                let mut n = 0;
                r.array(|r| {
                    let at = format!("{name}[{n}]");
                    if n > 0 {
                        list.push(',');
                    }
                    n += 1;
                    if r.peek() != Some(b'{') {
                        r.skip()?;
                        let message = format!("{at} must be an object ({} {})", item.name, {
                            item.kind_field.unwrap_or("fields")
                        });
                        return Err(invalid(r, problem, at, message));
                    }
                    object(item, r, &at, &mut list, problem)
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
            let name = format!("{path}.{kind_field}");
            let known: Vec<&str> = model.kinds.iter().map(|k| k.name).collect();
            let message = format!(
                "{name} is required: the {} kind ({} or any other the API takes)",
                model.name,
                known.join(", ")
            );
            return Err(invalid(r, problem, name, message));
        }
    };
    let spec = kind.and_then(|(name, _)| model.kind(name));
    for wire in model
        .required
        .iter()
        .chain(spec.map_or(&[][..], |k| k.required))
    {
        let Some(i) = model.fields.iter().position(|f| f.wire == *wire) else {
            continue;
        };
        let filled = match &slots[i] {
            Some(Slot::Text(s)) => !crate::validate::is_blank(s),
            Some(Slot::List(_, n)) => *n > 0,
            None => false,
        };
        if !filled {
            let name = format!("{path}.{wire}");
            let message = required_message(model, &name, &slots[i], spec);
            return Err(invalid(r, problem, name, message));
        }
    }
    for (i, field) in model.fields.iter().enumerate() {
        if let (FieldType::Url, Some(Slot::Text(url))) = (field.value, &slots[i]) {
            if let Err(why) = validate::http_url(url) {
                let name = format!("{path}.{}", field.wire);
                let message = format!("{name} {why}");
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

fn required_message(
    model: &BodyModel,
    name: &str,
    slot: &Option<Slot<'_>>,
    kind: Option<&KindSpec>,
) -> String {
    let what = match slot {
        Some(Slot::List(..)) => format!("{name} must not be empty"),
        _ => format!("{name} is required and must not be blank"),
    };
    match kind {
        Some(k) => format!("{what}: a {} {} needs {}", k.name, model.name, k.needs),
        None => what,
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
    use crate::operation::{ACCOUNT, ACTION, MESSAGE};

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
        let out = check(
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
        let err = check(&MESSAGE, r#"{"type":"image","channel":"facebook"}"#).unwrap_err();
        assert_eq!(err.field(), Some("body.media"));
        assert!(err.message().contains("image's URL"), "{}", err.message());
        let err = check(
            &MESSAGE,
            r#"{"channel":"f","text":"t","actions":[{"type":"reply","displayText":"a"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("body.actions[0].responseText"));
    }
}
