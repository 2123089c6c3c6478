#!/usr/bin/env node
// Makes `require("rl-workbook")` and `import ... from "rl-workbook"` resolve from anywhere in this
// checkout, notebooks/ included. tslab compiles a notebook with the notebook's folder as its root, so a
// relative `../src` import fails there; a package name always resolves through node_modules.
// The link points at the checkout itself, so `npm run build` is all it takes to refresh it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "rl-workbook");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const existing = fs.readlinkSync(link);
  if (path.resolve(path.dirname(link), existing) === root) process.exit(0);
  fs.unlinkSync(link);
} catch (error) {
  if (error.code === "EINVAL") {
    throw new Error(`Expected ${link} to be a symlink to the checkout, got a real folder; remove it and run npm install again`);
  }
  if (error.code !== "ENOENT") throw error;
}
fs.symlinkSync("..", link, "dir");
