//! The one URL rule (`baseUrl`), checked against the WHATWG parser (the `url` crate, what reqwest
//! and every fetch use): whatever core accepts, that parser reads as the same scheme, host, port
//! and path, with no credentials; and the hostile inputs found in review are refused with an
//! `invalid_input` error that never shows the credentials.

use conversations_core::Config;

fn build(base_url: &str) -> Result<Config, conversations_core::Error> {
    // Credentials: the production URL is among the inputs, and it requires them.
    Config::builder()
        .base_url(base_url)
        .credentials("k", "s")
        .build()
}

/// scheme, host, port (if written), path of core's canonical form.
fn parts(canonical: &str) -> (String, String, Option<u16>, String) {
    let (scheme, rest) = canonical.split_once("://").expect("scheme");
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (
            &authority[..i],
            Some(authority[i + 1..].parse().expect("port")),
        ),
        _ => (authority, None),
    };
    (scheme.into(), host.into(), port, path.into())
}

/// Core accepted `input` as `canonical`: the WHATWG parser must read both the same way.
fn agrees(input: &str, canonical: &str) {
    let theirs = url::Url::parse(input.trim_end_matches('/')).unwrap_or_else(|e| {
        panic!("core accepted {input:?} but the WHATWG parser refuses it: {e}")
    });
    let again = url::Url::parse(canonical).expect("canonical parses");
    assert_eq!(
        theirs, again,
        "{input:?} and its canonical form {canonical:?} differ"
    );
    let (scheme, host, port, path) = parts(canonical);
    assert_eq!(theirs.scheme(), scheme, "{input:?}");
    assert_eq!(theirs.username(), "", "{input:?}");
    assert_eq!(theirs.password(), None, "{input:?}");
    let their_host = theirs.host_str().expect("host");
    if host.starts_with('[') {
        let a: std::net::Ipv6Addr = host[1..host.len() - 1].parse().expect("ours");
        let b: std::net::Ipv6Addr = their_host[1..their_host.len() - 1].parse().expect("theirs");
        assert_eq!(a, b, "{input:?}");
    } else {
        assert_eq!(their_host, host, "{input:?}");
    }
    assert_eq!(
        theirs.port_or_known_default(),
        Some(port.unwrap_or(if scheme == "https" { 443 } else { 80 })),
        "{input:?}"
    );
    let their_path = theirs.path().trim_end_matches('/');
    assert_eq!(their_path, path.trim_end_matches('/'), "{input:?}");
    assert_eq!(theirs.query(), None);
    assert_eq!(theirs.fragment(), None);
}

#[test]
fn accepted_urls_mean_the_same_to_the_whatwg_parser() {
    for input in [
        "https://api.messagemedia.com",
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/",
        "HTTPS://API.Example.TEST:0443/Prefix/v1/",
        "http://[::1]:3000/api",
        "http://[0:0:0:0:0:0:0:1]",
        "http://my_host.local./a/b%20c/@x:y",
        "https://example.test/a;b=c/d,e!$&'()*+",
        "http://10.0.0.255:65535",
        "http://[::ffff:1.2.3.4]:8080",
        "http://[1:2:3:4:5:6:7:8]",
        "http://[1::]/x",
        "http://[::]",
        "http://[A:B::C:D]",
        "http://[1:2:3:4:5:6:1.2.3.4]",
    ] {
        let config = build(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        agrees(input, config.base_url());
    }
}

#[test]
fn hostile_and_broken_urls_are_refused_at_construction() {
    for (input, says) in [
        (
            "http://admin:pw@api.example.test",
            "ConfigBuilder::credentials",
        ),
        ("http://admin@api.example.test", "credentials"),
        ("https://u:p@[::1]:8080/x", "credentials"),
        ("http://127.0.0.1:8080\\@evil.example", "'\\'"),
        ("http://127.0.0.1:99999", "port from 1 to 65535"),
        ("http://127.0.0.1:0", "port from 1 to 65535"),
        ("http://127.0.0.1:", "port from 1 to 65535"),
        ("http://127.0.0.1:+80", "port from 1 to 65535"),
        ("http://host:80:80", "port from 1 to 65535"),
        ("http://127.1", "IPv4"),
        ("http://0x7f.0.0.1", "IPv4"),
        ("http://017.0.0.1", "IPv4"),
        ("http://256.0.0.1", "IPv4"),
        ("http://1.2.3.4.", "IPv4"),
        ("http://example.123", "IPv4"),
        ("http://bücher.example", "ASCII letters"),
        ("http://xn--bcher-kva.example", "xn--"),
        ("http://a..b", "empty label"),
        ("http://[::1", "unclosed"),
        ("http://[::g]", "IPv6"),
        ("http://[::1]x", "after its IPv6"),
        ("http://[1:2:3:4:5:6:7:8:9]", "IPv6"),
        ("http://[1:2:3:4:5:6:7]", "IPv6"),
        ("http://[:1]", "IPv6"),
        ("http://[1:::2]", "IPv6"),
        ("http://[1::2::3]", "IPv6"),
        ("http://[::1.2.3]", "IPv6"),
        ("http://[::01.2.3.4]", "IPv6"),
        ("http://[12345::]", "IPv6"),
        ("http://[1:2:3:4:5:6:7:1.2.3.4]", "IPv6"),
        ("http://host/a/../b", "'..'"),
        ("http://host/a/%2E/b", "'..'"),
        ("http://host/a/%2e%2E", "'..'"),
        ("http://host/a|b", "percent-encoded"),
        ("http://host/é", "percent-encoded"),
        ("http://host/100%", "%XX"),
        ("http://host/?q", "query"),
        ("ftp://host", "absolute http"),
        ("http://", "absolute"),
        ("http://:80", "host"),
    ] {
        let err = build(input).expect_err(input);
        assert_eq!(err.code(), "invalid_input", "{input:?}");
        assert_eq!(err.field(), Some("base_url"), "{input:?}");
        assert!(
            err.message().contains(says),
            "{input:?}: {:?} should say {says:?}",
            err.message()
        );
    }
}

#[test]
fn credentials_in_a_url_never_show() {
    let err = build("http://admin:s3cr3t-pw@api.example.test:99999/x").expect_err("refused");
    for shown in [
        format!("{err}"),
        format!("{err:?}"),
        err.message().to_owned(),
    ] {
        assert!(!shown.contains("s3cr3t-pw"), "{shown}");
        assert!(!shown.contains("admin"), "{shown}");
    }
    // A valid config never holds userinfo, so its Debug cannot show it either.
    let config = build("http://api.example.test").expect("valid");
    assert!(!format!("{config:?}").contains('@'));
}

#[test]
fn user_agent_must_be_printable_ascii() {
    for suffix in ["app/1 ✓", "café/1", "app\u{7f}"] {
        let err = Config::builder()
            .credentials("k", "s")
            .user_agent_suffix(suffix)
            .build()
            .expect_err(suffix);
        assert_eq!(err.field(), Some("user_agent_suffix"), "{suffix:?}");
    }
    let ok = Config::builder()
        .credentials("k", "s")
        .user_agent_suffix("my-app/2.1 (+https://x.test)")
        .build()
        .expect("ASCII is fine");
    assert!(ok.user_agent().ends_with(" my-app/2.1 (+https://x.test)"));
}

/// Random URLs from an alphabet of the characters that matter to URL parsers: every one core
/// accepts must mean the same to the WHATWG parser.
#[test]
fn differential_against_the_whatwg_parser() {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        "1",
        "9",
        "25",
        "255",
        "256",
        "0x",
        "x",
        ".",
        "..",
        "-",
        "_",
        "~",
        ":",
        "@",
        "/",
        "\\",
        "%",
        "%2e",
        "%2E",
        "%41",
        "%zz",
        "[",
        "]",
        "::1",
        "?",
        "#",
        " ",
        "é",
        "|",
        "!",
        "$",
        "&",
        "'",
        "(",
        ")",
        "*",
        "+",
        ",",
        ";",
        "=",
        "xn--",
        "localhost",
        "127.0.0.1",
        ":80",
        ":8080",
        ":65536",
        ":0",
        ":00080",
        "[::",
        "::",
        "ffff",
        "1.2.3.4",
        "]:1",
        "[1:2:3:4",
        ":5:6:7:8]",
    ];
    let mut rng = fastrand::Rng::with_seed(0x5eed_0012);
    let mut accepted = 0;
    for _ in 0..200_000 {
        let mut input = String::from(if rng.bool() { "http://" } else { "https://" });
        for _ in 0..rng.usize(1..8) {
            input.push_str(PIECES[rng.usize(..PIECES.len())]);
        }
        if let Ok(config) = build(&input) {
            accepted += 1;
            agrees(&input, config.base_url());
        }
    }
    // The alphabet must actually reach the accepting paths.
    assert!(accepted > 1_000, "only {accepted} accepted");
}
