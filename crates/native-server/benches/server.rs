//! Benchmarks the built `workflow-server` binary the way clients see it, with the client in this
//! process and the server in its own, over stdio pipes and loopback HTTP:
//!
//! * cold start: process spawn to the `tools/list` reply (fresh state folder, and restart on an
//!   existing one), embedded workflows;
//! * p50/p99 per tool over stdio, running the dispatch story of
//!   docs/dispatch.md#a-full-run-step-by-step on the e2e test workflows;
//! * throughput over HTTP with 1 and 16 concurrent sessions (each call a durable state change or
//!   a traced read) on the redb store, and with 16 sessions spread over 1, 2 and 3 servers on one
//!   PostgreSQL database, with the ratio to redb;
//! * peak RSS (VmHWM) of each server;
//! * growth with history: `next_activity` at visit 10 and at visit 5,000 of one session;
//! * reads: `get_activity` of a 40 KB activity beside `discover`, the floor of a tool call;
//! * amplification: oversize `next_activity` calls of 15 MB each, every one refused, then the
//!   server's peak RSS and the store's size.
//!
//! Run with `cargo bench -p workflow-server --bench server`. `BENCH_QUICK=1` shortens every part;
//! `BENCH_ONLY=growth,read,amplification` (any of `start,tools,throughput,growth,read,
//! amplification`) runs only those parts. The PostgreSQL throughput runs when
//! `WORKFLOW_TEST_POSTGRES_URL` names a cluster it may create databases on, as
//! `scripts/postgres.sh run cargo bench -p workflow-server --bench server` does.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");

fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let workflows = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/workflows");
    println!("workflow-server benchmark ({BIN})\n");

    let only = std::env::var("BENCH_ONLY").ok();
    let runs = |part: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|p| p == part))
    };

    if runs("start") {
        let (starts, restarts) = if quick { (3, 5) } else { (10, 30) };
        cold_start(starts, restarts);
    }
    if runs("tools") {
        let iterations = if quick { 20 } else { 300 };
        per_tool(&workflows, iterations);
    }
    if runs("throughput") {
        let duration = Duration::from_secs(if quick { 2 } else { 10 });
        throughput_on_each_store(&workflows, duration);
    }
    if runs("growth") {
        history_growth(&workflows, if quick { 500 } else { 5_000 });
    }
    if runs("read") {
        large_read(&workflows, if quick { 200 } else { 2_000 });
    }
    if runs("amplification") {
        amplification(&workflows, if quick { 5 } else { 29 });
    }
}

/// redb with 1 and 16 clients, then 16 clients on 1, 2 and 3 servers over one PostgreSQL.
fn throughput_on_each_store(workflows: &Path, duration: Duration) {
    throughput(workflows, &Backend::Redb, 1, 1, duration);
    let redb = throughput(workflows, &Backend::Redb, 1, 16, duration);
    let Ok(admin) = std::env::var("WORKFLOW_TEST_POSTGRES_URL") else {
        println!(
            "PostgreSQL throughput skipped: run through scripts/postgres.sh run (no \
             WORKFLOW_TEST_POSTGRES_URL)\n"
        );
        return;
    };
    for servers in 1..=3 {
        let db = Database::new(&admin);
        let backend = Backend::Postgres(db.url.clone());
        if let (Some(pg), Some(redb)) =
            (throughput(workflows, &backend, servers, 16, duration), redb)
        {
            println!(
                "{servers} server(s) on PostgreSQL: {:.2} × redb on one server\n",
                pg / redb
            );
        }
    }
}

/// Where the servers under test keep sessions.
enum Backend {
    /// A state folder of its own (one server).
    Redb,
    /// This database, shared by every server.
    Postgres(String),
}

/// A database of its own on the benchmark's cluster, dropped with the value.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn new(admin: &str) -> Database {
        let name = format!("wfs_bench_{}", std::process::id());
        let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
        psql(
            admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        psql(admin, &format!("CREATE DATABASE {name}"));
        Database {
            admin: admin.to_owned(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-qXc", sql])
        .env("PGOPTIONS", "-c client_min_messages=warning")
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql failed: {sql}");
}

/// A state folder that disappears with the value.
fn state() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp folder")
}

/// Starts the server; `log` is its `RUST_LOG` (per-call logs off, so they are not measured).
fn spawn(args: &[&str], log: &str, stderr: Stdio) -> Child {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the server starts")
}

/// Peak resident set size of a live process, in KiB (Linux only).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn show_rss(pid: u32) -> String {
    peak_rss_kib(pid).map_or("n/a".to_owned(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}

/// A JSON-RPC client over the server's stdin and stdout.
struct StdioClient {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

const INIT: &str = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
"#;

impl StdioClient {
    /// Starts a server and sends the handshake and `tools/list` at once, as an eager client
    /// does; returns the client once the `tools/list` reply is in, and the reply.
    fn start(args: &[&str]) -> (StdioClient, Value) {
        let mut child = spawn(args, "warn", Stdio::null());
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut client = StdioClient {
            child,
            stdin,
            stdout,
            next_id: 1,
        };
        client.stdin.write_all(INIT.as_bytes()).expect("writes");
        let tools = client.request("tools/list", json!({}));
        (client, tools)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.request_timed(method, params).0
    }

    /// The reply, and the time from sending the request to the arrival of the reply's last
    /// byte (before the client parses it).
    fn request_timed(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let started = Instant::now();
        let id = self.next_id;
        self.next_id += 1;
        let mut line =
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).expect("writes");
        self.stdin.flush().expect("flushes");
        let mut buf = String::new();
        loop {
            buf.clear();
            if self.stdout.read_line(&mut buf).expect("reads") == 0 {
                panic!("the server closed stdout");
            }
            let arrived = started.elapsed();
            let msg: Value = serde_json::from_str(&buf).expect("a JSON line");
            if msg["id"] == json!(id) {
                return (msg, arrived);
            }
        }
    }

    /// A tool call, timed at the arrival of its reply.
    fn call(&mut self, tool: &str, arguments: Value) -> (Value, Duration) {
        self.request_timed("tools/call", json!({"name": tool, "arguments": arguments}))
    }
}

impl Drop for StdioClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn cold_start(starts: usize, restarts: usize) {
    println!("## Cold start: spawn to the tools/list reply (embedded workflows, stdio)");
    let mut fresh = Vec::new();
    for _ in 0..starts {
        let dir = state();
        let t = Instant::now();
        let (client, _) = StdioClient::start(&["--state-dir", path(dir.path())]);
        fresh.push(t.elapsed());
        drop(client);
    }
    let dir = state();
    drop(StdioClient::start(&["--state-dir", path(dir.path())]));
    let mut again = Vec::new();
    let mut rss = String::new();
    for _ in 0..restarts {
        let t = Instant::now();
        let (mut client, _) = StdioClient::start(&["--state-dir", path(dir.path())]);
        again.push(t.elapsed());
        // The catalog loads beside the handshake; a resource read waits for it.
        client.request("resources/list", json!({}));
        rss = show_rss(client.child.id());
    }
    println!(
        "first start (creates key ring and store): median {:.2} ms, min {:.2} ms",
        ms(median(fresh.clone())),
        ms(*fresh.iter().min().expect("runs"))
    );
    println!(
        "restart on existing state:                median {:.2} ms, min {:.2} ms",
        ms(median(again.clone())),
        ms(*again.iter().min().expect("runs"))
    );
    println!("peak RSS once the embedded catalog is loaded: {rss}\n");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The token a tool result issued.
fn token(reply: &Value) -> String {
    reply["result"]["_meta"]["session_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {reply}"))
        .to_owned()
}

fn per_tool(workflows: &Path, iterations: usize) {
    println!("## Per tool over stdio ({iterations} runs of the dispatch story, test workflows)");
    let dir = state();
    let wf = path(workflows);
    let (mut c, tools) = StdioClient::start(&[
        "--workflows",
        wf,
        "--state-dir",
        path(dir.path()),
        "--min-response-ms",
        "0",
    ]);
    let mut times: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    // Baselines: the transport alone (ping) and the largest fixed answer (tools/list).
    for _ in 0..iterations {
        let (_, took) = c.request_timed("ping", json!({}));
        times.entry("(ping)").or_default().push(took);
        let (_, took) = c.request_timed("tools/list", json!({}));
        times.entry("(tools/list)").or_default().push(took);
    }
    let listed = tools["result"]["tools"].as_array().map_or(0, Vec::len);
    if listed == 0 {
        println!("the engine serves no tools yet: only tools/list was measured");
    } else {
        for _ in 0..iterations {
            story(&mut c, &mut times);
        }
    }
    println!("{:<22} {:>10} {:>10}", "tool", "p50 µs", "p99 µs");
    for (tool, mut v) in times {
        v.sort();
        let p50 = v[v.len() / 2];
        let p99 = v[(v.len() * 99 / 100).min(v.len() - 1)];
        println!("{tool:<22} {:>10.1} {:>10.1}", us(p50), us(p99));
    }
    println!("peak RSS: {}\n", show_rss(c.child.id()));
}

/// One pass of docs/dispatch.md#a-full-run-step-by-step, timing every call by tool.
fn story(c: &mut StdioClient, times: &mut BTreeMap<&'static str, Vec<Duration>>) {
    let mut call = |c: &mut StdioClient, tool: &'static str, args: Value| {
        let (reply, took) = c.call(tool, args);
        assert!(
            reply["result"]["isError"] != json!(true) && reply.get("error").is_none(),
            "{tool} failed: {reply}"
        );
        times.entry(tool).or_default().push(took);
        reply
    };
    call(c, "discover", json!({}));
    call(c, "list_workflows", json!({}));
    call(c, "health_check", json!({}));
    let r = call(
        c,
        "start_session",
        json!({"workflow_id": "meta", "agent_id": "meta"}),
    );
    let r = call(
        c,
        "next_activity",
        json!({"session_token": token(&r), "activity_id": "orchestrate"}),
    );
    let r = call(
        c,
        "dispatch_workflow",
        json!({"workflow_id": "release-notes", "parent_session_token": token(&r),
               "variables": {"release_tag": "v1.0.0"}}),
    );
    // The parent's renewed token is the reply's session token; the child's is in the package.
    let meta = token(&r);
    let child_id = r["result"]["structuredContent"]["client_session_id"].clone();
    let child = r["result"]["structuredContent"]["client_session_token"].clone();
    let r = call(
        c,
        "start_session",
        json!({"workflow_id": "release-notes", "session_token": child, "agent_id": "w"}),
    );
    let r = call(c, "get_workflow", json!({"session_token": token(&r)}));
    let r = call(c, "get_skills", json!({"session_token": token(&r)}));
    let r = call(
        c,
        "next_activity",
        json!({"session_token": token(&r), "activity_id": "draft"}),
    );
    let r = call(c, "get_activity", json!({"session_token": token(&r)}));
    let r = call(c, "get_skill", json!({"session_token": token(&r)}));
    let r = call(
        c,
        "get_resource",
        json!({"session_token": token(&r), "resource_index": "style"}),
    );
    let r = call(
        c,
        "yield_checkpoint",
        json!({"session_token": token(&r), "checkpoint_id": "draft-review"}),
    );
    let handle = token(&r);
    call(
        c,
        "get_workflow_status",
        json!({"client_session_id": child_id, "parent_session_token": meta}),
    );
    call(
        c,
        "present_checkpoint",
        json!({"checkpoint_handle": handle}),
    );
    call(
        c,
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve"}),
    );
    let r = call(c, "resume_checkpoint", json!({"session_token": handle}));
    let r = call(
        c,
        "next_activity",
        json!({"session_token": token(&r), "activity_id": "publish",
               "step_manifest": [{"step_id": "write", "output": "ok"}, {"step_id": "review", "output": "ok"}]}),
    );
    let r = call(
        c,
        "complete_workflow",
        json!({"session_token": token(&r), "step_manifest": [{"step_id": "publish", "output": "ok"}]}),
    );
    call(c, "get_trace", json!({"session_token": token(&r)}));
}

/// A keep-alive HTTP/1.1 connection posting JSON-RPC to `/mcp`.
struct HttpClient {
    stream: BufReader<TcpStream>,
    addr: String,
    next_id: u64,
}

impl HttpClient {
    fn connect(addr: &str) -> HttpClient {
        let stream = TcpStream::connect(addr).expect("connects");
        stream.set_nodelay(true).expect("sets TCP_NODELAY");
        HttpClient {
            stream: BufReader::new(stream),
            addr: addr.to_owned(),
            next_id: 1,
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                          "params": {"name": tool, "arguments": arguments}})
        .to_string();
        let head = format!(
            "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n\
             Content-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        let s = self.stream.get_mut();
        s.write_all(head.as_bytes()).expect("writes");
        s.write_all(body.as_bytes()).expect("writes");
        let body = self.read_response();
        serde_json::from_slice(&body).expect("a JSON body")
    }

    fn read_response(&mut self) -> Vec<u8> {
        let mut length = None;
        let mut chunked = false;
        let mut line = String::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).expect("reads a header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream
                    .read_line(&mut line)
                    .expect("reads a chunk size");
                let size = usize::from_str_radix(line.trim(), 16).expect("a chunk size");
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).expect("reads a chunk");
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length.expect("a Content-Length"), 0);
            self.stream.read_exact(&mut body).expect("reads the body");
        }
        body
    }
}

/// Calls per second with `sessions` concurrent clients spread over `servers` servers, or `None`
/// when the engine serves no tools.
fn throughput(
    workflows: &Path,
    backend: &Backend,
    servers: usize,
    sessions: usize,
    duration: Duration,
) -> Option<f64> {
    let store = match backend {
        Backend::Redb => "redb".to_owned(),
        Backend::Postgres(_) => format!("PostgreSQL, {servers} server(s)"),
    };
    println!(
        "## Throughput over HTTP ({store}), {sessions} concurrent client(s) running sessions of 5 calls, {duration:?}"
    );
    let dir = state();
    let mut children = Vec::new();
    let mut addrs = Vec::new();
    let mut counted = Vec::new();
    for _ in 0..servers {
        let mut args = vec![
            "--http".to_owned(),
            "127.0.0.1:0".to_owned(),
            "--workflows".to_owned(),
            path(workflows).to_owned(),
        ];
        match backend {
            Backend::Redb => args.extend(["--state-dir".to_owned(), path(dir.path()).to_owned()]),
            Backend::Postgres(url) => args.extend(["--store-url".to_owned(), url.clone()]),
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = spawn(
            &args,
            // The bound address is logged at info by the HTTP module, each redb commit at debug.
            "warn,workflow_server::http=info,workflow_server::store=debug",
            Stdio::piped(),
        );
        let (addr, commits) = bound_address(&mut child);
        children.push(child);
        addrs.push(addr);
        counted.push(commits);
    }
    let stop = |children: &mut Vec<Child>| {
        for child in children.iter_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    };
    let probe = HttpClient::connect(&addrs[0]).call(
        "start_session",
        json!({"workflow_id": "release-notes", "agent_id": "w"}),
    );
    if probe.get("error").is_some() {
        println!("the engine serves no tools yet: skipped\n");
        stop(&mut children);
        return None;
    }
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..sessions)
        .map(|i| {
            let addr = addrs[i % servers].clone();
            std::thread::spawn(move || {
                let mut c = HttpClient::connect(&addr);
                let mut calls = 0u64;
                let mut latencies = Vec::new();
                let mut timed = |c: &mut HttpClient, tool: &str, args: Value| {
                    let started = Instant::now();
                    let reply = c.call(tool, args);
                    latencies.push(started.elapsed());
                    calls += 1;
                    reply
                };
                // Short sessions, one after another: every call is a durable state change or a
                // traced read, as in real use.
                while Instant::now() < deadline {
                    let r = timed(
                        &mut c,
                        "start_session",
                        json!({"workflow_id": "release-notes", "agent_id": "w"}),
                    );
                    let r = timed(
                        &mut c,
                        "next_activity",
                        json!({"session_token": token(&r), "activity_id": "draft"}),
                    );
                    let r = timed(&mut c, "get_activity", json!({"session_token": token(&r)}));
                    let r = timed(
                        &mut c,
                        "next_activity",
                        json!({"session_token": token(&r), "activity_id": "publish"}),
                    );
                    timed(
                        &mut c,
                        "complete_workflow",
                        json!({"session_token": token(&r)}),
                    );
                }
                (calls, latencies)
            })
        })
        .collect();
    let mut total = 0;
    let mut latencies = Vec::new();
    for w in workers {
        let (calls, l) = w.join().expect("a worker finishes");
        total += calls;
        latencies.extend(l);
    }
    let rate = total as f64 / duration.as_secs_f64();
    println!(
        "{rate:.0} calls/s; per call p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&mut latencies, 50)),
        ms(percentile(&mut latencies, 99)),
    );
    if let Backend::Redb = backend {
        let (flushes, jobs) = *counted[0].lock().unwrap_or_else(|e| e.into_inner());
        println!(
            "store: {flushes} durable commits for {jobs} write jobs ({:.1} per commit)",
            jobs as f64 / flushes.max(1) as f64
        );
    }
    let rss: Vec<String> = children.iter().map(|c| show_rss(c.id())).collect();
    println!("peak RSS: {}\n", rss.join(", "));
    stop(&mut children);
    Some(rate)
}

fn percentile(v: &mut [Duration], p: usize) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)]
}

/// Reads the server's log until it names the address it bound, then keeps reading it (so the
/// server never blocks on a full pipe), counting durable commits and the write jobs they carried.
fn bound_address(child: &mut Child) -> (String, Arc<Mutex<(u64, u64)>>) {
    let stderr = child.stderr.take().expect("piped");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server logs its address")
            .expect("reads the log");
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    let commits = Arc::new(Mutex::new((0u64, 0u64)));
    let counted = commits.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let jobs = line
                .split("jobs=")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse::<u64>().ok());
            if let Some(jobs) = jobs {
                let mut c = counted.lock().unwrap_or_else(|e| e.into_inner());
                c.0 += 1;
                c.1 += jobs;
            }
        }
    });
    (addr, commits)
}

/// The median time of `next_activity` over a window of visits, early and late in one long
/// session: the record stays the same size, so the two should match (docs/protocol.md#session-history).
fn history_growth(workflows: &Path, visits: usize) {
    println!(
        "## Growth with history: next_activity at visit 10 and at visit {visits} of one session (stdio)"
    );
    let dir = state();
    let (mut c, _) = StdioClient::start(&[
        "--workflows",
        path(workflows),
        "--state-dir",
        path(dir.path()),
    ]);
    let (r, _) = c.call(
        "start_session",
        json!({"workflow_id": "release-notes", "agent_id": "w"}),
    );
    let mut t = token(&r);
    let mut early = Vec::new();
    let mut late = Vec::new();
    let manifest = json!([{"step_id": "write", "output": "x".repeat(1_000)}]);
    for visit in 1..=visits {
        let target = if visit % 2 == 1 { "draft" } else { "publish" };
        let (r, took) = c.call(
            "next_activity",
            json!({"session_token": t, "activity_id": target, "step_manifest": manifest}),
        );
        t = token(&r);
        if (5..=25).contains(&visit) {
            early.push(took);
        }
        if visit + 20 >= visits {
            late.push(took);
        }
    }
    let (early, late) = (median(early), median(late));
    println!(
        "visit 10: median {:.1} µs; visit {visits}: median {:.1} µs; ratio {:.2}",
        us(early),
        us(late),
        us(late) / us(early)
    );
    let store = std::fs::metadata(dir.path().join("sessions.redb")).map_or(0, |m| m.len());
    println!(
        "store file: {:.1} MiB; peak RSS: {}\n",
        store as f64 / 1048576.0,
        show_rss(c.child.id())
    );
}

/// `get_activity` of an activity whose response is about 40 KB, beside `discover` (the floor:
/// no session, a fixed text), measured at the arrival of each response over stdio.
fn large_read(workflows: &Path, iterations: usize) {
    let dir = state();
    let folder = dir.path().join("workflows");
    copy_folder(workflows, &folder);
    let steps: String = (0..100)
        .map(|i| {
            format!(
                "  - id: step-{i}\n    name: Step {i}\n    description: \"{}\"\n",
                "Read the notes of this part, check each claim against the change log, and write what you found. ".repeat(4)
            )
        })
        .collect();
    let activity = format!("id: large\nversion: 1.0.0\nname: Large\nsteps:\n{steps}");
    std::fs::write(
        folder.join("release-notes/activities/03-large.yaml"),
        activity,
    )
    .expect("writes the activity");
    let (mut c, _) = StdioClient::start(&[
        "--workflows",
        path(&folder),
        "--state-dir",
        path(dir.path()),
    ]);
    let (r, _) = c.call(
        "start_session",
        json!({"workflow_id": "release-notes", "agent_id": "w"}),
    );
    let (r, _) = c.call(
        "next_activity",
        json!({"session_token": token(&r), "activity_id": "large"}),
    );
    let t = token(&r);
    let (first, _) = c.call("get_activity", json!({"session_token": t}));
    let bytes = first["result"]["content"][0]["text"]
        .as_str()
        .map_or(0, str::len);
    let mut reads = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..iterations {
        reads.push(c.call("get_activity", json!({"session_token": t})).1);
        floor.push(c.call("discover", json!({})).1);
    }
    println!(
        "## Reads over stdio: get_activity of a {:.1} KB activity text, beside discover ({iterations} each)",
        bytes as f64 / 1000.0
    );
    println!(
        "get_activity p50 {:.1} µs, p99 {:.1} µs; discover p50 {:.1} µs, p99 {:.1} µs\n",
        us(percentile(&mut reads, 50)),
        us(percentile(&mut reads, 99)),
        us(percentile(&mut floor, 50)),
        us(percentile(&mut floor, 99)),
    );
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creates a folder");
    for entry in std::fs::read_dir(from).expect("reads a folder") {
        let entry = entry.expect("reads an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copies a file");
        }
    }
}

/// The amplification run of the bounded-and-fast issue: `next_activity` calls of about 15 MB of
/// step manifest each, over HTTP on one session. Each is refused by the argument limits, so
/// nothing reaches the store; the figures are the server's peak RSS and the store's size.
fn amplification(workflows: &Path, calls: usize) {
    println!("## Amplification: {calls} next_activity calls of 15 MB each on one session (HTTP)");
    let dir = state();
    let mut child = spawn(
        &[
            "--http",
            "127.0.0.1:0",
            "--workflows",
            path(workflows),
            "--state-dir",
            path(dir.path()),
        ],
        "warn,workflow_server::http=info",
        Stdio::piped(),
    );
    let (addr, _) = bound_address(&mut child);
    let mut c = HttpClient::connect(&addr);
    let r = c.call(
        "start_session",
        json!({"workflow_id": "release-notes", "agent_id": "w"}),
    );
    let t = token(&r);
    // 200 entries (the most allowed) of 75 KB each: every entry is over its 4 KiB bound.
    let manifest: Vec<Value> = (0..200)
        .map(|i| json!({"step_id": format!("s{i}"), "output": "x".repeat(75_000)}))
        .collect();
    let args = json!({"session_token": t, "activity_id": "draft", "step_manifest": manifest});
    let mut refused = 0;
    let mut times = Vec::new();
    let mut message = String::new();
    for _ in 0..calls {
        let started = Instant::now();
        let reply = c.call("next_activity", args.clone());
        times.push(started.elapsed());
        if reply["result"]["isError"] == json!(true) {
            refused += 1;
            message = reply["result"]["content"][0]["text"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
        }
    }
    let store = std::fs::metadata(dir.path().join("sessions.redb")).map_or(0, |m| m.len());
    println!(
        "refused {refused} of {calls} (\"{message}…\"); per call p50 {:.1} ms",
        ms(percentile(&mut times, 50))
    );
    println!(
        "peak RSS: {}; store file: {:.2} MiB\n",
        show_rss(child.id()),
        store as f64 / 1048576.0
    );
    let _ = child.kill();
    let _ = child.wait();
}
