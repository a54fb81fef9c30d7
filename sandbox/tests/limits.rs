//! Issue 12 items 10 and 12: what a slow or hostile peer can hold is bounded. Callback
//! deliveries to a receiver that never answers (under a low file-descriptor limit), request
//! bodies that stop mid-way, and many slow readers of a huge `raw` fault.

mod common;

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use conversations_sandbox::Options;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

/// The binary under test; `SANDBOX_BIN` runs these checks against another build (a release
/// build, or an older version to see them fail).
fn bin() -> String {
    std::env::var("SANDBOX_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_conversations-sandbox").to_owned())
}

/// The sandbox binary as a child process (optionally under `ulimit -n`), so its file
/// descriptors and memory are its own.
async fn start_child(args: &[&str], fd_limit: Option<u32>) -> (Child, SocketAddr) {
    let mut cmd = match fd_limit {
        Some(n) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(bin());
            c
        }
        None => Command::new(bin()),
    };
    let mut child = cmd
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("sandbox binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .await
        .unwrap();
    let url = line.trim().rsplit("http://").next().unwrap().to_owned();
    (child, url.parse().unwrap())
}

async fn call(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> Resp {
    let auth = default_auth();
    let mut headers = vec![("authorization", auth.as_str())];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    request(
        addr,
        method,
        path,
        &headers,
        body.map(|b| serde_json::to_vec(&b).unwrap()),
    )
    .await
    .expect("transport ok")
}

/// A callback receiver that accepts connections and never answers, counting how many it
/// holds at once.
struct Silent {
    addr: SocketAddr,
    open: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
    accepted: Arc<AtomicUsize>,
}

async fn silent_receiver() -> Silent {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (open, max, accepted) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (o, m, a) = (open.clone(), max.clone(), accepted.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            a.fetch_add(1, Ordering::SeqCst);
            let now = o.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(now, Ordering::SeqCst);
            let o = o.clone();
            tokio::spawn(async move {
                // Read whatever comes, answer nothing, until the sandbox hangs up.
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
                o.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Silent {
        addr,
        open,
        max,
        accepted,
    }
}

/// Item 10: 1,000 inbound messages to a receiver that never answers, with the sandbox limited
/// to 256 file descriptors and a data file: every inbound and API call still succeeds, and the
/// receiver never sees more than the per-receiver bound of connections at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_receiver_cannot_exhaust_the_sandbox() {
    let dir = std::env::temp_dir().join(format!("conversations-limits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.db");
    let receiver = silent_receiver().await;
    let (child, addr) = start_child(&["--data", file.to_str().unwrap()], Some(256)).await;
    let cb = format!("http://{}/hook", receiver.addr);
    let r = call(
        addr,
        "POST",
        "/beta/conversations/provision",
        Some(json!({ "name": "Busy", "callback_url": cb })),
    )
    .await;
    assert_eq!(r.status, 201);
    let url = call(addr, "GET", "/beta/conversations/facebook/authorise", None)
        .await
        .json()["authorisation_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.split_once(&addr.to_string()).unwrap().1.to_owned();
    assert_eq!(call(addr, "GET", &path, None).await.status, 200);
    let integrate = format!("/beta/conversations/facebook/pages/{PAGE}/integrate");
    assert_eq!(call(addr, "POST", &integrate, None).await.status, 200);

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let next = Arc::new(AtomicUsize::new(0));
    for _ in 0..16 {
        let next = next.clone();
        tasks.spawn(async move {
            let mut statuses = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= 1000 {
                    return statuses;
                }
                let body = json!({ "page_id": PAGE, "given_name": format!("U{}", i % 50),
                                   "surname": "Flood", "text": format!("m{i}") });
                statuses.push(
                    call(addr, "POST", "/sandbox/inbound", Some(body))
                        .await
                        .status,
                );
                if i.is_multiple_of(100) {
                    statuses.push(
                        call(addr, "GET", "/beta/conversations/users", None)
                            .await
                            .status,
                    );
                }
            }
        });
    }
    while let Some(statuses) = tasks.join_next().await {
        let statuses = statuses.unwrap();
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 201),
            "{statuses:?}"
        );
    }
    println!(
        "1000 inbound messages in {:?}; receiver holds {} connection(s), at most {}",
        started.elapsed(),
        receiver.open.load(Ordering::SeqCst),
        receiver.max.load(Ordering::SeqCst)
    );
    // The API still writes and reads with 1,000 deliveries pending.
    let ben = call(addr, "GET", "/beta/conversations/users", None)
        .await
        .json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = call(
        addr,
        "POST",
        &format!("/beta/conversations/users/{ben}/messages"),
        Some(json!({ "text": "still fine", "channel": "facebook" })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let max = receiver.max.load(Ordering::SeqCst);
    assert!(max >= 1, "deliveries started");
    assert!(
        max <= 4,
        "at most 4 connections to one receiver at once, saw {max}"
    );
    let deliveries = call(addr, "GET", "/sandbox/deliveries", None).await.json();
    let data = deliveries["data"].as_array().unwrap();
    assert_eq!(data.len(), 1000);
    let waiting = data.iter().filter(|d| d["attempts"] == 0).count();
    assert!(waiting >= 990, "the rest wait their turn: {waiting} queued");
    assert!(receiver.accepted.load(Ordering::SeqCst) <= 4);
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 12: a request body that stops mid-way is answered 408 and the connection closed once
/// the body timeout passes, like a stalled header.
#[tokio::test]
async fn half_sent_body_times_out() {
    let sb = Sb::start(Options {
        seed_demo: true,
        body_timeout: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let auth = default_auth();
    for path in [
        format!("/beta/conversations/users/{BEN}/messages"),
        "/sandbox/inbound".to_owned(),
    ] {
        let mut s = TcpStream::connect(sb.addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: localhost\r\nauthorization: {auth}\r\n\
             content-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"text\": \"ha"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut answer))
            .await
            .expect("the sandbox answers and closes instead of waiting forever")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("did not arrive within 300 ms"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    // Nothing was stored.
    let history = sb
        .get(&format!("/beta/conversations/users/{BEN}/messages"))
        .await
        .json();
    assert_eq!(history["messages"]["data"].as_array().unwrap().len(), 3);
}

fn rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap()
        / 1024
}

/// Item 12: 12 slow readers of a 64 MiB `raw` fault. The body is streamed from one shared
/// chunk, so the sandbox's memory stays near its baseline (it was 12 × 64 MiB when each
/// request built the whole body).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_readers_of_a_huge_raw_fault_cost_one_chunk() {
    let (child, addr) = start_child(&["--seed-demo"], None).await;
    let pid = child.id().unwrap();
    let chunk = vec![b'x'; 512 * 1024];
    let fault = json!({ "action": { "kind": "raw", "repeat": 128,
        "body_base64": base64::engine::general_purpose::STANDARD.encode(&chunk) } });
    let r = call(addr, "POST", "/sandbox/faults", Some(fault)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let baseline = rss_mb(pid);
    let mut readers = Vec::new();
    for _ in 0..12 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /beta/conversations/users HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .await
            .unwrap();
        // Read the head and a little of the body, then stop reading (a slow reader).
        let mut buf = vec![0u8; 64 * 1024];
        let n = s.read(&mut buf).await.unwrap();
        let head = String::from_utf8_lossy(&buf[..n.min(200)]).into_owned();
        assert!(head.contains("content-length: 67108864"), "{head}");
        readers.push(s);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let during = rss_mb(pid);
    println!(
        "sandbox RSS: {baseline} MB before, {during} MB with 12 slow readers of a 64 MiB body"
    );
    assert!(
        during < baseline + 200,
        "RSS grew from {baseline} MB to {during} MB"
    );
    drop(readers);
    drop(child);
}

/// Item 10, the total bound: deliveries to 10 silent receivers (one account each, the sandbox
/// reset in between; earlier deliveries keep running) never hold more than 32 connections at
/// once in total, 4 per receiver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_bounded_in_total() {
    let sb = Sb::empty().await;
    let open = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let mut per_receiver_max = Vec::new();
    for k in 0..10 {
        let receiver = silent_receiver().await;
        // One counter across all receivers, fed by each receiver's own.
        let (o, m, mine) = (open.clone(), max.clone(), receiver.open.clone());
        tokio::spawn(async move {
            let mut last = 0;
            loop {
                let now = mine.load(Ordering::SeqCst);
                if now != last {
                    let total = if now > last {
                        o.fetch_add(now - last, Ordering::SeqCst) + (now - last)
                    } else {
                        o.fetch_sub(last - now, Ordering::SeqCst) - (last - now)
                    };
                    m.fetch_max(total, Ordering::SeqCst);
                    last = now;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        });
        let r = sb
            .ctl(
                "POST",
                "/sandbox/reset",
                Some(json!({ "seed_demo": false })),
            )
            .await;
        assert_eq!(r.status, 200);
        sb.setup(Some(&format!("http://{}/hook", receiver.addr)))
            .await;
        for i in 0..6 {
            sb.inbound("Ada", "L", &format!("to receiver {k}, #{i}"))
                .await;
        }
        per_receiver_max.push(receiver.max);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let total = max.load(Ordering::SeqCst);
    let each: Vec<usize> = per_receiver_max
        .iter()
        .map(|m| m.load(Ordering::SeqCst))
        .collect();
    println!("connections held at once: {total} in total; per receiver {each:?}");
    assert!(each.iter().all(|n| *n <= 4), "{each:?}");
    assert!(
        total <= 32,
        "at most 32 deliveries at once in total, saw {total}"
    );
    assert!(
        total > 4,
        "deliveries to different receivers run side by side ({total})"
    );
}
