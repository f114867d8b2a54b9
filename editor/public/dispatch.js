// The Dispatch tab: the package dispatch_workflow would return for the selected workflow.
import { composeDispatchPackage } from "workflow-server-wasm";

export function setupDispatch({ button, variables, output }, library) {
  button.addEventListener("click", () => {
    const { files, workflow } = library();
    let values;
    try {
      values = JSON.parse(variables.value.trim() || "{}");
    } catch (e) {
      output.textContent = `The variables are not JSON: ${e.message}`;
      return;
    }
    try {
      const { text, meta } = composeDispatchPackage(files, workflow, values);
      const warnings = meta.validation.warnings.map((w) => `warning: ${w}`).join("\n");
      output.textContent = warnings ? `${warnings}\n\n${text}` : text;
    } catch (e) {
      output.textContent = `${e.code}: ${e.message}`;
    }
  });
}
