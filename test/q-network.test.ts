import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend, tf } from "../src/backend";
import { buildQNetwork, cloneQNetwork, mlpQNetwork, natureCnnQNetwork, qFunction, smallCnnQNetwork, validateQNetwork } from "../src/agents/q-network";

describe("Q-networks", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("an MLP Q-network maps [batch, obsSize] to [batch, nActions] with SB3's default [64, 64] hidden layers", () => {
    const q = mlpQNetwork({ obsSize: 4, nActions: 2, seed: 0 });
    assert.deepEqual(q.inputs[0]!.shape, [null, 4]);
    assert.deepEqual(q.outputs[0]!.shape, [null, 2]);
    assert.equal(q.countParams(), 4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
    const out = tf.tidy(() => (q.predict(tf.zeros([3, 4])) as tf.Tensor).shape);
    assert.deepEqual(out, [3, 2]);
    q.dispose();
  });

  it("the same seed gives the same initial weights, a different seed different ones", () => {
    const weights = (seed: number) => {
      const q = mlpQNetwork({ obsSize: 4, nActions: 2, hiddenSizes: [8], seed });
      const values = q.getWeights().map((w) => Array.from(w.dataSync()));
      q.dispose();
      return values;
    };
    assert.deepEqual(weights(3), weights(3));
    assert.notDeepEqual(weights(3), weights(4));
  });

  it("the Nature CNN Q-network maps [batch, 84, 84, 4] to [batch, nActions]", () => {
    const q = natureCnnQNetwork({ obsShape: [84, 84, 4], nActions: 4, seed: 0 });
    assert.deepEqual(q.outputs[0]!.shape, [null, 4]);
    q.dispose();
  });

  it("MinAtar's small CNN maps [batch, 10, 10, 4] to [batch, nActions]: conv 16 3×3, dense 128", () => {
    const q = smallCnnQNetwork({ obsShape: [10, 10, 4], nActions: 4, seed: 0 });
    assert.deepEqual(q.outputs[0]!.shape, [null, 4]);
    assert.equal(q.countParams(), 3 * 3 * 4 * 16 + 16 + 8 * 8 * 16 * 128 + 128 + 128 * 4 + 4);
    q.dispose();
    const byName = buildQNetwork({ policy: "SmallCnnPolicy", inputShape: [10, 10, 4], nActions: 4, seed: 0 });
    assert.equal(byName.name.startsWith("small_cnn_q_network"), true);
    byName.dispose();
    assert.throws(() => buildQNetwork({ policy: "SmallCnnPolicy", inputShape: [400], nActions: 4 }), /Expected an observation \[height, width, channels\] for SmallCnnPolicy, got shape \[400\]/);
    assert.throws(() => smallCnnQNetwork({ obsShape: [2, 10, 4], nActions: 4 }), /Expected an observation of at least 3×3 for the 3×3 conv, got 2×10/);
  });

  it("the Q-function (model.apply) gives model.predict's Q-values, for MLPs and functional models", () => {
    const input = tf.input({ shape: [3] });
    const output = tf.layers.dense({ units: 2 }).apply(tf.layers.dense({ units: 4, activation: "tanh" }).apply(input)) as tf.SymbolicTensor;
    for (const model of [mlpQNetwork({ obsSize: 3, nActions: 2, hiddenSizes: [16, 8], seed: 1 }), tf.model({ inputs: input, outputs: output })]) {
      const [fast, reference] = tf.tidy(() => {
        const x = tf.randomUniform([5, 3], -1, 1, "float32", 7);
        return [qFunction(model)(x).arraySync(), (model.predict(x) as tf.Tensor).arraySync()];
      }) as [number[][], number[][]];
      fast.flat().forEach((v, i) => assert.ok(Math.abs(v - reference.flat()[i]!) < 1e-6, `output ${i}`));
      model.dispose();
    }
  });

  it("a cloned network has the same architecture and weights but its own variables", () => {
    const model = mlpQNetwork({ obsSize: 4, nActions: 2, hiddenSizes: [8], seed: 2 });
    const copy = cloneQNetwork(model);
    assert.deepEqual(copy.getWeights().map((w) => Array.from(w.dataSync())), model.getWeights().map((w) => Array.from(w.dataSync())));
    tf.tidy(() => {
      model.weights[0]!.write(tf.zerosLike(model.weights[0]!.read()));
    });
    assert.notEqual(copy.getWeights()[0]!.dataSync()[0], 0);
    model.dispose();
    copy.dispose();
  });

  it("validates your own model: input shape must match the observation, output must be [batch, nActions]", () => {
    const model = mlpQNetwork({ obsSize: 8, nActions: 3 });
    assert.throws(() => validateQNetwork(model, { inputShape: [4], nActions: 3 }), /Expected a Q-network with input shape \[null, 4\] \(the observation's\), got \[null, 8\]/);
    assert.throws(() => validateQNetwork(model, { inputShape: [8], nActions: 2 }), /Expected a Q-network with output shape \[null, 2\] \(one Q-value per action\), got \[null, 3\]/);
    assert.doesNotThrow(() => validateQNetwork(model, { inputShape: [8], nActions: 3 }));
    assert.throws(() => buildQNetwork({ policy: "MlpPolicy", inputShape: [84, 84, 4], nActions: 2 }), /Expected a flat observation for MlpPolicy/);
    assert.throws(() => buildQNetwork({ policy: "Mlp" as "MlpPolicy", inputShape: [4], nActions: 2 }), /Expected policy "MlpPolicy", "CnnPolicy", "SmallCnnPolicy" or a tf.LayersModel, got "Mlp"/);
    model.dispose();
  });
});
