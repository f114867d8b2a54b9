// Hostile or broken input over the wire is answered cleanly: tool errors for what the caller can
// fix, JSON-RPC errors for what is not a valid call, and the server keeps serving afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { McpError } from '@modelcontextprotocol/sdk/types.js';

import { fails, httpClient, httpServer, ok, stateDir, stdioClient, token } from '../lib/helpers.js';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

async function badInput(client) {
  // Unknown tool: a protocol error, not a tool result.
  await assert.rejects(
    client.callTool({ name: 'no_such_tool', arguments: {} }),
    (e) => e instanceof McpError && e.code === -32602 && /Unknown tool: no_such_tool/.test(e.message),
  );
  // Identifiers are checked before any lookup.
  await fails(client, 'start_session', { workflow_id: '../../etc/passwd', agent_id: 'a' }, 'invalid_id');
  await fails(client, 'start_session', { workflow_id: 'release-notes', agent_id: 'a\u0000b' }, 'invalid_id');
  await fails(client, 'get_workflow_status', { client_session_id: '../x', parent_session_token: 'a.b' }, 'invalid_id');
  // Wrong types and missing arguments.
  await fails(client, 'start_session', { workflow_id: 42, agent_id: 'a' }, 'invalid_argument');
  await fails(client, 'start_session', { agent_id: 'a' }, 'invalid_argument');
  await fails(client, 'next_activity', { session_token: ['x'], activity_id: 'draft' }, 'invalid_argument');
  // Tampered tokens: a changed signature and a changed payload both fail verification.
  const t = token(await ok(client, 'start_session', { workflow_id: 'release-notes', agent_id: 'a' }));
  const [payload, signature] = [t.slice(0, t.lastIndexOf('.')), t.slice(t.lastIndexOf('.') + 1)];
  const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
  await fails(client, 'next_activity', { session_token: `${payload}.${flipped}`, activity_id: 'draft' }, 'token_signature');
  // The payload's last byte is the revision (docs/protocol.md#session-token-format): claim another.
  const bytes = Buffer.from(payload, 'base64url');
  bytes[bytes.length - 1] ^= 1;
  const forged = bytes.toString('base64url');
  await fails(client, 'next_activity', { session_token: `${forged}.${signature}`, activity_id: 'draft' }, 'token_signature');
  await fails(client, 'next_activity', { session_token: 'no-dot-here', activity_id: 'draft' }, 'token_malformed');
  // Path-like references never reach a lookup, even with a valid token.
  await fails(client, 'get_resource', { session_token: t, resource_index: '../../etc/passwd' }, 'invalid_id');
  await fails(client, 'next_activity', { session_token: t, activity_id: '../publish' }, 'invalid_id');
  // A 10 MB argument is refused by the argument limits, and the server is still there.
  await fails(client, 'start_session', { workflow_id: 'release-notes', agent_id: TEN_MB }, 'invalid_argument');
  await ok(client, 'health_check');
}

test('bad input over stdio is answered cleanly', async () => {
  const state = stateDir();
  const { client, close } = await stdioClient(state.dir);
  try {
    await badInput(client);
  } finally {
    await close();
    state.cleanup();
  }
});

test('bad input over HTTP is answered cleanly', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  const { client, close } = await httpClient(server.url);
  try {
    await badInput(client);
  } finally {
    await close();
    await server.stop();
    state.cleanup();
  }
});
