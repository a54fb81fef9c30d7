//! Issue 17: environment defaults, the credentials rule for the production API, Rust names in
//! Rust errors.

use conversations_core::engine::{Engine, EngineConfig};
use conversations_core::Config;
use std::collections::HashMap;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn env_fills_credentials_and_base_url() {
    let config = Config::builder()
        .env_fallback_from(env(&[
            ("MESSAGEMEDIA_API_KEY", "key"),
            ("MESSAGEMEDIA_API_SECRET", "secret"),
            ("MESSAGEMEDIA_BASE_URL", "http://127.0.0.1:8080/"),
        ]))
        .build()
        .expect("valid");
    assert_eq!(config.username(), Some("key"));
    assert_eq!(config.base_url(), "http://127.0.0.1:8080");
    assert!(config.authorization().is_some());
}

#[test]
fn options_in_code_win_over_the_environment() {
    let config = Config::builder()
        .credentials("code-key", "code-secret")
        .base_url("http://localhost:9")
        .env_fallback_from(env(&[
            ("MESSAGEMEDIA_API_KEY", "env-key"),
            ("MESSAGEMEDIA_API_SECRET", "env-secret"),
            ("MESSAGEMEDIA_BASE_URL", "http://127.0.0.1:8080"),
        ]))
        .build()
        .expect("valid");
    assert_eq!(config.username(), Some("code-key"));
    assert_eq!(config.base_url(), "http://localhost:9");
}

#[test]
fn empty_variables_count_as_unset() {
    let err = Config::builder()
        .env_fallback_from(env(&[
            ("MESSAGEMEDIA_API_KEY", ""),
            ("MESSAGEMEDIA_API_SECRET", ""),
        ]))
        .build()
        .expect_err("production without credentials");
    assert_eq!(err.field(), Some("credentials"));
}

#[test]
fn production_without_credentials_is_refused_naming_what_to_do() {
    for builder in [
        Config::builder(),
        Config::builder().base_url("https://API.messagemedia.com/"),
        Config::builder().base_url("https://api.messagemedia.com:443/v1"),
    ] {
        let err = builder.build().expect_err("refused");
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(err.field(), Some("credentials"));
        for says in [
            "ConfigBuilder::credentials",
            "MESSAGEMEDIA_API_KEY",
            "MESSAGEMEDIA_API_SECRET",
            "Config::from_env",
        ] {
            assert!(err.message().contains(says), "{}", err.message());
        }
    }
}

#[test]
fn sandbox_and_proxies_need_no_credentials() {
    for url in [
        "http://127.0.0.1:8080",
        "https://my-backend.example/api/conversations",
        "https://api.messagemedia.com.example",
    ] {
        Config::builder().base_url(url).build().expect(url);
    }
    // And the rule can be switched off (a proxy on the production host's name, in a test).
    Config::builder()
        .require_credentials(false)
        .build()
        .expect("opted out");
}

#[test]
fn rust_errors_use_rust_names() {
    let err = Config::builder()
        .base_url("ftp://x")
        .build()
        .expect_err("bad");
    assert_eq!(err.field(), Some("base_url"));
    assert!(err.message().starts_with("base_url "), "{}", err.message());
    let err = Config::builder()
        .base_url("http://u:p@x.test")
        .build()
        .expect_err("bad");
    assert!(!err.message().contains("username and password options"));
    let err = Config::builder()
        .credentials("k", "s")
        .timeout(std::time::Duration::ZERO)
        .build()
        .expect_err("bad");
    assert_eq!(err.field(), Some("timeout"));
}

#[test]
fn the_engine_uses_js_names_and_opts_into_the_rule() {
    let mut cfg = EngineConfig::default();
    cfg.base_url = Some("ftp://x".into());
    let engine = Engine::new(cfg);
    let err = engine.config_error().expect("bad");
    assert_eq!(err.field(), Some("baseUrl"));
    assert!(err.message().starts_with("baseUrl "), "{}", err.message());

    // The original SDK's surface sends without credentials, as the original did...
    let lenient = Engine::new(EngineConfig::default());
    assert!(lenient.config_error().is_none());
    // ...the modern client asks the engine to refuse, in its own (JS) words.
    let mut cfg = EngineConfig::default();
    cfg.require_credentials = Some(true);
    let strict = Engine::new(cfg);
    let err = strict.config_error().expect("refused");
    assert_eq!(err.field(), Some("credentials"));
    assert!(err.message().contains("username and password options"));
    assert!(!err.message().contains("ConfigBuilder"));
}

/// A 401 from the Rust client says what to check, in Rust's terms.
#[cfg(feature = "client")]
#[tokio::test]
async fn a_401_says_to_check_the_key_and_secret() {
    use conversations_core::Client;
    let sandbox = conversations_sandbox::spawn(conversations_sandbox::Options::default())
        .await
        .expect("sandbox starts");
    let client = Client::new(
        Config::builder()
            .base_url(sandbox.url())
            .credentials("sandbox-key", "wrong-secret")
            .build()
            .expect("valid"),
    )
    .expect("client");
    let err = client.list_app_users().await.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert!(
        err.message().contains("check the API key and secret"),
        "{}",
        err.message()
    );
    assert!(err.message().contains("MESSAGEMEDIA_API_KEY"));
}
