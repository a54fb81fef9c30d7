//! The JavaScript package restates core's models by hand: the typed declarations
//! (`npm/index.d.ts`) and the drop-in model classes' field table (`npm/lib/models.js`). Each
//! is checked here against core (`JS_FIELDS` of every response model, the body models of the
//! operation table), so a field added, renamed or dropped in core without the JS side (or the
//! other way round) fails a named test.

use std::collections::{BTreeMap, BTreeSet};

use conversations_core::models::FacebookPage;
use conversations_core::models::{
    AppUser, ConfigureAccountResponse, GetAppUserMessagesResponse, GetAppUsersResponse,
    GetFacebookAuthorisationUrlResponse, GetFacebookPagesResponse, Message, Messages,
    SendMessageResponse,
};
use conversations_core::operation::{ACCOUNT, MESSAGE};

fn npm_file(path: &str) -> String {
    let full = format!("{}/../npm/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read npm/{path}: {e}"))
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// The top-level member names of every `export interface X {…}` and `export declare class X
/// … {…}` in a declaration file (nested object types and index signatures skipped).
fn declared_members(dts: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for start in ["export interface ", "export declare class "] {
        for (at, _) in dts.match_indices(start) {
            let rest = &dts[at + start.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let Some(open) = rest.find('{') else { continue };
            let mut depth = 0;
            let mut members = BTreeSet::new();
            let mut token = String::new();
            for c in rest[open + 1..].chars() {
                match c {
                    '{' | '(' | '[' | '<' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' | ')' | ']' | '>' => depth -= 1,
                    ':' if depth == 0 => {
                        let member = token.trim().trim_end_matches('?').trim();
                        if !member.is_empty() && member.chars().all(|c| c.is_alphanumeric()) {
                            members.insert(member.to_owned());
                        }
                    }
                    _ => {}
                }
                match c {
                    ';' | '\n' | '{' | '}' => token.clear(),
                    _ if depth == 0 => token.push(c),
                    _ => token.clear(),
                }
            }
            out.insert(name, members);
        }
    }
    out
}

/// `npm/lib/models.js`'s `FIELDS` table: class name → field names (list markers dropped).
fn models_js_fields() -> BTreeMap<String, BTreeSet<String>> {
    let text = npm_file("lib/models.js");
    let start = text
        .find("const FIELDS = {")
        .expect("models.js has a FIELDS table");
    let body = &text[start..];
    let body = &body[..body.find("};").expect("FIELDS table ends")];
    body.lines()
        .filter_map(|line| {
            let (name, list) = line.trim().split_once(": [")?;
            let fields = list
                .trim_end_matches("],")
                .trim_end_matches(']')
                .split(',')
                .map(|f| f.trim().trim_matches('\''))
                .filter(|f| !f.is_empty())
                .map(|f| f.split('[').next().unwrap_or(f).to_owned())
                .collect();
            Some((name.to_owned(), fields))
        })
        .collect()
}

/// Every response model with its JS names: (core name, fields).
fn core_models() -> BTreeMap<&'static str, BTreeSet<String>> {
    BTreeMap::from([
        ("SendMessageResponse", set(SendMessageResponse::JS_FIELDS)),
        ("AppUser", set(AppUser::JS_FIELDS)),
        ("GetAppUsersResponse", set(GetAppUsersResponse::JS_FIELDS)),
        ("Message", set(Message::JS_FIELDS)),
        ("Messages", set(Messages::JS_FIELDS)),
        (
            "GetAppUserMessagesResponse",
            set(GetAppUserMessagesResponse::JS_FIELDS),
        ),
        (
            "ConfigureAccountResponse",
            set(ConfigureAccountResponse::JS_FIELDS),
        ),
        ("FacebookPage", set(FacebookPage::JS_FIELDS)),
        (
            "GetFacebookPagesResponse",
            set(GetFacebookPagesResponse::JS_FIELDS),
        ),
        (
            "GetFacebookAuthorisationUrlResponse",
            set(GetFacebookAuthorisationUrlResponse::JS_FIELDS),
        ),
        (
            "ConfigureAccountRequest",
            ACCOUNT
                .fields
                .iter()
                .map(|f| camel(f.wire, f.alias))
                .collect(),
        ),
    ])
}

/// The camelCase one of a body field's two spellings.
fn camel(wire: &'static str, alias: &'static str) -> String {
    if wire.contains('_') { alias } else { wire }.to_owned()
}

/// JS name → the core model it restates.
const MODERN: [(&str, &str); 9] = [
    ("SentMessage", "SendMessageResponse"),
    ("ConversationMessage", "Message"),
    ("MessageList", "GetAppUserMessagesResponse"),
    ("AppUser", "AppUser"),
    ("AppUserList", "GetAppUsersResponse"),
    ("ProvisionedAccount", "ConfigureAccountResponse"),
    ("FacebookPage", "FacebookPage"),
    ("FacebookPageList", "GetFacebookPagesResponse"),
    (
        "FacebookAuthorisation",
        "GetFacebookAuthorisationUrlResponse",
    ),
];

const DROP_IN: [(&str, &str); 16] = [
    ("SendMessageResponse", "SendMessageResponse"),
    ("ConfigureAccountRequest", "ConfigureAccountRequest"),
    ("ProvisionAccountRequest", "ConfigureAccountRequest"),
    ("ConfigureAccountResponse", "ConfigureAccountResponse"),
    ("AppUserDto", "AppUser"),
    ("GetAppUserByIdResponse", "AppUser"),
    ("AppUsersDto", "GetAppUsersResponse"),
    ("GetAppUsersResponse", "GetAppUsersResponse"),
    ("FacebookPageDto", "FacebookPage"),
    ("FacebookPagesDto", "GetFacebookPagesResponse"),
    ("GetFacebookPagesResponse", "GetFacebookPagesResponse"),
    (
        "FacebookAuthorisationResponse",
        "GetFacebookAuthorisationUrlResponse",
    ),
    (
        "GetFacebookAuthorisationURLResponse",
        "GetFacebookAuthorisationUrlResponse",
    ),
    ("MessageDto", "Message"),
    ("MessagesDto", "Messages"),
    ("GetAppUserMessagesResponse", "GetAppUserMessagesResponse"),
];

/// Members the typed surface declares beyond core's model, on purpose: a received message
/// may carry the fields of the kind that was sent (kept from the wire as extras).
const DECLARED_EXTRAS: [(&str, &[&str]); 1] =
    [("ConversationMessage", &["type", "media", "actions"])];

fn check(
    file: &str,
    found: &BTreeMap<String, BTreeSet<String>>,
    pairs: &[(&str, &str)],
) -> Vec<String> {
    let core = core_models();
    let mut problems = Vec::new();
    for (js, model) in pairs {
        let Some(members) = found.get(*js) else {
            problems.push(format!("{file}: {js} (core's {model}) is not declared"));
            continue;
        };
        let mut expected = core[model].clone();
        for (name, extras) in DECLARED_EXTRAS {
            if name == *js {
                expected.extend(extras.iter().map(|s| (*s).to_owned()));
            }
        }
        if *members != expected {
            problems.push(format!(
                "{file}: {js} has fields {members:?}, core's {model} has {expected:?}"
            ));
        }
    }
    problems
}

#[test]
fn typed_declarations_restate_core_models() {
    let dts = declared_members(&npm_file("index.d.ts"));
    let mut problems = check("npm/index.d.ts", &dts, &MODERN);
    problems.extend(check("npm/index.d.ts", &dts, &DROP_IN));
    // The drop-in message class keeps the original's two fields, which core's message has.
    let base = &dts["BaseMessageDto"];
    let message: BTreeSet<String> = MESSAGE.fields.iter().map(|f| f.wire.to_owned()).collect();
    if !base.is_subset(&message) {
        problems.push(format!(
            "npm/index.d.ts: BaseMessageDto {base:?} ⊄ core's {message:?}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn drop_in_model_field_table_restates_core_models() {
    let fields = models_js_fields();
    let mut problems = check("npm/lib/models.js", &fields, &DROP_IN);
    let message: BTreeSet<String> = MESSAGE.fields.iter().map(|f| f.wire.to_owned()).collect();
    if !fields["BaseMessageDto"].is_subset(&message) {
        problems.push("npm/lib/models.js: BaseMessageDto has a field core's message lacks".into());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_parsers_read_what_they_claim() {
    let dts = "export interface A { x: string; y?: { z: number } | null; [field: string]: unknown }\n\
               export declare class B extends Model {\n  constructor(obj?: Init<B>);\n  p?: string;\n  q?: X[];\n}\n";
    let found = declared_members(dts);
    assert_eq!(found["A"], set(&["x", "y"]));
    assert_eq!(found["B"], set(&["p", "q"]));
    assert!(models_js_fields()["AppUsersDto"].contains("data"));
}

/// The engine's configuration keys, as core's `EngineConfig` accepts them (read from serde's
/// own "expected one of" list, so a field added to the struct is seen here).
fn engine_keys() -> BTreeSet<String> {
    let err = serde_json::from_str::<conversations_core::engine::EngineConfig>(r#"{"__probe":1}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let list = err.split("expected one of").nth(1).unwrap_or_default();
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn engine_option_keys_agree_across_core_wasm_and_js() {
    let core = engine_keys();
    assert!(core.contains("baseUrl"), "core's engine keys: {core:?}");

    // bindings-wasm reads the config object key by key: `"baseUrl" => cfg.base_url = …`.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bindings-wasm/src/lib.rs");
    let wasm_src = std::fs::read_to_string(path).expect("read bindings-wasm/src/lib.rs");
    let wasm: BTreeSet<String> = wasm_src
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix('"')?;
            let (key, tail) = rest.split_once('"')?;
            tail.trim_start()
                .starts_with("=> cfg.")
                .then(|| key.to_owned())
        })
        .collect();
    assert_eq!(
        wasm, core,
        "bindings-wasm/src/lib.rs's config keys vs core's EngineConfig"
    );

    // npm/lib/options.js maps client options onto engine keys (ENGINE_KEYS' values).
    let js_src = npm_file("lib/options.js");
    let start = js_src
        .find("const ENGINE_KEYS = {")
        .expect("options.js has ENGINE_KEYS");
    let block = &js_src[start..];
    let block = &block[..block.find("};").expect("ENGINE_KEYS ends")];
    let mut js: BTreeSet<String> = block
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .map(|(_, v)| v.trim().trim_matches('\'').to_owned())
        .collect();
    // Plus the keys the modern client adds on its own (npm/lib/options.js, MODERN_ENGINE).
    let options_src = npm_file("lib/options.js");
    let start = options_src
        .find("const MODERN_ENGINE = Object.freeze({")
        .expect("options.js has MODERN_ENGINE");
    let block = &options_src[start..];
    let block =
        &block[block.find('{').unwrap_or(0) + 1..block.find("})").expect("MODERN_ENGINE ends")];
    js.extend(
        block
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .map(|(k, _)| k.trim().to_owned()),
    );
    assert_eq!(
        js, core,
        "npm/lib/options.js's ENGINE_KEYS and MODERN_ENGINE vs core's EngineConfig"
    );
}

#[test]
fn failure_kinds_agree_between_core_and_js() {
    // npm/lib/failure.js: `const KINDS = Object.freeze(['refused', ...]);`, in core's id order.
    let src = npm_file("lib/failure.js");
    let start = src
        .find("const KINDS = Object.freeze([")
        .expect("failure.js has KINDS");
    let block = &src[start..];
    let block = &block[block.find('[').unwrap_or(0) + 1..block.find("])").expect("KINDS ends")];
    let js: Vec<&str> = block
        .split(',')
        .map(|k| k.trim().trim_matches('\''))
        .filter(|k| !k.is_empty())
        .collect();
    let core: Vec<&str> = conversations_core::call::Failure::ALL
        .iter()
        .map(|f| f.name())
        .collect();
    assert_eq!(
        js, core,
        "npm/lib/failure.js's KINDS vs core's call::Failure::ALL"
    );
    // transport-engine.js words every kind execute can report, by name.
    let words = npm_file("lib/transport-engine.js");
    for kind in ["timeout", "deadline", "aborted", "too_large", "redirect"] {
        assert!(
            words.contains(&format!("case '{kind}':")),
            "npm/lib/transport-engine.js has no case for failure kind {kind}"
        );
    }
}
