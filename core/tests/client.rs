//! The Rust client against a scripted HTTP/1.1 server on a real loopback socket.
#![cfg(feature = "client")]

use conversations_core::models::{BaseMessage, ConfigureAccountRequest};
use conversations_core::{Client, Config, ErrorKind};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone)]
enum Action {
    Respond(u16, Vec<(&'static str, String)>, Vec<u8>),
    Stall,
    Reset,
}

fn ok(body: &str) -> Action {
    Action::Respond(200, vec![], body.as_bytes().to_vec())
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Action>,
    seen: Vec<Seen>,
    connections: usize,
}

struct Server {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    async fn start(script: Vec<Action>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            ..State::default()
        }));
        let st = state.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                st.lock().unwrap().connections += 1;
                tokio::spawn(serve(sock, st.clone()));
            }
        });
        Server { url, state }
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }

    fn client(
        &self,
        tweak: impl FnOnce(conversations_core::ConfigBuilder) -> conversations_core::ConfigBuilder,
    ) -> Client {
        let config = tweak(
            Config::builder()
                .base_url(&self.url)
                .credentials("key", "secret"),
        )
        .build()
        .unwrap();
        Client::new(config).unwrap().with_jitter(|| 0.0)
    }
}

async fn serve(mut sock: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    loop {
        // Read one request head (and its body by content-length).
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap().split(' ');
        let method = first.next().unwrap().to_string();
        let path = first.next().unwrap().to_string();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
        buf.drain(..head_end + len);
        let action = {
            let mut st = state.lock().unwrap();
            st.seen.push(Seen {
                method,
                path,
                headers,
                body,
            });
            st.script.pop_front().unwrap_or_else(|| ok("{}"))
        };
        match action {
            Action::Respond(status, headers, body) => {
                let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                if sock.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Action::Stall => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            Action::Reset => {
                // A zero linger makes the close an RST, which is what we want to simulate; with
                // zero it does not block the thread, the reason for the deprecation.
                #[allow(deprecated)]
                let _ = sock.set_linger(Some(Duration::ZERO));
                return;
            }
        }
    }
}

#[tokio::test]
async fn all_eight_operations_send_the_documented_requests() {
    let server = Server::start(vec![
        ok(r#"{"channel":"facebook","text":"Hello"}"#),
        ok(r#"{"messages":{"data":[{"direction":"RECEIVED","text":"Hi","channel":"FACEBOOK","timestamp":"2017-12-12T18:18:40.000Z"}]},"metadata":{"user_id":"u 1","account_id":"acc"}}"#),
        ok(r#"{"id":"u 1","surname":"Sims","given_name":"Ben"}"#),
        ok(r#"{"data":[{"id":"u 1","surname":"Sims","given_name":"Ben"}]}"#),
        Action::Respond(201, vec![], br#"{"name":"Acme","callback_url":"http://cb.example.test/"}"#.to_vec()),
        ok(""),
        ok(r#"{"data":[{"id":"p1","name":"Page"}]}"#),
        ok(r#"{"authorisation_url":"https://fb.example.test/auth"}"#),
    ])
    .await;
    let client = server.client(|b| b);
    let sent = client
        .send_message("u 1", &BaseMessage::new("Hello", "facebook"))
        .await
        .unwrap();
    assert_eq!(sent.text.as_deref(), Some("Hello"));
    let history = client.list_messages("u 1").await.unwrap();
    assert_eq!(history.messages.data.len(), 1);
    assert_eq!(
        history.messages.data[0].timestamp.as_str(),
        "2017-12-12T18:18:40.000Z"
    );
    assert_eq!(history.metadata.unwrap().account_id.as_deref(), Some("acc"));
    assert_eq!(
        client
            .get_app_user("u 1")
            .await
            .unwrap()
            .given_name
            .as_deref(),
        Some("Ben")
    );
    assert_eq!(client.list_app_users().await.unwrap().data.len(), 1);
    let account = client
        .provision_account(
            &ConfigureAccountRequest::new("Acme").with_callback_url("http://cb.example.test/"),
        )
        .await
        .unwrap();
    assert_eq!(
        account.callback_url.as_deref(),
        Some("http://cb.example.test/")
    );
    assert_eq!(client.integrate_facebook_page("p1").await.unwrap(), "");
    assert_eq!(client.list_facebook_pages().await.unwrap().data[0].id, "p1");
    assert_eq!(
        client
            .get_facebook_authorisation_url()
            .await
            .unwrap()
            .authorisation_url,
        "https://fb.example.test/auth"
    );

    let seen = server.seen();
    let expected = [
        ("POST", "/beta/conversations/users/u%201/messages"),
        ("GET", "/beta/conversations/users/u%201/messages"),
        ("GET", "/beta/conversations/users/u%201"),
        ("GET", "/beta/conversations/users"),
        ("POST", "/beta/conversations/provision"),
        ("POST", "/beta/conversations/facebook/pages/p1/integrate"),
        ("GET", "/beta/conversations/facebook/pages"),
        ("GET", "/beta/conversations/facebook/authorise"),
    ];
    assert_eq!(seen.len(), 8);
    for (s, (method, path)) in seen.iter().zip(expected) {
        assert_eq!((s.method.as_str(), s.path.as_str()), (method, path));
        assert_eq!(s.header("authorization"), Some("Basic a2V5OnNlY3JldA=="));
        assert_eq!(
            s.header("user-agent"),
            Some("messagemedia-conversations-sdk-1.0.0")
        );
    }
    assert_eq!(seen[0].body, r#"{"channel":"facebook","text":"Hello"}"#);
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    // No accept header, as the original SDK sent none (core's attempt adds no default one).
    assert_eq!(seen[5].header("accept"), None);
    assert_eq!(seen[5].body, "");
    assert_eq!(seen[3].header("accept"), Some("application/json"));
    // Keep-alive: one connection served all eight calls.
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn documented_errors_keep_status_message_and_body() {
    let server = Server::start(vec![Action::Respond(
        404,
        vec![],
        br#"{"message":"no"}"#.to_vec(),
    )])
    .await;
    let err = server
        .client(|b| b)
        .get_app_user("ghost")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), "api");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "The app user does not exist.");
    assert_eq!(err.body(), Some(&br#"{"message":"no"}"#[..]));
}

#[tokio::test]
async fn get_is_retried_on_503_then_succeeds() {
    let unavailable = Action::Respond(503, vec![], b"<html>busy</html>".to_vec());
    let server = Server::start(vec![unavailable.clone(), unavailable, ok(r#"{"data":[]}"#)]).await;
    let users = server.client(|b| b).list_app_users().await.unwrap();
    assert!(users.data.is_empty());
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn get_gives_up_after_two_retries_with_the_last_status() {
    let bad = Action::Respond(502, vec![], b"bad gateway".to_vec());
    let server = Server::start(vec![bad.clone(), bad.clone(), bad.clone(), bad]).await;
    let err = server.client(|b| b).list_app_users().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.message(), "HTTP Response Not OK");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = Server::start(vec![
        Action::Respond(429, vec![("retry-after", "1".into())], vec![]),
        ok(r#"{"data":[]}"#),
    ])
    .await;
    let started = Instant::now();
    server.client(|b| b).list_app_users().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn post_is_sent_once_on_503_and_on_reset() {
    let server = Server::start(vec![Action::Respond(503, vec![], vec![])]).await;
    let client = server.client(|b| b);
    let err = client
        .send_message("u1", &BaseMessage::new("x", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.seen().len(), 1);

    let server = Server::start(vec![Action::Reset]).await;
    let err = server
        .client(|b| b)
        .send_message("u1", &BaseMessage::new("x", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn stalled_server_times_out_and_get_retries_within_the_deadline() {
    let server = Server::start(vec![Action::Stall, Action::Stall, Action::Stall]).await;
    let started = Instant::now();
    let err = server
        .client(|b| b.timeout(Duration::from_millis(200)))
        .list_app_users()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert_eq!(server.seen().len(), 3);
    assert!(started.elapsed() < Duration::from_secs(5));

    // A POST that timed out may have been processed: never repeated.
    let server = Server::start(vec![Action::Stall]).await;
    let err = server
        .client(|b| b.timeout(Duration::from_millis(200)))
        .send_message("u1", &BaseMessage::new("x", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn overall_deadline_bounds_the_call() {
    let server = Server::start(vec![Action::Stall]).await;
    let started = Instant::now();
    let err = server
        .client(|b| b.deadline(Duration::from_millis(300)))
        .list_app_users()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.message().contains("deadline"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn refused_connection_is_a_transport_error_and_post_is_retried() {
    // Bind then drop to get a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = Config::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap().with_jitter(|| 0.0);
    let err = client
        .send_message("u1", &BaseMessage::new("x", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport");
    assert_eq!(err.message(), "connection refused");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn response_size_cap_and_malformed_bodies() {
    let server = Server::start(vec![ok(&"x".repeat(2048)), ok(r#"{"data":[{"id":1}]}"#)]).await;
    let client = server.client(|b| b.max_response_bytes(1024));
    let err = client.list_app_users().await.unwrap_err();
    assert_eq!(err.code(), "decode");
    assert!(err.message().contains("1024-byte limit"), "{err:?}");
    let err = client.list_app_users().await.unwrap_err();
    assert_eq!(err.code(), "decode");
    assert_eq!(err.body(), Some(&br#"{"data":[{"id":1}]}"#[..]));
}

#[tokio::test]
async fn invalid_input_is_rejected_before_any_request() {
    let server = Server::start(vec![]).await;
    let client = server.client(|b| b);
    let err = client.get_app_user(" ").await.unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("invalid_input", Some("app_user_id"))
    );
    assert_eq!(err.message(), "app_user_id must not be empty or blank");
    let err = client
        .send_message("u1", &BaseMessage::new("", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("text"));
    assert!(server.seen().is_empty());
}

/// Rust errors name what Rust code writes: the models' snake_case fields (relative to the value
/// passed) and the arguments, not the JS engine's camelCase (`body.callbackUrl`, `appUserId`).
#[tokio::test]
async fn invalid_input_names_the_rust_fields() {
    use conversations_core::models::Action as Button;
    let server = Server::start(vec![]).await;
    let client = server.client(|b| b);
    let names = |err: conversations_core::Error| (err.field().map(str::to_owned), err.to_string());
    let bad_url = ConfigureAccountRequest::new("Shop").with_callback_url("not a url");
    let (field, message) = names(client.provision_account(&bad_url).await.unwrap_err());
    assert_eq!(field.as_deref(), Some("callback_url"));
    assert!(
        message.contains("callback_url must be an http(s) URL"),
        "{message}"
    );
    let buttons = BaseMessage::actions("Coffee?", [Button::reply("Yes", " ")], "facebook");
    let (field, message) = names(client.send_message("u1", &buttons).await.unwrap_err());
    assert_eq!(field.as_deref(), Some("actions[0].response_text"));
    assert!(
        message.contains("needs display_text, the button's label, and response_text"),
        "{message}"
    );
    let err = client.integrate_facebook_page(".").await.unwrap_err();
    assert_eq!(err.field(), Some("facebook_page_id"));
    assert!(server.seen().is_empty());

    // The sans-IO builder names the Operation variant the caller passed.
    use conversations_core::{build_request, Body, Operation};
    let config = client.config();
    let err = build_request(config, Operation::GetAppUsers, Some("x"), Body::None).unwrap_err();
    assert_eq!(
        (err.field(), err.message()),
        (Some("id"), "Operation::GetAppUsers takes no path parameter")
    );
    let err = build_request(config, Operation::GetAppUserById, None, Body::None).unwrap_err();
    assert_eq!(
        (err.field(), err.message()),
        (Some("app_user_id"), "app_user_id is required")
    );
    let err =
        build_request(config, Operation::CreateSendMessage, Some("u1"), Body::None).unwrap_err();
    assert_eq!(
        err.message(),
        "Operation::CreateSendMessage requires a body of the right kind"
    );
}

#[test]
fn debug_output_never_shows_the_password() {
    let config = Config::builder()
        .credentials("key", "hunter2-canary")
        .build()
        .unwrap();
    let client = Client::new(config.clone()).unwrap();
    for text in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!text.contains("hunter2-canary"), "{text}");
        assert!(!text.contains("a2V5Omh1bnRlcjItY2FuYXJ5"), "{text}");
        assert!(text.contains("[redacted]"));
    }
}

/// The request bodies of MessageMedia's Postman collection, compacted (key order kept).
fn collection_bodies() -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/postman/Conversations.postman_collection.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the collection")).unwrap();
    let mut out = Vec::new();
    fn walk(items: &serde_json::Value, out: &mut Vec<(String, String)>) {
        for item in items.as_array().unwrap() {
            if let Some(sub) = item.get("item") {
                walk(sub, out);
            } else if let Some(raw) = item["request"]["body"]["raw"].as_str() {
                out.push((item["name"].as_str().unwrap().to_owned(), compact(raw)));
            }
        }
    }
    walk(&doc["item"], &mut out);
    out
}

/// Compact JSON keeping the text's key order (serde_json's Value would sort keys).
fn compact(raw: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn each_message_kind_sends_the_collections_exact_body() {
    use conversations_core::models::Action as Button;
    let reply = r#"{"channel":"facebook","text":"x"}"#;
    let server = Server::start(vec![ok(reply), ok(reply), ok(reply)]).await;
    let client = server.client(|b| b);
    let messages = [
        BaseMessage::text("Hello World!", "facebook"),
        BaseMessage::image(
            "https://en.facebookbrand.com/wp-content/uploads/2016/05/en_like_button_header_05_2018.png",
            "facebook",
        ),
        BaseMessage::actions(
            "Was the coffee any good?",
            [
                Button::reply("The best!", "Y"),
                Button::reply("That was coffee?", "N"),
            ],
            "facebook",
        ),
    ];
    for m in &messages {
        client.send_message("u1", m).await.unwrap();
    }
    let bodies = collection_bodies();
    let expected: Vec<&str> = ["text", "image", "buttons"]
        .iter()
        .map(|k| {
            bodies
                .iter()
                .find(|(name, _)| name == &format!("Send message ({k})"))
                .map(|(_, b)| b.as_str())
                .unwrap()
        })
        .collect();
    let sent: Vec<String> = server.seen().into_iter().map(|s| s.body).collect();
    assert_eq!(sent, expected);
    // serde round-trips each kind through the same wire form.
    for (m, body) in messages.iter().zip(&expected) {
        assert_eq!(&serde_json::to_string(m).unwrap(), body);
        assert_eq!(&serde_json::from_str::<BaseMessage>(body).unwrap(), m);
    }
}

#[tokio::test]
async fn unknown_kinds_and_fields_are_sent_and_received() {
    use conversations_core::models::RawJson;
    let server = Server::start(vec![
        ok(r#"{"channel":"facebook","text":"x","message_id":"m1"}"#),
        ok(r#"{"id":"u","given_name":"Ben","profile_pic":{"url":"p"}}"#),
    ])
    .await;
    let client = server.client(|b| b);
    let carousel = BaseMessage::of_kind(Some("carousel"), "facebook")
        .with_extra("cards", RawJson::new(r#"[{"title":"A"}]"#).unwrap());
    let sent = client.send_message("u1", &carousel).await.unwrap();
    assert_eq!(sent.extra["message_id"].as_str(), r#""m1""#);
    assert_eq!(
        server.seen()[0].body,
        r#"{"channel":"facebook","type":"carousel","cards":[{"title":"A"}]}"#
    );
    let user = client.get_app_user("u").await.unwrap();
    assert_eq!(user.extra["profile_pic"].as_str(), r#"{"url":"p"}"#);
    // serde keeps the unknown fields too (flattened).
    let json = serde_json::to_value(&user).unwrap();
    assert_eq!(json["profile_pic"]["url"], "p");
    assert_eq!(json["givenName"], "Ben");
}

#[tokio::test]
async fn with_response_gives_status_headers_and_raw_body() {
    let body = r#"{"data":[{"id":"u","given_name":"Ben"}]}"#;
    let server = Server::start(vec![
        Action::Respond(
            200,
            vec![("X-Request-Id", "req-1".into())],
            body.as_bytes().to_vec(),
        ),
        Action::Respond(
            404,
            vec![("X-Request-Id", "req-2".into())],
            b"gone".to_vec(),
        ),
    ])
    .await;
    let client = server.client(|b| b.max_retries(0));
    let got = client.list_app_users_with_response().await.unwrap();
    assert_eq!(got.data.data[0].given_name.as_deref(), Some("Ben"));
    assert_eq!(got.response.status, 200);
    assert_eq!(got.response.header("x-request-id"), Some("req-1"));
    assert!(got
        .response
        .headers
        .iter()
        .all(|(k, _)| *k == k.to_ascii_lowercase()));
    assert_eq!(got.response.body_text(), body);
    let err = client.get_app_user_with_response("u").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let headers = err.headers().expect("an API error keeps the headers");
    assert!(headers
        .iter()
        .any(|(k, v)| k == "x-request-id" && v == "req-2"));
}
