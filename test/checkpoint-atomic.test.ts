import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { initBackend, tf } from "../src/backend/index";
import { crashHooks, type SaveStep } from "../src/agents/atomic-dir";
import { loadCheckpoint, saveCheckpoint, type LoadedCheckpoint } from "../src/agents/checkpoint";
import { buildMlp, makeTempDir, removeTempDir, siblings } from "./support/checkpoint-fixtures";

const root = makeTempDir("checkpoint-atomic");
after(() => removeTempDir(root));
afterEach(() => delete crashHooks.afterStep);

/** Saves a small network with `{ version }` as metadata. */
async function saveVersion(dir: string, version: number): Promise<void> {
  const model = buildMlp(4, 2, version);
  try {
    await saveCheckpoint(dir, { networks: { qNetwork: model }, metadata: { version } });
  } finally {
    model.dispose();
  }
}

/** Makes the next save stop at `step` as if the process died there. */
function crashAfter(step: SaveStep): void {
  crashHooks.afterStep = (s) => {
    if (s === step) throw new Error(`simulated crash after ${s}`);
  };
}

/** Loads `dir` (collecting log lines), disposes the networks, and returns metadata and log. */
async function loadVersion(dir: string): Promise<{ version: unknown; lines: string[]; loaded: LoadedCheckpoint }> {
  const lines: string[] = [];
  const loaded = await loadCheckpoint(dir, { log: (line) => lines.push(line) });
  Object.values(loaded.networks).forEach((m) => m.dispose());
  return { version: loaded.metadata["version"], lines, loaded };
}

describe("checkpoint crash safety", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
    assert.ok(await tf.setBackend("cpu"));
  });

  it("keeps the previous checkpoint when a save dies after writing its temp dir, and the next save removes the temp", async () => {
    const dir = path.join(root, "crash-write");
    await saveVersion(dir, 1);
    crashAfter("write");
    await assert.rejects(saveVersion(dir, 2), /simulated crash after write/);
    assert.equal(siblings(dir).filter((n) => n.includes(".tmp-")).length, 1, "the crashed save's temp dir is left behind");
    assert.equal((await loadVersion(dir)).version, 1);

    delete crashHooks.afterStep;
    await saveVersion(dir, 3);
    assert.deepEqual(siblings(dir), []);
    assert.equal((await loadVersion(dir)).version, 3);
  });

  it("recovers the previous checkpoint from the .old sibling when a save dies between its two renames, and says so", async () => {
    const dir = path.join(root, "crash-rename");
    await saveVersion(dir, 1);
    crashAfter("rename-old");
    await assert.rejects(saveVersion(dir, 2), /simulated crash after rename-old/);
    assert.equal(fs.existsSync(dir), false, "the checkpoint dir itself is gone");
    const old = siblings(dir).find((n) => n.includes(".old-"));
    assert.ok(old !== undefined);

    const { version, lines, loaded } = await loadVersion(dir);
    assert.equal(version, 1);
    assert.equal(loaded.recoveredFrom, path.join(root, old));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /no checkpoint at .*crash-rename; loading the previous one from \.crash-rename\.old-\d+-[0-9a-f]+ \(a save was interrupted/);

    delete crashHooks.afterStep;
    await saveVersion(dir, 3);
    assert.deepEqual(siblings(dir), [], "the next save removes both the .old and the unfinished temp");
    const reloaded = await loadVersion(dir);
    assert.equal(reloaded.version, 3);
    assert.deepEqual(reloaded.lines, []);
  });

  it("leaves the new checkpoint in place when a save dies before removing the .old, and the next save removes it", async () => {
    const dir = path.join(root, "crash-cleanup");
    await saveVersion(dir, 1);
    crashAfter("rename-new");
    await assert.rejects(saveVersion(dir, 2));
    assert.equal(siblings(dir).length, 1);
    assert.equal((await loadVersion(dir)).version, 2);
    delete crashHooks.afterStep;
    await saveVersion(dir, 3);
    assert.deepEqual(siblings(dir), []);
  });

  it("loads the previous checkpoint after a real process is killed between the renames, and cleans up after it", async () => {
    const dir = path.join(root, "killed");
    const build = path.join(__dirname, "..");
    // The child saves version 1, then dies (process.exit, no cleanup) in the middle of saving version 2.
    const script = `
      const tf = require(${JSON.stringify(path.join(build, "src/backend/tf.js"))});
      const { crashHooks } = require(${JSON.stringify(path.join(build, "src/agents/atomic-dir.js"))});
      const { saveCheckpoint } = require(${JSON.stringify(path.join(build, "src/agents/checkpoint.js"))});
      (async () => {
        await tf.setBackend("cpu");
        const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
        await saveCheckpoint(${JSON.stringify(dir)}, { networks: { qNetwork: model }, metadata: { version: 1 } });
        crashHooks.afterStep = (step) => { if (step === "rename-old") process.exit(7); };
        await saveCheckpoint(${JSON.stringify(dir)}, { networks: { qNetwork: model }, metadata: { version: 2 } });
      })();`;
    const exitCode = await promisify(execFile)(process.execPath, ["-e", script], { timeout: 30_000 }).then(
      () => 0,
      (err: { code?: number }) => err.code,
    );
    assert.equal(exitCode, 7);
    assert.equal(fs.existsSync(dir), false);
    assert.equal(siblings(dir).length, 2, "a complete temp and the .old of the dead process");

    const { version, loaded } = await loadVersion(dir);
    assert.equal(version, 1);
    assert.ok(loaded.recoveredFrom !== undefined);
    await saveVersion(dir, 3);
    assert.deepEqual(siblings(dir), []);
    assert.equal((await loadVersion(dir)).version, 3);
  });

  it("removes temp dirs of dead processes but leaves those of live ones alone", async () => {
    const dir = path.join(root, "stale");
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale = path.join(root, `.stale.tmp-${deadPid}-abc123`);
    const live = path.join(root, `.stale.tmp-1-def456`); // pid 1 (init) is always alive
    fs.mkdirSync(stale);
    fs.mkdirSync(live);
    await saveVersion(dir, 1);
    assert.equal(fs.existsSync(stale), false);
    assert.equal(fs.existsSync(live), true);
    fs.rmSync(live, { recursive: true });
  });

  it("runs overlapping saves to one directory one after another, so the last one wins and nothing is left over", async () => {
    const dir = path.join(root, "concurrent");
    await Promise.all([1, 2, 3, 4, 5].map((v) => saveVersion(dir, v)));
    assert.equal((await loadVersion(dir)).version, 5);
    assert.deepEqual(siblings(dir), []);
  });

  it("makes a load started in the middle of a save from the same process wait for that save", async () => {
    const dir = path.join(root, "read-during-write");
    await saveVersion(dir, 1);
    let during: ReturnType<typeof loadVersion> | undefined;
    crashHooks.afterStep = (step) => {
      // Between the two renames there is no `dir` at all: the worst moment to read.
      if (step === "rename-old") during = loadVersion(dir);
    };
    await saveVersion(dir, 2);
    const seen = await during!;
    assert.equal(seen.version, 2);
    assert.deepEqual(seen.lines, [], "not a recovery: the load saw the finished save");
  });

  it("keeps the previous checkpoint when the new contents are invalid", async () => {
    const dir = path.join(root, "invalid");
    await saveVersion(dir, 1);
    const model = buildMlp();
    await assert.rejects(saveCheckpoint(dir, { networks: { qNetwork: model }, metadata: { step: NaN } }), /Expected metadata to be JSON .* got NaN at metadata\.step/);
    model.dispose();
    assert.equal((await loadVersion(dir)).version, 1);
    assert.deepEqual(siblings(dir), []);
  });
});
