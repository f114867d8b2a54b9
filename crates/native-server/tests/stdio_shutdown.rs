//! SIGTERM over stdio (crates/native-server/README.md#http, the shutdown deadline): the
//! process exits with status 0 whether the client has finished its handshake or not, and a
//! session it created is in the store when it is started again. The only timing check is
//! "before a generous bound".
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");
const GENEROUS: Duration = Duration::from_secs(20);

fn start(state: &std::path::Path) -> (Child, ChildStdin, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--state-dir"])
        .arg(state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts the server");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    (child, stdin, stdout)
}

fn send(stdin: &mut ChildStdin, message: Value) {
    let mut line = message.to_string();
    line.push('\n');
    stdin.write_all(line.as_bytes()).expect("writes");
    stdin.flush().expect("flushes");
}

fn reply(stdout: &mut BufReader<std::process::ChildStdout>, id: u64) -> Value {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stdout.read_line(&mut line).expect("reads") > 0,
            "stdout closed"
        );
        let message: Value = serde_json::from_str(&line).expect("a JSON line");
        if message["id"] == json!(id) {
            return message;
        }
    }
}

fn handshake(stdin: &mut ChildStdin, stdout: &mut BufReader<std::process::ChildStdout>) {
    send(
        stdin,
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
    );
    reply(stdout, 0);
    send(
        stdin,
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    );
}

/// Sends SIGTERM and waits for the exit.
fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("runs kill");
    assert!(killed.success());
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        assert!(
            started.elapsed() < GENEROUS,
            "still running {GENEROUS:?} after SIGTERM"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_before_the_handshake_exits_cleanly() {
    let state = tempfile::tempdir().expect("temp dir");
    let (mut child, _stdin, _stdout) = start(state.path());
    // Give the process time to install its signal handler and open the store.
    thread::sleep(Duration::from_millis(500));
    let status = terminate(&mut child);
    assert!(status.success(), "{status}");
}

#[test]
fn sigterm_after_a_session_exits_cleanly_and_the_session_is_kept() {
    let state = tempfile::tempdir().expect("temp dir");
    let (mut child, mut stdin, mut stdout) = start(state.path());
    handshake(&mut stdin, &mut stdout);
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
            "name": "start_session",
            "arguments": {"workflow_id": "work-package", "agent_id": "a"}}}),
    );
    let started = reply(&mut stdout, 1);
    let token = started["result"]["_meta"]["session_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {started}"))
        .to_owned();
    let status = terminate(&mut child);
    assert!(status.success(), "{status}");
    drop((stdin, stdout));

    let (mut child, mut stdin, mut stdout) = start(state.path());
    handshake(&mut stdin, &mut stdout);
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "get_workflow_status", "arguments": {"client_session_token": token}}}),
    );
    let status = reply(&mut stdout, 2);
    assert_eq!(
        status["result"]["structuredContent"]["status"], "active",
        "{status}"
    );
    let _ = child.kill();
    let _ = child.wait();
}
