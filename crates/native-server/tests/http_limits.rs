//! The HTTP transport's bounds over real sockets (docs/protocol.md#http-guards): idle and slow
//! connections are closed, idle sockets at the connection cap leave `/health` answering, and
//! SIGTERM with a half-sent request exits within the shutdown deadline. Timeouts are set short
//! by the options; the only timing checks are "before a generous bound".
#![cfg(unix)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");

/// Far above every timeout the tests set, far below "hangs".
const GENEROUS: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    addr: SocketAddr,
    _state: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server over HTTP on a free loopback port with `extra` options, run by `sh -c`
/// with `shell` first (e.g. an open-file limit), and waits for the address it logs.
fn start(shell: &str, extra: &[&str]) -> Server {
    let state = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{shell} exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(["serve", "--http", "127.0.0.1:0", "--state-dir"])
        .arg(state.path())
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts the server");
    let stderr = child.stderr.take().expect("stderr");
    let (found, addr) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("serving MCP over HTTP at /mcp addr=").nth(1) {
                let addr = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let _ = found.send(addr);
            }
        }
    });
    let addr = addr
        .recv_timeout(GENEROUS)
        .expect("the server logs its address")
        .parse()
        .expect("an address");
    Server {
        child,
        addr,
        _state: state,
    }
}

/// Reads until the server closes the connection; returns what it sent and how long it took.
fn until_closed(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(GENEROUS)).expect("timeout");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("not closed within {GENEROUS:?}: {e}"),
        }
    }
    (got, started.elapsed())
}

fn health(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .expect("sends");
    let (reply, _) = until_closed(&mut stream);
    String::from_utf8_lossy(&reply).into_owned()
}

#[test]
fn an_idle_connection_is_closed_before_and_after_a_request() {
    let server = start("", &["--http-header-timeout-ms", "300"]);
    let mut fresh = TcpStream::connect(server.addr).expect("connects");
    let (sent, _) = until_closed(&mut fresh);
    assert!(sent.is_empty());

    let mut used = TcpStream::connect(server.addr).expect("connects");
    used.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sends");
    let (reply, _) = until_closed(&mut used);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

#[test]
fn slow_senders_are_closed() {
    let server = start(
        "",
        &[
            "--http-header-timeout-ms",
            "500",
            "--http-request-timeout-ms",
            "800",
        ],
    );
    // Headers one byte at a time, never finished: the header timeout closes the connection
    // while the client is still sending.
    let mut slow_headers = TcpStream::connect(server.addr).expect("connects");
    let mut reader = slow_headers.try_clone().expect("clones");
    let trickle = thread::spawn(move || {
        for b in b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if slow_headers.write_all(&[*b]).is_err() {
                return true;
            }
            thread::sleep(Duration::from_millis(50));
        }
        false
    });
    let (sent, _) = until_closed(&mut reader);
    assert!(!String::from_utf8_lossy(&sent).contains("200 OK"));
    assert!(trickle.join().expect("joins"), "the writer saw the close");

    // A body that never completes: 408, then the connection closes.
    let mut slow_body = TcpStream::connect(server.addr).expect("connects");
    slow_body
        .write_all(
            b"POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
              Accept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n{\"a\":",
        )
        .expect("sends");
    let (reply, _) = until_closed(&mut slow_body);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
}

#[test]
fn two_thousand_idle_sockets_leave_health_answering() {
    const IDLE: usize = 2_000;
    let files = rlimit::increase_nofile_limit(IDLE as u64 + 256).expect("reads the limit");
    assert!(
        files > IDLE as u64 + 100,
        "this test needs {IDLE} sockets but may open only {files} files"
    );
    // The server's open-file limit as in the report: 1,024 soft and hard, so it cannot raise it.
    let server = start("ulimit -n 1024 &&", &["--http-header-timeout-ms", "120000"]);
    let mut idle: Vec<TcpStream> = (0..IDLE)
        .map(|_| TcpStream::connect(server.addr).expect("connects"))
        .collect();
    let started = Instant::now();
    let reply = health(server.addr);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok\n"), "{reply}");
    assert!(started.elapsed() < GENEROUS);
    // The cap (1,024 less the files kept in reserve) closed the oldest idle sockets for the
    // newer ones.
    let closed = idle
        .iter_mut()
        .filter_map(|s| {
            s.set_nonblocking(true).expect("nonblocking");
            let mut byte = [0u8; 1];
            let gone = match s.read(&mut byte) {
                Ok(0) => true,
                Err(e) => e.kind() != ErrorKind::WouldBlock,
                Ok(_) => false,
            };
            gone.then_some(())
        })
        .count();
    assert!(closed >= IDLE - 1024, "only {closed} of {IDLE} closed");
}

#[test]
fn sigterm_with_a_half_sent_request_exits_within_the_deadline() {
    let mut server = start(
        "",
        &[
            "--http-request-timeout-ms",
            "600000",
            "--http-header-timeout-ms",
            "600000",
            "--shutdown-timeout-ms",
            "500",
        ],
    );
    let mut half = TcpStream::connect(server.addr).expect("connects");
    half.write_all(
        b"POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Accept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n{\"a\":",
    )
    .expect("sends");
    let mut headers_only = TcpStream::connect(server.addr).expect("connects");
    headers_only
        .write_all(b"GET /health HTTP/1.1\r\nHost: loc")
        .expect("sends");
    // Give the server a moment to take both requests in.
    thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("runs kill");
    assert!(killed.success());
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("waits") {
            break status;
        }
        assert!(
            started.elapsed() < GENEROUS,
            "still running {GENEROUS:?} after SIGTERM"
        );
        thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    drop((half, headers_only));
}
