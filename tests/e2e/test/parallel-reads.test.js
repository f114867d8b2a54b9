// Several agents reading one session at once over HTTP (a workflow orchestrator and its
// activity workers): every read succeeds and the trace books each exactly once.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { httpClient, httpServer, ok, stateDir, token } from '../lib/helpers.js';

test('parallel reads of one session all succeed and are each traced once', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  const clients = [];
  try {
    for (let i = 0; i < 4; i++) clients.push(await httpClient(server.url));
    const { client } = clients[0];
    const started = await ok(client, 'start_session', { workflow_id: 'release-notes', agent_id: 'orchestrator' });
    const moved = await ok(client, 'next_activity', { session_token: token(started), activity_id: 'draft' });
    const t = token(moved);

    const perClient = 16;
    const reads = clients.flatMap(({ client: c }) =>
      Array.from({ length: perClient }, (_, i) =>
        ok(c, i % 2 ? 'get_activity' : 'get_workflow', { session_token: t }),
      ),
    );
    const results = await Promise.all(reads);
    assert.equal(results.length, clients.length * perClient);

    const trace = await ok(client, 'get_trace', { session_token: t });
    const names = trace.structuredContent.events.map((e) => e.name);
    const count = (n) => names.filter((x) => x === n).length;
    assert.equal(count('get_activity'), (clients.length * perClient) / 2);
    assert.equal(count('get_workflow'), (clients.length * perClient) / 2);
  } finally {
    for (const c of clients) await c.close();
    await server.stop();
    state.cleanup();
  }
});
