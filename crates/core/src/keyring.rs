//! The key ring (docs/protocol.md#key-ring): one current key that signs, retired keys that still
//! verify, so keys can rotate without invalidating the tokens agents hold.
//!
//! The host generates keys, reads and writes the key-ring file and supplies the time; this
//! module only signs, verifies and (de)serialises.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Length of a key's secret, in bytes. The original server's key file is exactly this many raw
/// bytes, so it can be imported unchanged.
pub const SECRET_LEN: usize = 32;

/// Length of an HMAC-SHA256 tag in bytes; a signature is twice as many hex characters.
const TAG_LEN: usize = 32;

/// Length of a session token's MAC: HMAC-SHA256 truncated to its leftmost 128 bits, which keeps
/// the token short while leaving forgery at 2^-128 per try (docs/protocol.md#session-token-format).
pub const SHORT_TAG_LEN: usize = 16;

/// HMAC-SHA256's block size: keys shorter than this are zero-padded to it by the algorithm.
const BLOCK_LEN: usize = 64;

/// One signing key.
#[derive(Clone)]
pub struct Key {
    id: String,
    secret: [u8; SECRET_LEN],
    created_at: u64,
    /// The HMAC state after absorbing the key, so signing and verifying skip re-keying.
    keyed: HmacSha256,
}

impl Key {
    /// `created_at` is Unix time in milliseconds, as the key-ring file stores it.
    pub fn new(id: impl Into<String>, secret: [u8; SECRET_LEN], created_at: u64) -> Key {
        // HMAC zero-pads a key shorter than the block size, so keying with the padded block is
        // the same MAC, and the fixed-size constructor cannot fail.
        let mut block = [0u8; BLOCK_LEN];
        block[..SECRET_LEN].copy_from_slice(&secret);
        let keyed = HmacSha256::new(&block.into());
        Key {
            id: id.into(),
            secret,
            created_at,
            keyed,
        }
    }

    /// The id names the key for the operator (rotation, removal); it never appears in tokens.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn created_at(&self) -> u64 {
        self.created_at
    }

    fn tag(&self, message: &[u8]) -> [u8; TAG_LEN] {
        self.keyed
            .clone()
            .chain_update(message)
            .finalize()
            .into_bytes()
            .into()
    }

    fn verifies_short(&self, message: &[u8], tag: &[u8; SHORT_TAG_LEN]) -> bool {
        // Constant time, like `verifies`, over the leftmost bytes of the full tag.
        self.keyed
            .clone()
            .chain_update(message)
            .verify_truncated_left(tag)
            .is_ok()
    }

    fn verifies(&self, message: &[u8], tag: &[u8; TAG_LEN]) -> bool {
        // `verify_slice` compares in constant time, so the comparison leaks nothing about the tag.
        self.keyed
            .clone()
            .chain_update(message)
            .verify_slice(tag)
            .is_ok()
    }
}

/// Secrets stay out of logs: only the id and creation time are shown.
impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A key that no longer signs but still verifies the tokens it signed.
#[derive(Clone, Debug)]
pub struct RetiredKey {
    pub key: Key,
    /// Unix time in milliseconds; orders the retired keys, newest first.
    pub retired_at: u64,
}

/// Which key of the ring verified a signature. A retired key is accepted, but the caller warns
/// (`token_retired_key`) and `start_session` reports the token as adopted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMatch {
    Current,
    Retired,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyRingError {
    #[error("unsupported key-ring file version {0}; this server reads version 1")]
    UnsupportedVersion(u64),
    #[error("key '{0}' is not valid base64")]
    KeyEncoding(String),
    #[error("key '{id}' has {len} bytes; keys are {SECRET_LEN} bytes")]
    KeyLength { id: String, len: usize },
    #[error("key id '{0}' is used twice in the key ring")]
    DuplicateId(String),
}

/// The current key and the retired keys, newest first.
///
/// Serialises to and from the key-ring file of docs/protocol.md#key-ring.
#[derive(Clone, Debug)]
pub struct KeyRing {
    current: Key,
    retired: Vec<RetiredKey>,
}

impl KeyRing {
    pub fn new(current: Key) -> KeyRing {
        KeyRing {
            current,
            retired: Vec::new(),
        }
    }

    pub fn current(&self) -> &Key {
        &self.current
    }

    /// Newest first, the order in which verification tries them.
    pub fn retired(&self) -> &[RetiredKey] {
        &self.retired
    }

    /// Makes `new_key` the signing key and retires the old one at `now` (Unix milliseconds).
    /// Ids must stay unique so that removal names exactly one key.
    pub fn rotate(&mut self, new_key: Key, now: u64) -> Result<(), KeyRingError> {
        self.ensure_unused(new_key.id())?;
        let old = std::mem::replace(&mut self.current, new_key);
        self.retired.insert(
            0,
            RetiredKey {
                key: old,
                retired_at: now,
            },
        );
        Ok(())
    }

    /// Adds a key that only verifies, such as the original server's key file, placed by
    /// `retired_at` among the other retired keys.
    pub fn add_retired(&mut self, key: Key, retired_at: u64) -> Result<(), KeyRingError> {
        self.ensure_unused(key.id())?;
        let at = self
            .retired
            .iter()
            .position(|r| r.retired_at < retired_at)
            .unwrap_or(self.retired.len());
        self.retired.insert(at, RetiredKey { key, retired_at });
        Ok(())
    }

    /// Removes a retired key; every token that only this key verified stops verifying.
    pub fn remove_retired(&mut self, id: &str) -> Option<RetiredKey> {
        let at = self.retired.iter().position(|r| r.key.id() == id)?;
        Some(self.retired.remove(at))
    }

    /// The lowercase hex HMAC-SHA256 of `message` under the current key.
    pub fn sign(&self, message: &[u8]) -> String {
        hex_lower(&self.current.tag(message))
    }

    /// Tries the current key, then the retired keys newest first. A signature that is not 64
    /// hex characters fails like a wrong one, so callers cannot tell the two apart.
    pub fn verify(&self, message: &[u8], signature: &str) -> Option<KeyMatch> {
        let tag = decode_tag(signature)?;
        if self.current.verifies(message, &tag) {
            return Some(KeyMatch::Current);
        }
        self.retired
            .iter()
            .any(|r| r.key.verifies(message, &tag))
            .then_some(KeyMatch::Retired)
    }

    /// The leftmost [`SHORT_TAG_LEN`] bytes of the HMAC-SHA256 of `message` under the current
    /// key: the MAC of session tokens.
    pub fn sign_short(&self, message: &[u8]) -> [u8; SHORT_TAG_LEN] {
        let tag = self.current.tag(message);
        std::array::from_fn(|i| tag[i])
    }

    /// [`KeyRing::verify`] for a truncated tag, in the same key order.
    pub fn verify_short(&self, message: &[u8], tag: &[u8; SHORT_TAG_LEN]) -> Option<KeyMatch> {
        if self.current.verifies_short(message, tag) {
            return Some(KeyMatch::Current);
        }
        self.retired
            .iter()
            .any(|r| r.key.verifies_short(message, tag))
            .then_some(KeyMatch::Retired)
    }

    fn ensure_unused(&self, id: &str) -> Result<(), KeyRingError> {
        let taken = self.current.id() == id || self.retired.iter().any(|r| r.key.id() == id);
        if taken {
            Err(KeyRingError::DuplicateId(id.to_owned()))
        } else {
            Ok(())
        }
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Either case is accepted: hex digits name the same bytes in both.
fn decode_tag(signature: &str) -> Option<[u8; TAG_LEN]> {
    let digits = signature.as_bytes();
    if digits.len() != TAG_LEN * 2 {
        return None;
    }
    let mut tag = [0u8; TAG_LEN];
    for (byte, pair) in tag.iter_mut().zip(digits.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        *byte = (nibble(*high)? << 4) | nibble(*low)?;
    }
    Some(tag)
}

fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The key-ring file as written on disk (docs/protocol.md#key-ring).
#[derive(Serialize, Deserialize)]
struct KeyRingFile {
    version: u64,
    current: KeyEntry,
    #[serde(default)]
    retired: Vec<RetiredEntry>,
}

#[derive(Serialize, Deserialize)]
struct KeyEntry {
    id: String,
    key: String,
    created_at: u64,
}

#[derive(Serialize, Deserialize)]
struct RetiredEntry {
    id: String,
    key: String,
    created_at: u64,
    retired_at: u64,
}

const FILE_VERSION: u64 = 1;

impl KeyEntry {
    fn of(key: &Key) -> KeyEntry {
        KeyEntry {
            id: key.id.clone(),
            key: STANDARD.encode(key.secret),
            created_at: key.created_at,
        }
    }

    fn into_key(self) -> Result<Key, KeyRingError> {
        let bytes = STANDARD
            .decode(&self.key)
            .map_err(|_| KeyRingError::KeyEncoding(self.id.clone()))?;
        let secret: [u8; SECRET_LEN] =
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| KeyRingError::KeyLength {
                    id: self.id.clone(),
                    len: bytes.len(),
                })?;
        Ok(Key::new(self.id, secret, self.created_at))
    }
}

impl Serialize for KeyRing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        KeyRingFile {
            version: FILE_VERSION,
            current: KeyEntry::of(&self.current),
            retired: self
                .retired
                .iter()
                .map(|r| {
                    let KeyEntry {
                        id,
                        key,
                        created_at,
                    } = KeyEntry::of(&r.key);
                    RetiredEntry {
                        id,
                        key,
                        created_at,
                        retired_at: r.retired_at,
                    }
                })
                .collect(),
        }
        .serialize(serializer)
    }
}

/// Rejects files a newer server wrote, keys that are not 32 bytes and repeated ids; retired
/// keys are put newest first whatever order the file lists them in.
impl<'de> Deserialize<'de> for KeyRing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let file = KeyRingFile::deserialize(deserializer)?;
        KeyRing::from_file(file).map_err(serde::de::Error::custom)
    }
}

impl KeyRing {
    fn from_file(file: KeyRingFile) -> Result<KeyRing, KeyRingError> {
        if file.version != FILE_VERSION {
            return Err(KeyRingError::UnsupportedVersion(file.version));
        }
        let mut ring = KeyRing::new(file.current.into_key()?);
        for entry in file.retired {
            let key = KeyEntry {
                id: entry.id,
                key: entry.key,
                created_at: entry.created_at,
            }
            .into_key()?;
            ring.add_retired(key, entry.retired_at)?;
        }
        Ok(ring)
    }
}
