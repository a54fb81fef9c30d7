//! One HTTP attempt over hyper (feature `transport`): send a request, read its whole body under
//! a size cap while it arrives, decode gzip/deflate/br, and sort any failure into core's
//! [`Failure`] kinds. This is the one attempt implementation: core's own [`crate::Client`] drives
//! it through the call machine, and the Node addon (bindings-node, `Io`) runs it for the JS
//! pipeline, so both report the same kinds for the same faults.
//!
//! It runs on hyper's own client (hyper-util's pool, hyper-rustls), not on reqwest: reqwest
//! parses each request's URL twice more behind its redirect layer (about 14,000 instructions a
//! call, as much as the rest of a keep-alive call's client work in the addon; bench/FINDINGS.md)
//! and adds an `Accept: */*` that cannot be removed. A caller-built reqwest client is still
//! taken ([`Transport::from_client`], feature `client`).

use crate::call::Failure;
use crate::error::Error;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH};
use http::Method;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// The request and header types [`Transport::send`] takes.
pub use bytes;
pub use http;

/// The request one attempt sends: method, absolute URL, headers, and the body (empty for none).
pub type Request = http::Request<Bytes>;

type Pool =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A keep-alive connection pool that runs attempts. Cheap to clone (clones share the pool).
#[derive(Clone)]
pub struct Transport {
    http: Http,
}

#[derive(Clone)]
enum Http {
    /// Behind an `Arc`: a transport is cloned per attempt by the addon, and the pool's handle
    /// is several reference counts wide.
    Hyper(Arc<Pool>),
    #[cfg(feature = "client")]
    Reqwest(reqwest::Client),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.http {
            Http::Hyper(_) => "Transport(hyper)",
            #[cfg(feature = "client")]
            Http::Reqwest(_) => "Transport(reqwest)",
        })
    }
}

/// A response read whole: status, headers and the body (decoded if it was content-encoded).
#[derive(Debug)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers as received (a decoded body keeps its `content-encoding`, as node:http does).
    pub headers: HeaderMap,
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

/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(90);

impl Transport {
    /// An attempt runner over a caller-built reqwest client (its TLS roots, proxies, timeouts).
    /// Build it without reqwest's own decompression (the attempt decodes; with reqwest's, a body
    /// reqwest decoded arrives without its `content-encoding`) and without redirects followed.
    #[cfg(feature = "client")]
    pub fn from_client(http: reqwest::Client) -> Transport {
        Transport {
            http: Http::Reqwest(http),
        }
    }

    /// The reqwest settings [`crate::Client::new`] uses behind an environment proxy, for
    /// [`Transport::from_client`]: keep-alive with `TCP_NODELAY`, idle connections closed after
    /// 90 s, and no redirect followed (a redirected POST must not be replayed, and credentials
    /// must not travel to another host).
    #[cfg(feature = "client")]
    pub fn builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(IDLE)
            .redirect(reqwest::redirect::Policy::none())
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
    /// connections) sharing the process's TLS configuration for those certificates. Keep-alive
    /// with `TCP_NODELAY`, idle connections closed after 90 s, HTTP/2 by ALPN with feature
    /// `client` (HTTP/1.1 only otherwise: the Node addon stays lean).
    pub fn direct_with(tls: &Tls) -> Result<Transport, Error> {
        let mut tcp = HttpConnector::new();
        tcp.set_nodelay(true);
        // The https connector below hands it https URLs too.
        tcp.enforce_http(false);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            // A shallow copy: the root store, the verifier and the session cache stay shared.
            .with_tls_config(tls.config.clone())
            .https_or_http()
            .enable_http1();
        #[cfg(feature = "client")]
        let https = https.enable_http2();
        let pool =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(IDLE)
                .pool_timer(hyper_util::rt::TokioTimer::new())
                .build(https.wrap_connector(tcp));
        Ok(Transport {
            http: Http::Hyper(Arc::new(pool)),
        })
    }

    /// One attempt: sends `request` and reads the whole body, at most `max_bytes` of it once
    /// decoded (a larger `Content-Length` fails before reading; a larger body fails while
    /// reading, having buffered at most `max_bytes` and one chunk). `timeout` bounds the whole
    /// attempt: connecting, the head and the body.
    pub async fn send(
        &self,
        request: Request,
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
        mut request: Request,
        max_bytes: usize,
    ) -> Result<Response, AttemptError> {
        let headers = request.headers_mut();
        if !headers.contains_key(ACCEPT_ENCODING) {
            // Every coding the attempt decodes, as node-fetch and reqwest ask.
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip,deflate,br"));
        }
        if request.body().is_empty() && matches!(*request.method(), Method::POST | Method::PUT) {
            // What node:http and fetch send for a POST or PUT without a body (hyper sends no
            // length then; some servers answer 411).
            request
                .headers_mut()
                .entry(CONTENT_LENGTH)
                .or_insert(HeaderValue::from_static("0"));
        }
        match &self.http {
            Http::Hyper(pool) => {
                let response = pool.request(request.map(Full::new)).await.map_err(|e| {
                    let connect = e.is_connect();
                    classify(e, connect, false)
                })?;
                read(response, max_bytes).await
            }
            #[cfg(feature = "client")]
            Http::Reqwest(client) => {
                let request = reqwest::Request::try_from(request.map(reqwest::Body::from))
                    .map_err(|e| classify(e, false, false))?;
                let response = client.execute(request).await.map_err(|e| {
                    let (connect, timeout) = (e.is_connect(), e.is_timeout());
                    classify(e, connect, timeout)
                })?;
                read(http::Response::from(response), max_bytes).await
            }
        }
    }
}

/// Reads `response`'s body whole, decoding its content coding, under the cap.
async fn read<B>(response: http::Response<B>, max_bytes: usize) -> Result<Response, AttemptError>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (head, mut body) = response.into_parts();
    let status = head.status.as_u16();
    let too_large = || AttemptError {
        failure: Failure::TooLarge,
        status,
        code: "ERR_TOO_LARGE",
        error: Error::too_large(status, max_bytes),
    };
    // A compressed body that does not decompress is a bad answer, not a broken connection
    // (node:http says the same); it is not retried.
    let bad_encoding = |source: std::io::Error| AttemptError {
        failure: Failure::Fatal,
        status,
        code: "ERR_BAD_ENCODING",
        error: Error::decode(
            status,
            "response body does not decode with its content-encoding",
            Vec::new(),
        )
        .with_source(source),
    };
    let mut decoder = match Decoder::of(&head.headers, max_bytes) {
        Some(decoder) => decoder,
        None => {
            // Identity: the declared length is the body's, so a larger one fails before reading.
            let declared = head
                .headers
                .get(CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|len| len > max_bytes as u64) {
                return Err(too_large());
            }
            // Sized once for the declared length, up to 1 MiB: a server may declare more than
            // it sends.
            let capacity = declared.map_or(0, |len| len.min(1 << 20) as usize);
            Decoder::Identity(Capped::new(max_bytes, capacity))
        }
    };
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| classify(e, false, false))?;
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers
        };
        if let Err(e) = decoder.write(&chunk) {
            return Err(if decoder.over() {
                too_large()
            } else {
                bad_encoding(e)
            });
        }
    }
    let over = decoder.over();
    match decoder.finish() {
        Ok(body) => Ok(Response {
            status,
            headers: head.headers,
            body,
        }),
        Err(_) if over => Err(too_large()),
        Err(e) => Err(bad_encoding(e)),
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

impl Capped {
    fn new(cap: usize, capacity: usize) -> Capped {
        Capped {
            body: Vec::with_capacity(capacity),
            cap,
            over: false,
        }
    }
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

/// A body being decoded by its content coding into a [`Capped`] buffer (checked against the cap
/// as it decodes, never buffered whole first).
enum Decoder {
    Identity(Capped),
    Gzip(flate2::write::GzDecoder<Capped>),
    /// deflate before its first byte, which tells zlib-wrapped from raw.
    Deflate(Capped),
    Zlib(flate2::write::ZlibDecoder<Capped>),
    RawDeflate(flate2::write::DeflateDecoder<Capped>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Capped>>),
}

impl Decoder {
    /// The decoder for `headers`' content coding, into a buffer capped at `cap`; `None` for
    /// none, identity, or one the attempt does not know (such a body is handed on as it came, as
    /// reqwest and fetch engines do).
    fn of(headers: &HeaderMap, cap: usize) -> Option<Decoder> {
        let coding = headers.get(CONTENT_ENCODING)?.to_str().ok()?.trim();
        let into = Capped::new(cap, 0);
        let is = |name: &str| coding.eq_ignore_ascii_case(name);
        Some(if is("gzip") || is("x-gzip") {
            Decoder::Gzip(flate2::write::GzDecoder::new(into))
        } else if is("deflate") {
            Decoder::Deflate(into)
        } else if is("br") {
            Decoder::Brotli(Box::new(brotli_decompressor::DecompressorWriter::new(
                into, 4096,
            )))
        } else {
            return None;
        })
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        if let (Decoder::Deflate(_), Some(&first)) = (&*self, data.first()) {
            let Decoder::Deflate(into) =
                std::mem::replace(self, Decoder::Identity(Capped::default()))
            else {
                unreachable!("matched above")
            };
            // zlib-wrapped if the first byte names the deflate method (`CM = 8`), raw otherwise,
            // as fetch engines read it.
            *self = if first & 0x0f == 0x08 {
                Decoder::Zlib(flate2::write::ZlibDecoder::new(into))
            } else {
                Decoder::RawDeflate(flate2::write::DeflateDecoder::new(into))
            };
        }
        match self {
            Decoder::Identity(c) | Decoder::Deflate(c) => c.write_all(data),
            Decoder::Gzip(d) => d.write_all(data),
            Decoder::Zlib(d) => d.write_all(data),
            Decoder::RawDeflate(d) => d.write_all(data),
            Decoder::Brotli(d) => d.write_all(data),
        }
    }

    /// Whether a write was refused for the cap (not for bad data).
    fn over(&self) -> bool {
        match self {
            Decoder::Identity(c) | Decoder::Deflate(c) => c.over,
            Decoder::Gzip(d) => d.get_ref().over,
            Decoder::Zlib(d) => d.get_ref().over,
            Decoder::RawDeflate(d) => d.get_ref().over,
            Decoder::Brotli(d) => d.get_ref().over,
        }
    }

    /// The decoded body; an error for a stream cut short or corrupt.
    fn finish(self) -> std::io::Result<Vec<u8>> {
        let capped = match self {
            Decoder::Identity(c) | Decoder::Deflate(c) => c,
            Decoder::Gzip(d) => d.finish()?,
            Decoder::Zlib(d) => d.finish()?,
            Decoder::RawDeflate(d) => d.finish()?,
            Decoder::Brotli(d) => d.into_inner().map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "brotli stream cut short")
            })?,
        };
        Ok(capped.body)
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

/// Sorts a failure: a connect failure proves the request never left, unless it is the TLS
/// handshake's (a certificate problem does not go away on retry: node:http says the same).
/// `connect` and `timeout` are what the client's error type says of itself.
fn classify<E: std::error::Error + Send + Sync + 'static>(
    e: E,
    connect: bool,
    timeout: bool,
) -> AttemptError {
    let io_kind = io_source(&e).map(std::io::Error::kind);
    let (failure, code, error) = if timeout {
        (
            Failure::Timeout,
            "ETIMEDOUT",
            Error::timeout("the request timed out"),
        )
    } else if causes(&e).any(|s| s.is::<rustls::Error>()) {
        (
            Failure::Fatal,
            "ERR_TLS_CERT",
            Error::transport("TLS handshake failed"),
        )
    } else if connect {
        let code = match io_kind {
            Some(std::io::ErrorKind::ConnectionRefused) => "ECONNREFUSED",
            Some(std::io::ErrorKind::TimedOut) => "ETIMEDOUT",
            // hyper-util's connector names a failed name lookup "dns error" (its error types
            // are private).
            _ if causes(&e).any(|s| s.to_string().starts_with("dns error")) => "ENOTFOUND",
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

/// `e` and its causes, innermost last, including the error inside an `io::Error` (whose own
/// `source()` skips it: hyper's connector wraps rustls's error in two of them).
fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
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
    std::iter::successors(Some(e), next)
}

/// The innermost `io::Error` among `e`'s causes: the one that says what the socket saw.
fn io_source<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    causes(e)
        .filter_map(|s| s.downcast_ref::<std::io::Error>())
        .last()
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
