#!/usr/bin/env node
// Runs the reference walk (walk.mjs) and prints its figures as a markdown table; writes the full
// report as JSON to --out (default: report.json beside this script).
//
//   node tests/e2e/walk/run.mjs [--out FILE] [--binary PATH]

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { defaultBinary, walk } from './walk.mjs';
import { markdown } from './table.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), 'report.json') },
    binary: { type: 'string', default: defaultBinary },
  },
});
const report = await walk({ binary: values.binary });
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(markdown(report));
console.log(`\nreport: ${values.out}`);
