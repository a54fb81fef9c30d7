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
    let file = dir.join("state.db");
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

    // The file is one SQLite database, and a stopped sandbox leaves nothing else (the WAL is
    // checkpointed and removed on close).
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(b"SQLite format 3\0"));
    assert_eq!(files_in(&dir), vec!["state.db".to_owned()]);

    // --seed-demo does not override saved state.
    let sb = Sb::start(Options {
        seed_demo: true,
        ..with_data(&file)
    })
    .await;
    let saved = sb.ctl("GET", "/sandbox/state", None).await.json();
    assert_eq!(saved["format"], "conversations-sandbox/state/v1");
    assert!(saved["version"].as_u64().unwrap() >= 5);
    assert_eq!(saved["state"]["account"]["name"], "Test account");
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
    assert!(conversations_sandbox::spawn(with_data(&file))
        .await
        .is_err());
    // Not SQLite and not JSON either: refused too.
    std::fs::write(&file, b"hello").unwrap();
    assert!(conversations_sandbox::spawn(with_data(&file))
        .await
        .is_err());
    assert_eq!(std::fs::read(&file).unwrap(), b"hello");
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
    let file = dir.join("state.db");
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
    // The file has them all as well: a new sandbox on it has them.
    let sb = Arc::into_inner(sb).unwrap();
    sb.sb.shutdown().await;
    let sb = Sb::start(with_data(&file)).await;
    check(&sb.get(&path).await.json());
    let saved = sb.ctl("GET", "/sandbox/state", None).await.json();
    let ben = saved["state"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == BEN)
        .unwrap()
        .clone();
    check(&json!({ "messages": { "data": ben["messages"] } }));
    sb.sb.shutdown().await;
    assert_eq!(files_in(&dir), vec!["state.db".to_owned()]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn json_data_file_is_migrated_and_stray_temp_files_removed() {
    let dir = scratch_dir("migrate");
    let file = dir.join("state.json");
    let v1 = json!({
        "format": "conversations-sandbox/state/v1",
        "version": 9,
        "state": {
            "account": {"name": "Old", "callback_url": null, "account_id": "acc-1"},
            "facebook_authenticated": true,
            "integrated_pages": [PAGE],
            "users": [{"id": BEN, "given_name": "Ben", "surname": "Sims", "page_id": PAGE,
                       "messages": [{"direction": "RECEIVED", "text": "old", "channel": "FACEBOOK",
                                     "timestamp": "2017-12-08T10:10:40.000Z"}]}]
        }
    });
    std::fs::write(&file, serde_json::to_vec(&v1).unwrap()).unwrap();
    // What a kill -9 of the earlier version could leave behind.
    std::fs::write(dir.join(".state.json.tmp-4242-7"), b"{\"partial").unwrap();
    let sb = Sb::start(with_data(&file)).await;
    let history = sb
        .get(&format!("/beta/conversations/users/{BEN}/messages"))
        .await
        .json();
    assert_eq!(history["messages"]["data"][0]["text"], "old");
    assert_eq!(history["metadata"]["account_id"], "acc-1");
    let saved = sb.ctl("GET", "/sandbox/state", None).await.json();
    assert_eq!(saved["state"], v1["state"]);
    assert_eq!(saved["version"], 9);
    sb.sb.shutdown().await;
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(b"SQLite format 3\0"));
    assert_eq!(files_in(&dir), vec!["state.json".to_owned()]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 12 item 9: a write whose commit fails answers 500 and changes nothing, in memory or
/// on disk. The failure is real: another connection holds the database's write lock (as an
/// `sqlite3` shell left in a transaction would), so the sandbox's commit gets SQLITE_BUSY.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_commit_answers_500_and_changes_nothing() {
    let dir = scratch_dir("failed-commit");
    let file = dir.join("state.db");
    let sb = Sb::start(Options {
        seed_demo: true,
        ..with_data(&file)
    })
    .await;
    let path = format!("/beta/conversations/users/{BEN}/messages");
    let before = sb.get(&path).await.json();
    let state_before = sb.ctl("GET", "/sandbox/state", None).await.json();

    let blocker = rusqlite::Connection::open(&file).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let sb = Arc::new(sb);
    let write = {
        let (sb, path) = (sb.clone(), path.clone());
        tokio::spawn(async move {
            sb.post(
                &path,
                json!({ "text": "must not appear", "channel": "facebook" }),
            )
            .await
        })
    };
    // While that commit waits for the lock (up to 1 s), reads are answered: they never wait
    // for a write to reach the disk.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for _ in 0..5 {
        assert_eq!(sb.get(&path).await.json(), before);
        assert_eq!(sb.get("/beta/conversations/users").await.status, 200);
    }
    assert!(
        !write.is_finished(),
        "the reads were answered while the write was pending"
    );
    let r = write.await.unwrap();
    let sb = Arc::into_inner(sb).unwrap();
    assert_eq!(r.status, 500, "{}", r.text());
    assert!(r.message().contains("nothing was changed"), "{}", r.text());
    let r = sb
        .ctl(
            "POST",
            "/sandbox/inbound",
            Some(json!({ "page_id": PAGE, "given_name": "New", "surname": "User", "text": "x" })),
        )
        .await;
    assert_eq!(r.status, 500, "{}", r.text());
    // Reads still answer while the database is locked, and show nothing of the failed writes.
    assert_eq!(sb.get(&path).await.json(), before);
    assert_eq!(
        sb.ctl("GET", "/sandbox/state", None).await.json(),
        state_before
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);

    // Writes work again, and a restart shows exactly the acknowledged ones.
    let r = sb
        .post(
            &path,
            json!({ "text": "acknowledged", "channel": "facebook" }),
        )
        .await;
    assert_eq!(r.status, 201);
    sb.sb.shutdown().await;
    let sb = Sb::start(with_data(&file)).await;
    let texts: Vec<String> = sb.get(&path).await.json()["messages"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(texts.contains(&"acknowledged".to_owned()));
    assert!(!texts.contains(&"must not appear".to_owned()));
    assert_eq!(
        sb.get("/beta/conversations/users").await.json()["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    sb.sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
