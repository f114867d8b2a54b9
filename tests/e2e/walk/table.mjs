// The walk's figures as markdown: the totals, then one row per tool.

const n = (v) => (v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US'));

export function markdown(report) {
  const t = report.totals;
  const lines = [
    '| figure | value |',
    '|---|---:|',
    `| calls | ${n(t.calls)} |`,
    `| text bytes | ${n(t.text_bytes)} |`,
    `| structuredContent bytes | ${n(t.structured_bytes)} |`,
    `| _meta bytes | ${n(t.meta_bytes)} |`,
    `| wire bytes (JSON-RPC responses of the calls) | ${n(t.wire_bytes)} |`,
    `| tools/list bytes reaching a model (names, descriptions, input schemas) | ${n(t.tools_list_model_bytes)} |`,
    `| tools/list wire bytes | ${n(report.tools_list.wire_bytes)} |`,
    `| longest session token (chars) | ${n(t.max_token_length)} |`,
    `| \`unknown format\` client warnings | ${n(t.unknown_format_warnings)} |`,
    '',
    '| tool | calls | text | structuredContent | _meta | wire |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  const rows = Object.entries(report.per_tool).sort((a, b) => b[1].text - a[1].text);
  for (const [tool, r] of rows) {
    lines.push(`| ${tool} | ${n(r.calls)} | ${n(r.text)} | ${n(r.structured)} | ${n(r.meta)} | ${n(r.wire)} |`);
  }
  return lines.join('\n');
}
