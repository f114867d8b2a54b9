// kill -9 in the middle of a workflow, restart on the same state folder, and carry on with the
// tokens issued before the crash: the key ring, the records and the traces must all be there.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { httpClient, httpServer, ok, stateDir } from '../lib/helpers.js';
import { fromYield, upToYield } from '../lib/story.js';

test('a server killed with SIGKILL mid-workflow restarts with every token, record and trace', async () => {
  const state = stateDir();
  const servers = [];
  try {
    const first = await httpServer(state.dir);
    servers.push(first);
    const before = await httpClient(first.url);
    const at = await upToYield(before.client, before.client);
    const blocked = await ok(before.client, 'get_workflow_status', { client_session_token: at.handle });
    assert.equal(blocked.structuredContent.status, 'blocked');
    await first.kill9();
    await before.close().catch(() => {});

    const second = await httpServer(state.dir);
    servers.push(second);
    const after = await httpClient(second.url);
    try {
      const status = await ok(after.client, 'get_workflow_status', { client_session_token: at.handle });
      assert.equal(status.structuredContent.status, 'blocked');
      assert.equal(status.structuredContent.current_activity, 'draft');
      const { trace } = await fromYield(after.client, after.client, at);
      // The events written before the crash are still the first ones of the child's trace.
      const names = trace.events.map((e) => e.name);
      assert.deepEqual(names.slice(0, 9), [
        'dispatch_workflow', 'start_session', 'get_workflow', 'get_skills', 'next_activity',
        'get_activity', 'get_skill', 'get_resource', 'yield_checkpoint',
      ]);
    } finally {
      await after.close();
    }
  } finally {
    for (const s of servers) await s.stop();
    state.cleanup();
  }
});
