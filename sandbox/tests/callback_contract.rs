//! The callback event is the provisional contract of the undocumented beta format, kept in ONE
//! place: the `sandboxContract` case of `tests/vectors/callbacks.json`, which the SDK's parser is
//! tested against on every runtime. This checks the sandbox delivers exactly that shape (same
//! keys, same JSON types), through the control endpoint and through `simulate_inbound`.

use conversations_sandbox::{spawn, Inbound, Options};
use serde_json::Value;

fn contract() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/callbacks.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("callbacks.json"))
        .expect("callbacks.json is JSON");
    let case = doc["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["sandboxContract"] == true))
        .expect("a case with sandboxContract: true");
    serde_json::from_str(case["body"].as_str().expect("its body is a string"))
        .expect("its body is JSON")
}

/// Same keys at every level and the same JSON type for every value.
fn same_shape(at: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut ek: Vec<_> = e.keys().collect();
            let mut ak: Vec<_> = a.keys().collect();
            ek.sort();
            ak.sort();
            if ek != ak {
                return Err(format!("{at}: keys {ak:?}, contract has {ek:?}"));
            }
            for (k, v) in e {
                same_shape(&format!("{at}.{k}"), v, &a[k])?;
            }
            Ok(())
        }
        (Value::String(_), Value::String(_)) => Ok(()),
        (e, a) if std::mem::discriminant(e) == std::mem::discriminant(a) => Ok(()),
        (e, a) => Err(format!("{at}: {a} is not the contract's type ({e})")),
    }
}

#[tokio::test]
async fn the_sandbox_event_has_the_contract_shape() {
    let sandbox = spawn(Options {
        seed_demo: true,
        ..Default::default()
    })
    .await
    .expect("sandbox starts");
    let contract = contract();
    assert_eq!(contract["type"], "message.received");

    let by_name = sandbox
        .simulate_inbound(Inbound::text("Hi!").from_user("Ada", "Lovelace"))
        .await
        .expect("simulate_inbound works");
    same_shape("event", &contract, &by_name["event"]).unwrap();
    assert_eq!(by_name["event"]["message"]["text"], "Hi!");
    assert_eq!(by_name["event"]["app_user"]["given_name"], "Ada");

    // As an existing user: their names and page are used.
    let ben = "3898c5e4-73cc-44f9-812f-3698a4c3bb1d";
    let as_ben = sandbox
        .simulate_inbound(Inbound::text("Again").from_app_user(ben))
        .await
        .expect("simulate_inbound as Ben");
    same_shape("event", &contract, &as_ben["event"]).unwrap();
    assert_eq!(as_ben["event"]["app_user"]["id"], ben);
    assert_eq!(as_ben["event"]["app_user"]["surname"], "Sims");

    let unknown = sandbox
        .simulate_inbound(Inbound::text("x").from_app_user("nobody"))
        .await
        .expect_err("unknown app user");
    assert_eq!(unknown.status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn simulate_inbound_says_what_is_missing_on_an_empty_sandbox() {
    let sandbox = spawn(Options::default()).await.expect("sandbox starts");
    let err = sandbox
        .simulate_inbound(Inbound::text("Hi"))
        .await
        .expect_err("nothing integrated");
    assert_eq!(err.status, 409);
    assert!(err.message.contains("integrate"), "{err}");
    sandbox.shutdown().await;
}

#[test]
fn the_shape_check_can_fail() {
    let contract = contract();
    let mut renamed = contract.clone();
    renamed["app_user"]["first_name"] = renamed["app_user"]["given_name"].take();
    renamed["app_user"]
        .as_object_mut()
        .map(|u| u.remove("given_name"));
    assert!(same_shape("event", &contract, &renamed).is_err());
    let mut retyped = contract.clone();
    retyped["message"]["text"] = Value::from(5);
    assert!(same_shape("event", &contract, &retyped).is_err());
}
