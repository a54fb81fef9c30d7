//! Our async client against the same HTTP stack (reqwest, keep-alive) called raw, both talking to
//! the server at `CONVERSATIONS_BENCH_URL` (started by `make bench`). Variants are interleaved in
//! rounds and compared within each round; prints one `BENCH_JSON {...}` line for bench/run.js.
//! Without the variable it explains itself and exits successfully.

use conversations_core::models::{BaseMessage, GetAppUsersResponse, SendMessageResponse};
use conversations_core::{Client, Config};
use std::error::Error;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USER: &str = "d36c4ff6-4e81-4d7f-93c0-1472e09d1063";
const TEXT: &str = "Thanks Ben! Shipping to Australia is $10.";
const ROUNDS: usize = 12;
const SEQ_BLOCK: usize = 300;
const WORKERS: usize = 64;
const PAR_BLOCK: usize = 64 * 12;

/// reqwest called by hand, as a careful user would: same headers (the client's attempt asks for
/// gzip/deflate/br, so does this call), body read whole, typed parse.
#[derive(Clone)]
struct Raw {
    http: reqwest::Client,
    users_url: String,
    send_url: String,
    auth: String,
}

impl Raw {
    async fn list_app_users(&self) -> Res<GetAppUsersResponse> {
        let res = self
            .http
            .get(&self.users_url)
            .header("authorization", &self.auth)
            .header("accept", "application/json")
            .header("accept-encoding", "gzip,deflate,br")
            .header("user-agent", "bench")
            .send()
            .await?
            .error_for_status()?;
        Ok(serde_json::from_slice(&res.bytes().await?)?)
    }

    async fn send_message(&self, message: &BaseMessage) -> Res<SendMessageResponse> {
        let res = self
            .http
            .post(&self.send_url)
            .header("authorization", &self.auth)
            .header("accept", "application/json")
            .header("accept-encoding", "gzip,deflate,br")
            .header("user-agent", "bench")
            .header("content-type", "application/json; charset=utf-8")
            .body(serde_json::to_string(message)?)
            .send()
            .await?
            .error_for_status()?;
        Ok(serde_json::from_slice(&res.bytes().await?)?)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Raw,
    Sdk,
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    ListAppUsers,
    SendMessage,
}

async fn one(raw: &Raw, sdk: &Client, variant: Variant, op: Op) -> Res<()> {
    let message = BaseMessage::new(TEXT, "facebook");
    match (variant, op) {
        (Variant::Raw, Op::ListAppUsers) => raw.list_app_users().await.map(drop),
        (Variant::Raw, Op::SendMessage) => raw.send_message(&message).await.map(drop),
        (Variant::Sdk, Op::ListAppUsers) => {
            sdk.list_app_users().await.map(drop).map_err(Into::into)
        }
        (Variant::Sdk, Op::SendMessage) => sdk
            .send_message(USER, &message)
            .await
            .map(drop)
            .map_err(Into::into),
    }
}

/// Mean µs per call of one block.
async fn block(raw: &Raw, sdk: &Client, variant: Variant, op: Op, par: bool) -> Res<f64> {
    let started = Instant::now();
    let calls = if par { PAR_BLOCK } else { SEQ_BLOCK };
    if par {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..WORKERS {
            let (raw, sdk) = (raw.clone(), sdk.clone());
            set.spawn(async move {
                for _ in 0..PAR_BLOCK / WORKERS {
                    one(&raw, &sdk, variant, op).await?;
                }
                Ok::<(), Box<dyn Error + Send + Sync>>(())
            });
        }
        while let Some(done) = set.join_next().await {
            done??;
        }
    } else {
        for _ in 0..calls {
            one(raw, sdk, variant, op).await?;
        }
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / calls as f64)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn quartiles(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |q: f64| s[((s.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.75))
}

async fn run(base: &str) -> Res<String> {
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    use base64::Engine as _;
    let raw = Raw {
        http,
        users_url: format!("{base}/beta/conversations/users"),
        send_url: format!("{base}/beta/conversations/users/{USER}/messages"),
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("bench-key:bench-secret")
        ),
    };
    let sdk = Client::new(
        Config::builder()
            .base_url(base)
            .credentials("bench-key", "bench-secret")
            .build()?,
    )?;
    // BENCH_ONE=raw:N or sdk:N (BENCH_OP=send for sendMessage): only N sequential calls of that
    // variant, to count their instructions under callgrind (bench/FINDINGS.md).
    if let Ok(spec) = std::env::var("BENCH_ONE") {
        let (variant, calls) = spec.split_once(':').ok_or("BENCH_ONE is raw:N or sdk:N")?;
        let variant = if variant == "raw" {
            Variant::Raw
        } else {
            Variant::Sdk
        };
        let op = if std::env::var("BENCH_OP").as_deref() == Ok("send") {
            Op::SendMessage
        } else {
            Op::ListAppUsers
        };
        let calls = calls.parse::<usize>()?;
        if std::env::var_os("BENCH_PAR").is_some() {
            for _ in 0..calls / PAR_BLOCK {
                block(&raw, &sdk, variant, op, true).await?;
            }
        } else {
            for _ in 0..calls {
                one(&raw, &sdk, variant, op).await?;
            }
        }
        return Ok(String::new());
    }
    let mut json = String::from("{");
    for (mode, par) in [("seq", false), ("par", true)] {
        json.push_str(&format!("\"{mode}\":{{"));
        for (name, op) in [
            ("listAppUsers", Op::ListAppUsers),
            ("sendMessage", Op::SendMessage),
        ] {
            for v in [Variant::Raw, Variant::Sdk] {
                block(&raw, &sdk, v, op, par).await?; // warm-up
            }
            let (mut r, mut s) = (Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                let order = if round % 2 == 0 {
                    [Variant::Raw, Variant::Sdk]
                } else {
                    [Variant::Sdk, Variant::Raw]
                };
                for v in order {
                    let us = block(&raw, &sdk, v, op, par).await?;
                    if v == Variant::Raw {
                        r.push(us)
                    } else {
                        s.push(us)
                    }
                }
            }
            let ratio = median(s.iter().zip(&r).map(|(s, r)| s / r).collect());
            let ((r25, r75), (s25, s75)) = (quartiles(&r), quartiles(&s));
            json.push_str(&format!(
                "\"{name}\":{{\"raw\":{{\"median\":{:.2},\"p25\":{r25:.2},\"p75\":{r75:.2}}},\"sdk\":{{\"median\":{:.2},\"p25\":{s25:.2},\"p75\":{s75:.2}}},\"ratio\":{ratio:.4}}},",
                median(r.clone()),
                median(s.clone()),
            ));
        }
        json.pop();
        json.push_str("},");
    }
    json.pop();
    json.push('}');
    Ok(json)
}

fn main() {
    let Ok(base) = std::env::var("CONVERSATIONS_BENCH_URL") else {
        eprintln!("client bench: set CONVERSATIONS_BENCH_URL to a bench server (make bench does)");
        return;
    };
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Into::into)
        .and_then(|rt| rt.block_on(run(base.trim_end_matches('/'))));
    match result {
        Ok(json) => println!("BENCH_JSON {json}"),
        Err(e) => {
            eprintln!("client bench failed: {e}");
            std::process::exit(1);
        }
    }
}
