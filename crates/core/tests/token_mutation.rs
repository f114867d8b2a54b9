//! Property tests: any payload round-trips, and no mutation of a valid token is accepted with a
//! payload other than the one that was signed.

use proptest::prelude::*;
use workflow_core::keyring::{Key, KeyRing};
use workflow_core::token::{self, TokenPayload, TraceTokenPayload};

fn ring() -> KeyRing {
    let mut ring = KeyRing::new(Key::new("old", [0x11; 32], 0));
    ring.rotate(Key::new("new", [0x22; 32], 1), 1).unwrap();
    ring
}

fn uuid() -> impl Strategy<Value = String> {
    any::<[u8; 16]>().prop_map(|b| workflow_core::ids::session_id_text(&b))
}

fn payload_strategy() -> impl Strategy<Value = TokenPayload> {
    (
        uuid(),
        proptest::option::of(uuid()),
        any::<u32>(),
        any::<u64>(),
    )
        .prop_map(|(sid, psid, agent, seq)| TokenPayload {
            sid,
            psid,
            agent,
            seq,
        })
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize),
    SwapSegments,
    Truncate(usize),
    SwapAdjacent(usize),
}

/// Characters a mutation writes: the token alphabets, their look-alikes and anything else.
fn mutation_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), mutation_char()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        2 => (any::<usize>(), mutation_char()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        2 => any::<usize>().prop_map(Mutation::Delete),
        1 => Just(Mutation::SwapSegments),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => any::<usize>().prop_map(Mutation::SwapAdjacent),
    ]
}

fn apply(token: &str, mutation: &Mutation) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let len = chars.len();
    match *mutation {
        Mutation::Replace(i, c) if len > 0 => chars[i % len] = c,
        Mutation::Insert(i, c) => chars.insert(i % (len + 1), c),
        Mutation::Delete(i) if len > 0 => {
            chars.remove(i % len);
        }
        Mutation::SwapSegments => {
            if let Some((payload, signature)) = token.rsplit_once('.') {
                return format!("{signature}.{payload}");
            }
        }
        Mutation::Truncate(i) => chars.truncate(i % (len + 1)),
        Mutation::SwapAdjacent(i) if len > 1 => chars.swap(i % (len - 1), i % (len - 1) + 1),
        _ => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn mutated_tokens_never_yield_another_payload(
        payload in payload_strategy(),
        signed_by_retired in any::<bool>(),
        mutations in proptest::collection::vec(mutation_strategy(), 1..4),
    ) {
        let ring = ring();
        let signer = if signed_by_retired {
            KeyRing::new(Key::new("old", [0x11; 32], 0))
        } else {
            ring.clone()
        };
        let original = token::sign(&signer, &payload);
        let mutated = mutations.iter().fold(original.clone(), |t, m| apply(&t, m));
        if let Ok(verified) = token::verify(&ring, &mutated, "session_token") {
            prop_assert_eq!(&verified.payload, &payload, "{} -> {}", original, mutated);
            prop_assert_eq!(verified.retired_key, signed_by_retired);
            // base64url is canonical (no padding, no spare bits), so only mutations that undo
            // each other leave a token that verifies.
            prop_assert_eq!(&mutated, &original);
        }
        if let Ok(verified) = token::verify_trace(&ring, &mutated) {
            prop_assert!(false, "a session token verified as a trace token: {:?}", verified);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn any_payload_round_trips(payload in payload_strategy()) {
        let ring = ring();
        let token = token::sign(&ring, &payload);
        let verified = token::verify(&ring, &token, "session_token").unwrap();
        prop_assert_eq!(verified.payload, payload);
        prop_assert!(!verified.retired_key);
    }

    #[test]
    fn any_trace_payload_round_trips(
        sid in "\\PC{0,16}",
        numbers in proptest::array::uniform6(any::<u64>()),
        omitted in proptest::option::of(any::<u64>()),
        names in proptest::collection::vec("\\PC{0,8}", 0..5),
    ) {
        let ring = ring();
        let [from, to, n, t0, t1, ts] = numbers;
        let payload = TraceTokenPayload {
            sid,
            act: "design".into(),
            from, to, n, t0, t1, ts,
            events: names.into_iter().map(|name| serde_json::json!({"name": name, "ts": 1})).collect(),
            omitted,
        };
        let token = token::sign_trace(&ring, &payload);
        let verified = token::verify_trace(&ring, &token).unwrap();
        prop_assert_eq!(verified.payload, payload);
    }
}
