//! `--data` persistence across restarts, and no lost writes under concurrency.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use conversations_sandbox::Options;
use serde_json::json;

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "conversations-sandbox-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn with_data(path: &Path) -> Options {
    Options {
        data: Some(path.to_owned()),
        ..Options::default()
    }
}

#[tokio::test]
async fn state_survives_restart() {
    let dir = scratch_dir("restart");
    let file = dir.join("state.json");
    let sb = Sb::start(with_data(&file)).await;
    assert!(file.exists(), "a fresh data file is written at start");
    sb.setup(Some("http://127.0.0.1:9/cb")).await;
    let v = sb.inbound("Ada", "Lovelace", "persist me").await;
    let id = v["app_user_id"].as_str().unwrap().to_owned();
    let r = sb
        .post(
            &format!("/beta/conversations/users/{id}/messages"),
            json!({ "text": "and me", "channel": "facebook" }),
        )
        .await;
    assert_eq!(r.status, 201);
    let before = sb
        .get(&format!("/beta/conversations/users/{id}/messages"))
        .await
        .json();
    sb.sb.shutdown().await;

    // The file is complete JSON in the documented format, and no temp file is left behind.
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["format"], "conversations-sandbox/state/v1");
    assert!(saved["version"].as_u64().unwrap() >= 5);
    assert_eq!(saved["state"]["account"]["name"], "Test account");
    assert_eq!(files_in(&dir), vec!["state.json".to_owned()]);

    // --seed-demo does not override saved state.
    let sb = Sb::start(Options {
        seed_demo: true,
        ..with_data(&file)
    })
    .await;
    let after = sb
        .get(&format!("/beta/conversations/users/{id}/messages"))
        .await
        .json();
    assert_eq!(before, after);
    let users = sb.get("/beta/conversations/users").await.json();
    assert_eq!(users["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        sb.get("/beta/conversations/facebook/pages").await.status,
        200,
        "still authenticated"
    );
    let r = sb
        .post("/beta/conversations/provision", json!({ "name": "again" }))
        .await;
    assert_eq!(r.status, 409, "still provisioned");
    sb.sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn corrupt_data_file_refuses_to_start_and_is_untouched() {
    let dir = scratch_dir("corrupt");
    let file = dir.join("state.json");
    std::fs::write(&file, b"{ not json").unwrap();
    let err = conversations_sandbox::spawn(with_data(&file))
        .await
        .err()
        .unwrap();
    assert!(
        matches!(err, conversations_sandbox::Error::Data(_)),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"{ not json");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sends_lose_nothing() {
    let dir = scratch_dir("concurrent");
    let file = dir.join("state.json");
    let sb = Arc::new(
        Sb::start(Options {
            seed_demo: true,
            ..with_data(&file)
        })
        .await,
    );
    let path = format!("/beta/conversations/users/{BEN}/messages");
    let mut tasks = Vec::new();
    for i in 0..64 {
        let sb = sb.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            sb.post(
                &path,
                json!({ "text": format!("concurrent #{i}"), "channel": "facebook" }),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let check = |history: &serde_json::Value| {
        let texts: Vec<String> = history["messages"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect();
        for i in 0..64 {
            let want = format!("concurrent #{i}");
            assert_eq!(texts.iter().filter(|t| **t == want).count(), 1, "{want}");
        }
        let stamps: Vec<&str> = history["messages"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["timestamp"].as_str().unwrap())
            .collect();
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    };
    check(&sb.get(&path).await.json());
    // The file has them all as well.
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let ben = saved["state"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == BEN)
        .unwrap()
        .clone();
    check(&json!({ "messages": { "data": ben["messages"] } }));
    assert_eq!(files_in(&dir), vec!["state.json".to_owned()]);
    drop(sb);
    let _ = std::fs::remove_dir_all(&dir);
}
