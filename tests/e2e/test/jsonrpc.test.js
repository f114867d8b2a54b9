// Requests that are not valid calls get JSON-RPC errors, on both transports, and the server keeps
// serving: parse errors, non-requests, wrongly typed params, unknown methods.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { binary, httpServer, serverArgs, stateDir } from '../lib/helpers.js';

const BAD_PARAMS = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 5 } };
const BAD_ARGS = { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'discover', arguments: [1] } };
const UNKNOWN = { jsonrpc: '2.0', id: 9, method: 'tools/destroy' };

test('malformed JSON-RPC over HTTP', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  const post = async (body) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  try {
    const parse = await post('{"jsonrpc":"2.0","id":2,');
    assert.equal(parse.status, 400);
    assert.equal(parse.body.error.code, -32700);
    const notRequest = await post('{"hello":"world"}');
    assert.equal(notRequest.status, 400);
    assert.equal(notRequest.body.error.code, -32600);
    assert.equal((await post(BAD_PARAMS)).body.error.code, -32602);
    assert.equal((await post(BAD_ARGS)).body.error.code, -32602);
    const unknown = await post(UNKNOWN);
    assert.equal(unknown.body.error.code, -32601);
    assert.match(unknown.body.error.message, /tools\/destroy/);
    const fine = await post({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'health_check', arguments: {} } });
    assert.equal(fine.body.result.structuredContent.status, 'healthy');
  } finally {
    await server.stop();
    state.cleanup();
  }
});

test('malformed JSON-RPC over stdio', { timeout: 30_000 }, async () => {
  const state = stateDir();
  const child = spawn(binary, serverArgs(state.dir), { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const send = (line) => child.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  const next = async () => JSON.parse((await lines.next()).value);
  try {
    send({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    assert.equal((await next()).id, 1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // A line that is not JSON has no id to answer; like the other official SDKs, the stdio
    // transport skips it (answering could start an error storm with an echoing peer). JSON that
    // is not a message is answered.
    send('{"jsonrpc":"2.0","id":2,');
    send('{"hello":"world"}');
    assert.equal((await next()).error.code, -32600);
    send(BAD_PARAMS);
    assert.equal((await next()).error.code, -32602);
    send(UNKNOWN);
    assert.equal((await next()).error.code, -32601);
    send({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'health_check', arguments: {} } });
    assert.equal((await next()).result.structuredContent.status, 'healthy');
  } finally {
    child.stdin.end();
    await new Promise((r) => child.on('exit', r));
    state.cleanup();
  }
});
