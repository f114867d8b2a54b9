//! The server refuses to start on state it would otherwise silently lose (an emptied store, a
//! key ring missing beside stored sessions), naming the file and `--accept-state-loss`, and
//! starts with that flag (crates/native-server/README.md#damage).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");

/// Runs the server over stdio with `args` and stdin closed: it either refuses to start, or
/// starts serving and ends when it finds no client.
fn serve(state: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("serve")
        .arg("--state-dir")
        .arg(state)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether the state opened and serving began.
fn started(out: &Output) -> bool {
    stderr(out).contains("serving MCP over stdio")
}

/// A state folder whose store holds one session, made by the server itself.
fn state_with_a_session() -> tempfile::TempDir {
    let state = tempfile::tempdir().expect("temp dir");
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"start_session","arguments":{"workflow_id":"meta","agent_id":"a"}}}
"#;
    let mut child = Command::new(BIN)
        .arg("serve")
        .arg("--state-dir")
        .arg(state.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    use std::io::{BufRead, BufReader, Write};
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(init.as_bytes()).expect("writes");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let reply = lines
        .find(|l| l.as_ref().is_ok_and(|l| l.contains("\"id\":2")))
        .expect("an answer")
        .expect("reads");
    assert!(reply.contains("session_token"), "{reply}");
    drop(stdin);
    assert!(child.wait().expect("exits").success());
    state
}

#[test]
fn an_emptied_store_is_refused_until_the_loss_is_accepted() {
    let state = state_with_a_session();
    let store = state.path().join("sessions.redb");
    fs::write(&store, b"").expect("empties the store");
    let refused = serve(state.path(), &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(!started(&refused));
    let message = stderr(&refused);
    assert!(message.contains(&store.display().to_string()), "{message}");
    assert!(message.contains("--accept-state-loss"), "{message}");
    assert_eq!(fs::metadata(&store).expect("kept").len(), 0);

    let accepted = serve(state.path(), &["--accept-state-loss"]);
    assert!(started(&accepted), "{}", stderr(&accepted));
    let aside: Vec<_> = fs::read_dir(state.path())
        .expect("lists")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("sessions.redb.damaged-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside");
    assert!(fs::metadata(&store).expect("a new store").len() > 0);
}

#[test]
fn a_missing_key_ring_beside_sessions_is_refused_until_the_loss_is_accepted() {
    let state = state_with_a_session();
    let ring = state.path().join("keyring.json");
    fs::remove_file(&ring).expect("removes the key ring");
    let refused = serve(state.path(), &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(!started(&refused));
    let message = stderr(&refused);
    assert!(message.contains(&ring.display().to_string()), "{message}");
    assert!(message.contains("--accept-state-loss"), "{message}");
    assert!(!ring.exists(), "no new key was made");

    let accepted = serve(state.path(), &["--accept-state-loss"]);
    assert!(started(&accepted), "{}", stderr(&accepted));
    assert!(ring.exists());
}

#[test]
fn a_fresh_state_folder_starts_and_its_files_are_owner_only() {
    let state = tempfile::tempdir().expect("temp dir");
    let started = serve(state.path(), &[]);
    assert!(self::started(&started), "{}", stderr(&started));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["sessions.redb", "keyring.json"] {
            let mode = fs::metadata(state.path().join(file))
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
}
