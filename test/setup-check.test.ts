import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkSetup, VERSION } from "../src";

describe("checkSetup", () => {
  it("reports the library version from package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  it("lists Node.js, the library, tfjs with the chosen backend, and the display packages", async () => {
    const report = await checkSetup();
    const components = report.rows.map((row) => row.component);
    for (const name of ["Node.js", "rl-workbook", "@tensorflow/tfjs", "tslab", "canvas", "plotly.js-dist-min", "danfojs-node"]) {
      assert.ok(components.includes(name), `Expected a row for ${name}, got ${components.join(", ")}`);
    }
    const tfjs = report.rows.find((row) => row.component === "@tensorflow/tfjs")!;
    assert.match(tfjs.note, new RegExp(`backend "${report.backend.name}"`));
    for (const row of report.rows.filter((r) => r.component !== "@tensorflow/tfjs-node")) {
      assert.notEqual(row.version, "missing", `${row.component} should be installed`);
    }
  });
});
