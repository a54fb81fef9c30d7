//! Issue 19: the message kinds of MessageMedia's Postman collection (text, image, reply
//! buttons) are accepted, validated, stored with their fields (also across a restart with
//! `--data`), returned in the history; inbound images and replies reach the callback event.

mod common;

use common::*;
use conversations_sandbox::Options;
use serde_json::{json, Value};

fn history_path(id: &str) -> String {
    format!("/beta/conversations/users/{id}/messages")
}

/// The three bodies exactly as the collection writes them.
fn collection_bodies() -> [Value; 3] {
    [
        json!({ "channel": "facebook", "text": "Hello World!" }),
        json!({ "channel": "facebook", "type": "image",
                "media": "https://en.facebookbrand.com/wp-content/uploads/2016/05/en_like_button_header_05_2018.png" }),
        json!({ "channel": "facebook", "type": "actions", "text": "Was the coffee any good?",
                "actions": [
                    { "type": "reply", "displayText": "The best!", "responseText": "Y" },
                    { "type": "reply", "displayText": "That was coffee?", "responseText": "N" }
                ] }),
    ]
}

/// The stored message without the fields the sandbox sets.
fn content(m: &Value) -> Value {
    let mut m = m.clone();
    let o = m.as_object_mut().unwrap();
    assert_eq!(o.remove("channel").unwrap(), "FACEBOOK");
    assert!(o.remove("timestamp").is_some());
    assert_eq!(o.remove("direction").unwrap(), "SENT");
    m
}

#[tokio::test]
async fn each_kind_is_stored_and_returned_with_its_fields() {
    let dir = std::env::temp_dir().join(format!("conversations-kinds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let opts = Options {
        seed_demo: true,
        data: Some(dir.join("state.db")),
        ..Options::default()
    };
    let sb = Sb::start(opts.clone()).await;
    let path = history_path(BEN);
    let unknown = json!({ "channel": "facebook", "type": "carousel", "cards": [{ "title": "A" }] });
    let mut sent = collection_bodies().to_vec();
    sent.push(unknown);
    for body in &sent {
        let r = sb.post(&path, body.clone()).await;
        assert_eq!(r.status, 201, "{body}: {}", r.text());
        assert_eq!(r.json(), *body, "the answer echoes the message");
    }
    let check = |history: Value| {
        let data = history["messages"]["data"].as_array().unwrap().clone();
        let stored: Vec<Value> = data[data.len() - 4..].iter().map(content).collect();
        let want: Vec<Value> = sent
            .iter()
            .map(|b| {
                let mut b = b.clone();
                b.as_object_mut().unwrap().remove("channel");
                b
            })
            .collect();
        assert_eq!(stored, want);
    };
    check(sb.get(&path).await.json());
    // The fields survive a restart (they are in the database, not only in memory).
    sb.sb.shutdown().await;
    let sb = Sb::start(opts).await;
    check(sb.get(&path).await.json());
    sb.sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn each_kind_is_validated() {
    let sb = Sb::demo().await;
    let path = history_path(BEN);
    for body in [
        json!({ "channel": "facebook", "type": "image" }),
        json!({ "channel": "facebook", "type": "image", "media": "not a url" }),
        json!({ "channel": "facebook", "type": "image", "media": "https://x/y.png", "text": "" }),
        json!({ "channel": "facebook", "type": "actions", "text": "Good?" }),
        json!({ "channel": "facebook", "type": "actions", "text": "Good?", "actions": [] }),
        json!({ "channel": "facebook", "type": "actions", "actions": [{ "type": "reply", "displayText": "a", "responseText": "b" }] }),
        json!({ "channel": "facebook", "type": "actions", "text": "Good?", "actions": [{ "type": "reply", "display_text": "a", "response_text": "b" }] }),
        json!({ "channel": "facebook", "type": "actions", "text": "Good?", "actions": ["reply"] }),
        json!({ "channel": "facebook", "type": "text" }),
        json!({ "channel": "facebook", "type": "", "text": "x" }),
        json!({ "channel": "facebook", "type": null, "text": "x" }),
        json!({ "type": "image", "media": "https://x/y.png" }),
    ] {
        let r = sb.post(&path, body.clone()).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.message(), "The posted request is invalid.");
    }
    let history = sb.get(&path).await.json();
    assert_eq!(
        history["messages"]["data"].as_array().unwrap().len(),
        3,
        "nothing stored"
    );
}

#[tokio::test]
async fn inbound_images_and_replies_reach_the_callback() {
    let receiver = Receiver::start(vec![]).await;
    let sb = Sb::empty().await;
    sb.setup(Some(&receiver.url())).await;
    let image = sb
        .ctl(
            "POST",
            "/sandbox/inbound",
            Some(
                json!({ "page_id": PAGE, "given_name": "Ada", "surname": "L",
                         "media": "https://example.com/cat.jpg" }),
            ),
        )
        .await;
    assert_eq!(image.status, 201, "{}", image.text());
    let image = image.json();
    let reply = sb
        .ctl(
            "POST",
            "/sandbox/inbound",
            Some(
                json!({ "page_id": PAGE, "given_name": "Ada", "surname": "L",
                         "text": "The best!", "responseText": "Y" }),
            ),
        )
        .await
        .json();
    assert_eq!(image["message"]["type"], "image");
    assert_eq!(image["message"]["media"], "https://example.com/cat.jpg");
    assert!(image["message"].get("text").is_none());
    assert_eq!(reply["message"]["text"], "The best!");
    assert_eq!(reply["message"]["responseText"], "Y");
    for v in [&image, &reply] {
        let d = wait_delivery(&sb, v["delivery_id"].as_u64().unwrap()).await;
        assert_eq!(d["delivered"], true);
    }
    let received = receiver.received.lock().unwrap().clone();
    let events: Vec<&Value> = received.iter().map(|(_, e)| e).collect();
    assert_eq!(events.len(), 2);
    // The event keeps its shape; the message carries the new fields.
    for (event, sent) in events.iter().zip([&image, &reply]) {
        assert_eq!(event["type"], "message.received");
        assert_eq!(event["app_user"]["given_name"], "Ada");
        assert_eq!(event["message"], sent["message"]);
    }
    let id = image["app_user_id"].as_str().unwrap();
    let history = sb.get(&history_path(id)).await.json();
    assert_eq!(
        history["messages"]["data"][0]["media"],
        "https://example.com/cat.jpg"
    );
    assert_eq!(history["messages"]["data"][1]["responseText"], "Y");
    // Neither text nor media: refused.
    let r = sb
        .ctl(
            "POST",
            "/sandbox/inbound",
            Some(json!({ "page_id": PAGE, "given_name": "Ada", "surname": "L", "responseText": "Y" })),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = sb
        .ctl(
            "POST",
            "/sandbox/inbound",
            Some(
                json!({ "page_id": PAGE, "given_name": "Ada", "surname": "L", "media": "cat.jpg" }),
            ),
        )
        .await;
    assert_eq!(r.status, 400);
}
