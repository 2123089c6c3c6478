import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { assetPath } from "../src/assets";

describe("assetPath", () => {
  it("finds a shipped asset from the package root, wherever the build lives", () => {
    const readme = assetPath("readme/start-here.png");
    assert.ok(fs.existsSync(readme));
    assert.ok(readme.endsWith("/assets/readme/start-here.png"));
  });

  it("names a missing asset and lists what assets/ holds", () => {
    assert.throws(() => assetPath("no-such-checkpoint"), /Expected asset "no-such-checkpoint" at .*assets\/no-such-checkpoint, but it does not exist; assets\/ holds .*readme/);
  });

  it("rejects paths that leave assets/", () => {
    assert.throws(() => assetPath("../package.json"), /Expected a relative path inside assets\/, got "..\/package.json"/);
    assert.throws(() => assetPath("/etc/passwd"), /Expected a relative path inside assets\//);
  });
});
