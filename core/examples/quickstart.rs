//! The whole Conversations flow from Rust, against the sandbox or the real API:
//!
//! ```text
//! cargo run --example quickstart -p conversations-core --features client -- http://127.0.0.1:8080
//! ```
//!
//! Credentials come from `CONVERSATIONS_KEY` / `CONVERSATIONS_SECRET` (default: the sandbox's).
//! Against the sandbox the example also completes the Facebook authorisation and simulates an
//! inbound message through the sandbox's control endpoints.

use conversations_core::models::{BaseMessage, ConfigureAccountRequest};
use conversations_core::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let key = std::env::var("CONVERSATIONS_KEY").unwrap_or_else(|_| "sandbox-key".into());
    let secret = std::env::var("CONVERSATIONS_SECRET").unwrap_or_else(|_| "sandbox-secret".into());
    let client = Client::new(
        Config::builder()
            .base_url(&base_url)
            .credentials(key.clone(), secret.clone())
            .user_agent_suffix("quickstart-rs")
            .build()?,
    )?;

    match client
        .provision_account(&ConfigureAccountRequest::new("Quickstart account"))
        .await
    {
        Ok(account) => println!("provisioned account {:?}", account.name),
        Err(e) if e.status() == Some(409) => println!("account already provisioned"),
        Err(e) => return Err(e.into()),
    }

    let auth = client.get_facebook_authorisation_url().await?;
    println!("Facebook authorisation URL: {}", auth.authorisation_url);
    let sandbox = auth
        .authorisation_url
        .starts_with(base_url.trim_end_matches('/'));
    if sandbox {
        // The sandbox's authorisation page marks the Facebook user authenticated when opened.
        reqwest::get(&auth.authorisation_url)
            .await?
            .error_for_status()?;
        println!("completed the authorisation in the sandbox");
    }

    let pages = client.list_facebook_pages().await?;
    let Some(page) = pages.data.first() else {
        println!("no Facebook pages yet: open the authorisation URL first");
        return Ok(());
    };
    client.integrate_facebook_page(&page.id).await?;
    println!(
        "integrated page {} ({})",
        page.id,
        page.name.as_deref().unwrap_or("?")
    );

    if sandbox {
        let inbound = serde_json::json!({
            "page_id": page.id, "given_name": "Ben", "surname": "Sims",
            "text": "Hi! How much is shipping to Australia?",
        });
        reqwest::Client::new()
            .post(format!(
                "{}/sandbox/inbound",
                base_url.trim_end_matches('/')
            ))
            .body(inbound.to_string())
            .basic_auth(&key, Some(&secret))
            .header("content-type", "application/json")
            .send()
            .await?
            .error_for_status()?;
        println!("simulated an inbound message from Ben Sims");
    }

    let users = client.list_app_users().await?;
    println!("{} app user(s)", users.data.len());
    let Some(user) = users.data.first() else {
        return Ok(());
    };
    let name = |u: &conversations_core::models::AppUser| {
        format!(
            "{} {}",
            u.given_name.as_deref().unwrap_or(""),
            u.surname.as_deref().unwrap_or("")
        )
    };
    println!("conversation with {}:", name(user));
    let reply = BaseMessage::new("Thanks! Shipping to Australia is $10.", "facebook");
    client.send_message(&user.id, &reply).await?;
    for m in client.list_messages(&user.id).await?.messages.data {
        println!(
            "  [{}] {:<8} {}",
            m.timestamp,
            m.direction.as_str(),
            m.text.as_deref().unwrap_or("")
        );
    }
    match client.get_app_user("no-such-user").await {
        Err(e) => println!("as documented, an unknown user gives: {e} [{}]", e.code()),
        Ok(_) => println!("unexpectedly found no-such-user"),
    }
    Ok(())
}
