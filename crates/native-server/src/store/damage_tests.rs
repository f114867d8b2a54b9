//! A store file damaged outside the server (truncated, emptied, bytes flipped) is refused with a
//! message naming the file and `--accept-state-loss`, or opens as a store that works; it never
//! panics the process.

use std::fs;
use std::path::Path;

use workflow_core::session::{Store, StoreError};

use super::tests::{create, record};
use super::{OpenError, RedbStore};

/// A small deterministic generator (xorshift64*), so a failing iteration can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SESSIONS: usize = 20;

/// The bytes of a store holding `SESSIONS` sessions, closed cleanly.
fn written_store(dir: &Path) -> Vec<u8> {
    let path = dir.join("original.redb");
    {
        let store = RedbStore::open(&path).expect("opens");
        for i in 0..SESSIONS {
            store.commit(&[create(&format!("s{i}"))]).expect("commits");
        }
    }
    fs::read(&path).expect("reads the file")
}

fn refused_clearly(e: &OpenError, path: &Path) -> bool {
    let text = e.to_string();
    matches!(e, OpenError::Damaged { .. } | OpenError::Empty { .. })
        && text.contains(&path.display().to_string())
        && text.contains("--accept-state-loss")
}

#[test]
fn random_byte_flips_give_a_clear_refusal_or_a_working_store_never_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = written_store(dir.path());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut refused, mut opened) = (0, 0);
    for iteration in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..=rng.below(8) {
            let at = rng.below(bytes.len() as u64) as usize;
            bytes[at] ^= 1 << rng.below(8);
        }
        let path = dir.path().join(format!("flipped-{iteration}.redb"));
        fs::write(&path, &bytes).expect("writes");
        match RedbStore::open(&path) {
            Err(e) => {
                assert!(refused_clearly(&e, &path), "iteration {iteration}: {e}");
                refused += 1;
            }
            Ok(store) => {
                // Everything it holds reads back as written, and it takes new writes.
                for i in 0..SESSIONS {
                    let sid = format!("s{i}");
                    assert_eq!(
                        store.load(&sid),
                        Ok(Some(record(&sid, 0, 10))),
                        "iteration {iteration}"
                    );
                }
                store.commit(&[create("new")]).expect("commits");
                store.check().expect("healthy");
                opened += 1;
            }
        }
        let _ = fs::remove_file(&path);
    }
    // Most flips land in live pages; some in free space or padding, which nothing reads.
    assert!(refused > 0, "no flip was refused ({opened} opened)");
    eprintln!("{refused} refused, {opened} opened");
}

#[test]
fn a_truncated_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = written_store(dir.path());
    for cut in [1, 512, original.len() / 2, original.len() - 1] {
        let path = dir.path().join(format!("cut-{cut}.redb"));
        fs::write(&path, &original[..cut]).expect("writes");
        match RedbStore::open(&path) {
            Err(e) => assert!(refused_clearly(&e, &path), "cut at {cut}: {e}"),
            Ok(_) => panic!("a file cut at {cut} of {} opened", original.len()),
        }
    }
}

#[test]
fn an_empty_file_is_refused_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.redb");
    fs::write(&path, b"").expect("writes");
    let e = RedbStore::open(&path).err().expect("refused");
    assert!(matches!(e, OpenError::Empty { .. }), "{e}");
    assert!(refused_clearly(&e, &path), "{e}");
    assert_eq!(fs::metadata(&path).expect("still there").len(), 0);
}

#[cfg(unix)]
#[test]
fn a_new_file_in_an_existing_open_folder_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = dir.path().join("s.redb");
    drop(RedbStore::open(&path).expect("opens"));
    let mode = fs::metadata(&path).expect("exists").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_dead_writer_makes_the_check_fail_and_every_commit_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(&dir.path().join("sessions.redb")).expect("opens");
    store.commit(&[create("s1")]).expect("commits");
    assert_eq!(store.check(), Ok(()));
    store
        .writer
        .send(super::writer::Job::Panic)
        .expect("the writer takes the job");
    // The thread ends as it would on a panic inside redb.
    let stopped = (0..500).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(10));
        !store.writer.is_alive()
    });
    assert!(stopped, "the writer thread is still running");
    let unavailable = Err(StoreError::Unavailable(
        "the store's writer has stopped".into(),
    ));
    assert_eq!(store.check(), unavailable);
    assert_eq!(store.commit(&[create("s2")]), unavailable);
    assert!(store.load("s1").expect("reads still work").is_some());
}
