// The server watches its workflows folder: an edit is served without a restart, and a broken
// edit keeps the last good definition (startable, with a warning) until it is fixed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { httpClient, httpServer, ok, stateDir, workflowsDir } from '../lib/helpers.js';

async function until(what, check) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}`);
}

test('edits are reloaded; a broken edit keeps serving the last good definition', async () => {
  const state = stateDir();
  const library = join(state.dir, 'workflows');
  cpSync(workflowsDir, library, { recursive: true });
  const server = await httpServer(state.dir, ['--workflows', library]);
  const { client, close } = await httpClient(server.url);
  const entry = async () =>
    (await ok(client, 'list_workflows')).structuredContent.workflows.find((w) => w.id === 'release-notes');
  const file = join(library, 'release-notes', 'workflow.yaml');
  const good = readFileSync(file, 'utf8');
  try {
    assert.equal((await entry()).title, 'Release Notes');

    writeFileSync(file, good.replace('title: Release Notes', 'title: Release Notes v2'));
    await until('the new title is served', async () => (await entry()).title === 'Release Notes v2');

    writeFileSync(file, good.replace('title: Release Notes\n', ''));
    await until('the workflow is reported broken', async () => (await entry()).status === 'broken');
    const broken = await entry();
    assert.equal(broken.startable, true, 'the last good definition is still served');
    assert.match(broken.first_error, /workflow\.yaml/);
    const started = await ok(client, 'start_session', { workflow_id: 'release-notes', agent_id: 'a' });
    assert.ok(started._meta.validation.codes.includes('serving_last_good'));
    assert.match(server.log(), /broken; serving its last good definition/);

    writeFileSync(file, good);
    await until('the fix is served', async () => (await entry()).status === 'ok');
  } finally {
    await close();
    await server.stop();
    state.cleanup();
  }
});
