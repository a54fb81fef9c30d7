//! core owns the call (`core::call`): the attempt budget, the deadline, the stop on 2xx, the stop
//! on an abort or a fatal failure, when to ask the retry policy and `Retry-After`. This test greps
//! every driver (the JS pipeline and transports, the napi and wasm bindings, core's own reqwest
//! client) for the shapes such a decision takes, so a copy of a rule written outside the call
//! machine fails a named test. Each pattern says what it would be a copy of.

use std::path::{Path, PathBuf};

/// (pattern, what it would be a copy of), for JavaScript drivers.
const JS_PATTERNS: &[(&str, &str)] = &[
    (
        "retryDelay",
        "the retry policy asked outside the call machine",
    ),
    (
        "deadlineMs -",
        "an attempt budget computed from the deadline",
    ),
    (
        "deadlineMs-",
        "an attempt budget computed from the deadline",
    ),
    ("budget <= 0", "the deadline check before an attempt"),
    (
        "Math.min(timeoutMs",
        "an attempt budget computed from the timeout",
    ),
    (">= 200", "the 2xx rule"),
    ("< 300", "the 2xx rule"),
    ("<= 299", "the 2xx rule"),
    ("=== 'aborted' ||", "the stop on an abort decided in JS"),
    ("=== 'fatal'", "the stop on a fatal failure decided in JS"),
    ("attempt < ", "an attempt budget counted in JS"),
    ("attempt > ", "an attempt budget counted in JS"),
    ("attempt <= ", "an attempt budget counted in JS"),
    ("maxRetries -", "an attempt budget counted in JS"),
];

/// (pattern, what it would be a copy of), for Rust drivers outside `core/src/call.rs`.
const RUST_PATTERNS: &[(&str, &str)] = &[
    ("200..300", "the 2xx rule"),
    ("200..=299", "the 2xx rule"),
    ("is_success", "the 2xx rule"),
    (
        "retry_delay",
        "the retry policy asked outside the call machine",
    ),
    (".delay(", "the retry policy asked outside the call machine"),
    (
        "Outcome::",
        "retry outcomes judged outside the call machine",
    ),
    (
        "saturating_sub(started",
        "an attempt budget computed from the deadline",
    ),
    (
        "deadline_ms -",
        "an attempt budget computed from the deadline",
    ),
    ("Method::POST", "an API method chosen by a binding"),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("read {dir}: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// Every line of `path` that contains one of `patterns`, as `path:line: text (what)`.
fn hits(path: &Path, patterns: &[(&str, &str)]) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        // Comments may name a rule; only code can copy one.
        if code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
            continue;
        }
        for (pattern, what) in patterns {
            if line.contains(pattern) {
                out.push(format!("{name}:{}: {} ({what})", n + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn no_retry_deadline_or_2xx_decision_outside_core() {
    let mut found = Vec::new();
    let mut js = files("npm/lib", "js");
    js.extend(files("npm", "js"));
    js.extend(files("npm", "mjs"));
    for path in &js {
        found.extend(hits(path, JS_PATTERNS));
    }
    let mut rust = files("bindings-wasm/src", "rs");
    rust.extend(files("bindings-node/src", "rs"));
    rust.push(root().join("core/src/client.rs"));
    rust.push(root().join("core/src/engine.rs"));
    for path in &rust {
        found.extend(hits(path, RUST_PATTERNS));
    }
    assert!(js.len() > 10 && rust.len() > 4, "the file lists are empty");
    assert!(
        found.is_empty(),
        "call decisions outside core::call (move them there, or drive the machine):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_grep_sees_a_copied_rule() {
    // The patterns catch the loop this repository had before core owned the call.
    let old = "    const budget = Math.min(timeoutMs, policy.deadlineMs - (performance.now() - started));\n\
               \x20   if (budget <= 0) throw deadlineExceeded();\n";
    let path = std::env::temp_dir().join(format!("call_owner_{}.js", std::process::id()));
    std::fs::write(&path, old).expect("write probe");
    let found = hits(&path, JS_PATTERNS);
    let _ = std::fs::remove_file(&path);
    assert_eq!(found.len(), 3, "{found:?}");
}
