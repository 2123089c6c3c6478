#!/usr/bin/env node
// `npm run book [-- --quick] [-- -p name=value] [-- --only 00] [-- --out DIR]`: builds the course.
// Runs setup first (system and npm packages, library build, kernel registration; idempotent, so a
// fresh clone needs nothing else), then executes every notebook and exports it to site/
// (scripts/book/book.py). Exits non-zero, naming the notebook, the cell and the error, if a cell fails.
// `--no-setup` skips the setup step when the caller has just run it (npm test does).
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const args = process.argv.slice(2);
const skipSetup = args.includes("--no-setup");
if (!skipSetup) run("bash", [path.join(__dirname, "setup.sh")]);

const { findJupyterPython } = require("./jupyter-python");
const { python, tried } = findJupyterPython(["nbclient", "nbconvert", "nbformat"]);
if (!python) {
  console.error(`book: no Python with nbclient, nbconvert and nbformat. Tried:\n  ${tried.join("\n  ")}`);
  console.error("book: run `npm run setup` (Debian/Ubuntu) or `pip install jupyterlab nbconvert nbclient`.");
  process.exit(1);
}
run(python, [path.join(__dirname, "book", "book.py"), ...args.filter((a) => a !== "--no-setup")]);
