//! The built binary: flags, the one "listening on" line, a real call, and errors.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_conversations-sandbox");

/// Sends SIGTERM and waits for the exit.
fn terminate(mut child: std::process::Child) -> std::process::ExitStatus {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait().unwrap()
}

/// Starts the binary with `args` and returns it with the first line it printed.
fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

#[tokio::test]
async fn binary_prints_url_and_serves() {
    let (child, line) = start(&["--port", "0", "--key", "K", "--secret", "S", "--seed-demo"]);
    let url = line
        .trim_end()
        .strip_prefix("conversations-sandbox listening on ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let addr: std::net::SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    assert_ne!(addr.port(), 0);

    let auth = {
        use base64::Engine;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("K:S")
        )
    };
    let r = common::request(
        addr,
        "GET",
        "/beta/conversations/users",
        &[("authorization", &auth)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"][0]["given_name"], "Ben");
    // SIGTERM stops it cleanly.
    let status = terminate(child);
    assert!(status.success(), "SIGTERM right after a call: {status:?}");
}

#[test]
fn help_version_and_bad_arguments() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--seed-demo"));
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("conversations-sandbox "));
    let out = Command::new(BIN).args(["--port", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
}

#[test]
fn port_in_use_fails_cleanly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(BIN).args(["--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

mod common;

/// SIGTERM sent the moment the line is read must still be a clean stop: the handlers are
/// installed before the line is printed (CI once saw the default action kill the process).
#[test]
fn sigterm_right_after_the_line_is_a_clean_stop() {
    for _ in 0..20 {
        let (child, line) = start(&["--port", "0"]);
        assert!(
            line.starts_with("conversations-sandbox listening on "),
            "{line:?}"
        );
        let status = terminate(child);
        assert!(status.success(), "SIGTERM right after the line: {status:?}");
    }
}
