// kill -9 while many sessions are writing: after a restart the store opens, and every session is
// at least where its last acknowledged call left it (a call whose answer was lost to the crash
// may have landed too, never half of one).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { httpServer, stateDir } from '../lib/helpers.js';

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
    assert.ok(body.result && !body.result.isError, JSON.stringify(body));
    return body.result;
  };
}

test('a crash under concurrent writes loses no acknowledged change', async () => {
  const state = stateDir();
  const servers = [];
  try {
    const first = await httpServer(state.dir);
    servers.push(first);
    const call = caller(first.url);
    const sessions = [];
    for (let i = 0; i < 8; i++) {
      const started = await call('start_session', { workflow_id: 'release-notes', agent_id: `a${i}` });
      sessions.push({ token: started._meta.session_token, acked: null, attempted: null, moves: 0 });
    }
    let stop = false;
    const loops = sessions.map(async (s) => {
      const targets = ['draft', 'publish'];
      while (!stop) {
        const target = targets[s.moves % 2];
        s.attempted = target;
        try {
          const r = await call('next_activity', { session_token: s.token, activity_id: target });
          s.token = r._meta.session_token;
          s.acked = target;
          s.moves += 1;
        } catch {
          return; // the server is gone
        }
      }
    });
    await new Promise((r) => setTimeout(r, 700));
    await first.kill9();
    stop = true;
    await Promise.all(loops);
    assert.ok(sessions.every((s) => s.moves > 0), 'every session made progress before the crash');

    const second = await httpServer(state.dir);
    servers.push(second);
    const again = caller(second.url);
    for (const s of sessions) {
      const status = await again('get_workflow_status', { client_session_token: s.token });
      const current = status.structuredContent.current_activity;
      assert.ok(
        current === s.acked || current === s.attempted,
        `session is at ${current}; last acknowledged ${s.acked}, in flight ${s.attempted}`,
      );
      // The session goes on from where it is.
      const next = current === 'draft' ? 'publish' : 'draft';
      await again('next_activity', { session_token: status._meta.session_token, activity_id: next });
    }
  } finally {
    for (const s of servers) await s.stop();
    state.cleanup();
  }
});
