//! Who may talk to the sandbox: the `Host` check (no DNS rebinding) and the browser origins
//! allowed by CORS. The sandbox holds every message of the `--data` file and its control
//! endpoints can wipe it, so a web page open in the developer's browser must not drive it.

use std::net::IpAddr;

use hyper::header::{HeaderMap, HeaderValue, HOST};

/// The names and origins allowed besides loopback ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Access {
    /// Host names accepted in the `Host` header besides loopback names and IP literals (the
    /// `--host` name, and each `--allow-host`), lowercase.
    hosts: Vec<String>,
    /// Browser origins allowed by CORS besides loopback ones (each `--allow-origin`),
    /// normalised as `scheme://host[:port]`, lowercase.
    origins: Vec<String>,
}

impl Access {
    pub(crate) fn new(bind_host: &str, hosts: &[String], origins: &[String]) -> Self {
        let mut list: Vec<String> = hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
        list.push(bind_host.to_ascii_lowercase());
        Self {
            hosts: list,
            origins: origins.iter().map(|o| normalise_origin(o)).collect(),
        }
    }

    /// Whether the `Host` header names this sandbox. A DNS-rebinding page reaches the
    /// sandbox's address under the attacker's host name, so a name must be a loopback name
    /// or one the sandbox was told about; IP literals cannot be rebound and are accepted. A
    /// request without `Host` (HTTP/1.0 tools) is accepted: browsers always send one.
    pub(crate) fn host_ok(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(HOST) else {
            return true;
        };
        let Ok(value) = value.to_str() else {
            return false;
        };
        let host = strip_port(value.trim()).to_ascii_lowercase();
        is_loopback_name(&host)
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok()
            || self.hosts.contains(&host)
    }

    /// Whether a browser page from `origin` may use the API (CORS): loopback origins
    /// (`http://localhost:3000`, `http://127.0.0.1:8000`, `http://[::1]`) and the ones given
    /// with `--allow-origin`. `null` (sandboxed frames, files) is never allowed.
    pub(crate) fn origin_ok(&self, origin: &HeaderValue) -> bool {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let normalised = normalise_origin(origin);
        if self.origins.contains(&normalised) {
            return true;
        }
        let Some(rest) = normalised
            .strip_prefix("http://")
            .or_else(|| normalised.strip_prefix("https://"))
        else {
            return false;
        };
        if rest.contains(['/', '@', '?', '#']) {
            return false;
        }
        let host = strip_port(rest);
        is_loopback_name(host)
            || match host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
            {
                Ok(ip) => ip.is_loopback(),
                Err(_) => false,
            }
    }
}

fn normalise_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// `localhost` and its subdomains, which resolve to loopback by definition (RFC 6761).
fn is_loopback_name(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost" || host.ends_with(".localhost")
}

/// `name:port` → `name`; `[v6]:port` → `[v6]`; a bare IPv6 literal stays whole.
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(i) => &authority[..=i],
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(access: &Access, host: &str) -> bool {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        access.host_ok(&h)
    }

    #[test]
    fn host_names() {
        let a = Access::new("127.0.0.1", &["sandbox".to_owned()], &[]);
        for ok in [
            "127.0.0.1:8080",
            "localhost:1",
            "LOCALHOST",
            "app.localhost:3",
            "[::1]:9",
            "10.1.2.3",
            "sandbox:8080",
        ] {
            assert!(hosts(&a, ok), "{ok}");
        }
        for bad in ["evil.example:8080", "localhost.evil.example", "sandboxx"] {
            assert!(!hosts(&a, bad), "{bad}");
        }
    }

    #[test]
    fn origins() {
        let a = Access::new("127.0.0.1", &[], &["https://app.example.com/".to_owned()]);
        let ok = |o: &str| a.origin_ok(&HeaderValue::from_str(o).unwrap());
        for good in [
            "http://localhost:3000",
            "http://127.0.0.1:8000",
            "http://127.9.9.9",
            "https://[::1]:1",
            "http://x.localhost",
            "https://APP.example.com",
        ] {
            assert!(ok(good), "{good}");
        }
        for bad in [
            "null",
            "http://evil.example",
            "http://localhost.evil.example",
            "file://",
            "http://10.0.0.1",
            "https://app.example.com:444",
        ] {
            assert!(!ok(bad), "{bad}");
        }
    }
}
