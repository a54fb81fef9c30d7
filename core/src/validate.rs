//! Checks on the caller's input, done before any request is built.

use crate::error::Error;

/// Blank: empty or nothing but ASCII whitespace (space, tab, LF, CR, FF, VT). The API's own
/// rule, which its OpenAPI description states as the pattern `[^ \t\n\r\f\v]`: a no-break
/// space or any other Unicode space is content. The one blank rule of core (ids and body
/// fields); `core/tests/openapi_table.rs` checks it against the sandbox's description.
pub(crate) fn is_blank(value: &str) -> bool {
    value.bytes().all(is_blank_byte)
}

fn is_blank_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0x0b)
}

/// A path parameter must have a visible character; the rule it breaks otherwise, as the words
/// after its name (the caller names it as its surface does: `appUserId`, `app_user_id`).
pub(crate) fn id(value: &str) -> Result<&str, &'static str> {
    if is_blank(value) {
        return Err("must not be empty or blank");
    }
    // Percent-encoding does not help: parsers read %2E as "." too. Any other id is encoded.
    if value == "." || value == ".." {
        return Err("must not be \".\" or \"..\": URL parsers (fetch, browsers, the Rust client) remove such a path segment, so no request could name it");
    }
    Ok(value)
}

/// An absolute `http(s)` URL with a host and no query or fragment; returns it canonical: scheme
/// and host in lower case, the port without leading zeros, no trailing slash.
///
/// This is the one URL rule every engine follows, so it accepts only what every HTTP stack the
/// SDK runs on (node:http, fetch in browsers and Node, reqwest) reads the same way: no userinfo
/// (credentials are options), no `\` (WHATWG parsers read it as `/`), an ASCII host (IPv4 in
/// dotted-quad form, IPv6 in brackets), a port from 1 to 65535, and a path without `.`/`..`
/// segments or characters a parser would percent-encode or drop. `core/tests/base_url.rs` checks
/// it against the `url` crate (the WHATWG parser). Written over bytes, without that crate: its
/// IDNA tables would not fit the browser build's size budget.
///
/// `field` is the option's name on the caller's surface (`baseUrl` in JS, `base_url` in Rust);
/// `credentials_hint` says where credentials go instead of the URL.
pub(crate) fn base_url(
    url: &str,
    field: &'static str,
    credentials_hint: &str,
) -> Result<String, Error> {
    let trimmed = url.trim_end_matches('/');
    let bad = |why: &str| {
        let mut message = format!("{field} {why}: ");
        // Quoted as JSON quotes it (`{:?}` would link core's Unicode escaping tables).
        crate::json::write_str(&mut message, truncate(&without_userinfo(url), 200));
        Error::invalid_input(field, message)
    };
    if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("must not contain spaces or control characters"));
    }
    let (scheme, rest) =
        split_scheme(trimmed).ok_or_else(|| bad("must be an absolute http:// or https:// URL"))?;
    if rest.bytes().any(|b| b == b'\\') {
        return Err(bad("must not contain '\\' (URL parsers read it as '/')"));
    }
    if rest.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(bad("must not have a query or fragment"));
    }
    let (authority, path) = rest.split_at(position(rest, b'/').unwrap_or(rest.len()));
    if position(authority, b'@').is_some() {
        return Err(bad(&format!(
            "must not contain credentials (user:password@): {credentials_hint}"
        )));
    }
    let (host, port) = host_port(authority).map_err(bad)?;
    check_path(path).map_err(bad)?;
    let mut out = String::with_capacity(trimmed.len() + 2);
    out.push_str(scheme);
    out.push_str("://");
    out.push_str(&host);
    if let Some(port) = port {
        out.push(':');
        out.push_str(port);
    }
    out.push_str(path);
    Ok(out)
}

fn position(s: &str, byte: u8) -> Option<usize> {
    s.bytes().position(|b| b == byte)
}

/// `("http" | "https", rest after "://")`.
fn split_scheme(url: &str) -> Option<(&'static str, &str)> {
    let b = url.as_bytes();
    if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        Some(("https", &url[8..]))
    } else if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        Some(("http", &url[7..]))
    } else {
        None
    }
}

/// The URL as an error may show it: any `user:password@` replaced by `***@`.
fn without_userinfo(url: &str) -> String {
    let b = url.as_bytes();
    let Some(start) = b.windows(3).position(|w| w == b"://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let end = b[start..]
        .iter()
        .position(|&c| matches!(c, b'/' | b'\\' | b'?' | b'#'))
        .map_or(b.len(), |i| start + i);
    match b[start..end].iter().rposition(|&c| c == b'@') {
        Some(at) => {
            let mut shown = String::with_capacity(url.len());
            shown.push_str(&url[..start]);
            shown.push_str("***");
            shown.push_str(&url[start + at..]);
            shown
        }
        None => url.to_owned(),
    }
}

/// The host (lower case; IPv6 in brackets) and the port (without leading zeros), if given.
fn host_port(authority: &str) -> Result<(String, Option<&str>), &'static str> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let close = position(inner, b']').ok_or("has an unclosed '[' in its host")?;
        let addr = &inner[..close];
        if !is_ipv6(addr) {
            return Err("has an invalid IPv6 address");
        }
        let after = &inner[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err("has characters after its IPv6 address"),
        };
        let mut host = String::with_capacity(addr.len() + 2);
        host.push('[');
        host.push_str(&addr.to_ascii_lowercase());
        host.push(']');
        (host, port)
    } else {
        let (host, port) = match position(authority, b':') {
            Some(i) => (&authority[..i], Some(&authority[i + 1..])),
            None => (authority, None),
        };
        (reg_name(host)?, port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            // Parsers read 0080 as 80.
            let digits = &p[p.bytes().take_while(|&b| b == b'0').count()..];
            let valid = p.bytes().all(|b| b.is_ascii_digit())
                && !digits.is_empty()
                && (digits.len() < 5 || (digits.len() == 5 && digits <= "65535"));
            if !valid {
                return Err("must have a port from 1 to 65535");
            }
            Some(digits)
        }
    };
    Ok((host, port))
}

/// A domain name or a dotted-quad IPv4 address, in lower case.
fn reg_name(host: &str) -> Result<String, &'static str> {
    if host.is_empty() {
        return Err("must name a host");
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err("must have a host of ASCII letters, digits, '-', '_' and '.'");
    }
    let body = host.strip_suffix('.').unwrap_or(host);
    if body.is_empty() || body.split('.').any(str::is_empty) {
        return Err("has an empty label in its host");
    }
    // Punycode labels are checked by parsers against Unicode tables too large to ship in the
    // browser build; refusing them keeps one rule everywhere.
    if body
        .split('.')
        .any(|l| l.len() >= 4 && l.as_bytes()[..4].eq_ignore_ascii_case(b"xn--"))
    {
        return Err("has an internationalised (xn--) host label, which the SDK does not support: use an ASCII name or an IP address");
    }
    // WHATWG parsers read a host whose last label is a number (decimal or 0x hex) as IPv4, in
    // any of several forms (127.1, 0x7f.1, 017.0.0.1); only the dotted quad means one thing.
    let last = &body.as_bytes()[body.bytes().rposition(|b| b == b'.').map_or(0, |i| i + 1)..];
    let numeric = last.iter().all(u8::is_ascii_digit)
        || (last.len() >= 2 && last[0] == b'0' && last[1] | 0x20 == b'x');
    if numeric && (host.len() != body.len() || !is_ipv4(body)) {
        return Err("must write an IPv4 host as four decimal numbers from 0 to 255 (a.b.c.d)");
    }
    Ok(host.to_ascii_lowercase())
}

/// Four decimal numbers from 0 to 255 without leading zeros, dot-separated.
fn is_ipv4(s: &str) -> bool {
    let mut parts = 0;
    for part in s.split('.') {
        parts += 1;
        let b = part.as_bytes();
        let ok = (1..=3).contains(&b.len())
            && b.iter().all(u8::is_ascii_digit)
            && (b.len() == 1 || b[0] != b'0')
            && b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= 255;
        if !ok {
            return false;
        }
    }
    parts == 4
}

/// An IPv6 address as URLs write it (RFC 4291 text form): eight groups of 1 to 4 hex digits,
/// or fewer around one `::`, the last two optionally as a dotted-quad IPv4 address.
fn is_ipv6(addr: &str) -> bool {
    let gap = addr.as_bytes().windows(2).position(|w| w == b"::");
    let (head, tail) = match gap {
        Some(i) => (&addr[..i], Some(&addr[i + 2..])),
        None => (addr, None),
    };
    if tail.is_some_and(|t| t.as_bytes().windows(2).any(|w| w == b"::")) {
        return false;
    }
    match tail {
        None => ipv6_groups(head, true) == Some(8),
        Some(tail) => match (ipv6_groups(head, false), ipv6_groups(tail, true)) {
            (Some(a), Some(b)) => a + b <= 7,
            _ => false,
        },
    }
}

/// The groups on one side of `::` (an IPv4 tail, allowed on the last side, counts as two).
fn ipv6_groups(side: &str, last: bool) -> Option<usize> {
    if side.is_empty() {
        return Some(0);
    }
    let mut n = 0;
    let mut parts = side.split(':').peekable();
    while let Some(part) = parts.next() {
        if last && parts.peek().is_none() && position(part, b'.').is_some() {
            if !is_ipv4(part) {
                return None;
            }
            n += 2;
        } else if (1..=4).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()) {
            n += 1;
        } else {
            return None;
        }
    }
    Some(n)
}

/// A path prefix: only characters every parser keeps as written, no `.`/`..` segment.
fn check_path(path: &str) -> Result<(), &'static str> {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Err("has a '%' in its path that is not a %XX escape");
            }
            i += 3;
            continue;
        }
        let kept = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
            );
        if !kept {
            return Err("has a character in its path that must be percent-encoded");
        }
        i += 1;
    }
    if path.split('/').any(is_dot_segment) {
        return Err("must not have '.' or '..' segments in its path");
    }
    Ok(())
}

/// `.` or `..`, also percent-encoded: URL parsers (fetch, reqwest) remove these segments.
fn is_dot_segment(segment: &str) -> bool {
    let b = segment.as_bytes();
    let (mut i, mut dots) = (0, 0);
    while i < b.len() {
        if b[i] == b'.' {
            i += 1;
        } else if b[i] == b'%'
            && b.get(i + 1) == Some(&b'2')
            && b.get(i + 2).is_some_and(|&c| c | 0x20 == b'e')
        {
            i += 3;
        } else {
            return false;
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// An absolute `http(s)` URL with a non-empty authority and no whitespace: the API's rule for
/// `callback_url`, as its OpenAPI description states it (the pattern
/// `^[Hh][Tt][Tt][Pp][Ss]?://[^ \t\n\r\f\v/?#]+([/?#][^ \t\n\r\f\v]*)?$`, whitespace as in
/// [`is_blank`]). The server decides the rest; `core/tests/openapi_table.rs` checks this
/// function against that pattern.
pub(crate) fn http_url(url: &str) -> Result<(), &'static str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err("it does not start with http:// or https://");
    };
    if rest.bytes().any(is_blank_byte) {
        return Err("it contains spaces");
    }
    if rest.split(['/', '?', '#']).next().unwrap_or("").is_empty() {
        return Err("it names no host");
    }
    Ok(())
}

/// Basic auth forbids `:` in the user name; header values forbid control characters.
pub(crate) fn username(user: &str) -> Result<(), Error> {
    if user.is_empty() {
        return Err(Error::invalid_input(
            "username",
            "username must not be empty",
        ));
    }
    if user.contains(':') {
        return Err(Error::invalid_input(
            "username",
            "username must not contain ':' (HTTP Basic auth)",
        ));
    }
    header_value("username", user)
}

/// A header value the SDK itself sends: printable ASCII only. Control characters would break or
/// smuggle headers; other characters are refused by fetch and node:http, or sent differently by
/// each HTTP stack.
pub(crate) fn header_text(field: &'static str, value: &str) -> Result<(), Error> {
    header_value(field, value)?;
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Error::invalid_input(
            field,
            format!("{field} must be printable ASCII (HTTP header values cannot carry other characters portably)"),
        ));
    }
    Ok(())
}

/// Control characters in a header value would break or smuggle headers.
pub(crate) fn header_value(field: &'static str, value: &str) -> Result<(), Error> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(())
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
