import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  benchmarkNatureCnnStep,
  buildNatureCnn,
  initBackend,
  natureCnnTrainStep,
  qLossAndGrads,
  tf,
  type QBatch,
} from "../src/backend/index";
import { relativeError, seededUniform } from "./support/numeric";

/** Uniform numbers in [0, 1): pixel-like inputs. */
const random = (n: number, seed: number): Float32Array => seededUniform(n, seed, 0, 1);

/** A DQN minibatch of Atari-like observations (pixels / 255), actions and TD targets. */
function makeBatch(batchSize: number, nActions: number, seed: number): QBatch {
  return {
    obs: tf.tensor4d(random(batchSize * 84 * 84 * 4, seed), [batchSize, 84, 84, 4]),
    actions: tf.tensor1d(Int32Array.from(random(batchSize, seed + 1), (v) => Math.floor(v * nActions)), "int32"),
    targets: tf.tensor1d(random(batchSize, seed + 2).map((v) => 4 * v - 2)),
  };
}

/** Loss, gradient norm and gradients (in trainable-weight order) of one DQN step on `backend`. */
async function lossAndGradients(backend: "cpu" | "wasm", weights: Float32Array[], batchSize: number) {
  assert.ok(await tf.setBackend(backend));
  const model = buildNatureCnn({ nActions: 6 });
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
  const batch = makeBatch(batchSize, 6, 3);
  const { loss, gradNorm, grads } = qLossAndGrads(model, batch);
  const order = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  const result = {
    loss: loss.dataSync()[0]!,
    gradNorm: gradNorm.dataSync()[0]!,
    grads: order.map((name) => grads[name]!.dataSync() as Float32Array),
  };
  tf.dispose([loss, gradNorm, ...Object.values(grads), batch.obs, batch.actions, batch.targets]);
  model.dispose();
  return result;
}

describe("training the Nature CNN on the wasm backend", () => {
  before(async () => {
    const info = await initBackend({ backend: "wasm", log: false });
    assert.equal(info.name, "wasm");
  });

  it("gives the same loss and gradients as the cpu backend (84×84×4, batch 2)", async () => {
    // Weights come from one seeded model so both backends start identical.
    assert.ok(await tf.setBackend("wasm"));
    const reference = buildNatureCnn({ nActions: 6, seed: 42 });
    const weights = reference.getWeights().map((w) => w.dataSync() as Float32Array);
    reference.dispose();

    const cpu = await lossAndGradients("cpu", weights, 2);
    const wasm = await lossAndGradients("wasm", weights, 2);
    assert.ok(Number.isFinite(cpu.loss) && cpu.loss > 0, `Expected a positive cpu loss, got ${cpu.loss}`);
    assert.ok(Math.abs(wasm.loss - cpu.loss) <= 1e-4 * Math.abs(cpu.loss), `Expected loss ${cpu.loss}, got ${wasm.loss}`);
    assert.ok(Math.abs(wasm.gradNorm - cpu.gradNorm) <= 1e-4 * cpu.gradNorm, `Expected gradient norm ${cpu.gradNorm}, got ${wasm.gradNorm}`);
    assert.equal(wasm.grads.length, 10);
    wasm.grads.forEach((g, i) => {
      const error = relativeError(g, cpu.grads[i]!);
      assert.ok(error <= 1e-4, `Expected gradient ${i} to match cpu within 1e-4, got ${error}`);
    });
  });

  it("runs full Adam steps at batch 32, changing every weight and leaking no tensors", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const model = buildNatureCnn({ nActions: 6, seed: 7 });
    const optimizer = tf.train.adam(1e-3);
    const batch = makeBatch(32, 6, 11);
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const first = natureCnnTrainStep(model, optimizer, batch); // creates Adam's slots
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    const second = natureCnnTrainStep(model, optimizer, batch);
    assert.ok(Number.isFinite(first.loss) && Number.isFinite(second.loss));
    assert.ok(second.loss < first.loss, `Expected the loss to fall on a repeated batch, got ${first.loss} then ${second.loss}`);
    assert.equal(tf.memory().numTensors, tensors, "tensors leaked by a training step");
    assert.equal(tf.backend().numDataIds(), dataIds, "wasm buffers leaked by a training step");
    model.getWeights().forEach((w, i) => {
      assert.ok(relativeError(w.dataSync(), before[i]!) > 0, `Expected weight ${i} to change`);
    });
    tf.dispose([batch.obs, batch.actions, batch.targets]);
    optimizer.dispose();
    model.dispose();
  });

  it("can be benchmarked: benchmarkNatureCnnStep reports positive times on wasm", async () => {
    const result = await benchmarkNatureCnnStep({ batchSize: 4, iterations: 1, warmup: 0 });
    assert.equal(result.backend, "wasm");
    assert.ok(result.trainStepMs > 0 && result.trainStepCpuMs > 0 && result.forwardMs > 0);
    await assert.rejects(benchmarkNatureCnnStep({ batchSize: 0 }), /Expected batchSize to be an integer >= 1, got 0/);
  });
});
