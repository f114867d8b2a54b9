// Shared set-up for the end-to-end tests: where the binary is, how to start it over stdio or
// HTTP with fresh state, and small wrappers over the official MCP client.
//
// The suite runs on either session store (run.sh runs it on both): with
// WORKFLOW_E2E_STORE=postgres every fresh state is also a new database on the cluster of
// WORKFLOW_TEST_POSTGRES_URL (scripts/postgres.sh), and servers get `--store-url` instead of
// `--state-dir`.

import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const workflowsDir = resolve(here, '../workflows');
export const binary =
  process.env.WORKFLOW_SERVER_BIN ?? join(repoRoot, 'target/release/workflow-server');

/** Whether this run keeps sessions in PostgreSQL. */
export const onPostgres = process.env.WORKFLOW_E2E_STORE === 'postgres';

/** The test cluster's admin URL. */
const postgresAdmin = process.env.WORKFLOW_TEST_POSTGRES_URL;
if (onPostgres && !postgresAdmin) {
  throw new Error('WORKFLOW_E2E_STORE=postgres needs WORKFLOW_TEST_POSTGRES_URL (scripts/postgres.sh run)');
}

/** Runs SQL on the test cluster with psql. */
export function adminSql(sql, url = postgresAdmin) {
  execFileSync('psql', [url, '-qXc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The database URL of each fresh state, by its folder, on PostgreSQL. */
const databases = new Map();

/**
 * Fresh state: a folder, and on PostgreSQL a new database too; the returned cleanup removes
 * both. `storeArgs(state.dir)` names it to a server or to `rotate-key`.
 */
export function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'wfs-e2e-'));
  let name = null;
  if (onPostgres) {
    name = `wfs_e2e_${randomUUID().replaceAll('-', '')}`;
    adminSql(`CREATE DATABASE ${name}`);
    databases.set(dir, postgresAdmin.replace(/\/[^/]*$/, `/${name}`));
  }
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    if (name) {
      databases.delete(dir);
      adminSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  };
  return { dir, url: databases.get(dir), cleanup };
}

/** Where a server keeps the state of `stateDir()`'s `dir`: the folder, or its database. */
export function storeArgs(state) {
  const url = databases.get(state);
  return url ? ['--store-url', url] : ['--state-dir', state];
}

/**
 * Arguments every test server gets: the test workflows (unless `extra` names a folder), the
 * state's store, no 3 s wait before an answer.
 */
export function serverArgs(state, extra = []) {
  const workflows = extra.includes('--workflows') ? [] : ['--workflows', workflowsDir];
  return ['serve', ...workflows, ...storeArgs(state), '--min-response-ms', '0', ...extra];
}

const clientInfo = { name: 'workflow-server-e2e', version: '1.0.0' };

/** An SDK client connected over stdio to a new server process. */
export async function stdioClient(state, extra = []) {
  const transport = new StdioClientTransport({
    command: binary,
    args: serverArgs(state, extra),
    env: { ...process.env, RUST_LOG: 'warn' },
    stderr: 'pipe',
  });
  const client = new Client(clientInfo);
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

/**
 * Starts the server over HTTP on a free loopback port (it logs the address it bound) and
 * returns its URL and a stop function.
 */
export async function httpServer(state, extra = []) {
  const child = spawn(binary, serverArgs(state, ['--http', '127.0.0.1:0', ...extra]), {
    env: { ...process.env, RUST_LOG: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((r) => child.on('exit', r));
  let log = '';
  const base = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 10_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /serving MCP over HTTP at \/mcp addr=([\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolveUrl(`http://${m[1]}`);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  const end = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    base,
    url: new URL(`${base}/mcp`),
    log: () => log,
    /** A clean stop (SIGTERM); harmless when the process has already gone. */
    stop: () => end('SIGTERM'),
    /** A crash: SIGKILL, no chance to flush anything. */
    kill9: () => end('SIGKILL'),
  };
}

/** An SDK client over streamable HTTP. */
export async function httpClient(url, headers = {}) {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const client = new Client(clientInfo);
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

/** Tools that serve definitions send them once, as text, without a structuredContent copy. */
export const TEXT_ONLY = new Set(['get_workflow', 'get_activity', 'get_skills', 'get_skill', 'get_resource']);

/** Calls a tool and insists it succeeded; returns the result. */
export async function ok(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(
    !result.isError,
    `${name} failed: ${result.content?.[0]?.text} (${result._meta?.error_code})`,
  );
  if (TEXT_ONLY.has(name)) {
    assert.equal(result.structuredContent, undefined, `${name} sends its definition once, as text`);
  } else {
    assert.equal(typeof result.structuredContent, 'object', `${name} has structuredContent`);
  }
  assert.equal(result.content.length, 1, `${name} has one content item`);
  assert.equal(result.content[0].type, 'text');
  return result;
}

/** Calls a tool and insists it failed with `code`; returns the result. */
export async function fails(client, name, args, code) {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.isError, true, `${name} should fail with ${code}: ${result.content?.[0]?.text}`);
  assert.equal(result._meta?.error_code, code, `${name}: ${result.content?.[0]?.text}`);
  assert.equal(result.structuredContent, undefined);
  return result;
}

/** The token a result issued. */
export const token = (result) => result._meta.session_token;

/** The one text content item of a result. */
export const text = (result) => result.content[0].text;
