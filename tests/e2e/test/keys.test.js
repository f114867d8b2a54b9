// The key ring lives in the state folder: created once with owner-only permissions, and rotated
// with `workflow-server rotate-key`, after which tokens signed by the old key still verify.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { binary, httpClient, httpServer, ok, stateDir, token } from '../lib/helpers.js';

const run = promisify(execFile);

test('a rotated key ring keeps verifying tokens signed by the retired key', async () => {
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
    await run(binary, ['rotate-key', '--state-dir', state.dir]);
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
