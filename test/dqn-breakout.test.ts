import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend, tf } from "../src/backend";
import "../src/envs";
import { DQN } from "../src/agents/dqn";
import { evaluatePolicy } from "../src/agents/evaluate";
import { presetEnv, presets, presetVecEnv } from "../src/agents/presets";
import { ReplayBuffer } from "../src/agents/replay-buffer";

describe("DQN on Breakout's compact view (presets.breakoutCompact)", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("trains MinAtar's network through the Atari preprocessing, logs whole games and leaks no tensors", async () => {
    const preset = presets.breakoutCompact;
    const env = presetVecEnv(preset, { seed: 0 });
    assert.deepEqual(env.singleObservationSpace.shape, [10, 10, 4]);
    const agent = new DQN({ env, policy: preset.policy!, ...preset.config, learningStarts: 500, seed: 0 });
    await agent.learn({ totalSteps: 1_000 });
    const tensorsAfterWarmup = tf.memory().numTensors;
    await agent.learn({ totalSteps: 2_000, resetNumTimesteps: false });
    assert.equal(tf.memory().numTensors, tensorsAfterWarmup, "no tensors leak between updates");
    assert.ok(agent.nUpdates > 0);
    assert.ok(agent.replayBuffer instanceof ReplayBuffer, "0/1 object grids go to the plain replay buffer");
    assert.equal(agent.policy.observationSpec.kind === "box" && agent.policy.observationSpec.scale, 1, "0/1 grids are not divided by 255");
    // Episodes in the log are whole games (5 lives, raw points), not lives: a random-ish early agent
    // plays ~70 agent steps a game, so 3,000 steps over 4 envs finish a few dozen games at most.
    const episodes = agent.logger.get("time/episodes") ?? 0;
    assert.ok(episodes > 0 && episodes < 60, `expected a few dozen whole games, got ${episodes}`);
    const scores = evaluatePolicy(agent, presetEnv(preset), { nEpisodes: 2, deterministic: false, seed: 1 });
    assert.equal(scores.returns.length, 2);
    assert.ok(scores.lengths.every((frames) => frames > 100), "a whole game of 5 lives lasts hundreds of frames");
    agent.dispose();
    env.close();
  });
});
