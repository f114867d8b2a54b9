// get_workflow_status with wait_ms (docs/protocol.md#get_workflow_status): the call answers as
// soon as the session changes, woken by the store: redb's own commits, or on PostgreSQL another
// server's commit heard through LISTEN. Without a change it answers the same status when the wait
// ends.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { httpClient, httpServer, ok, onPostgres, stateDir, stdioClient, token } from '../lib/helpers.js';

const WAIT_MS = 20_000;

/** Waits on `waiter` while `changer` moves the session, and checks the wait was woken by the move.
 * The bound is half the wait: a wait that was not woken answers only at its deadline. */
async function wokenByAChange(waiter, changer, t) {
  const started = Date.now();
  const waiting = ok(waiter, 'get_workflow_status', { client_session_token: t, wait_ms: WAIT_MS });
  // Let the wait begin before the change (it would also see a change made before it began).
  await new Promise((r) => setTimeout(r, 200));
  await ok(changer, 'next_activity', { session_token: t, activity_id: 'draft' });
  const answered = await waiting;
  assert.equal(answered.structuredContent.current_activity, 'draft');
  assert.ok(Date.now() - started < WAIT_MS / 2, 'the change woke the wait before its deadline');
}

test('a waiting status read is woken by a change made through another server', async () => {
  const state = stateDir();
  // On redb one server serves both clients; on PostgreSQL the change goes through a second one.
  const servers = [await httpServer(state.dir)];
  if (onPostgres) servers.push(await httpServer(state.dir));
  const waiter = await httpClient(servers[0].url);
  const changer = await httpClient(servers.at(-1).url);
  try {
    const t = token(await ok(waiter.client, 'start_session', { workflow_id: 'release-notes', agent_id: 'x' }));
    await wokenByAChange(waiter.client, changer.client, t);

    const unchanged = await ok(waiter.client, 'get_workflow_status', { client_session_token: t, wait_ms: 300 });
    assert.equal(unchanged.structuredContent.current_activity, 'draft');
  } finally {
    await waiter.close();
    await changer.close();
    for (const s of servers) await s.stop();
    state.cleanup();
  }
});

test('over stdio a waiting read does not hold up the calls after it', async () => {
  const state = stateDir();
  const { client, close } = await stdioClient(state.dir);
  try {
    const t = token(await ok(client, 'start_session', { workflow_id: 'release-notes', agent_id: 'x' }));
    await wokenByAChange(client, client, t);
  } finally {
    await close();
    state.cleanup();
  }
});
