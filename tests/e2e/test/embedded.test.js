// The README's first command: with no --workflows, the server serves the library embedded in the
// binary at build time, to the official client.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { binary, ok, stateDir, storeArgs, token } from '../lib/helpers.js';
import { TOOLS } from '../lib/story.js';

test('without --workflows the embedded library is served and startable', async () => {
  const state = stateDir();
  const client = new Client({ name: 'workflow-server-e2e', version: '1.0.0' });
  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.WORKFLOW_DIR;
  await client.connect(new StdioClientTransport({
    command: binary,
    args: storeArgs(state.dir),
    env,
    stderr: 'pipe',
  }));
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOLS);
    const discovered = await ok(client, 'discover');
    assert.equal(typeof discovered.structuredContent.bootstrap, 'string');
    const { workflows } = (await ok(client, 'list_workflows')).structuredContent;
    assert.ok(workflows.some((w) => w.id === 'meta'), 'meta is listed');
    assert.ok(workflows.length > 1, 'the library has workflows besides meta');
    for (const w of workflows) {
      assert.equal(w.status, 'ok', `${w.id}: ${w.first_error}`);
      assert.equal(w.startable, true);
    }
    const started = await ok(client, 'start_session', { workflow_id: 'meta', agent_id: 'meta' });
    assert.ok(token(started));
  } finally {
    await client.close();
    state.cleanup();
  }
});
