// Several servers on one PostgreSQL database (crates/native-server/README.md#postgresql): clients
// spread across them see one set of sessions; a checkpoint answered on three servers at once has
// one winner; a server killed under load loses no acknowledged change while the others keep
// serving; a database restart gives retryable errors and then service again. Run with
// WORKFLOW_E2E_STORE=postgres (run.sh does when a test cluster is up).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

import { binary, httpClient, httpServer, ok, onPostgres, repoRoot, stateDir, token } from '../lib/helpers.js';
import { upToYield } from '../lib/story.js';

const skip = !onPostgres && 'needs PostgreSQL (WORKFLOW_E2E_STORE=postgres)';

/** `n` servers on one fresh database, each with a client; stopped and removed by `close`. */
async function cluster(n) {
  const state = stateDir();
  const servers = [];
  const clients = [];
  for (let i = 0; i < n; i++) {
    servers.push(await httpServer(state.dir));
    clients.push(await httpClient(servers[i].url));
  }
  return {
    servers,
    clients: clients.map((c) => c.client),
    close: async () => {
      for (const c of clients) await c.close().catch(() => {});
      for (const s of servers) await s.stop();
      state.cleanup();
    },
  };
}

/** Posts one tools/call as JSON-RPC; resolves to the tool result (or throws when the server is
 * unreachable or answers a protocol error). */
function caller(url) {
  let id = 0;
  return async (name, args) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name, arguments: args } }),
    });
    const body = await res.json();
    assert.ok(body.result, JSON.stringify(body));
    return body.result;
  };
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

test('a session started on A, advanced on B, is read whole on C', { skip }, async () => {
  const c = await cluster(3);
  try {
    const [a, b, cc] = c.clients;
    let t = token(await ok(a, 'start_session', { workflow_id: 'release-notes', agent_id: 'x' }));
    t = token(await ok(b, 'next_activity', { session_token: t, activity_id: 'draft' }));
    const status = await ok(cc, 'get_workflow_status', { client_session_token: t });
    assert.equal(status.structuredContent.current_activity, 'draft');
    assert.deepEqual(status.structuredContent.agents, ['x']);
    const trace = await ok(cc, 'get_trace', { session_token: t });
    assert.deepEqual(trace.structuredContent.events.map((e) => e.name), ['start_session', 'next_activity']);
  } finally {
    await c.close();
  }
});

test('one checkpoint answered on three servers at once has exactly one winner', { skip }, async () => {
  const c = await cluster(3);
  try {
    for (let round = 0; round < 5; round++) {
      const at = await upToYield(c.clients[0], c.clients[1]);
      const answers = await Promise.all(c.clients.map((client) =>
        client.callTool({ name: 'respond_checkpoint', arguments: { checkpoint_handle: at.handle, option_id: 'approve' } })));
      const won = answers.filter((r) => !r.isError);
      assert.equal(won.length, 1, `round ${round}: ${answers.map((r) => r._meta?.error_code ?? 'ok')}`);
      for (const lost of answers.filter((r) => r.isError)) {
        assert.equal(lost._meta.error_code, 'checkpoint_answered', lost.content[0].text);
      }
      const status = await ok(c.clients[2], 'get_workflow_status', { client_session_token: at.handle });
      assert.equal(status.structuredContent.status, 'active');
      assert.equal(status.structuredContent.last_checkpoint.option, 'approve');
      const trace = await ok(c.clients[1], 'get_trace', { session_token: token(status) });
      const outcomes = trace.structuredContent.events
        .filter((e) => e.name === 'respond_checkpoint')
        .map((e) => e.s);
      assert.deepEqual(outcomes.sort(), ['error', 'error', 'ok']);
    }
  } finally {
    await c.close();
  }
});

test('kill -9 of one server under load loses no acknowledged change and the others keep serving', { skip }, async () => {
  const c = await cluster(3);
  try {
    const calls = c.servers.map((s) => caller(s.url));
    const sessions = [];
    for (let i = 0; i < 9; i++) {
      const server = i % 3;
      const started = await calls[server]('start_session', { workflow_id: 'release-notes', agent_id: `a${i}` });
      sessions.push({ server, token: started._meta.session_token, acked: null, attempted: null, moves: 0, failed: false });
    }
    let stop = false;
    const loops = sessions.map(async (s) => {
      const targets = ['draft', 'publish'];
      while (!stop) {
        const target = targets[s.moves % 2];
        s.attempted = target;
        try {
          const r = await calls[s.server]('next_activity', { session_token: s.token, activity_id: target });
          assert.ok(!r.isError, r.content?.[0]?.text);
          s.token = r._meta.session_token;
          s.acked = target;
          s.moves += 1;
        } catch (e) {
          if (s.server !== 0) throw e;
          s.failed = true;
          return; // server A is gone
        }
      }
    });
    const progress = async (min) => {
      while (!sessions.every((s) => s.server === 0 || s.moves >= min)) await pause(20);
    };
    // Load on all three, then A dies mid-run.
    while (!sessions.every((s) => s.moves >= 3)) await pause(20);
    await c.servers[0].kill9();
    const atKill = sessions.map((s) => s.moves);
    await progress(Math.max(...atKill) + 5);
    stop = true;
    await Promise.all(loops);
    for (const [i, s] of sessions.entries()) {
      if (s.server === 0) assert.ok(s.failed, 'calls to the killed server fail');
      else assert.ok(s.moves >= atKill[i] + 5, `server ${s.server} kept serving`);
    }

    const b = caller(c.servers[1].url);
    for (const s of sessions) {
      const status = await b('get_workflow_status', { client_session_token: s.token });
      const current = status.structuredContent.current_activity;
      if (s.server === 0) {
        // A call whose answer the crash swallowed may have landed, never half of it.
        assert.ok(current === s.acked || current === s.attempted, `at ${current}; acked ${s.acked}, in flight ${s.attempted}`);
      } else {
        assert.equal(current, s.acked);
      }
      const trace = await b('get_trace', { session_token: status._meta.session_token });
      const moves = trace.structuredContent.events.filter((e) => e.name === 'next_activity' && e.s === 'ok').length;
      assert.ok(moves === s.moves || (s.server === 0 && moves === s.moves + 1), `${moves} moves traced, ${s.moves} acknowledged`);
      // The session goes on from where it is, on another server.
      const next = current === 'draft' ? 'publish' : 'draft';
      const moved = await b('next_activity', { session_token: status._meta.session_token, activity_id: next });
      assert.ok(!moved.isError, moved.content?.[0]?.text);
    }
  } finally {
    await c.close();
  }
});

/** Stops or starts the test cluster (scripts/postgres.sh, with the variables its `run` set). */
function database(action) {
  execFileSync('bash', [join(repoRoot, 'scripts/postgres.sh'), action], { stdio: 'inherit' });
}

test('a database restart gives retryable errors, then service again with nothing half-written', { skip }, async () => {
  const c = await cluster(2);
  let down = false;
  try {
    const [a, b] = c.clients;
    const t = token(await ok(a, 'start_session', { workflow_id: 'release-notes', agent_id: 'x' }));
    database('stop');
    down = true;

    const refused = await a.callTool({ name: 'next_activity', arguments: { session_token: t, activity_id: 'draft' } });
    assert.equal(refused.isError, true);
    assert.equal(refused._meta.error_code, 'store_unavailable');
    assert.match(refused.content[0].text, /The session store is unavailable \(.*PostgreSQL.*\); retry later\./);
    const read = await b.callTool({ name: 'get_workflow_status', arguments: { client_session_token: t } });
    assert.equal(read._meta.error_code, 'store_unavailable');
    const ready = await fetch(`${c.servers[1].base}/ready`);
    assert.equal(ready.status, 503);
    assert.notEqual((await ready.json()).store, 'ok');
    const health = await fetch(`${c.servers[0].base}/health`);
    assert.equal(health.status, 200, 'the process keeps running');

    database('start');
    down = false;
    // The pools reconnect on their next call; the agent retries as the error told it to.
    let moved;
    for (let i = 0; i < 100 && !moved; i++) {
      const r = await a.callTool({ name: 'next_activity', arguments: { session_token: t, activity_id: 'draft' } });
      if (!r.isError) moved = r;
      else {
        assert.equal(r._meta.error_code, 'store_unavailable', r.content[0].text);
        await pause(100);
      }
    }
    assert.ok(moved, 'service came back');
    const status = await ok(b, 'get_workflow_status', { client_session_token: token(moved) });
    assert.equal(status.structuredContent.current_activity, 'draft');
    const trace = await ok(b, 'get_trace', { session_token: token(moved) });
    assert.deepEqual(trace.structuredContent.events.map((e) => e.name), ['start_session', 'next_activity']);
    assert.equal((await fetch(`${c.servers[1].base}/ready`)).status, 200);
  } finally {
    if (down) database('start');
    await c.close();
  }
});

test('a database that cannot be reached at start stops the server with a clear message', { skip }, async () => {
  const url = 'postgres://nobody@127.0.0.1:1/none';
  for (const args of [['serve', '--http', '127.0.0.1:0', '--store-url', url], ['rotate-key', '--store-url', url]]) {
    const failed = await promisify(execFile)(binary, args).then(() => null, (e) => e);
    assert.ok(failed, `${args[0]} should fail`);
    assert.equal(failed.code, 2, failed.stderr);
    assert.match(failed.stderr, /^error: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none: .*Connection refused/m);
    assert.doesNotMatch(failed.stderr, /panicked/);
  }
});
