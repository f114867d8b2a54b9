// The reference walk of issue 12 (walk/README.md): a scripted agent fixes a one-line bug through
// meta and work-package on the embedded library. Its text bytes are deterministic, so the test
// holds them to the committed budget: more than 10 % above it fails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { binary } from '../lib/helpers.js';
import { walk } from '../walk/walk.mjs';

const budget = JSON.parse(readFileSync(new URL('../walk/budget.json', import.meta.url), 'utf8'));

test('reference walk: both sessions complete within the text budget', async (t) => {
  const report = await walk({ binary });
  assert.equal(report.outcome.meta.status, 'completed', 'the meta session completed');
  assert.equal(report.outcome.child.status, 'completed', 'the work-package session completed');
  assert.deepEqual(
    report.outcome.meta.activities,
    ['discover-session', 'dispatch-workflow', 'end-workflow'],
  );
  // PATH's answers (plan-first, approve, continue, approve, open) lead through every activity.
  assert.deepEqual(
    report.outcome.child.activities,
    ['intake', 'plan', 'implement', 'run-checks', 'review', 'pull-request'],
  );

  const { totals } = report;
  t.diagnostic(`walk totals: ${JSON.stringify(totals)}`);
  // The SDK client compiles every output schema with Ajv: only standard formats, so no warning.
  assert.equal(totals.unknown_format_warnings, 0, 'the SDK client warned of unknown formats');
  const limit = Math.floor(budget.text_bytes * 1.1);
  assert.ok(
    totals.text_bytes <= limit,
    `the walk's text bytes rose to ${totals.text_bytes}, more than 10 % above the budget of ` +
      `${budget.text_bytes} (limit ${limit}) in walk/budget.json. Cut the responses, or, if the ` +
      'growth is intended, raise the budget and say why in walk/README.md.',
  );
  if (totals.text_bytes < budget.text_bytes * 0.9) {
    t.diagnostic(`text bytes ${totals.text_bytes} are well below the budget: lower walk/budget.json`);
  }
});
