//! The sandbox's persistent world: one account, its Facebook integration and its app users.
//! These are the sandbox's own types, deliberately independent of the SDK's models.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::util::now_timestamp;

/// The Facebook pages every authenticated sandbox Facebook user owns (ids and names from the
/// original API documentation).
pub(crate) const FACEBOOK_PAGES: [(&str, &str); 2] = [
    ("1573307926039629", "Rainbow Serpent Festival"),
    ("373479609790958", "Fans of Doing Live Demos"),
];

/// The channel every stored message reports, as the real API does.
pub(crate) const CHANNEL: &str = "FACEBOOK";

/// Everything that survives a restart when `--data` is given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    #[serde(default)]
    pub account: Option<Account>,
    #[serde(default)]
    pub facebook_authenticated: bool,
    #[serde(default)]
    pub integrated_pages: Vec<String>,
    #[serde(default)]
    pub users: Vec<AppUser>,
}

/// The provisioned account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    pub name: String,
    #[serde(default)]
    pub callback_url: Option<String>,
    /// Reported as `metadata.account_id`; also the `state` of the Facebook authorisation URL.
    pub account_id: String,
}

/// A Facebook user who messaged one of the integrated pages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AppUser {
    pub id: String,
    pub given_name: String,
    pub surname: String,
    pub page_id: String,
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// One message, oldest first within a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Message {
    pub direction: Direction,
    /// Absent for a message without text (an image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub channel: String,
    /// RFC 3339 UTC with milliseconds; fixed width, so string order is time order.
    pub timestamp: String,
    /// Every other field as it was sent (`type`, `media`, `actions`, `responseText`, and
    /// fields the sandbox does not know), returned in histories and events unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Fields a message's `extra` never holds: the sandbox sets them itself.
pub(crate) const RESERVED_FIELDS: [&str; 4] = ["direction", "text", "channel", "timestamp"];

/// One write to the world, planned (and validated) against the current state, then committed
/// to the data file and only then applied in memory: an API error means nothing changed.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    Provision(Account),
    Authenticate,
    Integrate(String),
    /// A new user (with no messages yet).
    AddUser(AppUser),
    AddMessage {
        user_id: String,
        message: Message,
    },
    /// Reset to this world.
    Replace(Box<State>),
}

/// Whether the account sent or received a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum Direction {
    Received,
    Sent,
}

impl AppUser {
    /// The `{id, surname, given_name}` view the API returns.
    pub(crate) fn summary(&self) -> Value {
        json!({ "id": self.id, "surname": self.surname, "given_name": self.given_name })
    }

    /// The next message of this user, stamped now but never earlier than the previous one so
    /// the history stays ordered even if the wall clock steps back. Not stored yet: that is a
    /// [`Change::AddMessage`].
    pub(crate) fn next_message(
        &self,
        direction: Direction,
        text: Option<String>,
        extra: Map<String, Value>,
    ) -> Message {
        let mut timestamp = now_timestamp();
        if let Some(last) = self.messages.last() {
            if last.timestamp > timestamp {
                timestamp = last.timestamp.clone();
            }
        }
        Message {
            direction,
            text,
            channel: CHANNEL.to_owned(),
            timestamp,
            extra,
        }
    }
}

impl Message {
    /// The wire form used in message histories and events.
    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::with_capacity(4 + self.extra.len());
        map.insert("direction".to_owned(), json!(self.direction));
        if let Some(text) = &self.text {
            map.insert("text".to_owned(), json!(text));
        }
        map.insert("channel".to_owned(), json!(self.channel));
        map.insert("timestamp".to_owned(), json!(self.timestamp));
        for (k, v) in &self.extra {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(map)
    }
}

impl State {
    /// Looks a user up by id.
    pub(crate) fn user(&self, id: &str) -> Option<&AppUser> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Applies one committed change. Every change was validated when it was planned, so
    /// applying cannot fail.
    pub(crate) fn apply(&mut self, change: Change) {
        match change {
            Change::Provision(account) => self.account = Some(account),
            Change::Authenticate => self.facebook_authenticated = true,
            Change::Integrate(page) => {
                if !self.integrated_pages.contains(&page) {
                    self.integrated_pages.push(page);
                }
            }
            Change::AddUser(user) => self.users.push(user),
            Change::AddMessage { user_id, message } => {
                if let Some(user) = self.users.iter_mut().find(|u| u.id == user_id) {
                    user.messages.push(message);
                }
            }
            Change::Replace(state) => *self = *state,
        }
    }

    /// The demo world of `--seed-demo`: provisioned, Facebook-authenticated, one integrated
    /// page, and the two users from the original documentation with short conversations.
    pub(crate) fn demo() -> Self {
        let msg = |direction, text: &str, timestamp: &str| Message {
            direction,
            text: Some(text.to_owned()),
            channel: CHANNEL.to_owned(),
            timestamp: timestamp.to_owned(),
            extra: Map::new(),
        };
        let page = FACEBOOK_PAGES[0].0.to_owned();
        State {
            account: Some(Account {
                name: "Demo account".to_owned(),
                callback_url: None,
                account_id: "sandbox-demo-account".to_owned(),
            }),
            facebook_authenticated: true,
            integrated_pages: vec![page.clone()],
            users: vec![
                AppUser {
                    id: "3898c5e4-73cc-44f9-812f-3698a4c3bb1d".to_owned(),
                    given_name: "Ben".to_owned(),
                    surname: "Sims".to_owned(),
                    page_id: page.clone(),
                    messages: vec![
                        msg(
                            Direction::Received,
                            "Hey, I was just wondering how much shipping would be to Australia for one of them awesome t-shirts?",
                            "2017-12-08T10:10:40.000Z",
                        ),
                        msg(
                            Direction::Sent,
                            "Thank you for your query we'll be in touch with an answer shortly.",
                            "2017-12-08T10:12:16.000Z",
                        ),
                        msg(Direction::Received, "Great, thanks!", "2017-12-12T18:18:40.000Z"),
                    ],
                },
                AppUser {
                    id: "331b1da8-10a5-44c7-91df-1dc14cc2f373".to_owned(),
                    given_name: "Robert".to_owned(),
                    surname: "Hood".to_owned(),
                    page_id: page,
                    messages: vec![
                        msg(
                            Direction::Received,
                            "Do you ship festival merch to New Zealand?",
                            "2017-12-13T09:00:00.000Z",
                        ),
                        msg(
                            Direction::Sent,
                            "Yes, we ship to New Zealand: standard delivery takes 5-7 business days.",
                            "2017-12-13T09:05:12.000Z",
                        ),
                    ],
                },
            ],
        }
    }
}
