//! Request and response bodies.
//!
//! On the wire every name is snake_case. Response models deserialize from the wire and tolerate
//! fields they do not know (the API is beta and grows); they *serialize* in camelCase, the form the
//! JavaScript surfaces return. Request models serialize to the wire form.

use crate::json::{duplicate, set_once, write_key, write_str, JsonError, Reader, Wire};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The body of createSendMessage: a message to send to an app user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BaseMessage {
    /// The message text.
    pub text: String,
    /// The channel to send it on (e.g. `facebook`).
    pub channel: String,
}

impl BaseMessage {
    /// The wire JSON: `{"text":…,"channel":…}`.
    pub(crate) fn to_wire_json(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + self.channel.len() + 24);
        out.push('{');
        write_key(&mut out, "text");
        write_str(&mut out, &self.text);
        out.push(',');
        write_key(&mut out, "channel");
        write_str(&mut out, &self.channel);
        out.push('}');
        out
    }

    /// A message with `text` on `channel`.
    pub fn new(text: impl Into<String>, channel: impl Into<String>) -> Self {
        BaseMessage {
            text: text.into(),
            channel: channel.into(),
        }
    }
}

/// The body of createConfigureAccount: provisions the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigureAccountRequest {
    /// The account's name (required).
    pub name: String,
    /// Where inbound messages and notifications are pushed (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl ConfigureAccountRequest {
    /// The wire JSON: `{"name":…}` plus `"callback_url"` when set.
    pub(crate) fn to_wire_json(&self) -> String {
        let mut out = String::with_capacity(self.name.len() + 64);
        out.push('{');
        write_key(&mut out, "name");
        write_str(&mut out, &self.name);
        if let Some(url) = &self.callback_url {
            out.push(',');
            write_key(&mut out, "callback_url");
            write_str(&mut out, url);
        }
        out.push('}');
        out
    }

    /// A request naming the account, with no callback URL.
    pub fn new(name: impl Into<String>) -> Self {
        ConfigureAccountRequest {
            name: name.into(),
            callback_url: None,
        }
    }

    /// Sets the callback URL.
    pub fn with_callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
}

macro_rules! response_model {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$fmeta:meta])* pub $field:ident : $ty:ty => $js:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
        #[non_exhaustive]
        pub struct $name { $($(#[$fmeta])* pub $field: $ty,)* }

        // The hand-written codec (see `json`): wire names are the field names, JS names given.
        impl Wire for $name {
            fn read(r: &mut Reader<'_>) -> Result<Self, JsonError> {
                $(let mut $field: Option<$ty> = None;)*
                r.object(|r, key| match key {
                    $(stringify!($field) => set_once(r, &mut $field, key),)*
                    _ => r.skip(),
                })?;
                Ok($name {
                    $($field: match $field {
                        Some(v) => v,
                        None => <$ty as Wire>::missing(stringify!($field))?,
                    },)*
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
                let _ = sep;
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
                    _ => r.skip(),
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
        /// The text sent.
        pub text: String => "text",
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
            r#"{"direction":"ECHOED","text":null,"channel":"WHATSAPP","timestamp":"not a time"}"#
        );
    }
}
