#!/usr/bin/env node
// `npm run lab`: opens JupyterLab on notebooks/ (or the classic Notebook where that is what is
// installed), after making sure the library is built and the tslab kernel points at this checkout.
// Extra arguments go to Jupyter, e.g. `npm run lab -- --no-browser --port 8899`.
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { findJupyterPython } = require("./jupyter-python");

const root = path.resolve(__dirname, "..");
const build = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const kernel = spawnSync(process.execPath, [path.join(__dirname, "kernel.js")], { cwd: root, stdio: "inherit" });
if (kernel.status !== 0) process.exit(kernel.status ?? 1);

const lab = findJupyterPython(["jupyterlab"]).python;
const classic = lab ? null : findJupyterPython(["notebook"]).python;
const python = lab || classic;
if (!python) {
  console.error("lab: neither JupyterLab nor the classic Notebook is installed: `pip install jupyterlab` (or `npm run setup`).");
  process.exit(1);
}
const app = lab ? "lab" : "notebook";
if (!lab) console.log("lab: JupyterLab is not installed; opening the classic Notebook (pip install jupyterlab for the Lab).");
const extra = process.argv.slice(2);
// Jupyter refuses to start as root unless told to; containers and cloud machines often run as root.
if (process.getuid && process.getuid() === 0 && !extra.includes("--allow-root")) extra.push("--allow-root");
// notebooks/node_modules holds only the link that lets notebooks import "rl-workbook"; hide it from the file browser.
if (!extra.some((a) => a.includes("hide_globs"))) {
  extra.push('--ContentsManager.hide_globs=["node_modules","__pycache__","*.pyc",".ipynb_checkpoints"]');
}
const result = spawnSync(python, ["-m", "jupyter", app, `--notebook-dir=${path.join(root, "notebooks")}`, ...extra], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 0);
