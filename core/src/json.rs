//! A small JSON reader and writer for the wire formats of this API.
//!
//! Decoding a response, reading a request body and writing the engine's outputs go through here
//! rather than through serde: the models are a handful of string fields, and a hand-written
//! pull parser keeps the browser build small (serde's generic machinery and float formatting cost
//! tens of KB of wasm) while decoding straight into the models without an intermediate tree. The
//! serde derives on the models remain for Rust programs that want them.

use std::borrow::Cow;

/// Nesting deeper than this in a skipped (unknown) value is rejected rather than recursed into.
const MAX_DEPTH: u32 = 128;

/// Why a JSON text was not what was expected (message with its byte offset).
#[derive(Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl std::fmt::Debug for JsonError {
    // By hand: the derived form quotes the message with `str`'s `Debug`, whose Unicode
    // escaping tables the browser build would then link (an error's source must be `Debug`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonError(")?;
        f.write_str(&self.0)?;
        f.write_str(")")
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

/// A pull parser over one JSON text.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    /// An error at the current position.
    pub fn error(&self, what: impl std::fmt::Display) -> JsonError {
        JsonError(format!("{what} at byte {}", self.pos))
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte that is not whitespace, without consuming it.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        if rest(self.bytes, self.pos).starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// Succeeds when only whitespace is left.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// Consumes a `null` if one comes next.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads a string value.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let (open, built) = self.scan_string::<true>()?;
        Ok(match built {
            Some(value) => Cow::Owned(value),
            // No escapes: the value is a slice of the (already valid UTF-8) text.
            None => Cow::Borrowed(slice(self.text, open + 1, self.pos - 1)),
        })
    }

    /// Checks a string value exactly as [`Reader::string`] does and returns it as written, quotes
    /// and escapes included: copied into a JSON output it gives the same value, with no unescaping
    /// and escaping again.
    pub fn raw_string(&mut self) -> Result<&'a str, JsonError> {
        let (open, _) = self.scan_string::<false>()?;
        Ok(slice(self.text, open, self.pos))
    }

    /// Scans a string literal: its opening quote's position, and with `BUILD` the unescaped value
    /// when it has escapes (without escapes the value is a slice of the text).
    fn scan_string<const BUILD: bool>(&mut self) -> Result<(usize, Option<String>), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string"));
        }
        let open = self.pos;
        self.pos += 1;
        let mut built: Option<String> = None;
        let mut run = self.pos;
        loop {
            self.pos = plain_run(self.bytes, self.pos);
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    if let Some(out) = built.as_mut() {
                        out.push_str(slice(self.text, run, self.pos));
                    }
                    self.pos += 1;
                    return Ok((open, built));
                }
                Some(b'\\') => {
                    if BUILD {
                        let out = built
                            .get_or_insert_with(|| String::with_capacity(self.pos - open + 16));
                        out.push_str(slice(self.text, run, self.pos));
                    }
                    self.pos += 1;
                    let esc = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    let c = match esc {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    if let Some(out) = built.as_mut() {
                        out.push(c);
                    }
                    run = self.pos;
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let n = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape"));
        }
        self.pos += 4;
        Ok(n)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !rest(self.bytes, self.pos).starts_with(b"\\u") {
                    return Err(self.error("lone leading surrogate in \\u escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("invalid trailing surrogate in \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in \\u escape")),
            n => n,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    /// Reads an object, calling `field` with each key; `field` must consume the value.
    pub fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &str) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.peek() != Some(b'{') {
            return Err(self.error("expected an object"));
        }
        self.pos += 1;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let key = self.string()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            field(self, &key)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    /// Reads an array, calling `item` for each element; `item` must consume it.
    pub fn array(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.peek() != Some(b'[') {
            return Err(self.error("expected an array"));
        }
        self.pos += 1;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    /// Reads any value (checking its syntax, as [`Reader::skip`]) and returns it as written,
    /// from its first to its last byte: fields this version does not know, kept as sent.
    pub fn raw_value(&mut self) -> Result<&'a str, JsonError> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(slice(self.text, start, self.pos))
    }

    /// Reads and discards any value (checking its syntax): fields this version does not know.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{' | b'[') => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error("nesting too deep"));
                }
                let result = if self.bytes[self.pos] == b'{' {
                    self.object(|r, _| r.skip())
                } else {
                    self.array(Reader::skip)
                };
                self.depth -= 1;
                result
            }
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), JsonError> {
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(())
    }
}

/// The index of the first byte at or after `i` that ends a run of plain string content (a quote,
/// a backslash or a control character), or `bytes.len()`. Eight bytes at a time: strings are most
/// of a response body.
fn plain_run(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // Per byte: zero after the XOR (a quote or backslash), or below 0x20. The lowest flagged
        // byte is always a real hit (borrows only create false hits above it).
        let hits = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = bytes.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// `text[start..end]`, for positions the caller found at ASCII bytes (always char boundaries);
/// `""` for a range that is not one, which no caller passes. Indexing would link the panic path
/// of a bad slice, whose message formats the text with core's Unicode escaping tables (a few KB
/// of the browser build); `get` checks the same and costs the same.
pub(crate) fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or_default()
}

/// `bytes[start..]`, or empty past the end (see [`slice`]).
fn rest(bytes: &[u8], start: usize) -> &[u8] {
    bytes.get(start..).unwrap_or_default()
}

/// A value with a wire form: read from the API's JSON, and written in the camelCase form the JS
/// surfaces return. Implemented by the response models and their parts.
pub trait Wire: Sized {
    /// The value's shape, for [`transcode_shape`]: the one transcoder walks these static
    /// tables, rather than each model carrying its own copy of the object loop (which was most
    /// of the browser build's decoding code).
    const SHAPE: Shape;

    /// Reads the value at the reader's position.
    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError>;

    /// The value of a field the server left out: an error unless the field is optional.
    fn missing(name: &str) -> Result<Self, JsonError> {
        Err(missing(name))
    }

    /// Appends the camelCase JSON form.
    fn write_js(&self, out: &mut String);

    /// Reads the value at the reader's position and appends its camelCase JSON form: what
    /// `read` then `write_js` give (same output, same errors), without building the value.
    /// Strings are copied as written.
    fn transcode(r: &mut Reader<'_>, out: &mut String) -> Result<(), JsonError> {
        transcode_shape(r, out, &Self::SHAPE)
    }
}

/// The shape of a response value as [`transcode_shape`] walks it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Shape {
    /// A string, copied as written.
    Str,
    /// `null` or a value of the inner shape; a field of this shape may be absent (then `null`).
    Nullable(&'static Shape),
    /// An array of values of the inner shape.
    List(&'static Shape),
    /// An object with these known fields; others are kept, under their camelCase keys.
    Object(&'static [Field]),
}

/// A known field of an object [`Shape`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Field {
    /// The name on the wire.
    pub wire: &'static str,
    /// The name on the JS surfaces.
    pub js: &'static str,
    /// The value's shape.
    pub shape: Shape,
}

impl Field {
    /// A field named `wire` on the wire and `js` on the JS surfaces.
    pub const fn new(wire: &'static str, js: &'static str, shape: Shape) -> Field {
        Field { wire, js, shape }
    }
}

/// The most known fields an object [`Shape`] may have (the transcoder tracks them in a `u32`).
pub const MAX_FIELDS: usize = 32;

/// Reads the value at the reader's position as `shape` and appends its camelCase JSON form:
/// what [`Wire::transcode`] does for every response model. Known fields are written in the
/// order the server sent them, then the absent optional ones as `null`; unknown fields follow
/// the rule of `write_unknown_key`. Errors as the models' `read`: a duplicate field (at its
/// position), then a missing required one (the first in declaration order).
pub fn transcode_shape(
    r: &mut Reader<'_>,
    out: &mut String,
    shape: &Shape,
) -> Result<(), JsonError> {
    match *shape {
        Shape::Str => out.push_str(r.raw_string()?),
        Shape::Nullable(inner) => {
            if !r.null()? {
                return transcode_shape(r, out, inner);
            }
            out.push_str("null");
        }
        Shape::List(item) => {
            out.push('[');
            let mut first = true;
            r.array(|r| {
                if !first {
                    out.push(',');
                }
                first = false;
                transcode_shape(r, out, item)
            })?;
            out.push(']');
        }
        Shape::Object(fields) => {
            let mut seen = 0u32;
            let mut sep = '{';
            r.object(|r, key| {
                // Bit i of `seen`: fields[i] was read (the models' tables have at most
                // MAX_FIELDS fields, checked where they are declared).
                let mut bit = 1u32;
                for field in fields {
                    if field.wire == key {
                        if seen & bit != 0 {
                            return Err(duplicate(r, key));
                        }
                        seen |= bit;
                        out.push(sep);
                        sep = ',';
                        write_key(out, field.js);
                        return transcode_shape(r, out, &field.shape);
                    }
                    bit <<= 1;
                }
                let raw = r.raw_value()?;
                if write_unknown_key(out, &mut sep, key, fields) {
                    out.push_str(raw);
                }
                Ok(())
            })?;
            let mut bit = 1u32;
            for field in fields {
                if seen & bit == 0 {
                    if !matches!(field.shape, Shape::Nullable(_)) {
                        return Err(missing(field.wire));
                    }
                    out.push(sep);
                    sep = ',';
                    write_key(out, field.js);
                    out.push_str("null");
                }
                bit <<= 1;
            }
            if sep == '{' {
                out.push('{');
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Writes the camelCase key of an unknown field (with its separator) unless it would repeat a
/// known field's JS name (a server sending both `given_name` and `givenName`): then nothing is
/// written and `false` returned. Rust callers still find such a field in the model's `extra`.
pub(crate) fn write_unknown_key(
    out: &mut String,
    sep: &mut char,
    key: &str,
    known: &[Field],
) -> bool {
    let camel = camel_case(key);
    if known.iter().any(|f| f.js == camel) {
        return false;
    }
    out.push(*sep);
    *sep = ',';
    write_str(out, &camel);
    out.push(':');
    true
}

/// The error for a required field the server left out.
fn missing(name: &str) -> JsonError {
    JsonError(format!("missing field `{name}`"))
}

impl Wire for String {
    const SHAPE: Shape = Shape::Str;

    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        r.string().map(Cow::into_owned)
    }

    fn write_js(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl<T: Wire> Wire for Option<T> {
    const SHAPE: Shape = Shape::Nullable(&T::SHAPE);

    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        if r.null()? {
            Ok(None)
        } else {
            T::read(r).map(Some)
        }
    }

    fn missing(_: &str) -> Result<Self, JsonError> {
        Ok(None)
    }

    fn write_js(&self, out: &mut String) {
        match self {
            Some(v) => v.write_js(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    const SHAPE: Shape = Shape::List(&T::SHAPE);

    fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut items = Vec::new();
        r.array(|r| {
            items.push(T::read(r)?);
            Ok(())
        })?;
        Ok(items)
    }

    fn write_js(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_js(out);
        }
        out.push(']');
    }
}

/// Reads a whole JSON text as `T` (nothing but whitespace may follow).
pub fn from_str<T: Wire>(text: &str) -> Result<T, JsonError> {
    let mut r = Reader::new(text);
    let value = T::read(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Transcodes a whole JSON text as `T` into `out` (see [`Wire::transcode`]).
pub fn transcode_str<T: Wire>(text: &str, out: &mut String) -> Result<(), JsonError> {
    let mut r = Reader::new(text);
    T::transcode(&mut r, out)?;
    r.finish()
}

/// Stores a field read inside an object, rejecting a second occurrence of the same key.
pub fn set_once<T: Wire>(
    r: &mut Reader<'_>,
    slot: &mut Option<T>,
    name: &str,
) -> Result<(), JsonError> {
    if slot.is_some() {
        return Err(duplicate(r, name));
    }
    *slot = Some(T::read(r)?);
    Ok(())
}

/// The error for a second occurrence of field `name` in one object.
pub fn duplicate(r: &Reader<'_>, name: &str) -> JsonError {
    r.error(format_args!("duplicate field `{name}`"))
}

/// Appends `s` as a JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(slice(s, run, i));
        if escaped.is_empty() {
            // A control character: `\u00XX` (by hand: no formatting machinery per character).
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escaped);
        }
        run = i + 1;
    }
    out.push_str(slice(s, run, s.len()));
    out.push('"');
}

/// Appends `key` as a JSON string in camelCase, the rule every wire name follows on its way to
/// the JS surfaces: an `_` between two characters, followed by an ASCII lower-case letter or
/// digit, is dropped and that character upper-cased (`profile_pic` → `profilePic`); anything else
/// (leading or doubled `_`, other characters) is kept.
pub fn write_camel_key(out: &mut String, key: &str) {
    write_str(out, &camel_case(key));
    out.push(':');
}

/// `key` in camelCase (see [`write_camel_key`]); borrowed when it has no `_`.
pub fn camel_case(key: &str) -> Cow<'_, str> {
    if !key.contains('_') {
        return Cow::Borrowed(key);
    }
    let b = key.as_bytes();
    let mut camel = String::with_capacity(key.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'_'
            && i > 0
            && b[i - 1] != b'_'
            && b.get(i + 1)
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            camel.push(char::from(b[i + 1].to_ascii_uppercase()));
            i += 2;
            continue;
        }
        let len = utf8_len(b[i]);
        camel.push_str(slice(key, i, i + len));
        i += len;
    }
    Cow::Owned(camel)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Appends `"key":` (keys are static identifiers that need no escaping).
pub fn write_key(out: &mut String, key: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Result<Vec<String>, JsonError> {
        from_str::<Vec<String>>(text)
    }

    #[test]
    fn strings_with_escapes_and_surrogates() {
        assert_eq!(
            strings(r#"["a\"b\\c\/\n\t\u00e9\ud83d\ude00", "plain", "Zoë"]"#).unwrap(),
            ["a\"b\\c/\n\té😀", "plain", "Zoë"]
        );
        for bad in [
            r#"["\ud83d"]"#,
            r#"["\ude00"]"#,
            r#"["\x"]"#,
            "[\"a\u{1}\"]",
            r#"["\u12"]"#,
            r#"["abc"#,
        ] {
            assert!(strings(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn camel_keys() {
        for (wire, js) in [
            ("profile_pic", "profilePic"),
            ("given_name", "givenName"),
            ("a_b_c", "aBC"),
            ("x_1", "x1"),
            ("_id", "_id"),
            ("a__b", "a__b"),
            ("trail_", "trail_"),
            ("already_Camel", "already_Camel"),
            ("displayText", "displayText"),
            ("é_é", "é_é"),
            ("q\"uote_x", "q\"uoteX"),
        ] {
            let mut out = String::new();
            write_camel_key(&mut out, wire);
            let mut want = String::new();
            write_str(&mut want, js);
            want.push(':');
            assert_eq!(out, want, "{wire}");
        }
    }

    #[test]
    fn raw_values_are_returned_as_written() {
        let mut r = Reader::new(r#"{"a": [1, {"b" :null}] , "c":"\u00e9"}"#);
        let mut got = Vec::new();
        r.object(|r, k| {
            got.push((k.to_owned(), r.raw_value()?.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            got,
            [
                ("a".to_owned(), r#"[1, {"b" :null}]"#.to_owned()),
                ("c".to_owned(), r#""\u00e9""#.to_owned())
            ]
        );
        assert!(Reader::new("[1,").raw_value().is_err());
    }

    #[test]
    fn skip_checks_syntax_and_depth() {
        let mut r = Reader::new(r#"{"a":[1,-2.5e+3,true,false,null,{"b":"c"}],"d":0}"#);
        r.skip().unwrap();
        r.finish().unwrap();
        for bad in [
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "{\"a\" 1}",
            "[1,]",
            "{,}",
            "[1 2]",
        ] {
            let mut r = Reader::new(bad);
            assert!(r.skip().and_then(|_| r.finish()).is_err(), "{bad}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(Reader::new(&deep).skip().is_err());
    }

    #[test]
    fn written_strings_read_back() {
        let original = "q\"b\\s\n\r\t\u{1}\u{1f}é😀\u{2028}";
        let mut out = String::new();
        write_str(&mut out, original);
        assert_eq!(out, "\"q\\\"b\\\\s\\n\\r\\t\\u0001\\u001fé😀\u{2028}\"");
        assert_eq!(from_str::<String>(&out).unwrap(), original);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), original);
    }
}
