import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend, tf } from "../src/backend";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";
import { DQN } from "../src/agents/dqn";
import { ReplayBuffer, type ReplayBatch } from "../src/agents/replay-buffer";
import { ChainEnv } from "./support/dqn-toy-envs";

/** A linear Q-network without bias: Q(s) = s·W, so Q-values are known by hand. */
function linearQ(kernel: number[][]): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: kernel[0]!.length, useBias: false, inputShape: [kernel.length] })] });
  model.setWeights([tf.tensor2d(kernel)]);
  return model;
}

/** An agent on 2-number observations and 2 actions, with the given online (and target) kernels. */
function handAgent(online: number[][], target: number[][] = online, doubleDqn = false): DQN {
  const agent = new DQN({ observationSpace: new Box({ low: -10, high: 10, shape: [2] }), actionSpace: new Discrete(2), policy: linearQ(online), doubleDqn, gamma: 0.99 });
  agent.targetNetwork.setWeights([tf.tensor2d(target)]);
  return agent;
}

function batchOf(rows: { reward: number; nextObs: [number, number]; terminated: 0 | 1; discount: number }[]): ReplayBatch {
  const n = rows.length;
  return {
    batchSize: n,
    obs: new Float32Array(2 * n),
    actions: new Int32Array(n),
    rewards: Float32Array.from(rows, (r) => r.reward),
    nextObs: Float32Array.from(rows.flatMap((r) => r.nextObs)),
    terminated: Float32Array.from(rows, (r) => r.terminated),
    discounts: Float32Array.from(rows, (r) => r.discount),
    indices: new Int32Array(n),
  };
}

const close = (actual: ArrayLike<number>, expected: number[]) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) < 1e-5, `target ${i}: expected ${e}, got ${actual[i]}`));

describe("the DQN update", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("computes the TD target y = r + γ^k (1 − terminated) max Q_target(s′) by hand: terminated, truncated, n-step", () => {
    // Q_target([1, 0]) = [1, 2] and Q_target([0, 1]) = [3, 4].
    const agent = handAgent([[1, 2], [3, 4]]);
    const targets = agent.computeTdTargets(
      batchOf([
        { reward: 1, nextObs: [1, 0], terminated: 0, discount: 0.99 }, // 1 + 0.99 · 2
        { reward: 0.5, nextObs: [0, 1], terminated: 1, discount: 0.99 }, // terminal: no bootstrap
      ]),
    );
    close(targets, [2.98, 0.5]);

    // A truncated transition comes out of the buffer with terminated = 0: it bootstraps.
    const buffer = new ReplayBuffer({ capacity: 10, obsShape: [2], seed: 0 });
    buffer.add({ obs: [0, 0], action: 1, reward: 1, nextObs: [0, 1], terminated: false, truncated: true });
    const truncated = buffer.sample(1);
    assert.equal(truncated.terminated[0], 0);
    close(agent.computeTdTargets(truncated), [1 + 0.99 * 4]);

    // 3-step return: rewards 1, 1, 1 summed with γ, bootstrap discounted by γ³.
    const nStep = new ReplayBuffer({ capacity: 10, obsShape: [2], nStep: 3, gamma: 0.99, seed: 0 });
    nStep.add({ obs: [0, 0], action: 0, reward: 1, nextObs: [0, 0], terminated: false, truncated: false });
    nStep.add({ obs: [0, 0], action: 0, reward: 1, nextObs: [0, 0], terminated: false, truncated: false });
    nStep.add({ obs: [0, 0], action: 0, reward: 1, nextObs: [1, 0], terminated: false, truncated: false });
    const first = nStep.sample(1);
    close(first.discounts, [0.99 ** 3]);
    close(agent.computeTdTargets(first), [1 + 0.99 + 0.99 ** 2 + 0.99 ** 3 * 2]);
    agent.dispose();
  });

  it("double DQN lets the online net pick a′ and the target net value it", () => {
    // Online Q([1, 0]) = [5, 1] picks action 0; the target values it at 1 (plain DQN would take max = 2).
    const online = [[5, 1], [0, 0]];
    const target = [[1, 2], [3, 4]];
    const row = [{ reward: 0, nextObs: [1, 0] as [number, number], terminated: 0 as const, discount: 0.5 }];
    const plain = handAgent(online, target, false);
    const double = handAgent(online, target, true);
    close(plain.computeTdTargets(batchOf(row)), [0.5 * 2]);
    close(double.computeTdTargets(batchOf(row)), [0.5 * 1]);
    plain.dispose();
    double.dispose();
  });

  it("a hard target update copies the online weights; a soft one blends τ of them in", () => {
    const hard = handAgent([[1, 2], [3, 4]], [[0, 0], [0, 0]]);
    hard.updateTarget();
    assert.deepEqual(Array.from(hard.targetNetwork.getWeights()[0]!.dataSync()), [1, 2, 3, 4]);
    const soft = new DQN({ observationSpace: new Box({ low: -1, high: 1, shape: [2] }), actionSpace: new Discrete(2), policy: linearQ([[1, 2], [3, 4]]), tau: 0.25 });
    soft.targetNetwork.setWeights([tf.tensor2d([[0, 0], [0, 4]])]);
    soft.updateTarget();
    close(soft.targetNetwork.getWeights()[0]!.dataSync(), [0.25, 0.5, 0.75, 4]);
    hard.dispose();
    soft.dispose();
  });

  it("updates the target every targetUpdateInterval env steps, counted over sub-envs like SB3", async () => {
    const { SyncVectorEnv } = await import("../src/vector/sync-vector-env");
    const env = new SyncVectorEnv([() => new ChainEnv(), () => new ChainEnv()]);
    const agent = new DQN({ env, hiddenSizes: [4], targetUpdateInterval: 10, learningStarts: 32, batchSize: 8, seed: 0 });
    let updates = 0;
    const original = agent.updateTarget.bind(agent);
    agent.updateTarget = () => {
      updates += 1;
      original();
    };
    await agent.learn({ totalSteps: 40 }); // 20 vector steps of 2 envs: every 5 vector steps
    assert.equal(updates, 4);
    agent.dispose();
  });

  it("one gradient step lowers the loss on a fixed batch (Huber and MSE)", () => {
    for (const loss of ["huber", "mse"] as const) {
      const agent = new DQN({ observationSpace: new Box({ low: -1, high: 1, shape: [2] }), actionSpace: new Discrete(2), hiddenSizes: [8], loss, learningRate: 1e-2, seed: 0 });
      const batch = { ...batchOf([{ reward: 1, nextObs: [0, 0], terminated: 1, discount: 0.99 }, { reward: -1, nextObs: [0, 0], terminated: 1, discount: 0.99 }]), obs: Float32Array.of(1, 0, 0, 1) };
      const losses = Array.from({ length: 20 }, () => {
        const value = agent.gradientStep(batch);
        const number = value.dataSync()[0]!;
        value.dispose();
        return number;
      });
      assert.ok(losses.at(-1)! < losses[0]! / 2, `${loss}: ${losses[0]} → ${losses.at(-1)}`);
      agent.dispose();
    }
  });

  it("leaks no tensors: tf.memory().numTensors stays flat over 2,000 updates of learn()", async () => {
    const agent = new DQN({ env: new ChainEnv(4, 10), hiddenSizes: [8], batchSize: 8, learningStarts: 8, trainFreq: 1, gradientSteps: 1, targetUpdateInterval: 50, seed: 0 });
    await agent.learn({ totalSteps: 100 }); // Adam creates its moment variables on the first update
    const before = tf.memory().numTensors;
    await agent.learn({ totalSteps: 2000, resetNumTimesteps: false });
    assert.ok(agent.nUpdates >= 2000, `updates: ${agent.nUpdates}`);
    assert.equal(tf.memory().numTensors, before);
    agent.dispose();
  });
});
