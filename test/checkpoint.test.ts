import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildNatureCnn, initBackend, tf } from "../src/backend/index";
import { loadCheckpoint, saveCheckpoint, type NamedTensor } from "../src/agents/checkpoint";
import { assertSameWeights, buildMlp, makeTempDir, removeTempDir, siblings, trainStep } from "./support/checkpoint-fixtures";

const root = makeTempDir("checkpoint");
after(() => removeTempDir(root));

/** Values of named tensors, for comparing optimizer state. */
function namedValues(weights: NamedTensor[]): Array<{ name: string; dtype: string; shape: number[]; bytes: Buffer }> {
  return weights.map((w) => ({ name: w.name, dtype: w.tensor.dtype, shape: w.tensor.shape, bytes: Buffer.from(w.tensor.dataSync().buffer.slice(0) as ArrayBuffer) }));
}

/** Milliseconds `fn` takes, as the median of `runs` runs (after one warm-up run). */
async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describe("checkpoint round trip", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`restores an MLP, its target copy, Adam's moments and metadata bit-exactly on ${backend}, and training resumes identically`, async () => {
      assert.ok(await tf.setBackend(backend));
      const dir = path.join(root, `mlp-${backend}`);
      const qNetwork = buildMlp(4, 2, 7);
      const targetNetwork = buildMlp(4, 2, 70);
      const optimizer = tf.train.adam(1e-3);
      for (let i = 0; i < 3; i++) trainStep(qNetwork, optimizer, i);
      const metadata = { obsShape: [4], nActions: 2, step: 3, config: { gamma: 0.99, learningRate: 1e-3 }, note: null };
      await saveCheckpoint(dir, { networks: { qNetwork, targetNetwork }, optimizer, metadata });

      const loaded = await loadCheckpoint(dir, { expect: { metadata: { obsShape: [4], nActions: 2 } } });
      assert.deepEqual(Object.keys(loaded.networks), ["qNetwork", "targetNetwork"]);
      assertSameWeights(loaded.networks["qNetwork"]!, qNetwork);
      assertSameWeights(loaded.networks["targetNetwork"]!, targetNetwork);
      assert.deepEqual(loaded.metadata, metadata);
      assert.equal(loaded.recoveredFrom, undefined);
      const saved = await optimizer.getWeights();
      assert.equal(saved.length, 1 + 2 * qNetwork.trainableWeights.length, "iterations + m and v per variable");
      assert.deepEqual(namedValues(loaded.optimizerWeights!), namedValues(saved));
      tf.dispose(saved[0]!.tensor);

      // Resume: a fresh Adam given the saved state takes the same next step as the original.
      const resumed = tf.train.adam(1e-3);
      await resumed.setWeights(loaded.optimizerWeights!);
      assert.equal(resumed.iterations, 3);
      trainStep(qNetwork, optimizer, 99);
      trainStep(loaded.networks["qNetwork"]!, resumed, 99);
      assertSameWeights(loaded.networks["qNetwork"]!, qNetwork);

      tf.dispose(loaded.optimizerWeights!.map((w) => w.tensor));
      [qNetwork, targetNetwork, ...Object.values(loaded.networks)].forEach((m) => m.dispose());
      optimizer.dispose();
      resumed.dispose();
    });

    it(`restores a Nature CNN (6.7 MB of weights) bit-exactly on ${backend}`, async (t) => {
      assert.ok(await tf.setBackend(backend));
      const dir = path.join(root, `cnn-${backend}`);
      const model = buildNatureCnn({ nActions: 6, seed: 3 });
      const t0 = performance.now();
      await saveCheckpoint(dir, { networks: { qNetwork: model }, metadata: { obsShape: [84, 84, 4], nActions: 6 } });
      const saveMs = performance.now() - t0;
      const t1 = performance.now();
      const loaded = await loadCheckpoint(dir);
      const loadMs = performance.now() - t1;
      assertSameWeights(loaded.networks["qNetwork"]!, model);
      assert.equal(loaded.optimizerWeights, undefined);
      assert.ok(fs.statSync(path.join(dir, "qNetwork", "weights.bin")).size > 6_000_000);
      t.diagnostic(`Nature CNN on ${backend}: save ${saveMs.toFixed(0)} ms, load ${loadMs.toFixed(0)} ms`);
      model.dispose();
      loaded.networks["qNetwork"]!.dispose();
    });
  }

  it("writes each network as a standard tfjs model.json + weights.bin that tf.loadLayersModel reads", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const dir = path.join(root, "standard");
    const model = buildMlp(3, 5, 11);
    await saveCheckpoint(dir, { networks: { policy: model }, metadata: {} });
    assert.deepEqual(fs.readdirSync(dir).sort(), ["manifest.json", "metadata.json", "policy"]);
    // What tfjs-node's file:// handler does: read model.json, then the paths its manifest names.
    const handler: tf.io.IOHandler = {
      load: async () => {
        const json = JSON.parse(fs.readFileSync(path.join(dir, "policy", "model.json"), "utf8")) as tf.io.ModelJSON;
        const file = fs.readFileSync(path.join(dir, "policy", json.weightsManifest[0]!.paths[0]!));
        const weightData = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
        return tf.io.getModelArtifactsForJSONSync(json, tf.io.getWeightSpecs(json.weightsManifest), weightData);
      },
    };
    const plain = await tf.loadLayersModel(handler);
    assertSameWeights(plain, model);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest["formatVersion"], 1);
    assert.match(String(manifest["libraryVersion"]), /^\d+\.\d+\.\d+/);
    assert.deepEqual((manifest["files"] as Array<{ path: string }>).map((f) => f.path).sort(), ["metadata.json", "policy/model.json", "policy/weights.bin"]);
    plain.dispose();
    model.dispose();
  });

  it("saves a small MLP with Adam state in a few milliseconds", async (t) => {
    assert.ok(await tf.setBackend("wasm"));
    const dir = path.join(root, "speed");
    const qNetwork = buildMlp(4, 2, 5);
    const targetNetwork = buildMlp(4, 2, 6);
    const optimizer = tf.train.adam(1e-3);
    trainStep(qNetwork, optimizer, 1);
    const contents = { networks: { qNetwork, targetNetwork }, optimizer, metadata: { step: 1 } };
    const saveMs = await medianMs(9, () => saveCheckpoint(dir, contents));
    const loadMs = await medianMs(9, async () => {
      const loaded = await loadCheckpoint(dir);
      Object.values(loaded.networks).forEach((m) => m.dispose());
      tf.dispose(loaded.optimizerWeights!.map((w) => w.tensor));
    });
    t.diagnostic(`MLP 4-64-64-2 ×2 + Adam on wasm: save ${saveMs.toFixed(1)} ms, load ${loadMs.toFixed(1)} ms (median of 9)`);
    assert.ok(saveMs < 100, `Expected a small save to take well under 100 ms, got ${saveMs.toFixed(1)} ms`);
    assert.deepEqual(siblings(dir), []);
    [qNetwork, targetNetwork].forEach((m) => m.dispose());
    optimizer.dispose();
  });

  it("creates no tensors while saving and leaks none while loading beyond what it returns", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const dir = path.join(root, "leaks");
    const model = buildMlp();
    const optimizer = tf.train.adam();
    trainStep(model, optimizer, 1);
    const before = tf.memory().numTensors;
    await saveCheckpoint(dir, { networks: { model }, optimizer, metadata: {} });
    assert.equal(tf.memory().numTensors, before);
    const loaded = await loadCheckpoint(dir);
    loaded.networks["model"]!.dispose();
    tf.dispose(loaded.optimizerWeights!.map((w) => w.tensor));
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
    optimizer.dispose();
  });
});
