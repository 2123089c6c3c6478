import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../src/backend";
import { DQN } from "../src/agents/dqn";
import { evaluatePolicy } from "../src/agents/evaluate";
import { exponentialSchedule } from "../src/agents/schedules";
import { ChainEnv, TwoArmedBanditEnv } from "./support/dqn-toy-envs";

describe("DQN learns toy tasks", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("learns which arm of a two-armed bandit pays: Q ≈ [0, 1] in 600 steps", async () => {
    const agent = await new DQN({ env: new TwoArmedBanditEnv(), hiddenSizes: [16], learningRate: 1e-2, learningStarts: 50, batchSize: 16, trainFreq: 1, targetUpdateInterval: 20, seed: 0 }).learn({ totalSteps: 600 });
    const [q0, q1] = agent.qValues(0);
    assert.ok(Math.abs(q0!) < 0.1 && Math.abs(q1! - 1) < 0.1, `Q = [${q0}, ${q1}]`);
    assert.equal(agent.predict(0)[0], 1);
    agent.dispose();
  });

  it("learns to walk a 5-cell chain to its rewarding end, with Q(start, right) ≈ γ³", async () => {
    const agent = new DQN({
      env: new ChainEnv(5, 20),
      hiddenSizes: [32],
      learningRate: 5e-3,
      gamma: 0.9,
      learningStarts: 200,
      batchSize: 32,
      trainFreq: 1,
      targetUpdateInterval: 100,
      // The source notes' exponential decay, in env steps.
      exploration: exponentialSchedule({ initial: 1, decay: 0.9, every: 100, floor: 0.05 }),
      seed: 0,
    });
    await agent.learn({ totalSteps: 3000 });
    const result = evaluatePolicy(agent, new ChainEnv(5, 20), { nEpisodes: 3 });
    assert.deepEqual(result.lengths, [4, 4, 4]);
    assert.equal(result.meanReturn, 1);
    const q = agent.qValues(new ChainEnv(5, 20).reset().obs);
    assert.ok(Math.abs(q[1]! - 0.9 ** 3) < 0.1, `Q(start) = [${q[0]}, ${q[1]}], expected right ≈ ${0.9 ** 3}`);
    agent.dispose();
  });
});
