// The package through the bundlers users put it in, loaded in headless Chromium: the packed
// tarball is installed into a scratch web project, bundled with esbuild, Vite and webpack as
// their READMEs (and ours) say, served over HTTP, and the page validates a library with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import { chromium } from "playwright-core";
import { validate, formatDiagnostics, readFolder } from "workflow-server-wasm";
import { exampleDir } from "../scripts/read-library.mjs";

const pkgDir = fileURLToPath(new URL("../", import.meta.url));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let scratch;
let project;
let browser;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "workflow-wasm-bundle-"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", scratch], pkgDir));
  project = join(scratch, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch-web", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, packed[0].filename)], project);
  // The page's script: validate a one-file library whose version is a number, and report.
  writeFileSync(
    join(project, "main.js"),
    `import { validate, formatDiagnostics, readFileList, readDirectoryHandle } from "workflow-server-wasm";
const diagnostics = validate({ "w/workflow.yaml": "id: w\\nversion: 1\\ntitle: W\\ninitialActivity: a\\n" });
window.pkg = { validate, readFileList, readDirectoryHandle };
document.body.dataset.result = formatDiagnostics(diagnostics);
`,
  );
  writeFileSync(
    join(project, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./main.js"></script></head><body><input type="file" webkitdirectory></body></html>\n',
  );
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

/** Serves `dir` on loopback; resolves to its URL and a closer. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (!file.startsWith(dir + sep)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}

/** Opens the bundled page and returns what it reports (or the errors it raised); `use(page)`
 * runs before the page closes. */
async function loadInChromium(dir, use = async () => {}) {
  const server = await serve(dir);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  try {
    await page.goto(server.url);
    // Errors end the wait early; the assertions report them.
    await Promise.race([
      page.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 15_000 }),
      new Promise((resolve) => page.on("pageerror", resolve)),
    ]).catch(() => {});
    const result = await page.evaluate(() => document.body.dataset.result);
    await use(page);
    return { result, errors };
  } finally {
    await page.close();
    await server.close();
  }
}

/** What the page must show: the same call in Node. */
const expected = formatDiagnostics(validate({ "w/workflow.yaml": "id: w\nversion: 1\ntitle: W\ninitialActivity: a\n" }));

test("an esbuild bundle loads the module in Chromium (the .wasm copied beside the bundle)", async () => {
  const out = join(project, "dist-esbuild");
  await esbuild.build({
    absWorkingDir: project,
    entryPoints: ["main.js"],
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: out,
    logLevel: "silent",
  });
  // esbuild leaves `new URL("./workflow_wasm_bg.wasm", import.meta.url)` as it is: the module
  // has to be beside the bundle, as the README says.
  copyFileSync(join(project, "node_modules/workflow-server-wasm/dist/workflow_wasm_bg.wasm"), join(out, "workflow_wasm_bg.wasm"));
  writeFileSync(join(out, "index.html"), readFileSync(join(project, "index.html"), "utf8"));
  const { result, errors } = await loadInChromium(out, readersInThePage);
  assert.deepEqual(errors, []);
  assert.equal(result, expected);
});

/** The browser readers give what readFolder gives in Node for the example library: from a
 * picked folder (a workflows root, then one workflow's folder) and from a directory handle. */
async function readersInThePage(page) {
  const root = fileURLToPath(exampleDir).replace(/\/$/, "");
  const inNode = readFolder(root);
  const asArrays = (files) => Object.fromEntries(Object.entries(files).map(([p, b]) => [p, [...b]]));
  const picked = async () =>
    page.evaluate(async () => {
      const files = await window.pkg.readFileList(document.querySelector("input").files);
      return Object.fromEntries(Object.entries(files).map(([p, b]) => [p, [...b]]));
    });
  await page.setInputFiles("input", root);
  assert.deepEqual(await picked(), asArrays(inNode));
  await page.setInputFiles("input", join(root, "release-notes"));
  const oneWorkflow = Object.fromEntries(Object.entries(inNode).filter(([p]) => p.startsWith("release-notes/")));
  assert.deepEqual(await picked(), asArrays(oneWorkflow));

  // A directory handle: the page's origin-private file system, filled with the same files.
  const fromHandle = await page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory();
    for (const [path, bytes] of Object.entries(files)) {
      let dir = root;
      const parts = path.split("/");
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const writable = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
    }
    await root.getFileHandle(".hidden", { create: true });
    const read = await window.pkg.readDirectoryHandle(root);
    return Object.fromEntries(Object.entries(read).map(([p, b]) => [p, [...b]]));
  }, asArrays(inNode));
  assert.deepEqual(fromHandle, asArrays(inNode));
}

test("a Vite build loads the module in Chromium with no configuration", async () => {
  const out = join(project, "dist-vite");
  await viteBuild({ root: project, logLevel: "silent", configFile: false, build: { outDir: out, emptyOutDir: true } });
  const { result, errors } = await loadInChromium(out);
  assert.deepEqual(errors, []);
  assert.equal(result, expected);
});

test("a webpack 5 build loads the module in Chromium with its defaults", async () => {
  const out = join(project, "dist-webpack");
  // webpack emits the .wasm as an asset for `new URL(…, import.meta.url)` and handles the
  // entry's top-level await itself; the page loads the bundle as an ordinary script.
  const stats = await new Promise((resolve, reject) =>
    webpack(
      { context: project, mode: "production", entry: "./main.js", output: { path: out }, target: "web" },
      (e, result) => (e ? reject(e) : resolve(result)),
    ),
  );
  assert.deepEqual(stats.toJson({ all: false, errors: true }).errors, []);
  writeFileSync(
    join(out, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><script src="./main.js"></script></head><body><input type="file" webkitdirectory></body></html>\n',
  );
  const { result, errors } = await loadInChromium(out);
  assert.deepEqual(errors, []);
  assert.equal(result, expected);
});
