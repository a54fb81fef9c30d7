//! Issue 12 item 8: a web page open in the developer's browser cannot drive the sandbox.
//! Control endpoints need the sandbox's credentials and JSON; the Host header must name the
//! sandbox (DNS rebinding); CORS is for API routes and loopback (or `--allow-origin`) origins.

mod common;

use common::*;
use conversations_sandbox::Options;
use serde_json::json;

const USERS: &str = "/beta/conversations/users";

#[tokio::test]
async fn control_endpoints_need_credentials_and_json() {
    let sb = Sb::demo().await;
    let auth = default_auth();
    let wrong = basic("sandbox-key", "nope");
    for (method, path) in [
        ("GET", "/sandbox/state"),
        ("GET", "/sandbox/faults"),
        ("DELETE", "/sandbox/faults"),
        ("GET", "/sandbox/deliveries"),
        ("GET", "/sandbox/requests"),
    ] {
        let r = request(sb.addr, method, path, &[], None).await.unwrap();
        assert_eq!(r.status, 401, "{method} {path} without credentials");
        assert!(r.message().contains("credentials"), "{}", r.text());
        let r = request(sb.addr, method, path, &[("authorization", &wrong)], None)
            .await
            .unwrap();
        assert_eq!(r.status, 401, "{method} {path} with wrong credentials");
    }
    // A page's no-preflight "simple request": text/plain body, no credentials. Refused, and
    // with credentials a text/plain body is refused too; the state is untouched.
    for headers in [
        vec![("content-type", "text/plain")],
        vec![
            ("content-type", "text/plain"),
            ("authorization", auth.as_str()),
        ],
        vec![("authorization", auth.as_str())],
    ] {
        for path in ["/sandbox/reset", "/sandbox/faults", "/sandbox/inbound"] {
            let body = br#"{"seed_demo": false, "action": {"kind": "reset"}}"#.to_vec();
            let r = request(sb.addr, "POST", path, &headers, Some(body))
                .await
                .unwrap();
            assert!(
                r.status == 401 || r.status == 415,
                "{path} {headers:?}: {}",
                r.status
            );
        }
    }
    let r = request(
        sb.addr,
        "POST",
        "/sandbox/reset",
        &[
            ("content-type", "text/plain"),
            ("authorization", auth.as_str()),
        ],
        Some(b"{}".to_vec()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 415);
    assert!(r.message().contains("application/json"));
    assert_eq!(
        sb.get(USERS).await.json()["data"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        sb.ctl("GET", "/sandbox/faults", None).await.json()["data"],
        json!([])
    );
    // With credentials and JSON they work (as every test helper calls them).
    let r = sb
        .ctl(
            "POST",
            "/sandbox/reset",
            Some(json!({ "seed_demo": false })),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn host_header_must_name_the_sandbox() {
    let sb = Sb::demo().await;
    let auth = default_auth();
    let port = sb.addr.port();
    // DNS rebinding: the attacker's name resolves to 127.0.0.1, the browser sends its Host.
    for path in [USERS, "/sandbox/state", "/openapi.json"] {
        let evil = format!("rebind.evil.example:{port}");
        let r = request(
            sb.addr,
            "GET",
            path,
            &[("authorization", &auth), ("host", &evil)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 403, "{path}");
        assert!(r.message().contains("--allow-host"), "{}", r.text());
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "app.localhost".to_owned(),
    ] {
        let r = request(
            sb.addr,
            "GET",
            USERS,
            &[("authorization", &auth), ("host", &host)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{host}");
    }
    // A name given with --allow-host (e.g. a container's service name) is accepted.
    let named = Sb::start(Options {
        seed_demo: true,
        allow_hosts: vec!["sandbox".to_owned()],
        ..Options::default()
    })
    .await;
    let r = request(
        named.addr,
        "GET",
        USERS,
        &[("authorization", &auth), ("host", "sandbox:8080")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn cors_only_for_the_api_and_allowed_origins() {
    let sb = Sb::demo().await;
    let auth = default_auth();
    // Any other site: refused outright (no data, no CORS headers), preflight included.
    for origin in [
        "https://evil.example",
        "null",
        "http://localhost.evil.example",
    ] {
        let r = request(
            sb.addr,
            "GET",
            "/sandbox/state",
            &[("authorization", &auth), ("origin", origin)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 403, "{origin}");
        assert!(!r.text().contains("messages"));
        assert_eq!(r.header("access-control-allow-origin"), None);
        let r = request(
            sb.addr,
            "OPTIONS",
            USERS,
            &[
                ("origin", origin),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 403, "preflight from {origin}");
        assert_eq!(r.header("access-control-allow-origin"), None);
        assert!(r.message().contains("--allow-origin"));
    }
    // A loopback page (the dashboard, a dev server) may use the API...
    let local = "http://localhost:5173";
    let r = request(
        sb.addr,
        "GET",
        USERS,
        &[("authorization", &auth), ("origin", local)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some(local)
    );
    // ...but not the control endpoints: no preflight passes, no CORS header is sent.
    let r = request(
        sb.addr,
        "OPTIONS",
        "/sandbox/reset",
        &[("origin", local), ("access-control-request-method", "POST")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.header("access-control-allow-methods"), None);
    let r = request(
        sb.addr,
        "GET",
        "/sandbox/requests",
        &[("authorization", &auth), ("origin", local)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.header("access-control-allow-origin"), None);

    // --allow-origin opens the API to one more origin, exactly.
    let open = Sb::start(Options {
        seed_demo: true,
        allow_origins: vec!["https://app.example.com".to_owned()],
        ..Options::default()
    })
    .await;
    for (origin, status) in [
        ("https://app.example.com", 200),
        ("https://app.example.com:8443", 403),
        ("http://app.example.com", 403),
    ] {
        let r = request(
            open.addr,
            "GET",
            USERS,
            &[("authorization", &auth), ("origin", origin)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, status, "{origin}");
    }
}

#[tokio::test]
async fn the_facebook_login_page_still_opens_in_a_browser() {
    let sb = Sb::empty().await;
    // setup() opens the authorisation URL with `ctl`; here without any credentials, as a
    // browser navigation would.
    let r = sb
        .post(
            "/beta/conversations/provision",
            json!({ "name": "Test account" }),
        )
        .await;
    assert_eq!(r.status, 201);
    let url = sb
        .get("/beta/conversations/facebook/authorise")
        .await
        .json()["authorisation_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.split_once(&sb.addr.to_string()).unwrap().1.to_owned();
    let r = request(sb.addr, "GET", &path, &[], None).await.unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        sb.get("/beta/conversations/facebook/pages").await.status,
        200
    );
}
