//! One HTTP attempt over reqwest (feature `transport`): send a request, read its whole body under
//! a size cap while it arrives, decode gzip/deflate/br, and sort any failure into core's
//! [`Failure`] kinds. This is the one attempt implementation: core's own [`crate::Client`] drives
//! it through the call machine, and the Node addon (bindings-node, `Io`) runs it for the JS
//! pipeline, so both report the same kinds for the same faults.

use crate::call::Failure;
use crate::error::Error;
use reqwest::header::{HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH};
use reqwest::Method;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// The HTTP client this module is built on, for building requests to [`Transport::send`].
pub use reqwest;

/// A keep-alive connection pool that runs attempts. Cheap to clone (clones share the pool).
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
}

/// A response read whole: status, headers and the body (decoded if it was content-encoded).
#[derive(Debug)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers as received.
    pub headers: reqwest::header::HeaderMap,
    /// The body, decompressed when the server compressed it.
    pub body: Vec<u8>,
}

/// Why an attempt ended without a response to decode.
#[derive(Debug)]
#[non_exhaustive]
pub struct AttemptError {
    /// The kind, as the call machine takes it ([`crate::call::Call::on_failure`]).
    pub failure: Failure,
    /// The HTTP status when a response had started (too large, undecodable body), else 0.
    pub status: u16,
    /// The Node-style error code of the fault (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`,
    /// `EPIPE`, `ETIMEDOUT`, `ERR_TLS_CERT`, `ERR_BAD_ENCODING`, `ERR_TOO_LARGE`, `ERR_IO`): the
    /// Node addon hands it to the JS layer, which words failures by node:http's codes.
    pub code: &'static str,
    /// The error a Rust caller reports.
    pub error: Error,
}

impl Transport {
    /// An attempt runner over a caller-built reqwest client (its TLS roots, proxies, timeouts).
    pub fn from_client(http: reqwest::Client) -> Transport {
        Transport { http }
    }

    /// A transport that talks straight to the server (no proxy), follows no redirect, and
    /// trusts `ca` (PEM) instead of the built-in roots (Mozilla's, as Node bundles) when given,
    /// plus `extra_ca` (PEM, as in `NODE_EXTRA_CA_CERTS`) when given and readable.
    ///
    /// An unreadable `ca`, or one with no certificate, is an `invalid_input` error naming `ca`;
    /// an unreadable `extra_ca` is ignored, as Node ignores a bad `NODE_EXTRA_CA_CERTS`.
    pub fn direct(ca: Option<&str>, extra_ca: Option<&str>) -> Result<Transport, Error> {
        Transport::direct_with(&Tls::new(ca, extra_ca)?)
    }

    /// [`Transport::direct`] over TLS settings already checked: a new pool (its own
    /// connections) sharing the process's TLS configuration for those certificates.
    pub fn direct_with(tls: &Tls) -> Result<Transport, Error> {
        let http = Transport::builder()
            .no_proxy()
            // A shallow copy: the root store, the verifier and the session cache stay shared.
            .use_preconfigured_tls(tls.config.clone())
            .build()
            .map_err(|e| Error::transport("could not build the HTTP client").with_source(e))?;
        Ok(Transport { http })
    }

    /// The reqwest client settings every SDK transport shares: keep-alive with `TCP_NODELAY`,
    /// and no redirect followed (a redirected POST must not be replayed, and credentials must
    /// not travel to another host).
    pub fn builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(90))
            .redirect(reqwest::redirect::Policy::none())
    }

    /// One attempt: sends `request` and reads the whole body, at most `max_bytes` of it once
    /// decoded (a larger `Content-Length` fails before reading; a larger body fails while
    /// reading, having buffered at most `max_bytes` and one chunk). `timeout` bounds the whole
    /// attempt: connecting, the head and the body.
    pub async fn send(
        &self,
        request: reqwest::Request,
        max_bytes: usize,
        timeout: Option<Duration>,
    ) -> Result<Response, AttemptError> {
        let attempt = self.attempt(request, max_bytes);
        match timeout {
            None => attempt.await,
            Some(budget) => match tokio::time::timeout(budget, attempt).await {
                Ok(result) => result,
                Err(_) => Err(AttemptError {
                    failure: Failure::Timeout,
                    status: 0,
                    code: "ETIMEDOUT",
                    error: Error::timeout(format!(
                        "the request timed out after {} ms",
                        budget.as_millis()
                    )),
                }),
            },
        }
    }

    async fn attempt(
        &self,
        mut request: reqwest::Request,
        max_bytes: usize,
    ) -> Result<Response, AttemptError> {
        if request.body().is_none() && matches!(*request.method(), Method::POST | Method::PUT) {
            // What node:http and fetch send for a POST or PUT without a body (reqwest sends no
            // length; some servers answer 411 then).
            request
                .headers_mut()
                .entry(CONTENT_LENGTH)
                .or_insert(HeaderValue::from_static("0"));
        }
        if !request.headers().contains_key(ACCEPT_ENCODING) {
            // What reqwest would send with its own deflate decoder.
            request
                .headers_mut()
                .insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip,deflate,br"));
        }
        let mut response = self.http.execute(request).await.map_err(classify)?;
        let status = response.status().as_u16();
        let too_large = || AttemptError {
            failure: Failure::TooLarge,
            status,
            code: "ERR_TOO_LARGE",
            error: Error::too_large(status, max_bytes),
        };
        // A compressed body that does not decompress is a bad answer, not a broken connection
        // (node:http says the same); it is not retried.
        let bad_encoding = |source: Option<Box<dyn std::error::Error + Send + Sync>>| {
            let message = "response body does not decode with its content-encoding";
            let error = Error::decode(status, message, Vec::new());
            AttemptError {
                failure: Failure::Fatal,
                status,
                code: "ERR_BAD_ENCODING",
                error: match source {
                    Some(source) => error.with_source(source),
                    None => error,
                },
            }
        };
        // reqwest has decoded gzip and br (and dropped their headers); deflate is left to us,
        // and its length is the compressed one, like theirs not a limit on the decoded body.
        let deflate = response
            .headers()
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"deflate"));
        if deflate {
            response.headers_mut().remove(CONTENT_ENCODING);
            response.headers_mut().remove(CONTENT_LENGTH);
        } else if response
            .content_length()
            .is_some_and(|len| len > max_bytes as u64)
        {
            return Err(too_large());
        }
        let undecodable = |e: reqwest::Error| {
            if is_bad_encoding(&e) {
                bad_encoding(Some(Box::new(e)))
            } else {
                classify(e)
            }
        };
        let mut body = Capped {
            body: Vec::new(),
            cap: max_bytes,
            over: false,
        };
        let mut inflate = None;
        while let Some(chunk) = response.chunk().await.map_err(undecodable)? {
            let written = if deflate {
                // zlib-wrapped or raw, told by the first byte, as fetch engines do.
                let first = chunk.first().copied().unwrap_or(0);
                inflate
                    .get_or_insert_with(|| Inflate::new(first, std::mem::take(&mut body)))
                    .write(&chunk)
            } else {
                body.write_all(&chunk)
            };
            if let Err(e) = written {
                return Err(match inflate.as_ref().map_or(body.over, Inflate::over) {
                    true => too_large(),
                    false => bad_encoding(Some(Box::new(e))),
                });
            }
        }
        if let Some(inflate) = inflate {
            body = match inflate.finish() {
                Ok(body) => body,
                Err((true, _)) => return Err(too_large()),
                Err((false, e)) => return Err(bad_encoding(Some(Box::new(e)))),
            };
        }
        let body = body.body;
        Ok(Response {
            status,
            headers: std::mem::take(response.headers_mut()),
            body,
        })
    }
}

/// A body buffer that refuses to grow past `cap` (an inflating body is checked as it decodes,
/// never buffered whole first).
#[derive(Default)]
struct Capped {
    body: Vec<u8>,
    cap: usize,
    /// Set when a write was refused for the cap (not for bad data).
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.body.len() + data.len() > self.cap {
            self.over = true;
            return Err(std::io::Error::other("the body exceeds the size cap"));
        }
        self.body.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A deflate body being decoded into a [`Capped`] buffer.
enum Inflate {
    Zlib(flate2::write::ZlibDecoder<Capped>),
    Raw(flate2::write::DeflateDecoder<Capped>),
}

impl Inflate {
    /// zlib-wrapped if the first byte names the deflate method (`CM = 8`), raw otherwise.
    fn new(first: u8, into: Capped) -> Inflate {
        if first & 0x0f == 0x08 {
            Inflate::Zlib(flate2::write::ZlibDecoder::new(into))
        } else {
            Inflate::Raw(flate2::write::DeflateDecoder::new(into))
        }
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Inflate::Zlib(d) => d.write_all(data),
            Inflate::Raw(d) => d.write_all(data),
        }
    }

    fn over(&self) -> bool {
        match self {
            Inflate::Zlib(d) => d.get_ref().over,
            Inflate::Raw(d) => d.get_ref().over,
        }
    }

    /// The decoded body, or whether the cap was the trouble, with the error.
    fn finish(self) -> Result<Capped, (bool, std::io::Error)> {
        let over = self.over();
        match self {
            Inflate::Zlib(d) => d.finish(),
            Inflate::Raw(d) => d.finish(),
        }
        .map_err(|e| (over, e))
    }
}

/// The certificates a [`Transport::direct`] pool trusts, checked, with their TLS configuration.
///
/// Building that configuration (a root store of Mozilla's ~150 roots or the caller's PEM parsed,
/// and its verifier) is the costly part of a client, so it is built once per process for each
/// distinct (`ca`, `extra_ca`) and shared by every pool made from it: a process with many idle
/// clients then pays for one root store, not one each. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Tls {
    config: rustls::ClientConfig,
}

/// Distinct CA options seen, newest last, with their configuration. Bounded so that a process
/// which makes clients with ever new certificates does not keep them all (it rebuilds instead).
type TlsCache = Vec<(Option<String>, Option<String>, rustls::ClientConfig)>;
static TLS_CONFIGS: std::sync::Mutex<TlsCache> = std::sync::Mutex::new(Vec::new());
const TLS_CONFIGS_KEPT: usize = 16;

impl Tls {
    /// The built-in roots (Mozilla's, as Node bundles) or `ca` (PEM) instead, plus `extra_ca`
    /// (PEM, as in `NODE_EXTRA_CA_CERTS`) when readable. An unreadable `ca`, or one with no
    /// certificate, is an `invalid_input` error naming `ca`; an unreadable `extra_ca` is ignored,
    /// as Node ignores a bad `NODE_EXTRA_CA_CERTS`.
    pub fn new(ca: Option<&str>, extra_ca: Option<&str>) -> Result<Tls, Error> {
        let cached = |cache: &TlsCache| {
            cache
                .iter()
                .find(|(c, e, _)| c.as_deref() == ca && e.as_deref() == extra_ca)
                .map(|(_, _, config)| Tls {
                    config: config.clone(),
                })
        };
        // A panic elsewhere while holding the lock leaves the cache whole (pushes are atomic).
        let lock = || {
            TLS_CONFIGS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(tls) = cached(&lock()) {
            return Ok(tls);
        }
        // Built outside the lock; two threads racing on the same options keep the first.
        let config = tls_config(ca, extra_ca)?;
        let mut cache = lock();
        if let Some(tls) = cached(&cache) {
            return Ok(tls);
        }
        if cache.len() >= TLS_CONFIGS_KEPT {
            cache.remove(0);
        }
        cache.push((
            ca.map(str::to_owned),
            extra_ca.map(str::to_owned),
            config.clone(),
        ));
        Ok(Tls { config })
    }
}

/// A new TLS configuration: `ca` replaces the built-in roots (Mozilla's), `extra_ca` adds to them
/// (an unreadable one is ignored).
fn tls_config(ca: Option<&str>, extra_ca: Option<&str>) -> Result<rustls::ClientConfig, Error> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let pem = |text: &str| -> Option<Vec<CertificateDer<'static>>> {
        CertificateDer::pem_slice_iter(text.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .ok()
            .filter(|certs| !certs.is_empty())
    };
    let mut roots = rustls::RootCertStore::empty();
    let mut trusted = Vec::new();
    match ca {
        Some(ca) => {
            let certs = pem(ca).ok_or_else(|| {
                Error::invalid_input("ca", "not PEM text with at least one certificate")
            })?;
            trusted.extend(certs);
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    trusted.extend(extra_ca.and_then(pem).unwrap_or_default());
    // A certificate that is not a valid trust anchor (rustls refuses some that OpenSSL takes)
    // can still be trusted as the server's own certificate (`PinnedOrWebPki`).
    roots.add_parsable_certificates(trusted.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error =
        |e: &dyn std::fmt::Display| Error::transport(format!("could not configure TLS: {e}"));
    let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        Arc::clone(&provider),
    )
    .build();
    let verifier = PinnedOrWebPki {
        webpki: webpki.map_err(|e| tls_error(&e))?,
        trusted,
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(&e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// Verifies server certificates as webpki does, and also accepts a server certificate the
/// caller gave as a CA certificate itself, when its name matches. OpenSSL (so Node) trusts such
/// a certificate directly; webpki refuses one marked as a CA (`CaUsedAsEndEntity`), which is
/// what `openssl req -x509` makes by default, the usual self-signed development certificate.
#[derive(Debug)]
struct PinnedOrWebPki {
    webpki: Arc<rustls::client::WebPkiServerVerifier>,
    trusted: Vec<rustls::pki_types::CertificateDer<'static>>,
}

impl rustls::client::danger::ServerCertVerifier for PinnedOrWebPki {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        intermediates: &[rustls::pki_types::CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let verdict = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if verdict.is_err()
            && self
                .trusted
                .iter()
                .any(|cert| cert.as_ref() == end_entity.as_ref())
        {
            let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_name(&parsed, server_name)?;
            return Ok(rustls::client::danger::ServerCertVerified::assertion());
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// Sorts a reqwest failure: a connect failure proves the request never left, unless it is the
/// TLS handshake's (a certificate problem does not go away on retry: node:http says the same).
fn classify(e: reqwest::Error) -> AttemptError {
    let io_kind = io_source(&e).map(std::io::Error::kind);
    let tls = is_tls(&e);

    let (failure, code, error) = if e.is_timeout() {
        (
            Failure::Timeout,
            "ETIMEDOUT",
            Error::timeout("the request timed out"),
        )
    } else if tls {
        (
            Failure::Fatal,
            "ERR_TLS_CERT",
            Error::transport("TLS handshake failed"),
        )
    } else if e.is_connect() {
        let code = match io_kind {
            Some(std::io::ErrorKind::ConnectionRefused) => "ECONNREFUSED",
            Some(std::io::ErrorKind::TimedOut) => "ETIMEDOUT",
            _ if is_dns(&e) => "ENOTFOUND",
            _ => "ERR_IO",
        };
        let what = if code == "ECONNREFUSED" {
            "connection refused"
        } else {
            "could not connect (DNS, TCP or TLS failure)"
        };
        (Failure::Refused, code, Error::transport(what))
    } else {
        let code = match io_kind {
            Some(std::io::ErrorKind::BrokenPipe) => "EPIPE",
            _ => "ECONNRESET",
        };
        (
            Failure::Reset,
            code,
            Error::transport("the connection failed after the request was sent (reset or closed)"),
        )
    };
    AttemptError {
        failure,
        status: 0,
        code,
        error: error.with_source(e),
    }
}

/// `e`'s causes, innermost last, including the error inside an `io::Error` (whose own
/// `source()` skips it: hyper's connector wraps rustls's error in two of them).
fn causes(e: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    fn next<'a>(
        s: &&'a (dyn std::error::Error + 'static),
    ) -> Option<&'a (dyn std::error::Error + 'static)> {
        let s: &'a (dyn std::error::Error + 'static) = *s;
        match s
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner),
            None => s.source(),
        }
    }
    std::iter::successors(std::error::Error::source(e), next)
}

/// A TLS failure (rustls's error among the causes): a bad certificate, a failed handshake.
fn is_tls(e: &reqwest::Error) -> bool {
    causes(e).any(|s| s.is::<rustls::Error>())
}

/// The innermost `io::Error` among `e`'s causes: the one that says what the socket saw.
fn io_source(e: &reqwest::Error) -> Option<&std::io::Error> {
    causes(e)
        .filter_map(|s| s.downcast_ref::<std::io::Error>())
        .last()
}

/// hyper's connector names a failed name lookup "dns error" (its error types are private).
fn is_dns(e: &reqwest::Error) -> bool {
    causes(e).any(|s| s.to_string().starts_with("dns error"))
}

/// A body that failed to decompress. reqwest reports it as a decode error, and so too a
/// connection lost mid-body behind its decoder: that one's cause is hyper's error, while the
/// decompressor's is an `io::Error` of its own.
fn is_bad_encoding(e: &reqwest::Error) -> bool {
    e.is_decode()
        && std::error::Error::source(e)
            .is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_configuration_is_built_once_per_distinct_certificates() {
        let same =
            |a: &Tls, b: &Tls| Arc::ptr_eq(a.config.crypto_provider(), b.config.crypto_provider());
        let roots = Tls::new(None, None).expect("built-in roots");
        assert!(same(&roots, &Tls::new(None, None).expect("built-in roots")));
        // A bad extra_ca is ignored, but it is still other options: their own configuration.
        let extra = Tls::new(None, Some("not PEM (ignored)")).expect("extra");
        assert!(!same(&roots, &extra));
        assert!(same(
            &extra,
            &Tls::new(None, Some("not PEM (ignored)")).expect("extra")
        ));
        // Errors are not kept: a bad `ca` fails every time.
        assert!(Tls::new(Some("not PEM"), None).is_err());
        assert!(Tls::new(Some("not PEM"), None).is_err());
    }
}
