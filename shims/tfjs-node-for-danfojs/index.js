"use strict";
// danfojs-node 1.2.0 requires "@tensorflow/tfjs-node" (v3), whose install script downloads
// libtensorflow. package.json's `overrides` point that one dependency here instead.
//
// Why not the plain alias `npm:@tensorflow/tfjs@4.22.0`? npm checks an alias only by version, so our
// own optional @tensorflow/tfjs-node@4.22.0 would "satisfy" it: danfojs's required edge would then
// land on the real tfjs-node, and where its download is blocked the whole install would fail.
//
// Re-exporting the project's @tensorflow/tfjs means danfojs uses the same engine, and therefore the
// same backend (tfjs-node, wasm or cpu), that rl-workbook chose.
module.exports = require("@tensorflow/tfjs");
