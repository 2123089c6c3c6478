import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { initBackend, tf } from "../src/backend/index";
import { CheckpointError, loadCheckpoint, saveCheckpoint } from "../src/agents/checkpoint";
import { buildMlp, makeTempDir, removeTempDir, rewriteFile } from "./support/checkpoint-fixtures";

const root = makeTempDir("checkpoint-errors");
after(() => removeTempDir(root));

let counter = 0;
/** A fresh saved checkpoint (MLP q-network and target network + Adam, obsShape [8], nActions 4) to damage. */
async function freshCheckpoint(): Promise<string> {
  const dir = path.join(root, `ckpt-${++counter}`);
  const qNetwork = buildMlp(8, 4, counter);
  const targetNetwork = buildMlp(8, 4, counter + 100);
  const optimizer = tf.train.adam();
  await saveCheckpoint(dir, { networks: { qNetwork, targetNetwork }, optimizer, metadata: { obsShape: [8], nActions: 4, envId: "LunarLander-v3" } });
  qNetwork.dispose();
  targetNetwork.dispose();
  optimizer.dispose();
  return dir;
}

/** Asserts that loading `dir` fails with a CheckpointError of `kind` whose message matches, creating no tensors. */
async function assertLoadFails(dir: string, kind: CheckpointError["kind"], message: RegExp | string, expect?: Record<string, unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await assert.rejects(
    loadCheckpoint(dir, expect === undefined ? {} : { expect: { metadata: expect } }),
    (err: unknown) => {
      assert.ok(err instanceof CheckpointError, `Expected a CheckpointError, got ${String(err)}`);
      assert.equal(err.kind, kind);
      if (typeof message === "string") assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
  assert.equal(tf.memory().numTensors, before, "a failed load leaves no tensors behind");
}

describe("checkpoint errors", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("reports a missing checkpoint, mentioning an unfinished save if there is one", async () => {
    const dir = path.join(root, "nowhere");
    await assertLoadFails(dir, "missing", `No checkpoint at ${dir}`);
    fs.mkdirSync(path.join(root, ".nowhere.tmp-12345-abcdef"));
    await assertLoadFails(dir, "missing", /^No checkpoint at .*nowhere \(only an unfinished save, \.nowhere\.tmp-12345-abcdef, which is ignored\)$/);
    fs.writeFileSync(dir, "not a directory");
    await assertLoadFails(dir, "missing", /\(expected a directory, got a file\)$/);
  });

  it("reports a missing or unparsable manifest and an unknown format version", async () => {
    const dir = await freshCheckpoint();
    const manifest = fs.readFileSync(path.join(dir, "manifest.json"), "utf8");
    rewriteFile(dir, "manifest.json", manifest.slice(0, 50));
    await assertLoadFails(dir, "corrupt", /^Checkpoint at .* is corrupt: manifest\.json is not valid JSON \(/);
    rewriteFile(dir, "manifest.json", JSON.stringify({ hello: "world" }));
    await assertLoadFails(dir, "corrupt", /manifest\.json is not an rl-workbook checkpoint manifest/);
    rewriteFile(dir, "manifest.json", manifest.replace('"formatVersion": 1', '"formatVersion": 2'));
    await assertLoadFails(dir, "format", /^Checkpoint at .* has format version 2 \(written by rl-workbook [\d.]+\); this rl-workbook reads version 1$/);
    fs.rmSync(path.join(dir, "manifest.json"));
    await assertLoadFails(dir, "corrupt", `Checkpoint at ${dir} is corrupt: manifest.json is missing`);
  });

  it("reports missing and unexpected files by name", async () => {
    const dir = await freshCheckpoint();
    fs.writeFileSync(path.join(dir, "qNetwork", "notes.txt"), "hi");
    await assertLoadFails(dir, "corrupt", `Checkpoint at ${dir} is corrupt: unexpected file qNetwork/notes.txt (not in manifest.json)`);
    fs.rmSync(path.join(dir, "qNetwork", "notes.txt"));
    fs.rmSync(path.join(dir, "optimizer.bin"));
    await assertLoadFails(dir, "corrupt", `Checkpoint at ${dir} is corrupt: optimizer.bin is missing (listed in manifest.json)`);
  });

  it("reports a truncated or altered file with its size or sha256 against the manifest's", async () => {
    const dir = await freshCheckpoint();
    const weightsPath = path.join(dir, "qNetwork", "weights.bin");
    const weights = fs.readFileSync(weightsPath);
    rewriteFile(dir, "qNetwork/weights.bin", weights.subarray(0, weights.length - 4));
    await assertLoadFails(dir, "corrupt", `Checkpoint at ${dir} is corrupt: qNetwork/weights.bin has ${weights.length - 4} bytes, manifest says ${weights.length}`);
    const flipped = Buffer.from(weights);
    flipped[100] = flipped[100]! ^ 1;
    rewriteFile(dir, "qNetwork/weights.bin", flipped);
    await assertLoadFails(dir, "corrupt", /^Checkpoint at .* is corrupt: qNetwork\/weights\.bin has sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}$/);
  });

  it("reports unparsable JSON files even when the manifest agrees with them", async () => {
    const dir = await freshCheckpoint();
    rewriteFile(dir, "metadata.json", "{ obsShape: [8] ", true);
    await assertLoadFails(dir, "corrupt", /is corrupt: metadata\.json is not valid JSON \(/);
    rewriteFile(dir, "metadata.json", "[1, 2]", true);
    await assertLoadFails(dir, "corrupt", /is corrupt: metadata\.json is not a JSON object$/);
    rewriteFile(dir, "metadata.json", "{}", true);
    rewriteFile(dir, "qNetwork/model.json", JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ["other.bin"], weights: [] }] }), true);
    await assertLoadFails(dir, "corrupt", /is corrupt: qNetwork\/model\.json is not a tfjs layers model\.json with weights in weights\.bin$/);
  });

  it("reports a network tfjs cannot rebuild, after freeing the networks already built", async () => {
    const dir = await freshCheckpoint();
    const json = JSON.parse(fs.readFileSync(path.join(dir, "targetNetwork", "model.json"), "utf8")) as { modelTopology: { class_name: string } };
    json.modelTopology.class_name = "NoSuchModel";
    rewriteFile(dir, "targetNetwork/model.json", JSON.stringify(json), true);
    await assertLoadFails(dir, "corrupt", /is corrupt: targetNetwork could not be rebuilt by tfjs \(.*NoSuchModel/);
  });

  it("refuses a checkpoint saved for a different env, naming every mismatch", async () => {
    const dir = await freshCheckpoint();
    await assertLoadFails(dir, "mismatch", `Checkpoint at ${dir} was saved for obsShape [8], the env has [4]`, { obsShape: [4], nActions: 4 });
    await assertLoadFails(
      dir,
      "mismatch",
      `Checkpoint at ${dir} was saved for obsShape [8], the env has [4]; was saved for nActions 4, the env has 2; has no frameStack in its metadata, the env has 4`,
      { obsShape: [4], nActions: 2, frameStack: 4 },
    );
    await assertLoadFails(dir, "mismatch", `Checkpoint at ${dir} was saved for envId "LunarLander-v3", the env has "CartPole-v1"`, { envId: "CartPole-v1" });
    const loaded = await loadCheckpoint(dir, { expect: { metadata: { obsShape: [8], nActions: 4 } } });
    Object.values(loaded.networks).forEach((m) => m.dispose());
    tf.dispose(loaded.optimizerWeights!.map((w) => w.tensor));
  });

  it("rejects contents it cannot save faithfully, with the reason", async () => {
    const dir = path.join(root, "invalid-contents");
    const model = buildMlp();
    const save = (contents: Parameters<typeof saveCheckpoint>[1]) => saveCheckpoint(dir, contents);
    await assert.rejects(save({ networks: {}, metadata: {} }), /^Error: Expected at least one network in contents\.networks, got none$/);
    await assert.rejects(save({ networks: { "q/net": model }, metadata: {} }), /Expected network names of letters, digits, "_" and "-" starting with a letter, got "q\/net"/);
    await assert.rejects(save({ networks: { q: model }, metadata: { shape: [4, Infinity] } }), /got Infinity at metadata\.shape\[1\]$/);
    await assert.rejects(save({ networks: { q: model }, metadata: { when: new Date() } }), /got a Date instance at metadata\.when$/);
    await assert.rejects(save({ networks: { q: model }, metadata: { f: undefined } }), /got undefined at metadata\.f$/);
    assert.equal(fs.existsSync(dir), false);
    model.dispose();
  });
});
