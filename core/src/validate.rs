//! Checks on the caller's input, done before any request is built.

use crate::error::Error;

/// A path parameter must have a visible character.
pub(crate) fn id<'a>(field: &'static str, value: &'a str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            field,
            format!("{field} must not be empty or blank"),
        ));
    }
    Ok(value)
}

/// An absolute `http(s)` URL with a host and no query or fragment; returns it canonical: the
/// scheme in lower case (schemes are case-insensitive) and no trailing slash.
pub(crate) fn base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim_end_matches('/');
    let bad = |why: &str| {
        Error::invalid_input(
            "baseUrl",
            format!("baseUrl {why}: {:?}", truncate(url, 200)),
        )
    };
    http_url(trimmed).map_err(bad)?;
    if trimmed.contains(['?', '#']) {
        return Err(bad("must not have a query or fragment"));
    }
    // http_url checked that the URL starts with an ASCII scheme and "://".
    let scheme_end = trimmed.find("://").unwrap_or(0);
    Ok(format!(
        "{}{}",
        trimmed[..scheme_end].to_ascii_lowercase(),
        &trimmed[scheme_end..]
    ))
}

/// Checks an absolute http(s) URL with a non-empty host and no whitespace or control characters.
pub(crate) fn http_url(url: &str) -> Result<(), &'static str> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("must not contain spaces or control characters");
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err("must be an absolute http:// or https:// URL");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err("must name a host");
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
