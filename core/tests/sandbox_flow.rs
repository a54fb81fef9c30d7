//! The quickstart flow through the Rust client against the real sandbox (in-process, real
//! sockets): provision, authorise Facebook, integrate a page, receive a message, reply, read the
//! history, and the documented errors on the way.
#![cfg(feature = "client")]

use conversations_core::models::{BaseMessage, ConfigureAccountRequest, Direction};
use conversations_core::{Client, Config};
use conversations_sandbox::{spawn, Options};

fn client(url: &str, secret: &str) -> Client {
    Client::new(
        Config::builder()
            .base_url(url)
            .credentials("sandbox-key", secret)
            .build()
            .expect("valid config"),
    )
    .expect("client")
}

#[tokio::test]
async fn quickstart_flow_against_the_sandbox() {
    let sandbox = spawn(Options::default()).await.expect("sandbox starts");
    let url = sandbox.url();
    let api = client(&url, "sandbox-secret");

    // Not provisioned yet: every operation answers 400 with its documented message.
    let err = api.list_app_users().await.unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        ("api", Some(400), "The account is not provisioned.")
    );
    let err = api.get_facebook_authorisation_url().await.unwrap_err();
    assert_eq!(err.message(), "The account is not provisioned");

    // Wrong credentials: 401, kept as an API error with its body.
    let err = client(&url, "wrong").list_app_users().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.body().is_some_and(|b| !b.is_empty()));

    let account = api
        .provision_account(&ConfigureAccountRequest::new("Flow test"))
        .await
        .expect("provisioned");
    assert_eq!(account.name, "Flow test");
    let err = api
        .provision_account(&ConfigureAccountRequest::new("Again"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.message()),
        (Some(409), "The account has already been provisioned.")
    );

    // Pages are listed only once the Facebook user has authorised.
    let err = api.list_facebook_pages().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    let auth = api
        .get_facebook_authorisation_url()
        .await
        .expect("auth url");
    reqwest::get(&auth.authorisation_url)
        .await
        .and_then(|r| r.error_for_status())
        .expect("authorisation completes");
    let pages = api.list_facebook_pages().await.expect("pages");
    let page = pages.data.first().expect("a page").id.clone();
    let err = api
        .integrate_facebook_page("no-such-page")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        api.integrate_facebook_page(&page)
            .await
            .expect("integrated"),
        ""
    );

    // An inbound message creates the app user.
    let inbound =
        serde_json::json!({"page_id": page, "given_name": "Ben", "surname": "Sims", "text": "Hi!"});
    reqwest::Client::new()
        .post(format!("{url}/sandbox/inbound"))
        .basic_auth("sandbox-key", Some("sandbox-secret"))
        .header("content-type", "application/json")
        .body(inbound.to_string())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("inbound accepted");
    let users = api.list_app_users().await.expect("users");
    assert_eq!(users.data.len(), 1);
    let ben = &users.data[0];
    assert_eq!(ben.given_name.as_deref(), Some("Ben"));
    assert_eq!(
        api.get_app_user(&ben.id)
            .await
            .expect("user")
            .surname
            .as_deref(),
        Some("Sims")
    );

    let sent = api
        .send_message(&ben.id, &BaseMessage::new("Hello Ben", "facebook"))
        .await
        .expect("sent");
    assert_eq!(sent.text.as_deref(), Some("Hello Ben"));
    let history = api.list_messages(&ben.id).await.expect("history");
    let texts: Vec<_> = history
        .messages
        .data
        .iter()
        .map(|m| (m.direction.clone(), m.text.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        texts,
        [
            (Direction::Received, "Hi!".to_string()),
            (Direction::Sent, "Hello Ben".to_string())
        ]
    );
    assert!(history
        .messages
        .data
        .iter()
        .all(|m| m.timestamp.to_system_time().is_some() && m.channel.is_facebook()));
    assert_eq!(
        history.metadata.and_then(|m| m.user_id).as_deref(),
        Some(ben.id.as_str())
    );

    let err = api
        .send_message("no-such-user", &BaseMessage::new("x", "facebook"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.message()),
        (Some(404), "The app user does not exist.")
    );
    let err = api.list_messages("no-such-user").await.unwrap_err();
    assert_eq!(err.message(), "The app user does not exist.");
    sandbox.shutdown().await;
}
