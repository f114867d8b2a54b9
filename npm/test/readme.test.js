// Every ```js example of README.md runs as a module, as a user would run it after installing
// the package: the examples import "workflow-server-wasm", which resolves to this package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", here), "utf8");
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test("the README has examples", () => {
  assert.ok(examples.length >= 4, `found ${examples.length} examples`);
});

examples.forEach((code, i) => {
  const heading = readme.slice(0, readme.indexOf(code)).match(/^#+ (.*)$/gm)?.pop() ?? "intro";
  test(`README example ${i + 1} (${heading.replace(/^#+ /, "")})`, async () => {
    // Inside the package folder, so the package name resolves to the package itself.
    const file = fileURLToPath(new URL(`.readme-example-${i + 1}.mjs`, here));
    writeFileSync(file, code);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
