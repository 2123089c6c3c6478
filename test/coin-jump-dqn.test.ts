import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DQN } from "../src/agents/dqn";
import { presets } from "../src/agents/presets";
import { initBackend } from "../src/backend";
import { make } from "../src/core/make";
import "../src/envs";

describe("DQN on CoinJump", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("trains a CnnPolicy on the 64×64×1 pixel observation (a tiny-budget smoke run)", async () => {
    const env = make("CoinJump-v0", { obsType: "pixels" });
    const agent = new DQN({ env, policy: "CnnPolicy", learningStarts: 16, batchSize: 8, bufferSize: 64, trainFreq: 8, seed: 0 });
    await agent.learn({ totalSteps: 40 });
    assert.ok(agent.nUpdates >= 3, `${agent.nUpdates} updates`);
    const q = agent.qValues(env.reset({ seed: 1 }).obs);
    assert.equal(q.length, 4);
    assert.ok(q.every(Number.isFinite));
    agent.dispose();
  });

  it("trains an MlpPolicy on the vector observation with the coinJump preset's settings (a tiny-budget smoke run)", async () => {
    const { envId, config } = presets.coinJump;
    const agent = new DQN({ env: make(envId), ...config, learningStarts: 64, bufferSize: 1_000, seed: 0 });
    await agent.learn({ totalSteps: 200 });
    // One env: a train call every 4 steps after the first 64, 4 updates each.
    assert.equal(agent.nUpdates, 4 * Math.floor((200 - 64) / 4));
    assert.equal(agent.qValues(new Float32Array(8)).length, 4);
    agent.dispose();
  });
});
