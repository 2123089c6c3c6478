#!/usr/bin/env node
// Finds the Python that Jupyter itself runs on, so the tslab kernel is registered where Jupyter looks
// and the book runs with nbclient/nbconvert. `python3` on PATH is often a different interpreter (pyenv,
// conda, a venv) than the one behind `jupyter`; registering with the wrong one is the classic
// "kernel not found" failure. Order: $JUPYTER_PYTHON, the interpreter in `jupyter`'s shebang,
// python3 on PATH, /usr/bin/python3.
//
// CLI: `node scripts/jupyter-python.js [module ...]` prints the path of a Python that can import every
// named module (default: jupyter_client) and exits 1 with the reason if there is none.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

function which(command) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

function shebangPython(script) {
  try {
    const firstLine = fs.readFileSync(script, "utf8").split("\n", 1)[0];
    if (!firstLine.startsWith("#!")) return null;
    const parts = firstLine.slice(2).trim().split(/\s+/);
    // "#!/usr/bin/env python3" names the interpreter in its second word.
    const interpreter = path.basename(parts[0]) === "env" ? parts[1] : parts[0];
    return interpreter && /python/.test(interpreter) ? interpreter : null;
  } catch {
    return null;
  }
}

function candidates() {
  const list = [];
  if (process.env.JUPYTER_PYTHON) list.push(process.env.JUPYTER_PYTHON);
  const jupyter = which("jupyter");
  if (jupyter) {
    const fromShebang = shebangPython(jupyter);
    if (fromShebang) list.push(fromShebang);
  }
  list.push("python3", "/usr/bin/python3", "python");
  return [...new Set(list)];
}

/**
 * Returns { python, tried } where python is the first interpreter that imports every module in
 * `modules`, or null; `tried` says why each candidate was passed over.
 */
function findJupyterPython(modules = ["jupyter_client"]) {
  const tried = [];
  const probe = modules.map((name) => `import ${name}`).join("; ") + "; import sys; print(sys.executable)";
  for (const python of candidates()) {
    const result = spawnSync(python, ["-c", probe], { encoding: "utf8" });
    if (result.status === 0) return { python: result.stdout.trim(), tried };
    const reason = result.error ? result.error.code : (result.stderr.trim().split("\n").pop() || `exit ${result.status}`);
    tried.push(`${python}: ${reason}`);
  }
  return { python: null, tried };
}

module.exports = { findJupyterPython };

if (require.main === module) {
  const modules = process.argv.slice(2);
  const { python, tried } = findJupyterPython(modules.length > 0 ? modules : undefined);
  if (!python) {
    console.error(`No Python with ${modules.join(", ") || "jupyter_client"} found. Tried:\n  ${tried.join("\n  ")}`);
    console.error("Install Jupyter (pip install jupyterlab, or run `npm run setup` on Debian/Ubuntu), or set JUPYTER_PYTHON.");
    process.exit(1);
  }
  console.log(python);
}
