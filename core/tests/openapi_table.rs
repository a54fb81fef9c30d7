//! Core's operation table and the sandbox's OpenAPI description (`sandbox/openapi.json`) are
//! two descriptions of the same API: every row of the table must match its operation there
//! (id, method, path, path parameter, body, response type, documented error statuses and
//! their messages), and every API operation there must have a row. A path, status or
//! message changed on one side only fails here.

use std::collections::BTreeSet;

use conversations_core::operation::{BodyKind, Operation, ResponseKind};
use serde_json::Value;

fn openapi() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sandbox/openapi.json");
    let text = std::fs::read_to_string(path).expect("read sandbox/openapi.json");
    serde_json::from_str(&text).expect("sandbox/openapi.json is JSON")
}

/// Statuses any operation may answer that are not its own documented errors: credentials
/// (401) and the body size limit (413), both handled by the generic error path.
const GENERIC: [&str; 2] = ["401", "413"];

#[test]
fn every_operation_spec_matches_the_sandbox_openapi_description() {
    let doc = openapi();
    let paths = doc["paths"].as_object().expect("paths");
    for op in Operation::ALL {
        let spec = op.spec();
        let id = spec.id;
        let item = paths
            .get(spec.path)
            .unwrap_or_else(|| panic!("{id}: path {} is not in openapi.json", spec.path));
        let method = spec.method.as_str().to_ascii_lowercase();
        let o = item
            .get(&method)
            .unwrap_or_else(|| panic!("{id}: openapi.json has no {method} on {}", spec.path));
        assert_eq!(o["operationId"], id, "{id}: operationId");

        let path_params: Vec<&str> = item["parameters"]
            .as_array()
            .into_iter()
            .chain(o["parameters"].as_array())
            .flatten()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(
            path_params,
            spec.path_param.into_iter().collect::<Vec<_>>(),
            "{id}: path parameters"
        );

        let has_body = o.get("requestBody").is_some();
        assert_eq!(
            has_body,
            spec.body != BodyKind::None,
            "{id}: request body (table says {:?})",
            spec.body
        );

        let responses = o["responses"].as_object().expect("responses");
        let success: Vec<(&String, &Value)> = responses
            .iter()
            .filter(|(s, _)| s.starts_with('2'))
            .collect();
        assert_eq!(success.len(), 1, "{id}: one success status");
        let content = success[0].1["content"].as_object().expect("2xx content");
        let expected = match spec.response {
            ResponseKind::Json => "application/json",
            ResponseKind::Text => "text/plain",
            other => panic!("{id}: response kind {other:?} has no media type here"),
        };
        assert!(
            content.contains_key(expected),
            "{id}: 2xx media type should be {expected}, openapi.json has {:?}",
            content.keys().collect::<Vec<_>>()
        );

        // The error statuses: the table's documented ones must all be there, and every other
        // non-generic one must be the undocumented 400 with core's message for it.
        let statuses: BTreeSet<u16> = responses
            .keys()
            .filter(|s| !s.starts_with('2') && !GENERIC.contains(&s.as_str()))
            .map(|s| s.parse().expect("numeric status"))
            .collect();
        for (status, _) in spec.errors {
            assert!(
                statuses.contains(status),
                "{id}: the table documents {status}, openapi.json does not"
            );
        }
        for status in statuses {
            assert!(
                status == 400 || spec.errors.iter().any(|(s, _)| *s == status),
                "{id}: openapi.json answers {status}, which the table does not document"
            );
            let description = responses[&status.to_string()]["description"]
                .as_str()
                .unwrap_or_default();
            assert_eq!(
                description.trim_end_matches('.'),
                op.error_message(status).trim_end_matches('.'),
                "{id}: message for {status}"
            );
        }
    }

    // And the other way: no API operation in openapi.json that the table lacks.
    for (path, item) in paths.iter().filter(|(p, _)| p.starts_with("/beta/")) {
        for (method, o) in item.as_object().expect("path item") {
            if method == "parameters" {
                continue;
            }
            let id = o["operationId"].as_str().unwrap_or_default();
            let op = Operation::from_id(id).unwrap_or_else(|| {
                panic!("openapi.json's {method} {path} ({id}) is not in the table")
            });
            assert_eq!(op.spec().path, path, "{id}: path");
        }
    }
}

/// The API's blank rule as its description states it: the pattern `[^ \t\n\r\f\v]` (at least
/// one character outside that set) on ids and required text.
fn blank_set_from_openapi(doc: &Value) -> Vec<char> {
    let text = doc.to_string();
    let key = r#""pattern":"[^"#;
    let start = text
        .find(key)
        .expect("openapi.json states a non-blank pattern")
        + key.len();
    let end = start + text[start..].find(']').expect("pattern ends");
    let escaped = &text[start..end];
    let mut set = Vec::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            set.push(c);
            continue;
        }
        // JSON escaping doubles the regex backslash.
        let Some('\\') = chars.next() else {
            panic!("unexpected escape in {escaped:?}")
        };
        set.push(match chars.next() {
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('f') => '\x0c',
            Some('v') => '\x0b',
            other => panic!("unexpected escape {other:?} in {escaped:?}"),
        });
    }
    set
}

#[test]
fn core_blank_rule_is_the_openapi_pattern() {
    use conversations_core::models::BaseMessage;
    use conversations_core::{build_request, Body, Config};

    let blank_chars = blank_set_from_openapi(&openapi());
    assert!(blank_chars.contains(&' '), "{blank_chars:?}");
    let config = Config::builder()
        .username(Some("k".to_owned()))
        .password(Some("s".to_owned()))
        .build()
        .expect("config");
    // ASCII whitespace, Unicode spaces (no-break, em, ideographic), a zero-width one, a letter.
    for value in [
        " ", "\t", "\n", "\r", "\x0c", "\x0b", " \t\r\n", "\u{a0}", "\u{2003}", "\u{3000}",
        "\u{200b}", " \u{a0} ", "x", " x ",
    ] {
        let api_blank = value.chars().all(|c| blank_chars.contains(&c));
        let id = build_request(&config, Operation::GetAppUserById, Some(value), Body::None);
        assert_eq!(
            id.is_err(),
            api_blank,
            "appUserId {value:?}: the API calls it {}, core {}",
            if api_blank { "blank" } else { "content" },
            if id.is_err() {
                "refuses it"
            } else {
                "sends it"
            }
        );
        let message = BaseMessage::text(value, "FACEBOOK");
        let body = build_request(
            &config,
            Operation::CreateSendMessage,
            Some("u"),
            Body::Message(&message),
        );
        assert_eq!(body.is_err(), api_blank, "message text {value:?}");
    }
}

#[test]
fn core_callback_url_rule_is_the_openapi_pattern() {
    use conversations_core::models::ConfigureAccountRequest;
    use conversations_core::{build_request, Body, Config};

    let doc = openapi();
    let pattern = doc["components"]["schemas"]["ConfigureAccountRequest"]["properties"]
        ["callback_url"]["pattern"]
        .as_str()
        .expect("openapi.json states callback_url's pattern");
    let api = regex::Regex::new(pattern).expect("the pattern is a regex");
    let config = Config::builder()
        .username(Some("k".to_owned()))
        .password(Some("s".to_owned()))
        .build()
        .expect("config");
    for url in [
        "http://a",
        "HTTPS://example.com/cb?x=1",
        "https://h.test:8443/in#f",
        "http://a?q",
        "ftp://a",
        "http://",
        "http:///x",
        "http://?q",
        "http://a b",
        "http://a/b\tc",
        "http://a\u{a0}b",
        "http://u@",
        "http://:80",
        "http://a/\u{7f}",
        "https//a",
        "é",
        " http://a",
    ] {
        let mut account = ConfigureAccountRequest::new("Acme");
        account.callback_url = Some(url.to_owned());
        let core = build_request(
            &config,
            Operation::CreateConfigureAccount,
            None,
            Body::ConfigureAccount(&account),
        );
        assert_eq!(
            core.is_ok(),
            api.is_match(url),
            "callback_url {url:?}: the API's pattern {} it, core {}",
            if api.is_match(url) {
                "accepts"
            } else {
                "refuses"
            },
            if core.is_ok() {
                "sends it"
            } else {
                "refuses it"
            }
        );
    }
}
