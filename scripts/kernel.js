#!/usr/bin/env node
// `npm run kernel`: registers this checkout's tslab as the Jupyter kernel "tslab" (display name
// "TypeScript"), with the Python that Jupyter runs on. Idempotent: re-running rewrites the same
// kernelspec, so after moving or re-cloning the project one run points Jupyter at the new copy.
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");
const { findJupyterPython } = require("./jupyter-python");

const root = path.resolve(__dirname, "..");
const tslab = path.join(root, "node_modules", ".bin", "tslab");
if (!fs.existsSync(tslab)) {
  console.error(`Expected tslab at ${tslab}, got nothing: run \`npm ci\` (or \`npm run setup\`) first.`);
  process.exit(1);
}

const { python, tried } = findJupyterPython(["jupyter_client"]);
if (!python) {
  console.error(`No Python with jupyter_client found, so there is no Jupyter to register the kernel with. Tried:\n  ${tried.join("\n  ")}`);
  console.error("Install Jupyter (pip install jupyterlab, or `npm run setup` on Debian/Ubuntu), or set JUPYTER_PYTHON.");
  process.exit(1);
}

// --user puts the kernelspec in ~/.local/share/jupyter/kernels, where every Jupyter of this user looks.
const result = spawnSync(python, [path.join(root, "node_modules", "tslab", "python", "install.py"), `--tslab=${tslab}`, "--user"], {
  encoding: "utf8",
});
if (result.status !== 0) {
  console.error(result.stdout + result.stderr);
  console.error(`Registering the tslab kernel with ${python} failed (exit ${result.status}).`);
  process.exit(1);
}
const where = spawnSync(python, ["-c", "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().find_kernel_specs()['tslab'])"], {
  encoding: "utf8",
});
console.log(`Kernel "tslab" (TypeScript) registered with ${python}: ${where.stdout.trim()} -> ${tslab}`);
