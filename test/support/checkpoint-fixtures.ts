/**
 * Shared helpers of the checkpoint tests: temporary directories, a small seeded Q-network with
 * trained Adam state, and byte-level weight comparison. Not a test file (node runs *.test.js).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/backend/index";
import { sha256 } from "../../src/agents/checkpoint-format";

/** A fresh directory under os.tmpdir(); the caller removes it with {@link removeTempDir}. */
export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rl-workbook-${label}-`));
}

/** Removes a directory made by {@link makeTempDir}. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Names in `dir`'s parent that are temp or old siblings of `dir` (left by unfinished saves). */
export function siblings(dir: string): string[] {
  const base = path.basename(dir);
  return fs.readdirSync(path.dirname(dir)).filter((n) => n.startsWith(`.${base}.tmp-`) || n.startsWith(`.${base}.old-`));
}

/** A seeded MLP Q-network: obsSize → 64 → 64 → nActions. */
export function buildMlp(obsSize = 4, nActions = 2, seed = 1): tf.Sequential {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [obsSize], units: 64, activation: "relu", kernelInitializer: init(0), biasInitializer: "randomNormal" }),
      tf.layers.dense({ units: 64, activation: "relu", kernelInitializer: init(1) }),
      tf.layers.dense({ units: nActions, kernelInitializer: init(2) }),
    ],
  });
}

/** One Adam step on a squared-error loss of the model's output, so its moments become non-zero. */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, seed: number): void {
  const inputShape = [8, ...(model.inputs[0]!.shape.slice(1) as number[])];
  tf.tidy(() => {
    const x = tf.randomUniform(inputShape, -1, 1, "float32", seed);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    optimizer.minimize(() => tf.mean(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar, false, vars);
  });
}

/** The model's weights as raw bytes, in order. */
export function weightBytes(model: tf.LayersModel): Buffer[] {
  return model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).buffer.slice(0)));
}

/** Asserts that two models hold bit-identical weights (same count, shapes and bytes). */
export function assertSameWeights(actual: tf.LayersModel, expected: tf.LayersModel): void {
  const a = actual.getWeights();
  const e = expected.getWeights();
  assert.equal(a.length, e.length, "number of weight tensors");
  a.forEach((w, i) => assert.deepEqual(w.shape, e[i]!.shape, `shape of weight ${i}`));
  const ab = weightBytes(actual);
  weightBytes(expected).forEach((bytes, i) => assert.ok(bytes.equals(ab[i]!), `Expected weight ${i} (${expected.weights[i]?.originalName}) to be bit-identical`));
}

/**
 * Replaces a file of a saved checkpoint; with `fixManifest`, also updates its size and sha256 in
 * manifest.json, to reach the checks behind the hash check.
 */
export function rewriteFile(dir: string, rel: string, data: Uint8Array | string, fixManifest = false): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  fs.writeFileSync(path.join(dir, rel), bytes);
  if (!fixManifest) return;
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { files: Array<{ path: string; bytes: number; sha256: string }> };
  const entry = manifest.files.find((f) => f.path === rel);
  assert.ok(entry !== undefined, `manifest lists ${rel}`);
  entry.bytes = bytes.byteLength;
  entry.sha256 = sha256(bytes);
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
}
