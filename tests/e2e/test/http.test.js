// The HTTP host itself: health and readiness, bearer token, Host and Origin checks, the request
// size cap, malformed JSON-RPC, and MCP resources.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';

import { httpClient, httpServer, stateDir } from '../lib/helpers.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url, body, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A POST on its own connection, with any headers (fetch does not let a caller set Host, and a
 * connection the server refused a body on must not be reused). Resolves to the status code.
 */
function rawPost(url, body, headers) {
  return new Promise((resolveStatus, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
        ...headers,
      },
    }, (res) => {
      res.resume();
      resolveStatus(res.statusCode);
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (e) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

test('the HTTP host guards /mcp and reports health and readiness', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir, ['--auth-token', 's3cret']);
  const auth = { Authorization: 'Bearer s3cret' };
  try {
    const health = await fetch(`${server.base}/health`);
    assert.equal(health.status, 200);
    // The catalog loads beside the first requests; /ready says when it is in.
    let ready;
    for (let i = 0; i < 50; i++) {
      ready = await fetch(`${server.base}/ready`);
      if (ready.status === 200) break;
      assert.equal(ready.status, 503);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      ready: true, catalog: 'loaded', store: 'ok', workflows: 2, startable: 2,
    });

    assert.equal((await post(server.url, INIT)).status, 401);
    assert.equal((await post(server.url, INIT, { Authorization: 'Bearer wrong' })).status, 401);
    const init = await post(server.url, INIT, auth);
    assert.equal(init.status, 200);
    assert.equal((await init.json()).result.protocolVersion, '2025-11-25');

    // DNS rebinding and cross-site pages: foreign Host and Origin values are refused.
    assert.equal(await rawPost(server.url, INIT, { ...auth, Host: 'evil.example' }), 403);
    assert.equal(await rawPost(server.url, INIT, { ...auth, Host: `localhost:${server.url.port}` }), 200);
    assert.equal((await post(server.url, INIT, { ...auth, Origin: 'https://evil.example' })).status, 403);
    assert.equal((await post(server.url, INIT, { ...auth, Origin: 'http://localhost:5173' })).status, 200);

    // A body over the 16 MiB cap is refused before it is parsed.
    const huge = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(17 * 1024 * 1024) } });
    assert.equal(await rawPost(server.url, huge, auth), 413);

    const list = await post(server.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, auth);
    assert.equal(list.status, 200);
  } finally {
    await server.stop();
    state.cleanup();
  }
});

test('schemas and workflows are MCP resources; unknown URIs are JSON-RPC errors', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  const { client, close } = await httpClient(server.url);
  try {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    for (const uri of [
      'workflow-server://schemas',
      'workflow-server://schemas/workflow',
      'workflow-server://schemas/activity',
      'workflow-server://schemas/condition',
      'workflow-server://schemas/skill',
      'workflow-server://workflows/meta',
      'workflow-server://workflows/release-notes',
    ]) {
      assert.ok(uris.includes(uri), `${uri} is listed`);
    }
    const wf = await client.readResource({ uri: 'workflow-server://workflows/release-notes' });
    assert.equal(wf.contents[0].mimeType, 'application/json');
    const body = JSON.parse(wf.contents[0].text);
    assert.equal(body.status, 'ok');
    assert.equal(body.startable, true);
    assert.deepEqual(body.definition.activities.map((a) => a.id), ['draft', 'publish']);
    const schema = JSON.parse((await client.readResource({ uri: 'workflow-server://schemas/skill' })).contents[0].text);
    assert.equal(schema.$id, 'workflow-server://schemas/skill');
    await assert.rejects(client.readResource({ uri: 'workflow-server://workflows/nope' }), /not found/i);
  } finally {
    await close();
    await server.stop();
    state.cleanup();
  }
});
