// The selected workflow's summary, as get_workflow gives it (fields the workflow file does not
// write are absent).

const item = (dl, term, value) => {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  dl.append(dt, dd);
};

export function showSummary(container, summary) {
  const dl = document.createElement("dl");
  item(dl, "Title", `${summary.title} (${summary.id} ${summary.version})`);
  if (summary.description) item(dl, "Description", summary.description);
  item(dl, "Initial activity", summary.initialActivity ?? "— (first activity)");
  item(
    dl,
    "Activities",
    summary.activities.map((a) => `${a.artifactPrefix ? `${a.artifactPrefix}-` : ""}${a.id}`).join(", "),
  );
  for (const v of summary.variables ?? []) {
    const value = "defaultValue" in v ? ` = ${JSON.stringify(v.defaultValue)}` : "";
    item(dl, `Variable ${v.name}`, `${v.type}${value}${v.required ? " (required)" : ""}`);
  }
  if (summary.modes?.length) item(dl, "Modes", summary.modes.map((m) => m.id).join(", "));
  (summary.rules ?? []).forEach((rule, i) => item(dl, `Rule ${i + 1}`, rule));
  container.replaceChildren(dl);
}
