import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ReplayBuffer } from "../src/agents/replay-buffer";
import { make } from "../src/core/make";
import { makeVec } from "../src/vector/make-vec";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import type { AutoresetMode } from "../src/vector/types";
import "../src/envs";

/** A stored n-step transition of StepCounter-style counts, as computed by hand below. */
interface NStepRow {
  env: number;
  obs: number;
  reward: number;
  next: number;
  steps: number;
  discount: number;
  terminated: boolean;
  truncated: boolean;
}

function stored(buffer: ReplayBuffer): NStepRow[] {
  return Array.from({ length: buffer.size }, (_, index) => {
    const t = buffer.transitionAt(index);
    return { env: t.envId, obs: t.obs[0]!, reward: t.reward, next: t.nextObs[0]!, steps: t.steps, discount: t.discount, terminated: t.terminated, truncated: t.truncated };
  });
}

/** Expected row; reward and discount rounded to float32, as the buffer stores them. */
function expected(fields: { env?: number; obs: number; reward: number; next: number; steps: number; gamma: number; end?: "terminated" | "truncated" | "both" }): NStepRow {
  const { env = 0, obs, reward, next, steps, gamma, end } = fields;
  return {
    env,
    obs,
    reward: Math.fround(reward),
    next,
    steps,
    discount: Math.fround(gamma ** steps),
    terminated: end === "terminated" || end === "both",
    truncated: end === "truncated" || end === "both",
  };
}

/** Adds one StepCounter-like transition: obs [count] → [count + 1]. */
function step(buffer: ReplayBuffer, fields: { count: number; reward: number; end?: "terminated" | "truncated" | "both"; env?: number }): void {
  const { count, reward, end, env = 0 } = fields;
  buffer.add({ obs: [count], action: count % 2, reward, nextObs: [count + 1], terminated: end === "terminated" || end === "both", truncated: end === "truncated" || end === "both" }, env);
}

describe("ReplayBuffer n-step returns", () => {
  it("sums n discounted rewards, and on termination flushes the window with k < n steps and no bootstrap", () => {
    const gamma = 0.5;
    const buffer = new ReplayBuffer({ capacity: 100, obsShape: [1], nStep: 3, gamma, seed: 0 });
    const sizes: number[] = [];
    [1, 2, 4].forEach((reward, count) => {
      step(buffer, { count, reward });
      sizes.push(buffer.size);
    });
    step(buffer, { count: 3, reward: 8, end: "terminated" });
    sizes.push(buffer.size);
    assert.deepEqual(sizes, [0, 0, 1, 4], "nothing until 3 steps are pending; the termination flushes 3");
    assert.deepEqual(stored(buffer), [
      expected({ obs: 0, reward: 1 + 0.5 * 2 + 0.25 * 4, next: 3, steps: 3, gamma }), // = 3, bootstraps from obs 3 with γ³
      expected({ obs: 1, reward: 2 + 0.5 * 4 + 0.25 * 8, next: 4, steps: 3, gamma, end: "terminated" }), // = 6
      expected({ obs: 2, reward: 4 + 0.5 * 8, next: 4, steps: 2, gamma, end: "terminated" }), // = 8
      expected({ obs: 3, reward: 8, next: 4, steps: 1, gamma, end: "terminated" }),
    ]);
  });

  it("on truncation flushes the window with terminated 0, bootstrapping from the true final obs with γ^k", () => {
    const gamma = 0.5;
    const buffer = new ReplayBuffer({ capacity: 100, obsShape: [1], nStep: 3, gamma, seed: 0 });
    // Truncated inside the window (2 of 3 steps), then a 5-step episode truncated after the window filled.
    step(buffer, { count: 0, reward: 1 });
    step(buffer, { count: 1, reward: 2, end: "truncated" });
    for (let count = 0; count < 5; count++) step(buffer, { count, reward: 1, ...(count === 4 ? { end: "truncated" as const } : {}) });
    assert.deepEqual(stored(buffer), [
      expected({ obs: 0, reward: 1 + 0.5 * 2, next: 2, steps: 2, gamma, end: "truncated" }),
      expected({ obs: 1, reward: 2, next: 2, steps: 1, gamma, end: "truncated" }),
      expected({ obs: 0, reward: 1.75, next: 3, steps: 3, gamma }),
      expected({ obs: 1, reward: 1.75, next: 4, steps: 3, gamma }),
      expected({ obs: 2, reward: 1.75, next: 5, steps: 3, gamma, end: "truncated" }),
      expected({ obs: 3, reward: 1.5, next: 5, steps: 2, gamma, end: "truncated" }),
      expected({ obs: 4, reward: 1, next: 5, steps: 1, gamma, end: "truncated" }),
    ]);
    const batch = buffer.sample(buffer.size);
    for (let b = 0; b < batch.batchSize; b++) {
      const t = buffer.transitionAt(batch.indices[b]!);
      assert.equal(batch.terminated[b], 0, "truncation never stops the bootstrap");
      assert.equal(batch.discounts[b], Math.fround(gamma ** t.steps));
      assert.equal(batch.rewards[b], t.reward);
    }
  });

  it("treats a step both terminated and truncated as terminal", () => {
    const buffer = new ReplayBuffer({ capacity: 10, obsShape: [1], nStep: 3, gamma: 0.5, seed: 0 });
    step(buffer, { count: 0, reward: 1 });
    step(buffer, { count: 1, reward: 1, end: "both" });
    assert.deepEqual(stored(buffer).map((t) => t.terminated), [true, true]);
    assert.deepEqual(Array.from(buffer.sample(2).terminated), [1, 1]);
  });

  it("keeps one window per env, so interleaved envs never mix their rewards", () => {
    const buffer = new ReplayBuffer({ capacity: 10, obsShape: [1], numEnvs: 2, nStep: 2, gamma: 1, seed: 0 });
    for (let count = 0; count < 2; count++) {
      step(buffer, { count, reward: 1, env: 0 });
      step(buffer, { count, reward: 10, env: 1 });
    }
    assert.deepEqual(stored(buffer), [expected({ env: 0, obs: 0, reward: 2, next: 2, steps: 2, gamma: 1 }), expected({ env: 1, obs: 0, reward: 20, next: 2, steps: 2, gamma: 1 })]);
  });

  for (const autoreset of ["next-step", "same-step"] as AutoresetMode[]) {
    it(`${autoreset}: n-step windows over a vector env stop at each episode end and skip the final→reset step`, () => {
      const gamma = 0.9;
      const envs = new SyncVectorEnv([() => make("StepCounter-v0", { maxEpisodeSteps: 3 }), () => make("StepCounter-v0", { terminateAt: 2 })], { autoreset });
      const buffer = new ReplayBuffer({ capacity: 100, obsShape: [1], numEnvs: 2, autoreset, nStep: 2, gamma, seed: 0 });
      let obs = envs.reset({ seed: 0 }).obs;
      const added: number[] = [];
      for (let t = 0; t < 6; t++) {
        const result = envs.step([0, 1]);
        added.push(buffer.addVectorStep({ obs, actions: [0, 1], result }));
        obs = result.obs;
      }
      const truncatedEpisode = [
        expected({ obs: 0, reward: 1.9, next: 2, steps: 2, gamma }),
        expected({ obs: 1, reward: 1.9, next: 3, steps: 2, gamma, end: "truncated" }),
        expected({ obs: 2, reward: 1, next: 3, steps: 1, gamma, end: "truncated" }),
      ];
      const terminatedEpisode = [
        expected({ env: 1, obs: 0, reward: 1.9, next: 2, steps: 2, gamma, end: "terminated" }),
        expected({ env: 1, obs: 1, reward: 1, next: 2, steps: 1, gamma, end: "terminated" }),
      ];
      const byEnv = (env: number) => stored(buffer).filter((t) => t.env === env);
      if (autoreset === "next-step") {
        assert.deepEqual(added, [0, 3, 2, 0, 2, 1]);
        assert.deepEqual(byEnv(0), [...truncatedEpisode, truncatedEpisode[0]]);
        assert.deepEqual(byEnv(1), [...terminatedEpisode, ...terminatedEpisode]);
      } else {
        assert.deepEqual(added, [0, 3, 2, 2, 1, 4]);
        assert.deepEqual(byEnv(0), [...truncatedEpisode, ...truncatedEpisode]);
        assert.deepEqual(byEnv(1), [...terminatedEpisode, ...terminatedEpisode, ...terminatedEpisode]);
      }
      assert.ok(stored(buffer).every((t) => t.next === t.obs + t.steps), "no return crosses a reset");
    });
  }

  it("endEpisodes() stores the pending windows as truncated, bootstrapping from the last next obs", () => {
    const gamma = 0.9;
    const envs = makeVec("StepCounter-v0", { numEnvs: 1, envOptions: { maxEpisodeSteps: 10 } });
    const buffer = new ReplayBuffer({ capacity: 10, obsShape: [1], nStep: 3, gamma, seed: 0 });
    let obs = envs.reset({ seed: 0 }).obs;
    for (let t = 0; t < 2; t++) {
      const result = envs.step([0]);
      buffer.addVectorStep({ obs, actions: [0], result });
      obs = result.obs;
    }
    assert.equal(buffer.size, 0);
    assert.equal(buffer.endEpisodes(), 2);
    assert.deepEqual(stored(buffer), [expected({ obs: 0, reward: 1.9, next: 2, steps: 2, gamma, end: "truncated" }), expected({ obs: 1, reward: 1, next: 2, steps: 1, gamma, end: "truncated" })]);
    assert.equal(buffer.endEpisodes(), 0, "nothing left pending");
    envs.close();
  });
});
