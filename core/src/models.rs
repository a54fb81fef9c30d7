//! Request and response bodies.
//!
//! On the wire names are snake_case (except inside a message's `actions`, where the API writes
//! `displayText` / `responseText`). Response models deserialize from the wire and keep the fields
//! they do not know in `extra` (the API is beta and grows); they *serialize* in camelCase, the
//! form the JavaScript surfaces return (`extra` keys as sent). Request models serialize to the
//! wire form, `extra` included.

use crate::json::{camel_case, duplicate, set_once, write_key, write_str, JsonError, Reader, Wire};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Fields a model does not know, by wire name, each value exactly as it was written: what a
/// response carried beyond the known fields (kept, never dropped), or what a request sends
/// beyond them. Serde (de)serializes them flattened beside the known fields.
pub type Extra = BTreeMap<String, RawJson>;

/// One JSON value as text, exactly as written (kept as text: the browser build then needs no
/// JSON tree or number formatting, and numbers keep their precision). Serde reads and writes it
/// as the value it holds.
///
/// ```
/// use conversations_core::models::RawJson;
/// let raw = RawJson::from_value(&serde_json::json!({ "url": "https://x.test/p.png" }));
/// assert_eq!(raw.as_str(), r#"{"url":"https://x.test/p.png"}"#);
/// let value: serde_json::Value = raw.parse().unwrap();
/// assert_eq!(value["url"], "https://x.test/p.png");
/// assert!(RawJson::new("{oops").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawJson(String);

impl RawJson {
    /// Checks that `text` is one JSON value and keeps it as written.
    pub fn new(text: impl Into<String>) -> Result<RawJson, JsonError> {
        let text = text.into();
        let mut r = Reader::new(&text);
        r.skip()?;
        r.finish()?;
        Ok(RawJson(text))
    }

    /// The value's JSON text (compact).
    pub fn from_value(value: &serde_json::Value) -> RawJson {
        RawJson(value.to_string())
    }

    /// A JSON string value.
    pub fn string(s: &str) -> RawJson {
        let mut out = String::with_capacity(s.len() + 2);
        write_str(&mut out, s);
        RawJson(out)
    }

    /// Text already checked by the reader.
    pub(crate) fn checked(text: &str) -> RawJson {
        RawJson(text.to_owned())
    }

    /// The JSON text, as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as any deserializable type (`serde_json::Value`, a struct of yours...).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.parse::<serde_json::Value>()
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(|v| RawJson::from_value(&v))
    }
}

/// Writes `extra` after known fields (`sep` is `{` when none was written).
fn write_extra(out: &mut String, sep: &mut char, extra: &Extra) {
    for (key, value) in extra {
        out.push(*sep);
        *sep = ',';
        write_str(out, key);
        out.push(':');
        out.push_str(value.as_str());
    }
}

fn write_opt(out: &mut String, sep: &mut char, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        out.push(*sep);
        *sep = ',';
        write_key(out, key);
        write_str(out, v);
    }
}

/// The body of createSendMessage: a message to an app user. Its kinds (see
/// [`crate::operation::MESSAGE`]) are a text (`text`), an image (`type: "image"`, `media`,
/// optional `text`) and buttons (`type: "actions"`, `text`, `actions`); a kind or field the API
/// adds later can be sent with [`BaseMessage::of_kind`] and [`BaseMessage::with_extra`].
///
/// ```
/// use conversations_core::models::{Action, BaseMessage};
/// let buttons = BaseMessage::actions(
///     "Was the coffee any good?",
///     [Action::reply("The best!", "Y"), Action::reply("That was coffee?", "N")],
///     "facebook",
/// );
/// let json = serde_json::to_string(&buttons).unwrap();
/// assert_eq!(
///     json,
///     r#"{"channel":"facebook","type":"actions","text":"Was the coffee any good?","actions":[{"type":"reply","displayText":"The best!","responseText":"Y"},{"type":"reply","displayText":"That was coffee?","responseText":"N"}]}"#
/// );
/// assert_eq!(serde_json::from_str::<BaseMessage>(&json).unwrap(), buttons);
/// let image = BaseMessage::image("https://x.test/like.png", "facebook");
/// assert_eq!(image.kind.as_deref(), Some("image"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BaseMessage {
    /// The channel to send it on (e.g. `facebook`).
    pub channel: String,
    /// The kind (`image`, `actions`, ...); `None` is a text message.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The text (required for text and actions messages, optional for an image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The image's URL, for an image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// The buttons, for an actions message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Fields this version does not know, sent as given after the known ones.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BaseMessage {
    /// The wire JSON: known fields in wire order, then `extra`.
    pub(crate) fn to_wire_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.text.as_ref().map_or(0, String::len));
        let mut sep = '{';
        out.push(sep);
        sep = ',';
        write_key(&mut out, "channel");
        write_str(&mut out, &self.channel);
        write_opt(&mut out, &mut sep, "type", &self.kind);
        write_opt(&mut out, &mut sep, "text", &self.text);
        write_opt(&mut out, &mut sep, "media", &self.media);
        if !self.actions.is_empty() {
            out.push(sep);
            write_key(&mut out, "actions");
            for (i, action) in self.actions.iter().enumerate() {
                out.push(if i == 0 { '[' } else { ',' });
                action.write_wire(&mut out);
            }
            out.push(']');
        }
        write_extra(&mut out, &mut sep, &self.extra);
        out.push('}');
        out
    }

    /// A text message on `channel` (same as [`BaseMessage::text`]).
    pub fn new(text: impl Into<String>, channel: impl Into<String>) -> Self {
        BaseMessage::text(text, channel)
    }

    /// A text message on `channel`.
    pub fn text(text: impl Into<String>, channel: impl Into<String>) -> Self {
        BaseMessage {
            text: Some(text.into()),
            ..BaseMessage::of_kind(None::<String>, channel)
        }
    }

    /// An image (`type: "image"`), `media` being its URL; add a caption with
    /// [`BaseMessage::with_text`].
    pub fn image(media: impl Into<String>, channel: impl Into<String>) -> Self {
        BaseMessage {
            media: Some(media.into()),
            ..BaseMessage::of_kind(Some("image"), channel)
        }
    }

    /// Buttons (`type: "actions"`): `text` above the `actions`.
    pub fn actions(
        text: impl Into<String>,
        actions: impl IntoIterator<Item = Action>,
        channel: impl Into<String>,
    ) -> Self {
        BaseMessage {
            text: Some(text.into()),
            actions: actions.into_iter().collect(),
            ..BaseMessage::of_kind(Some("actions"), channel)
        }
    }

    /// A message of any kind, including one this version does not know (`None`: text); fill
    /// its fields with the `with_*` methods.
    pub fn of_kind(kind: Option<impl Into<String>>, channel: impl Into<String>) -> Self {
        BaseMessage {
            channel: channel.into(),
            kind: kind.map(Into::into),
            text: None,
            media: None,
            actions: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// Sets the text.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Adds a field this version does not know, sent as given.
    pub fn with_extra(mut self, key: impl Into<String>, value: RawJson) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// One button of an actions message. Its wire names are camelCase (`displayText`,
/// `responseText`), as the API writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Action {
    /// The button's kind (`reply`, or one this version does not know).
    #[serde(rename = "type")]
    pub kind: String,
    /// The label, for a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_text: Option<String>,
    /// What a tap sends back, for a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_text: Option<String>,
    /// Fields this version does not know, sent as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Action {
    /// A quick-reply button: `display_text` on the button, `response_text` sent back on a tap.
    pub fn reply(display_text: impl Into<String>, response_text: impl Into<String>) -> Self {
        Action {
            display_text: Some(display_text.into()),
            response_text: Some(response_text.into()),
            ..Action::of_kind("reply")
        }
    }

    /// A button of any kind (fields through [`Action::with_extra`]).
    pub fn of_kind(kind: impl Into<String>) -> Self {
        Action {
            kind: kind.into(),
            display_text: None,
            response_text: None,
            extra: Extra::new(),
        }
    }

    /// Adds a field this version does not know, sent as given.
    pub fn with_extra(mut self, key: impl Into<String>, value: RawJson) -> Self {
        self.extra.insert(key.into(), value);
        self
    }

    fn write_wire(&self, out: &mut String) {
        let mut sep = '{';
        out.push(sep);
        sep = ',';
        write_key(out, "type");
        write_str(out, &self.kind);
        write_opt(out, &mut sep, "displayText", &self.display_text);
        write_opt(out, &mut sep, "responseText", &self.response_text);
        write_extra(out, &mut sep, &self.extra);
        out.push('}');
    }
}

/// The body of createConfigureAccount: provisions the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigureAccountRequest {
    /// The account's name (required).
    pub name: String,
    /// Where inbound messages and notifications are pushed (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Fields this version does not know, sent as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ConfigureAccountRequest {
    /// The wire JSON: `{"name":…}` plus `"callback_url"` when set, then `extra`.
    pub(crate) fn to_wire_json(&self) -> String {
        let mut out = String::with_capacity(self.name.len() + 64);
        let mut sep = '{';
        out.push(sep);
        sep = ',';
        write_key(&mut out, "name");
        write_str(&mut out, &self.name);
        write_opt(&mut out, &mut sep, "callback_url", &self.callback_url);
        write_extra(&mut out, &mut sep, &self.extra);
        out.push('}');
        out
    }

    /// A request naming the account, with no callback URL.
    pub fn new(name: impl Into<String>) -> Self {
        ConfigureAccountRequest {
            name: name.into(),
            callback_url: None,
            extra: Extra::new(),
        }
    }

    /// Sets the callback URL.
    pub fn with_callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Adds a field this version does not know, sent as given.
    pub fn with_extra(mut self, key: impl Into<String>, value: RawJson) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// Writes the camelCase key of an unknown field (with its separator) unless it would repeat a
/// known field's JS name (a server sending both `given_name` and `givenName`): then nothing is
/// written and `false` returned. Rust callers still find such a field in `extra`.
fn write_unknown_key(out: &mut String, sep: &mut char, key: &str, known: &[&str]) -> bool {
    let camel = camel_case(key);
    if known.contains(&camel.as_ref()) {
        return false;
    }
    out.push(*sep);
    *sep = ',';
    write_str(out, &camel);
    out.push(':');
    true
}

macro_rules! response_model {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$fmeta:meta])* pub $field:ident : $ty:ty => $js:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Fields this version does not know, by wire name, values as sent.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl $name {
            /// The fields' JavaScript names, in declaration order: the one list the JS
            /// surfaces (`npm/index.d.ts`, `npm/lib/models.js`) are checked against.
            pub const JS_FIELDS: &'static [&'static str] = &[$($js),*];
        }

        // The hand-written codec (see `json`): wire names are the field names, JS names given.
        impl Wire for $name {
            fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
                $(let mut $field: Option<$ty> = None;)*
                let mut extra = Extra::new();
                r.object(|r, key| match key {
                    $(stringify!($field) => set_once(r, &mut $field, key),)*
                    _ => {
                        let raw = RawJson::checked(r.raw_value()?);
                        extra.insert(key.to_owned(), raw);
                        Ok(())
                    }
                })?;
                Ok($name {
                    $($field: match $field {
                        Some(v) => v,
                        None => <$ty as Wire>::missing(stringify!($field))?,
                    },)*
                    extra,
                })
            }

            fn write_js(&self, out: &mut String) {
                let mut sep = '{';
                $(
                    out.push(sep);
                    sep = ',';
                    write_key(out, $js);
                    self.$field.write_js(out);
                )*
                for (key, value) in &self.extra {
                    if !write_unknown_key(out, &mut sep, key, &[$($js),*]) {
                        continue;
                    }
                    out.push_str(value.as_str());
                }
                if sep == '{' {
                    out.push('{');
                }
                out.push('}');
            }

            // Fields in the order the server sent them, then the absent optional ones as null;
            // the same checks, in the same order, as `read`.
            fn transcode(r: &mut Reader<'_>, out: &mut String) -> Result<(), JsonError> {
                $(let mut $field = false;)*
                let mut sep = '{';
                r.object(|r, key| match key {
                    $(stringify!($field) => {
                        if $field {
                            return Err(duplicate(r, key));
                        }
                        $field = true;
                        out.push(sep);
                        sep = ',';
                        write_key(out, $js);
                        <$ty as Wire>::transcode(r, out)
                    })*
                    _ => {
                        let raw = r.raw_value()?;
                        if write_unknown_key(out, &mut sep, key, &[$($js),*]) {
                            out.push_str(raw);
                        }
                        Ok(())
                    }
                })?;
                $(
                    if !$field {
                        let absent = <$ty as Wire>::missing(stringify!($field))?;
                        out.push(sep);
                        sep = ',';
                        write_key(out, $js);
                        absent.write_js(out);
                    }
                )*
                if sep == '{' {
                    out.push('{');
                }
                out.push('}');
                Ok(())
            }
        }
    };
}

response_model! {
    /// The response of createSendMessage.
    pub struct SendMessageResponse {
        /// The channel the message went out on.
        pub channel: String => "channel",
        /// The text sent; `None` for a message without text (an image, for one).
        #[serde(default)]
        pub text: Option<String> => "text",
    }
}

response_model! {
    /// An app user: someone who messaged one of the account's pages. Also the response of
    /// getAppUserById.
    pub struct AppUser {
        /// The app user's id.
        pub id: String => "id",
        /// Surname, when known.
        #[serde(default)]
        pub surname: Option<String> => "surname",
        /// Given name, when known.
        #[serde(default)]
        pub given_name: Option<String> => "givenName",
    }
}

/// The response of getAppUserById.
pub type GetAppUserByIdResponse = AppUser;

response_model! {
    /// The response of getAppUsers.
    pub struct GetAppUsersResponse {
        /// The app users.
        pub data: Vec<AppUser> => "data",
    }
}

response_model! {
    /// One message of a conversation.
    pub struct Message {
        /// Who sent it: received from the app user, or sent by the account.
        pub direction: Direction => "direction",
        /// The text, when the message has one.
        #[serde(default)]
        pub text: Option<String> => "text",
        /// The channel (e.g. `FACEBOOK`).
        pub channel: Channel => "channel",
        /// When it happened, exactly as the server wrote it.
        pub timestamp: Timestamp => "timestamp",
    }
}

response_model! {
    /// The list of messages of a conversation.
    pub struct Messages {
        /// The messages, as the server ordered them.
        pub data: Vec<Message> => "data",
    }
}

response_model! {
    /// Who a conversation belongs to.
    pub struct Metadata {
        /// The app user's id.
        #[serde(default)]
        pub user_id: Option<String> => "userId",
        /// The account's id.
        #[serde(default)]
        pub account_id: Option<String> => "accountId",
    }
}

response_model! {
    /// The response of getAppUserMessages: the whole conversation with one app user.
    pub struct GetAppUserMessagesResponse {
        /// The messages.
        pub messages: Messages => "messages",
        /// The conversation's owner, when the server sent it.
        #[serde(default)]
        pub metadata: Option<Metadata> => "metadata",
    }
}

response_model! {
    /// The response of createConfigureAccount.
    pub struct ConfigureAccountResponse {
        /// The account's name.
        pub name: String => "name",
        /// The callback URL, when one is set.
        #[serde(default)]
        pub callback_url: Option<String> => "callbackUrl",
    }
}

response_model! {
    /// A Facebook page the authenticated Facebook user manages.
    pub struct FacebookPage {
        /// The page id (what createIntegrateFacebookPage takes).
        pub id: String => "id",
        /// The page's name, when known.
        #[serde(default)]
        pub name: Option<String> => "name",
    }
}

response_model! {
    /// The response of getFacebookPages.
    pub struct GetFacebookPagesResponse {
        /// The pages.
        pub data: Vec<FacebookPage> => "data",
    }
}

response_model! {
    /// The response of getFacebookAuthorisationURL.
    pub struct GetFacebookAuthorisationUrlResponse {
        /// Where the Facebook user authorises the account.
        pub authorisation_url: String => "authorisationUrl",
    }
}

/// Who sent a message. Values the API adds later are kept in [`Direction::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// From the app user to the account.
    Received,
    /// From the account to the app user.
    Sent,
    /// A value this version does not know, exactly as sent.
    Other(String),
}

impl Direction {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Direction::Received => "RECEIVED",
            Direction::Sent => "SENT",
            Direction::Other(s) => s,
        }
    }
}

impl From<String> for Direction {
    fn from(s: String) -> Self {
        match s.as_str() {
            "RECEIVED" => Direction::Received,
            "SENT" => Direction::Sent,
            _ => Direction::Other(s),
        }
    }
}

/// A channel name, kept exactly as the server wrote it (`FACEBOOK` today; more may come).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Channel(String);

impl Channel {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is Facebook Messenger (the wire uses both `facebook` and `FACEBOOK`).
    pub fn is_facebook(&self) -> bool {
        self.0.eq_ignore_ascii_case("facebook")
    }
}

/// An RFC 3339 timestamp, kept as the exact string the server sent so it round-trips unchanged;
/// [`Timestamp::to_system_time`] gives the typed value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// Wraps a string as sent by the server (not validated until read).
    pub fn new(s: impl Into<String>) -> Self {
        Timestamp(s.into())
    }

    /// The exact string the server sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, or `None` when the string is not RFC 3339.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        parse_rfc3339(&self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! string_serde {
    ($ty:ident, $from:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($from)
            }
        }
        impl Wire for $ty {
            fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
                String::read(r).map($from)
            }
            fn write_js(&self, out: &mut String) {
                write_str(out, self.as_str());
            }
            // The value is the exact string sent, so it is copied as written.
            fn transcode(r: &mut Reader<'_>, out: &mut String) -> Result<(), JsonError> {
                String::transcode(r, out)
            }
        }
    };
}

string_serde!(Direction, Direction::from);
string_serde!(Channel, Channel);
string_serde!(Timestamp, Timestamp);

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z` and a space separator are accepted
/// as RFC 3339 allows.
fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        // Only the first 9 digits matter (nanosecond precision).
        for (k, d) in b[start..i].iter().take(9).enumerate() {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - k as u32);
        }
    }
    let offset_secs = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_secs;
    if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::new(secs as u64, nanos))
    } else {
        UNIX_EPOCH
            .checked_sub(Duration::from_secs(secs.unsigned_abs()))?
            .checked_add(Duration::from_nanos(u64::from(nanos)))
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Option<(u64, u32)> {
        parse_rfc3339(s).map(|t| {
            let d = t.duration_since(UNIX_EPOCH).unwrap();
            (d.as_secs(), d.subsec_nanos())
        })
    }

    #[test]
    fn rfc3339_parses_documented_forms() {
        assert_eq!(secs("2017-12-12T18:18:40.000Z"), Some((1_513_102_720, 0)));
        assert_eq!(
            secs("2017-12-12T18:18:40.123456789Z"),
            Some((1_513_102_720, 123_456_789))
        );
        assert_eq!(secs("2017-12-12T20:18:40+02:00"), Some((1_513_102_720, 0)));
        assert_eq!(secs("2017-12-12T16:18:40-02:00"), Some((1_513_102_720, 0)));
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(secs("2024-02-29T00:00:00Z"), Some((1_709_164_800, 0)));
    }

    #[test]
    fn rfc3339_rejects_garbage() {
        for bad in [
            "",
            "2017-12-12",
            "2017-13-12T18:18:40Z",
            "2023-02-29T00:00:00Z",
            "2017-12-12T18:18:40",
            "2017-12-12T18:18:40.Z",
            "2017-12-12T18:18:40Zjunk",
            "2017-12-12T25:18:40Z",
            "２017-12-12T18:18:40Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn unknown_directions_and_channels_round_trip() {
        let m: Message = serde_json::from_str(
            r#"{"direction":"ECHOED","text":null,"channel":"WHATSAPP","timestamp":"not a time","extra":1}"#,
        )
        .unwrap();
        assert_eq!(m.direction, Direction::Other("ECHOED".into()));
        assert!(!m.channel.is_facebook());
        assert_eq!(m.timestamp.to_system_time(), None);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"direction":"ECHOED","text":null,"channel":"WHATSAPP","timestamp":"not a time","extra":1}"#
        );
        assert_eq!(m.extra["extra"].as_str(), "1");
    }
}
