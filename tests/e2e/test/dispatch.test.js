// The whole hierarchical dispatch story over both transports, with the official SDK client.

import { test } from 'node:test';

import { httpClient, httpServer, stateDir, stdioClient } from '../lib/helpers.js';
import { checkToolList, fromYield, upToYield } from '../lib/story.js';

test('dispatch story over stdio', async () => {
  const state = stateDir();
  // One stdio connection is one server process, and a second process cannot open the same
  // store (it is locked), so parent and sub-agent share the connection here.
  const parent = await stdioClient(state.dir);
  try {
    await checkToolList(parent.client);
    const at = await upToYield(parent.client, parent.client);
    await fromYield(parent.client, parent.client, at);
  } finally {
    await parent.close();
    state.cleanup();
  }
});

test('dispatch story over streamable HTTP: parent and sub-agent on separate connections', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir, ['--auth-token', 'e2e-secret']);
  const headers = { Authorization: 'Bearer e2e-secret' };
  const parent = await httpClient(server.url, headers);
  const child = await httpClient(server.url, headers);
  try {
    await checkToolList(parent.client);
    const at = await upToYield(parent.client, child.client);
    await fromYield(parent.client, child.client, at);
  } finally {
    await parent.close();
    await child.close();
    await server.stop();
    state.cleanup();
  }
});
