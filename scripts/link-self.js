#!/usr/bin/env node
// Makes `import { make } from "rl-workbook"` resolve inside notebooks/.
//
// tslab compiles a notebook with the notebook's folder as its root, so a relative `../src` import
// fails there; a package name always resolves, through node_modules. The link lives in
// notebooks/node_modules (not the root node_modules, which npm prunes of anything it did not install)
// and points at the checkout itself, so `npm run build` is all it takes to refresh what notebooks see.
// The library's own dependencies resolve from its real path, i.e. the root node_modules.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "notebooks", "node_modules", "rl-workbook");
const target = path.join("..", "..");
fs.mkdirSync(path.dirname(link), { recursive: true });
let current = null;
try {
  current = fs.readlinkSync(link);
} catch (error) {
  if (error.code === "EINVAL") {
    throw new Error(`Expected ${link} to be a symlink to the checkout, got a real folder or file; remove it and run npm install again`);
  }
  if (error.code !== "ENOENT") throw error;
}
if (current !== null && path.resolve(path.dirname(link), current) !== root) fs.unlinkSync(link);
if (current === null || path.resolve(path.dirname(link), current) !== root) fs.symlinkSync(target, link, "dir");
