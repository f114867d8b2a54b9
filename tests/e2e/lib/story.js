// The hierarchical dispatch story of docs/dispatch.md#a-full-run-step-by-step, driven through the
// official client. Used over stdio and over HTTP; `parent` and `child` may be the same client or
// two (a sub-agent usually has its own connection).

import assert from 'node:assert/strict';

import { TEXT_ONLY, fails, ok, text, token } from './helpers.js';

export const TOOLS = [
  'discover', 'list_workflows', 'health_check', 'start_session', 'dispatch_workflow',
  'get_workflow_status', 'complete_workflow', 'get_workflow', 'next_activity', 'get_activity',
  'yield_checkpoint', 'resume_checkpoint', 'present_checkpoint', 'respond_checkpoint',
  'get_skills', 'get_skill', 'get_resource', 'get_trace',
];

export const READ_ONLY = new Set([
  'discover', 'list_workflows', 'health_check', 'get_workflow_status', 'get_workflow',
  'get_activity', 'present_checkpoint', 'get_skills', 'get_skill', 'get_resource', 'get_trace',
]);

/**
 * tools/list: the 18 tools in order, with schemas and the annotations of
 * docs/protocol.md#transports-and-tool-list.
 */
export async function checkToolList(client) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), TOOLS);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, 'object', `${t.name} input schema`);
    if (TEXT_ONLY.has(t.name)) {
      assert.equal(t.outputSchema, undefined, `${t.name} answers in text only`);
    } else {
      assert.equal(t.outputSchema?.type, 'object', `${t.name} output schema`);
    }
    assert.ok(t.description && t.description.length < 400, `${t.name} has a short description`);
    assert.equal(t.annotations.readOnlyHint, READ_ONLY.has(t.name), `${t.name} readOnlyHint`);
    assert.equal(t.annotations.openWorldHint, false, `${t.name} openWorldHint`);
    if (!READ_ONLY.has(t.name)) {
      assert.equal(t.annotations.destructiveHint, false);
      assert.equal(t.annotations.idempotentHint, false);
    }
  }
}

/**
 * Runs the story up to the child's yield and returns everything a later step needs, so the crash
 * test can stop the server there.
 */
export async function upToYield(parent, child) {
  const discovered = await ok(parent, 'discover');
  assert.match(discovered.structuredContent.bootstrap, /E2E bootstrap/);

  const listed = await ok(parent, 'list_workflows');
  const ids = listed.structuredContent.workflows.map((w) => w.id);
  assert.deepEqual(ids, ['meta', 'release-notes']);

  let meta = token(await ok(parent, 'start_session', { workflow_id: 'meta', agent_id: 'meta' }));
  meta = token(await ok(parent, 'next_activity', { session_token: meta, activity_id: 'orchestrate' }));

  const dispatched = await ok(parent, 'dispatch_workflow', {
    workflow_id: 'release-notes',
    parent_session_token: meta,
    variables: { release_tag: 'v2.3.0' },
  });
  const childId = dispatched.structuredContent.client_session_id;
  assert.match(dispatched.structuredContent.client_prompt, /Run release-notes \(Release Notes 1\.0\.0\) from draft/);
  meta = dispatched._meta.session_token;

  let c = token(await ok(child, 'start_session', {
    workflow_id: 'release-notes',
    session_token: dispatched.structuredContent.client_session_token,
    agent_id: 'orch-1',
  }));
  c = token(await ok(child, 'get_workflow', { session_token: c }));
  const skills = await ok(child, 'get_skills', { session_token: c });
  assert.deepEqual(text(skills).match(/^skill_id: .*$/gm), ['skill_id: release-notes/drafting']);
  c = token(skills);
  c = token(await ok(child, 'next_activity', { session_token: c, activity_id: 'draft' }));
  const activity = await ok(child, 'get_activity', { session_token: c });
  assert.match(text(activity), /\nid: draft\n/);
  c = token(activity);
  const skill = await ok(child, 'get_skill', { session_token: c });
  assert.match(text(skill), /^skill_id: release-notes\/drafting\n/);
  c = token(skill);
  const resource = await ok(child, 'get_resource', { session_token: c, resource_index: 'style' });
  assert.match(text(resource), /imperative mood/);
  c = token(resource);
  const yielded = await ok(child, 'yield_checkpoint', { session_token: c, checkpoint_id: 'draft-review' });
  const handle = yielded.structuredContent.checkpoint_handle;
  assert.equal(token(yielded), handle);
  return { meta, c, handle, childId };
}

/** From the yield to the parent seeing the child completed. */
export async function fromYield(parent, child, { meta, c, handle, childId }) {
  const blocked = await ok(parent, 'get_workflow_status', {
    client_session_id: childId,
    parent_session_token: meta,
  });
  assert.equal(blocked.structuredContent.status, 'blocked');
  assert.equal(blocked.structuredContent.active_checkpoint.id, 'draft-review');
  await fails(child, 'get_activity', { session_token: c }, 'checkpoint_active');

  const presented = await ok(parent, 'present_checkpoint', { checkpoint_handle: handle });
  assert.equal(presented.structuredContent.message, 'Publish this draft?');
  const answered = await ok(parent, 'respond_checkpoint', { checkpoint_handle: handle, option_id: 'approve' });
  assert.equal(answered.structuredContent.resolved, true);
  await fails(parent, 'respond_checkpoint', { checkpoint_handle: handle, option_id: 'approve' }, 'checkpoint_answered');

  const resumed = await ok(child, 'resume_checkpoint', { session_token: handle });
  assert.equal(resumed.structuredContent.resolved_option, 'approve');
  assert.deepEqual(resumed.structuredContent.changed_variables, { approved: true });
  let c2 = token(resumed);
  const moved = await ok(child, 'next_activity', {
    session_token: c2,
    activity_id: 'publish',
    step_manifest: [
      { step_id: 'write', output: 'drafted' },
      { step_id: 'review', output: 'approved' },
    ],
    include_trace_token: true,
  });
  assert.ok(moved._meta.trace_token, 'next_activity returns a trace token when asked');
  c2 = token(moved);
  const done = await ok(child, 'complete_workflow', {
    session_token: c2,
    step_manifest: [{ step_id: 'publish', output: 'published' }],
    outcome: 'notes published',
  });
  assert.equal(done.structuredContent.status, 'completed');

  const status = await ok(parent, 'get_workflow_status', {
    client_session_id: childId,
    parent_session_token: meta,
  });
  assert.equal(status.structuredContent.status, 'completed');
  assert.deepEqual(status.structuredContent.completed_activities, ['draft', 'publish']);
  assert.equal(status.structuredContent.variables.approved, true);
  assert.equal(status.structuredContent.variables.release_tag, 'v2.3.0');
  assert.equal(status.structuredContent.last_checkpoint.option, 'approve');

  const trace = await ok(child, 'get_trace', { session_token: token(done) });
  const names = trace.structuredContent.events.map((e) => e.name);
  for (const name of ['dispatch_workflow', 'start_session', 'next_activity', 'yield_checkpoint',
    'present_checkpoint', 'respond_checkpoint', 'resume_checkpoint', 'complete_workflow']) {
    assert.ok(names.includes(name), `trace has ${name}: ${names}`);
  }
  return { trace: trace.structuredContent };
}
