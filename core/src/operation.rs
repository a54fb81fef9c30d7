//! The operation table: the one place where each operation's method, path, parameters, body,
//! accept header and documented errors are defined.

use std::borrow::Cow;

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: safe and idempotent, retried on transient failures.
    Get,
    /// `POST`: retried only when the request provably never left.
    Post,
}

impl Method {
    /// The method as it goes on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// What an operation sends as its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// A [`crate::models::BaseMessage`]: see [`MESSAGE`].
    Message,
    /// A [`crate::models::ConfigureAccountRequest`]: see [`ACCOUNT`].
    ConfigureAccount,
}

impl BodyKind {
    /// The body model of this kind (`None` for [`BodyKind::None`]).
    pub fn model(self) -> Option<&'static BodyModel> {
        match self {
            BodyKind::None => None,
            BodyKind::Message => Some(&MESSAGE),
            BodyKind::ConfigureAccount => Some(&ACCOUNT),
        }
    }
}

/// How a body field's value is checked.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum FieldType {
    /// A string.
    Text,
    /// An absolute `http(s)` URL.
    Url,
    /// A list of objects of the given model.
    List(&'static BodyModel),
}

/// One known field of a request body.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct FieldSpec {
    /// The name on the wire, exactly as the API writes it.
    pub wire: &'static str,
    /// The other spelling callers may use (camelCase for a snake_case wire name and back); the
    /// wire name is sent.
    pub alias: &'static str,
    /// What the value must be.
    pub value: FieldType,
}

impl FieldSpec {
    /// The camelCase spelling, which JS callers write and the JS engine's errors name
    /// (`callbackUrl`).
    pub fn js_name(&self) -> &'static str {
        if self.wire.contains('_') {
            self.alias
        } else {
            self.wire
        }
    }

    /// The Rust model's field name, which the Rust client's errors name: the snake_case
    /// spelling (`callback_url`, `display_text`), and `kind` for `type`, a Rust keyword (the
    /// models' discriminator field, [`crate::models::BaseMessage::kind`]).
    pub fn rust_name(&self) -> &'static str {
        if self.wire == "type" {
            "kind"
        } else if self.wire.bytes().any(|b| b.is_ascii_uppercase()) {
            self.alias
        } else {
            self.wire
        }
    }
}

/// Whose names an input error uses, so that it names what its reader wrote (the option names
/// differ the same way: `crate::config::Names`); decided here, from the table. A type parameter
/// rather than a value, so that a build links only the names of the surfaces it serves (the
/// wasm engine, which is size-bound, only the JS ones).
pub(crate) trait Surface {
    /// The path a body's fields are named under (`body.text`), or `""` to name them alone.
    const BODY: &'static str;
    /// A body field's name.
    fn field(field: &FieldSpec) -> &'static str;
    /// A path parameter's name (an [`OperationSpec::path_param`]).
    fn param(param: &'static str) -> Cow<'static, str>;
    /// An operation's name.
    fn operation(op: Operation) -> Cow<'static, str>;
}

/// The Rust client and [`crate::build_request`]: the models' field names, relative to the value
/// passed (`callback_url`, `actions[0].response_text`), the methods' argument names
/// (`app_user_id`) and the [`Operation`] variants (`Operation::GetAppUsers`).
pub(crate) enum Rust {}

impl Surface for Rust {
    const BODY: &'static str = "";

    fn field(field: &FieldSpec) -> &'static str {
        field.rust_name()
    }

    fn param(param: &'static str) -> Cow<'static, str> {
        let mut snake = String::with_capacity(param.len() + 4);
        for c in param.chars() {
            if c.is_ascii_uppercase() {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        snake.into()
    }

    fn operation(op: Operation) -> Cow<'static, str> {
        format!("Operation::{op:?}").into()
    }
}

/// The JS engine (napi and wasm): camelCase field names under the `body` argument
/// (`body.callbackUrl`), the API's parameter names (`appUserId`) and the operation ids (the JS
/// layer words its own method names before the engine sees a call).
pub(crate) enum Js {}

impl Surface for Js {
    const BODY: &'static str = "body";

    fn field(field: &FieldSpec) -> &'static str {
        field.js_name()
    }

    fn param(param: &'static str) -> Cow<'static, str> {
        param.into()
    }

    fn operation(op: Operation) -> Cow<'static, str> {
        op.id().into()
    }
}

/// One kind of a body with a discriminator field (a message's `type`).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct KindSpec {
    /// The discriminator's value.
    pub name: &'static str,
    /// Fields this kind needs (wire names), beside the model's own required ones.
    pub required: &'static [&'static str],
    /// When the discriminator is absent, this kind is meant if this field is present (and the
    /// discriminator is then sent).
    pub inferred_from: Option<&'static str>,
    /// What the kind needs, in words, for error messages. Fields are named by their wire names:
    /// an error renders each as its surface writes it (`displayText`, `display_text`).
    pub needs: &'static str,
}

/// A request body as data: its known fields in wire order, what is required, and its kinds.
/// Fields it does not know are sent as given, and so are kinds it does not know (only the
/// model's own required fields are checked for them): a field or kind the API adds is sendable
/// before the SDK learns it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct BodyModel {
    /// What the body is, for error messages (`message`, `action`, `account`).
    pub name: &'static str,
    /// The known fields, in the order they are sent.
    pub fields: &'static [FieldSpec],
    /// Fields every body of this model needs.
    pub required: &'static [&'static str],
    /// The discriminator field, for a model with kinds.
    pub kind_field: Option<&'static str>,
    /// The kind when the discriminator is absent and no kind is inferred; `None` makes the
    /// discriminator required.
    pub default_kind: Option<&'static str>,
    /// The known kinds.
    pub kinds: &'static [KindSpec],
}

impl BodyModel {
    /// The known kind named `name`.
    pub fn kind(&self, name: &str) -> Option<&'static KindSpec> {
        self.kinds.iter().find(|k| k.name == name)
    }
}

const fn field(wire: &'static str, alias: &'static str, value: FieldType) -> FieldSpec {
    FieldSpec { wire, alias, value }
}

/// The body of createSendMessage: the message kinds MessageMedia's Postman collection sends.
pub static MESSAGE: BodyModel = BodyModel {
    name: "message",
    fields: &[
        field("channel", "channel", FieldType::Text),
        field("type", "type", FieldType::Text),
        field("text", "text", FieldType::Text),
        field("media", "media", FieldType::Text),
        field("actions", "actions", FieldType::List(&ACTION)),
    ],
    required: &["channel"],
    kind_field: Some("type"),
    default_kind: Some("text"),
    kinds: &[
        KindSpec {
            name: "text",
            required: &["text"],
            inferred_from: None,
            needs: "text (an image needs type \"image\" and media; buttons need actions)",
        },
        KindSpec {
            name: "image",
            required: &["media"],
            inferred_from: None,
            needs: "media, the image's URL (text is optional)",
        },
        KindSpec {
            name: "actions",
            required: &["text", "actions"],
            inferred_from: Some("actions"),
            needs: "text and actions, a non-empty list of buttons",
        },
    ],
};

/// One button of an `actions` message. Inside it the wire names are camelCase
/// (`displayText`, `responseText`), as the API and its Postman collection write them.
pub static ACTION: BodyModel = BodyModel {
    name: "action",
    fields: &[
        field("type", "type", FieldType::Text),
        field("displayText", "display_text", FieldType::Text),
        field("responseText", "response_text", FieldType::Text),
    ],
    required: &[],
    kind_field: Some("type"),
    default_kind: None,
    kinds: &[KindSpec {
        name: "reply",
        required: &["displayText", "responseText"],
        inferred_from: None,
        needs: "displayText, the button's label, and responseText, what a tap sends back",
    }],
};

/// The body of createConfigureAccount.
pub static ACCOUNT: BodyModel = BodyModel {
    name: "account",
    fields: &[
        field("name", "name", FieldType::Text),
        field("callback_url", "callbackUrl", FieldType::Url),
    ],
    required: &["name"],
    kind_field: None,
    default_kind: None,
    kinds: &[],
};

/// What an operation returns on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseKind {
    /// A JSON document decoded into the operation's model.
    Json,
    /// The raw body as a string (createIntegrateFacebookPage).
    Text,
}

/// The 8 operations of the Conversations API. Their ids are the original SDK's method names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /beta/conversations/users/{appUserId}/messages`
    CreateSendMessage,
    /// `GET /beta/conversations/users/{appUserId}/messages`
    GetAppUserMessages,
    /// `GET /beta/conversations/users/{appUserId}`
    GetAppUserById,
    /// `GET /beta/conversations/users`
    GetAppUsers,
    /// `POST /beta/conversations/provision`
    CreateConfigureAccount,
    /// `POST /beta/conversations/facebook/pages/{facebookPageId}/integrate`
    CreateIntegrateFacebookPage,
    /// `GET /beta/conversations/facebook/pages`
    GetFacebookPages,
    /// `GET /beta/conversations/facebook/authorise`
    GetFacebookAuthorisationUrl,
}

/// Everything about one operation that is not code.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct OperationSpec {
    /// The operation id (the original SDK's method name, e.g. `getAppUsers`).
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template; `{name}` marks the path parameter.
    pub path: &'static str,
    /// The path parameter's name (`appUserId`, `facebookPageId`), if any.
    pub path_param: Option<&'static str>,
    /// What the request carries as body.
    pub body: BodyKind,
    /// Whether the request sends `accept: application/json`.
    pub accept_json: bool,
    /// How a 2xx body is decoded.
    pub response: ResponseKind,
    /// The documented error statuses and their messages.
    pub errors: &'static [(u16, &'static str)],
}

/// The message for a 400 that an operation does not document.
pub const UNDOCUMENTED_400: &str = "The account is not provisioned.";
/// The message for any other non-2xx status an operation does not document.
pub const UNDOCUMENTED_STATUS: &str = "HTTP Response Not OK";

const USER_NOT_FOUND: (u16, &str) = (404, "The app user does not exist.");

/// The table. Order matches [`Operation::ALL`].
static SPECS: [OperationSpec; 8] = [
    OperationSpec {
        id: "createSendMessage",
        method: Method::Post,
        path: "/beta/conversations/users/{appUserId}/messages",
        path_param: Some("appUserId"),
        body: BodyKind::Message,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[
            (
                400,
                "The posted request is invalid or the account is not provisioned.",
            ),
            USER_NOT_FOUND,
        ],
    },
    OperationSpec {
        id: "getAppUserMessages",
        method: Method::Get,
        path: "/beta/conversations/users/{appUserId}/messages",
        path_param: Some("appUserId"),
        body: BodyKind::None,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[USER_NOT_FOUND],
    },
    OperationSpec {
        id: "getAppUserById",
        method: Method::Get,
        path: "/beta/conversations/users/{appUserId}",
        path_param: Some("appUserId"),
        body: BodyKind::None,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[USER_NOT_FOUND],
    },
    OperationSpec {
        id: "getAppUsers",
        method: Method::Get,
        path: "/beta/conversations/users",
        path_param: None,
        body: BodyKind::None,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[],
    },
    OperationSpec {
        id: "createConfigureAccount",
        method: Method::Post,
        path: "/beta/conversations/provision",
        path_param: None,
        body: BodyKind::ConfigureAccount,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[
            (400, "Not a valid request body."),
            (409, "The account has already been provisioned."),
        ],
    },
    OperationSpec {
        id: "createIntegrateFacebookPage",
        method: Method::Post,
        path: "/beta/conversations/facebook/pages/{facebookPageId}/integrate",
        path_param: Some("facebookPageId"),
        body: BodyKind::None,
        accept_json: false,
        response: ResponseKind::Text,
        errors: &[(
            400,
            "The account is not provisioned or the Facebook user isn't authenticated or the facebookPageId is invalid.",
        )],
    },
    OperationSpec {
        id: "getFacebookPages",
        method: Method::Get,
        path: "/beta/conversations/facebook/pages",
        path_param: None,
        body: BodyKind::None,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[(
            400,
            "The account is not provisioned or the Facebook user isn't authenticated.",
        )],
    },
    OperationSpec {
        id: "getFacebookAuthorisationURL",
        method: Method::Get,
        path: "/beta/conversations/facebook/authorise",
        path_param: None,
        body: BodyKind::None,
        accept_json: true,
        response: ResponseKind::Json,
        errors: &[(400, "The account is not provisioned")],
    },
];

impl Operation {
    /// Every operation, in table order.
    pub const ALL: [Operation; 8] = [
        Operation::CreateSendMessage,
        Operation::GetAppUserMessages,
        Operation::GetAppUserById,
        Operation::GetAppUsers,
        Operation::CreateConfigureAccount,
        Operation::CreateIntegrateFacebookPage,
        Operation::GetFacebookPages,
        Operation::GetFacebookAuthorisationUrl,
    ];

    /// This operation's row of the table.
    pub fn spec(self) -> &'static OperationSpec {
        let index = match self {
            Operation::CreateSendMessage => 0,
            Operation::GetAppUserMessages => 1,
            Operation::GetAppUserById => 2,
            Operation::GetAppUsers => 3,
            Operation::CreateConfigureAccount => 4,
            Operation::CreateIntegrateFacebookPage => 5,
            Operation::GetFacebookPages => 6,
            Operation::GetFacebookAuthorisationUrl => 7,
        };
        &SPECS[index]
    }

    /// The operation id (the original SDK's method name).
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// Looks an operation up by its id (e.g. `"getAppUsers"`).
    pub fn from_id(id: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.spec().id == id)
    }

    /// The message for a non-2xx `status`: the documented one, else the API's generic ones.
    pub fn error_message(self, status: u16) -> &'static str {
        self.spec()
            .errors
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, m)| *m)
            .unwrap_or(if status == 400 {
                UNDOCUMENTED_400
            } else {
                UNDOCUMENTED_STATUS
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_all_and_ids_round_trip() {
        for (i, op) in Operation::ALL.into_iter().enumerate() {
            assert!(std::ptr::eq(op.spec(), &SPECS[i]));
            assert_eq!(Operation::from_id(op.id()), Some(op));
        }
        assert_eq!(Operation::from_id("nope"), None);
    }

    #[test]
    fn path_templates_name_their_parameter() {
        for op in Operation::ALL {
            let spec = op.spec();
            match spec.path_param {
                Some(p) => assert!(spec.path.contains(&format!("{{{p}}}"))),
                None => assert!(!spec.path.contains('{')),
            }
        }
    }
}
