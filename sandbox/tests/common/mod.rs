//! Test helpers: a plain HTTP/1.1 client over hyper (deliberately not the SDK), an in-process
//! sandbox wrapper, and a tiny callback receiver.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use conversations_sandbox::{spawn, Options, RunningSandbox};
use http_body_util::{BodyExt, Full};
use hyper::header::HeaderMap;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const BEN: &str = "3898c5e4-73cc-44f9-812f-3698a4c3bb1d";
pub const ROBERT: &str = "331b1da8-10a5-44c7-91df-1dc14cc2f373";
pub const PAGE: &str = "1573307926039629";
pub const OTHER_PAGE: &str = "373479609790958";

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
    /// Asserts the `{"message": ...}` error shape and returns the message.
    pub fn message(&self) -> String {
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/json"),
            "error content type"
        );
        self.json()["message"]
            .as_str()
            .expect("message string")
            .to_owned()
    }
}

pub fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}

pub fn default_auth() -> String {
    basic("sandbox-key", "sandbox-secret")
}

/// One request on a fresh connection. `Err` on any transport failure (reset, truncation...).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Result<Resp, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let mut builder = Request::builder().method(method).uri(path);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        builder = builder.header("host", addr.to_string());
    }
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let req = builder
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .map_err(|e| e.to_string())?;
    let resp = sender
        .send_request(req)
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes()
        .to_vec();
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// An in-process sandbox plus convenience calls with the default credentials.
pub struct Sb {
    pub sb: RunningSandbox,
    pub addr: SocketAddr,
}

impl Sb {
    pub async fn start(opts: Options) -> Sb {
        let sb = spawn(opts).await.expect("sandbox starts");
        let addr = sb.addr();
        Sb { sb, addr }
    }
    pub async fn empty() -> Sb {
        Sb::start(Options::default()).await
    }
    pub async fn demo() -> Sb {
        Sb::start(Options {
            seed_demo: true,
            ..Options::default()
        })
        .await
    }
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = default_auth();
        let mut headers = vec![
            ("authorization", auth.as_str()),
            ("accept", "application/json"),
        ];
        if body.is_some() {
            headers.push(("content-type", "application/json; charset=utf-8"));
        }
        request(
            self.addr,
            method,
            path,
            &headers,
            body.map(|b| serde_json::to_vec(&b).unwrap()),
        )
        .await
        .expect("transport ok")
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call("POST", path, Some(body)).await
    }
    /// POST with raw body bytes and the default credentials.
    pub async fn post_bytes(&self, path: &str, body: &[u8]) -> Resp {
        let auth = default_auth();
        request(
            self.addr,
            "POST",
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(body.to_vec()),
        )
        .await
        .expect("transport ok")
    }
    /// A control call (the same credentials as the API, JSON).
    pub async fn ctl(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = default_auth();
        request(
            self.addr,
            method,
            path,
            &[
                ("content-type", "application/json"),
                ("authorization", &auth),
            ],
            body.map(|b| serde_json::to_vec(&b).unwrap()),
        )
        .await
        .expect("transport ok")
    }
    pub async fn fault(&self, spec: Value) -> Value {
        let r = self.ctl("POST", "/sandbox/faults", Some(spec)).await;
        assert_eq!(r.status, 201, "fault installed: {}", r.text());
        r.json()
    }
    pub async fn counters(&self) -> Value {
        self.ctl("GET", "/sandbox/requests", None).await.json()
    }
    pub async fn count(&self, method: &str, path: &str) -> u64 {
        self.counters().await["by_route"][format!("{method} {path}")]
            .as_u64()
            .unwrap_or(0)
    }
    /// Provisions (optionally with a callback), authenticates with Facebook and integrates PAGE.
    pub async fn setup(&self, callback_url: Option<&str>) {
        let r = self
            .post(
                "/beta/conversations/provision",
                json!({ "name": "Test account", "callback_url": callback_url }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let url = self
            .get("/beta/conversations/facebook/authorise")
            .await
            .json()["authorisation_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = url.split_once(&self.addr.to_string()).unwrap().1.to_owned();
        let r = self.ctl("GET", &path, None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let r = self
            .call(
                "POST",
                &format!("/beta/conversations/facebook/pages/{PAGE}/integrate"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
    }
    pub async fn inbound(&self, given: &str, surname: &str, text: &str) -> Value {
        let r = self
            .ctl(
                "POST",
                "/sandbox/inbound",
                Some(json!({ "page_id": PAGE, "given_name": given, "surname": surname, "text": text })),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()
    }
}

/// A callback receiver: answers each POST with the next scripted status (200 when the script
/// is exhausted) and records what arrived.
pub struct Receiver {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Receiver {
    pub async fn start(script: Vec<u16>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let rec = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head, then Content-Length bytes of body.
                let (head_end, len) = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break (None, 0);
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .map(|v| v.trim().parse::<usize>().unwrap())
                            .unwrap_or(0);
                        break (Some(i + 4), len);
                    }
                };
                let Some(start) = head_end else { continue };
                while buf.len() < start + len {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..start]).into_owned();
                let body: Value = serde_json::from_slice(&buf[start..]).unwrap_or(Value::Null);
                rec.lock().unwrap().push((head, body));
                let status = script.lock().unwrap().pop_front().unwrap_or(200);
                let resp = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = stream.write_all(resp.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Receiver { addr, received }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hooks/conversations?x=1", self.addr)
    }
}

/// Polls `GET /sandbox/deliveries` until delivery `id` is done (or 10 s pass).
pub async fn wait_delivery(sb: &Sb, id: u64) -> Value {
    for _ in 0..200 {
        let all = sb.ctl("GET", "/sandbox/deliveries", None).await.json();
        if let Some(d) = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
        {
            if d["done"] == true {
                return d.clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("delivery {id} did not finish");
}
