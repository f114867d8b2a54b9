// The key ring: with the state folder it is `keyring.json`, created once with owner-only
// permissions; with PostgreSQL it is a row every server shares. `workflow-server rotate-key`
// makes a new current key; tokens signed by the old one still verify. Servers on the database
// pick the rotation up while they run; a server on the folder when it restarts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { binary, httpClient, httpServer, ok, onPostgres, stateDir, storeArgs, token } from '../lib/helpers.js';

const run = promisify(execFile);

test('a rotated key ring file keeps verifying tokens signed by the retired key', { skip: onPostgres && 'the key ring is in the database' }, async () => {
  const state = stateDir();
  try {
    const first = await httpServer(state.dir);
    const before = await httpClient(first.url);
    const t = token(await ok(before.client, 'start_session', { workflow_id: 'release-notes', agent_id: 'a' }));
    await before.close();
    await first.stop();

    const ringFile = join(state.dir, 'keyring.json');
    assert.equal(statSync(ringFile).mode & 0o777, 0o600);
    const old = JSON.parse(readFileSync(ringFile, 'utf8'));
    await run(binary, ['rotate-key', ...storeArgs(state.dir)]);
    const rotated = JSON.parse(readFileSync(ringFile, 'utf8'));
    assert.notEqual(rotated.current.id, old.current.id);
    assert.deepEqual(rotated.retired.map((k) => k.id), [old.current.id]);

    const second = await httpServer(state.dir);
    const after = await httpClient(second.url);
    try {
      const moved = await ok(after.client, 'next_activity', { session_token: t, activity_id: 'draft' });
      assert.ok(moved._meta.validation.codes.includes('token_retired_key'));
      assert.notEqual(token(moved).split('.')[1], t.split('.')[1]);
    } finally {
      await after.close();
      await second.stop();
    }
  } finally {
    state.cleanup();
  }
});

/** Reads with `t` until the server reports it was signed by a retired key (the server reloads the
 * ring when the rotation's notification arrives, a moment after rotate-key returns). */
async function untilRetired(client, t) {
  for (let i = 0; i < 200; i++) {
    const r = await ok(client, 'get_workflow', { session_token: t });
    if (r._meta.validation?.codes?.includes('token_retired_key')) return r;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server never picked up the rotated key ring');
}

test('rotate-key on the database reaches every running server without a restart', { skip: !onPostgres && 'needs PostgreSQL' }, async () => {
  const state = stateDir();
  const servers = [];
  const clients = [];
  try {
    for (let i = 0; i < 2; i++) {
      servers.push(await httpServer(state.dir));
      clients.push(await httpClient(servers[i].url));
    }
    const [a, b] = clients.map((c) => c.client);
    const t = token(await ok(a, 'start_session', { workflow_id: 'release-notes', agent_id: 'a' }));
    // One ring: a token A signed verifies on B.
    await ok(b, 'get_workflow', { session_token: t });

    const { stderr } = await run(binary, ['rotate-key', ...storeArgs(state.dir)]);
    assert.match(stderr, /new current key k-[0-9a-f]{8}; 1 retired key\(s\) still verify/);
    await untilRetired(a, t);
    const fromB = await untilRetired(b, t);
    // Both sign with the new key now: B's new token verifies on A without a warning.
    const plain = await ok(a, 'get_workflow', { session_token: token(fromB) });
    assert.equal(plain._meta.validation?.codes?.includes('token_retired_key') ?? false, false);
  } finally {
    for (const c of clients) await c.close();
    for (const s of servers) await s.stop();
    state.cleanup();
  }
});
