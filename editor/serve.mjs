// A tiny static server for the editor: the page, the built npm package, Mermaid, fflate,
// CodeMirror (bundled with esbuild on first request), the definition schemas, and the two
// example libraries as JSON. Loopback only.
//
// Usage: node serve.mjs [--port 8080]   (port 0 picks a free one; the URL is printed)
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readLibrary, exampleDir, workflowsDir } from "../npm/scripts/read-library.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "..");

/** URL prefix → folder. The first matching prefix wins. */
const mounts = [
  ["/pkg/", join(repo, "npm", "dist")],
  ["/vendor/mermaid/", join(here, "node_modules", "mermaid", "dist")],
  ["/vendor/fflate/", join(here, "node_modules", "fflate", "esm")],
  ["/schemas/", join(repo, "schemas")],
  ["/", join(here, "public")],
];

/** Example libraries the page can load, read afresh on each request. */
const examples = {
  "/examples/release-notes.json": exampleDir,
  "/examples/workflows.json": workflowsDir,
};

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

/** CodeMirror as one module (vendor/codemirror.js bundled), built once per server. */
let codemirror = null;
const bundleCodeMirror = async () => {
  const result = await build({
    entryPoints: [join(here, "vendor", "codemirror.js")],
    bundle: true,
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].contents;
};

async function respond(req, res) {
  const path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  if (path === "/vendor/codemirror.js") {
    codemirror ??= bundleCodeMirror();
    res.writeHead(200, { "content-type": types[".js"], "cache-control": "no-store" });
    res.end(await codemirror);
    return;
  }
  if (examples[path]) {
    const body = JSON.stringify(readLibrary(examples[path]));
    res.writeHead(200, { "content-type": types[".json"], "cache-control": "no-store" });
    res.end(body);
    return;
  }
  const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
  let file = normalize(join(dir, path.slice(prefix.length)));
  if (file !== dir && !file.startsWith(dir + sep)) {
    res.writeHead(403).end("forbidden");
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
  }
}

/** Starts the server on 127.0.0.1; resolves to its base URL and a function that stops it. */
export function start(port = 0) {
  const server = createServer((req, res) => {
    respond(req, res).catch((e) => {
      res.writeHead(500).end(String(e));
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      resolve({ url, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const { url } = await start(i > 0 ? Number(process.argv[i + 1]) : 8080);
  console.log(`workflow editor at ${url}`);
}
