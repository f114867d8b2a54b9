// MCP 2026-07-28 (no initialize handshake; every request carries its protocol metadata), raw,
// since the official 1.x client speaks 2025-11-25: the same tools answer the same way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { binary, httpServer, serverArgs, stateDir } from '../lib/helpers.js';
import { TOOLS } from '../lib/story.js';

const V = '2026-07-28';
const meta = {
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw-2026', version: '1' },
};
const request = (id, method, params = {}) => ({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } });

test('2026-07-28 over HTTP: discover, tools/list and a tool call without a handshake', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  const post = async (body, name) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': V,
        'Mcp-Method': body.method,
        ...(name ? { 'Mcp-Name': name } : {}),
      },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    return res.json();
  };
  try {
    const discovered = await post({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } });
    assert.ok(discovered.result.supportedVersions.includes(V), JSON.stringify(discovered));
    assert.ok(discovered.result.supportedVersions.includes('2025-11-25'));
    const listed = await post(request(2, 'tools/list'));
    assert.deepEqual(listed.result.tools.map((t) => t.name), TOOLS);
    const called = await post(request(3, 'tools/call', { name: 'list_workflows', arguments: {} }), 'list_workflows');
    assert.deepEqual(called.result.structuredContent.workflows.map((w) => w.id), ['meta', 'release-notes']);
  } finally {
    await server.stop();
    state.cleanup();
  }
});

test('2026-07-28 over stdio: tools/list and a tool call without a handshake', { timeout: 30_000 }, async () => {
  const state = stateDir();
  const child = spawn(binary, serverArgs(state.dir), { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (body) => {
    child.stdin.write(`${JSON.stringify(body)}\n`);
    for (;;) {
      const { value, done } = await lines.next();
      assert.ok(!done, 'the server answered');
      const msg = JSON.parse(value);
      if (msg.id === body.id) return msg;
    }
  };
  try {
    const listed = await ask(request(1, 'tools/list'));
    assert.deepEqual(listed.result.tools.map((t) => t.name), TOOLS);
    const called = await ask(request(2, 'tools/call', { name: 'discover', arguments: {} }));
    assert.match(called.result.structuredContent.bootstrap, /E2E bootstrap/);
  } finally {
    child.stdin.end();
    await new Promise((r) => child.on('exit', r));
    state.cleanup();
  }
});
