//! Inbound simulation and callback delivery (with retries) to a local receiver.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn inbound_creates_user_and_received_message() {
    let sb = Sb::empty().await;
    sb.setup(None).await;
    let v = sb.inbound("Ada", "Lovelace", "Hello page!").await;
    let id = v["app_user_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "uuid v4: {id}");
    assert_eq!(v["message"]["direction"], "RECEIVED");
    assert_eq!(v["message"]["text"], "Hello page!");
    assert_eq!(
        v["delivery_id"],
        serde_json::Value::Null,
        "no callback_url, no delivery"
    );

    let users = sb.get("/beta/conversations/users").await.json();
    assert_eq!(
        users,
        json!({ "data": [{ "id": id, "surname": "Lovelace", "given_name": "Ada" }] })
    );
    // Same name on the same page is the same user; a different person is a new one.
    let v2 = sb.inbound("Ada", "Lovelace", "Second").await;
    assert_eq!(v2["app_user_id"], id.as_str());
    let v3 = sb.inbound("Grace", "Hopper", "Hi").await;
    assert_ne!(v3["app_user_id"], id.as_str());

    let reply = sb
        .post(
            &format!("/beta/conversations/users/{id}/messages"),
            json!({ "text": "Welcome", "channel": "facebook" }),
        )
        .await;
    assert_eq!(reply.status, 201);
    let history = sb
        .get(&format!("/beta/conversations/users/{id}/messages"))
        .await
        .json();
    let got: Vec<(String, String)> = history["messages"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["direction"].as_str().unwrap().into(),
                m["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("RECEIVED".into(), "Hello page!".into()),
            ("RECEIVED".into(), "Second".into()),
            ("SENT".into(), "Welcome".into())
        ]
    );
    assert_eq!(
        sb.ctl("GET", "/sandbox/deliveries", None).await.json(),
        json!({ "data": [] })
    );
}

#[tokio::test]
async fn inbound_errors() {
    let sb = Sb::empty().await;
    let body = json!({ "page_id": PAGE, "given_name": "A", "surname": "B", "text": "x" });
    let r = sb.ctl("POST", "/sandbox/inbound", Some(body.clone())).await;
    assert_eq!(r.status, 409, "not provisioned");
    sb.post("/beta/conversations/provision", json!({ "name": "A" }))
        .await;
    let r = sb.ctl("POST", "/sandbox/inbound", Some(body.clone())).await;
    assert_eq!(r.status, 409, "page not integrated");
    assert!(r.message().contains("not integrated"));
    for bad in [
        json!({ "page_id": PAGE, "given_name": "A", "surname": "B" }),
        json!({ "page_id": PAGE, "given_name": " ", "surname": "B", "text": "x" }),
        json!({ "page_id": 1, "given_name": "A", "surname": "B", "text": "x" }),
        json!([1, 2]),
    ] {
        let r = sb.ctl("POST", "/sandbox/inbound", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    let r = sb.ctl("GET", "/sandbox/inbound", None).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn callback_is_delivered_with_the_documented_event() {
    let receiver = Receiver::start(vec![]).await;
    let sb = Sb::empty().await;
    sb.setup(Some(&receiver.url())).await;
    let v = sb.inbound("Ben", "Sims", "Ping").await;
    let delivery = wait_delivery(&sb, v["delivery_id"].as_u64().unwrap()).await;
    assert_eq!(delivery["delivered"], true);
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(delivery["status"], 200);
    assert_eq!(delivery["url"], receiver.url());

    let received = receiver.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (head, event) = &received[0];
    assert!(
        head.starts_with("POST /hooks/conversations?x=1 HTTP/1.1"),
        "{head}"
    );
    assert!(head
        .to_lowercase()
        .contains("content-type: application/json"));
    let account_id = sb.ctl("GET", "/sandbox/state", None).await.json()["state"]["account"]
        ["account_id"]
        .clone();
    assert_eq!(event["type"], "message.received");
    assert_eq!(event["account_id"], account_id);
    assert_eq!(event["page_id"], PAGE);
    assert_eq!(
        event["app_user"],
        json!({ "id": v["app_user_id"], "given_name": "Ben", "surname": "Sims" })
    );
    assert_eq!(event["message"], v["message"]);
    assert_eq!(event["message"]["channel"], "FACEBOOK");
    assert_eq!(event, &v["event"]);
}

#[tokio::test]
async fn failed_callback_is_retried() {
    let receiver = Receiver::start(vec![500, 503]).await;
    let sb = Sb::empty().await;
    sb.setup(Some(&receiver.url())).await;
    let v = sb.inbound("Ben", "Sims", "Retry me").await;
    let delivery = wait_delivery(&sb, v["delivery_id"].as_u64().unwrap()).await;
    assert_eq!(delivery["delivered"], true);
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["status"], 200);
    assert_eq!(delivery["last_error"], serde_json::Value::Null);
    let received = receiver.received.lock().unwrap().clone();
    assert_eq!(received.len(), 3);
    assert!(received
        .iter()
        .all(|(_, e)| e["message"]["text"] == "Retry me"));
}

#[tokio::test]
async fn unreachable_callback_gives_up_after_five_attempts() {
    // Bind then drop a listener: its port refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sb = Sb::empty().await;
    sb.setup(Some(&format!("http://127.0.0.1:{port}/cb"))).await;
    let v = sb.inbound("Ben", "Sims", "Nobody home").await;
    let delivery = wait_delivery(&sb, v["delivery_id"].as_u64().unwrap()).await;
    assert_eq!(delivery["delivered"], false);
    assert_eq!(delivery["attempts"], 5);
    assert!(delivery["last_error"].as_str().unwrap().contains("connect"));
    // The message itself is stored regardless.
    let id = v["app_user_id"].as_str().unwrap();
    let h = sb
        .get(&format!("/beta/conversations/users/{id}/messages"))
        .await
        .json();
    assert_eq!(h["messages"]["data"][0]["text"], "Nobody home");
}

#[tokio::test]
async fn https_callback_is_recorded_as_failed() {
    let sb = Sb::empty().await;
    sb.setup(Some("https://example.invalid/cb")).await;
    let v = sb.inbound("Ben", "Sims", "Secure?").await;
    let delivery = wait_delivery(&sb, v["delivery_id"].as_u64().unwrap()).await;
    assert_eq!(delivery["delivered"], false);
    assert_eq!(delivery["attempts"], 1);
    assert!(delivery["last_error"].as_str().unwrap().contains("https"));
}
