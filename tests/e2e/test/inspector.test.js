// The MCP Inspector's CLI mode, another official client: tools/list and one tool call, over
// stdio and over HTTP.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { binary, httpServer, serverArgs, stateDir } from '../lib/helpers.js';
import { TOOLS } from '../lib/story.js';

const run = promisify(execFile);
const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function inspector(args) {
  const { stdout } = await run('npx', ['--no-install', 'mcp-inspector', '--cli', ...args], {
    cwd: e2eDir,
    env: { ...process.env, RUST_LOG: 'warn' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

test('inspector CLI over stdio: tools/list and a discover call', async () => {
  const state = stateDir();
  try {
    const server = [binary, ...serverArgs(state.dir)];
    const listed = await inspector([...server, '--method', 'tools/list']);
    assert.deepEqual(listed.tools.map((t) => t.name), TOOLS);
    const called = await inspector([...server, '--method', 'tools/call', '--tool-name', 'discover']);
    assert.equal(called.isError, false);
    assert.match(called.structuredContent.bootstrap, /E2E bootstrap/);
  } finally {
    state.cleanup();
  }
});

test('inspector CLI over streamable HTTP: tools/list and a list_workflows call', async () => {
  const state = stateDir();
  const server = await httpServer(state.dir);
  try {
    const url = server.url.toString();
    const listed = await inspector([url, '--transport', 'http', '--method', 'tools/list']);
    assert.deepEqual(listed.tools.map((t) => t.name), TOOLS);
    const called = await inspector([url, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'list_workflows']);
    assert.deepEqual(called.structuredContent.workflows.map((w) => w.id), ['meta', 'release-notes']);
  } finally {
    await server.stop();
    state.cleanup();
  }
});
