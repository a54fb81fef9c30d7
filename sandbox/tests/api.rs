//! Every API operation: success and each documented error, auth, CORS, routing.

mod common;

use common::*;
use serde_json::json;

const USERS: &str = "/beta/conversations/users";

fn is_rfc3339_millis(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && b.iter()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19, 23].contains(&i) || c.is_ascii_digit())
}

#[tokio::test]
async fn provisioning_success_validation_and_conflict() {
    let sb = Sb::empty().await;
    let p = "/beta/conversations/provision";
    for bad in [
        b"not json".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        br#"{"name": ""}"#.to_vec(),
        br#"{"name": "  \t"}"#.to_vec(),
        br#"{"name": 42}"#.to_vec(),
        br#"{"name": null}"#.to_vec(),
        br#"{"name": "A", "callback_url": "ftp://x"}"#.to_vec(),
        br#"{"name": "A", "callback_url": "not a url"}"#.to_vec(),
        br#"{"name": "A", "callback_url": 7}"#.to_vec(),
        br#"{"name": "A", "callback_url": "http://"}"#.to_vec(),
    ] {
        let r = sb.post_bytes(p, &bad).await;
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&bad));
        assert_eq!(r.message(), "Not a valid request body.");
    }
    let r = sb
        .post(
            p,
            json!({ "name": "Rainbow Serpent Festival", "callback_url": null, "extra": 1 }),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.json(),
        json!({ "name": "Rainbow Serpent Festival", "callback_url": null })
    );
    let r = sb.post(p, json!({ "name": "Again" })).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.message(), "The account has already been provisioned.");

    let sb = Sb::empty().await;
    let r = sb
        .post(
            p,
            json!({ "name": "N", "callback_url": "https://callback.url.com/x?y" }),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["callback_url"], "https://callback.url.com/x?y");
    let r = sb.post(p, json!({ "name": "N" })).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn not_provisioned_is_400_everywhere() {
    let sb = Sb::empty().await;
    for (method, path, body) in [
        ("GET", "/beta/conversations/facebook/authorise", None),
        ("GET", "/beta/conversations/facebook/pages", None),
        (
            "POST",
            "/beta/conversations/facebook/pages/1573307926039629/integrate",
            None,
        ),
        ("GET", USERS, None),
        ("GET", &format!("{USERS}/{BEN}") as &str, None),
        ("GET", &format!("{USERS}/{BEN}/messages") as &str, None),
        (
            "POST",
            &format!("{USERS}/{BEN}/messages") as &str,
            Some(json!({ "text": "hi", "channel": "facebook" })),
        ),
    ] {
        let r = sb.call(method, path, body).await;
        assert_eq!(r.status, 400, "{method} {path}");
        assert_eq!(
            r.message(),
            "The account is not provisioned.",
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn auth_missing_wrong_or_malformed_is_401() {
    let sb = Sb::demo().await;
    let wrong_secret = basic("sandbox-key", "nope");
    let wrong_key = basic("nope", "sandbox-secret");
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("authorization", &wrong_secret)],
        vec![("authorization", &wrong_key)],
        vec![("authorization", "Bearer abc")],
        vec![("authorization", "Basic !!!notbase64")],
        vec![("authorization", "Basic")],
    ];
    for headers in cases {
        for (method, path) in [
            ("GET", USERS.to_owned()),
            ("POST", "/beta/conversations/provision".to_owned()),
            ("GET", format!("{USERS}/{BEN}/messages")),
        ] {
            let r = request(sb.addr, method, &path, &headers, None)
                .await
                .unwrap();
            assert_eq!(r.status, 401, "{headers:?} {method} {path}");
            assert_eq!(r.message(), "Unauthorized");
            assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
        }
    }
    // Scheme is case-insensitive; custom credentials work.
    let sb2 = Sb::start(conversations_sandbox::Options {
        key: "K".into(),
        secret: "S:with:colons".into(),
        seed_demo: true,
        ..Default::default()
    })
    .await;
    let auth = basic("K", "S:with:colons").replacen("Basic", "basic", 1);
    let r = request(sb2.addr, "GET", USERS, &[("authorization", &auth)], None)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let r = sb2.get(USERS).await; // default credentials are not accepted there
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn facebook_flow_authorise_pages_integrate() {
    let sb = Sb::empty().await;
    sb.post("/beta/conversations/provision", json!({ "name": "A" }))
        .await;
    let r = sb.get("/beta/conversations/facebook/pages").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), "The Facebook user isn't authenticated.");
    let integrate = |id: &str| format!("/beta/conversations/facebook/pages/{id}/integrate");
    let r = sb.call("POST", &integrate(PAGE), None).await;
    assert_eq!(r.status, 400, "integrate before authentication");

    let r = sb.get("/beta/conversations/facebook/authorise").await;
    assert_eq!(r.status, 200);
    let url = r.json()["authorisation_url"].as_str().unwrap().to_owned();
    let prefix = format!("http://{}/sandbox/facebook/authorise?state=", sb.addr);
    assert!(url.starts_with(&prefix), "{url}");
    // Host header is honoured.
    let auth = default_auth();
    let r = request(
        sb.addr,
        "GET",
        "/beta/conversations/facebook/authorise",
        &[("authorization", &auth), ("host", "sandbox.localhost:1234")],
        None,
    )
    .await
    .unwrap();
    assert!(r.json()["authorisation_url"]
        .as_str()
        .unwrap()
        .starts_with("http://sandbox.localhost:1234/sandbox/facebook/authorise?state="));

    // A wrong state does not authenticate.
    let r = sb
        .ctl("GET", "/sandbox/facebook/authorise?state=wrong", None)
        .await;
    assert_eq!(r.status, 404);
    let r = sb.ctl("GET", "/sandbox/facebook/authorise", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        sb.get("/beta/conversations/facebook/pages").await.status,
        400
    );
    let r = sb
        .ctl(
            "GET",
            &url[prefix.len() - "/sandbox/facebook/authorise?state=".len()..],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("Facebook user authenticated"));

    let r = sb.get("/beta/conversations/facebook/pages").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "data": [
            { "id": "1573307926039629", "name": "Rainbow Serpent Festival" },
            { "id": "373479609790958", "name": "Fans of Doing Live Demos" }
        ] })
    );
    for bad in ["999", "", "%FF", "1573307926039629x"] {
        let r = sb.call("POST", &integrate(bad), None).await;
        assert_eq!(r.status, 400, "page {bad:?}");
        assert_eq!(r.message(), "The facebookPageId is invalid.");
    }
    // Success: 200 with an empty body, no accept header needed; integrating twice is fine.
    for _ in 0..2 {
        let r = request(
            sb.addr,
            "POST",
            &integrate(OTHER_PAGE),
            &[("authorization", &auth)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200);
        assert!(r.body.is_empty());
    }
    let state = sb.ctl("GET", "/sandbox/state", None).await.json();
    assert_eq!(state["state"]["integrated_pages"], json!([OTHER_PAGE]));
}

#[tokio::test]
async fn users_user_and_messages() {
    let sb = Sb::demo().await;
    let r = sb.get(USERS).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "data": [
            { "id": BEN, "surname": "Sims", "given_name": "Ben" },
            { "id": ROBERT, "surname": "Hood", "given_name": "Robert" }
        ] })
    );
    let r = sb.get(&format!("{USERS}/{BEN}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "id": BEN, "surname": "Sims", "given_name": "Ben" })
    );

    let r = sb.get(&format!("{USERS}/{BEN}/messages")).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(
        v["metadata"],
        json!({ "user_id": BEN, "account_id": "sandbox-demo-account" })
    );
    let msgs = v["messages"]["data"].as_array().unwrap();
    assert!(msgs.len() >= 2);
    assert_eq!(msgs[0]["direction"], "RECEIVED");
    assert!(msgs.iter().any(|m| m["direction"] == "SENT"));
    let stamps: Vec<&str> = msgs
        .iter()
        .map(|m| m["timestamp"].as_str().unwrap())
        .collect();
    assert!(stamps.iter().all(|t| is_rfc3339_millis(t)), "{stamps:?}");
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert!(msgs.iter().all(|m| m["channel"] == "FACEBOOK"));

    for path in [
        format!("{USERS}/nobody"),
        format!("{USERS}/nobody/messages"),
        format!("{USERS}/%FF%FE"),
        format!("{USERS}/"),
    ] {
        let r = sb.get(&path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.message(), "The app user does not exist.");
    }
}

#[tokio::test]
async fn send_message_success_and_errors() {
    let sb = Sb::demo().await;
    let path = format!("{USERS}/{BEN}/messages");
    let r = sb
        .post(
            &path,
            json!({ "text": "Hello from the test", "channel": "facebook" }),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.json(),
        json!({ "channel": "facebook", "text": "Hello from the test" })
    );
    let history = sb.get(&path).await.json();
    let last = history["messages"]["data"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["direction"], "SENT");
    assert_eq!(last["text"], "Hello from the test");
    assert_eq!(last["channel"], "FACEBOOK");
    assert!(is_rfc3339_millis(last["timestamp"].as_str().unwrap()));

    for bad in [
        &b"{not json"[..],
        b"",
        b"\"text\"",
        br#"{"channel":"facebook"}"#,
        br#"{"text":"hi"}"#,
        br#"{"text":"","channel":"facebook"}"#,
        br#"{"text":"   ","channel":"facebook"}"#,
        br#"{"text":"hi","channel":""}"#,
        br#"{"text":5,"channel":"facebook"}"#,
        br#"{"text":"hi","channel":["facebook"]}"#,
        b"\xff\xfe{}",
    ] {
        let r = sb.post_bytes(&path, bad).await;
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(bad));
        assert_eq!(r.message(), "The posted request is invalid.");
    }
    let r = sb
        .post(
            &format!("{USERS}/unknown-user/messages"),
            json!({ "text": "x", "channel": "facebook" }),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.message(), "The app user does not exist.");
    // Nothing but the one good message was stored.
    let n = sb.get(&path).await.json()["messages"]["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(n, 4);
}

#[tokio::test]
async fn percent_encoded_ids_are_decoded() {
    let sb = Sb::demo().await;
    // Encoding characters that need no encoding must still find the user.
    let encoded: String = BEN.bytes().map(|b| format!("%{b:02X}")).collect();
    let r = sb.get(&format!("{USERS}/{encoded}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], BEN);
    // encodeURIComponent("a/b c?d#e") is one segment, and an unknown user.
    let r = sb.get(&format!("{USERS}/a%2Fb%20c%3Fd%23e/messages")).await;
    assert_eq!(r.status, 404);
    let r = sb
        .call(
            "POST",
            &format!(
                "/beta/conversations/facebook/pages/{}/integrate",
                "%31573307926039629"
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "%31 decodes to 1");
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let sb = Sb::demo().await;
    for path in [
        "/",
        "/beta",
        "/beta/conversations",
        "/beta/conversations/nope",
        "/beta/conversations/users/x/y/z",
        "/sandbox/nope",
    ] {
        let r = sb.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.message(), "Not found.");
    }
    let r = sb.call("DELETE", USERS, None).await;
    assert_eq!(r.status, 405);
    assert!(r.header("allow").unwrap().contains("GET"));
    let r = sb.call("GET", "/beta/conversations/provision", None).await;
    assert_eq!(r.status, 405);
    let r = sb
        .call("PUT", &format!("{USERS}/{BEN}/messages"), None)
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow").unwrap(), "GET, POST, OPTIONS");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let sb = Sb::demo().await;
    let big = vec![b'a'; 1024 * 1024 + 1];
    let r = sb
        .post_bytes(&format!("{USERS}/{BEN}/messages"), &big)
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.message(), "Request body too large.");
    let r = sb.post_bytes("/beta/conversations/provision", &big).await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let sb = Sb::demo().await;
    let r = request(
        sb.addr,
        "OPTIONS",
        &format!("{USERS}/{BEN}/messages"),
        &[
            ("origin", "http://localhost:5173"),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "authorization, content-type",
            ),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin").unwrap(),
        "http://localhost:5173"
    );
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let allowed = r
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for h in ["authorization", "content-type", "user-agent", "accept"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    assert_eq!(
        r.header("access-control-expose-headers").unwrap(),
        "retry-after"
    );

    // Normal and error responses carry CORS headers too.
    let r = request(
        sb.addr,
        "GET",
        USERS,
        &[("origin", "http://127.0.0.1:3000")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("access-control-allow-origin").unwrap(),
        "http://127.0.0.1:3000"
    );
    let r = sb.get(USERS).await;
    assert_eq!(r.header("access-control-allow-origin").unwrap(), "*");
    assert_eq!(
        r.header("access-control-expose-headers").unwrap(),
        "retry-after"
    );
    // Control endpoints are not for browsers: no CORS headers at all.
    let r = sb.ctl("GET", "/sandbox/requests", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn openapi_is_served_verbatim() {
    let sb = Sb::empty().await;
    let r = request(sb.addr, "GET", "/openapi.json", &[], None)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").unwrap(), "application/json");
    let on_disk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
    assert_eq!(r.body, on_disk);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    assert_eq!(
        doc["components"]["securitySchemes"]["basicAuth"]["scheme"],
        "basic"
    );
    for p in [
        "/beta/conversations/provision",
        "/beta/conversations/facebook/authorise",
        "/beta/conversations/facebook/pages",
        "/beta/conversations/facebook/pages/{facebookPageId}/integrate",
        "/beta/conversations/users",
        "/beta/conversations/users/{appUserId}",
        "/beta/conversations/users/{appUserId}/messages",
        "/sandbox/inbound",
        "/sandbox/faults",
        "/sandbox/deliveries",
        "/sandbox/requests",
        "/sandbox/reset",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
}

#[tokio::test]
async fn reset_control_endpoint() {
    let sb = Sb::demo().await;
    sb.get(USERS).await;
    let r = sb
        .ctl(
            "POST",
            "/sandbox/reset",
            Some(json!({ "seed_demo": false })),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({ "reset": true, "seed_demo": false }));
    assert_eq!(sb.get(USERS).await.status, 400, "now unprovisioned");
    assert_eq!(sb.counters().await["total"], 1, "counters were reset");
    // With no body, a --seed-demo sandbox resets to the demo world.
    let r = sb.ctl("POST", "/sandbox/reset", None).await;
    assert_eq!(r.json()["seed_demo"], true);
    assert_eq!(
        sb.get(USERS).await.json()["data"].as_array().unwrap().len(),
        2
    );
    let r = sb
        .ctl(
            "POST",
            "/sandbox/reset",
            Some(json!({ "seed_demo": "yes" })),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = sb.ctl("GET", "/sandbox/reset", None).await;
    assert_eq!(r.status, 405);
}
