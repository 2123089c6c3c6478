import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { collectExperience, type Experience } from "../src/vector/collect-experience";
import "../src/envs";

/** Row k of a flat [count, size] array. */
const row = (array: ArrayLike<number>, k: number, size: number) => Array.from({ length: size }, (_, j) => array[k * size + j]);

/** Checks that each runner's transitions chain: nextObs of step t is obs of step t+1 unless the episode ended. */
function assertChained(experience: Experience, numRunners: number): number {
  const size = experience.obsShape.reduce((product, length) => product * length, 1);
  let endings = 0;
  for (let k = 0; k + numRunners < experience.count; k++) {
    assert.equal(experience.envIds[k], k % numRunners);
    if (experience.terminated[k] || experience.truncated[k]) {
      endings += 1;
      continue;
    }
    assert.deepEqual(row(experience.nextObs, k, size), row(experience.obs, k + numRunners, size), `transition ${k}`);
  }
  return endings;
}

describe("collectExperience", () => {
  it("records the true final observation at every episode end (StepCounter, TimeLimit 3)", () => {
    const experience = collectExperience({ id: "StepCounter-v0", envOptions: { maxEpisodeSteps: 3 }, numRunners: 2, numSteps: 7, seed: 0 });
    assert.equal(experience.count, 14);
    const runner0 = (array: ArrayLike<number>) => Array.from({ length: 7 }, (_, t) => array[t * 2]);
    assert.deepEqual(runner0(experience.obs), [0, 1, 2, 0, 1, 2, 0]);
    assert.deepEqual(runner0(experience.nextObs), [1, 2, 3, 1, 2, 3, 1]);
    assert.deepEqual(runner0(experience.truncated), [0, 0, 1, 0, 0, 1, 0]);
    assert.deepEqual(runner0(experience.rewards), [1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(experience.envIds.subarray(0, 4)), [0, 1, 0, 1]);
    assert.deepEqual(Array.from(experience.episodeReturns), [3, 3, 3, 3]);
    assert.deepEqual(Array.from(experience.episodeLengths), [3, 3, 3, 3]);
    assertChained(experience, 2);
  });

  it("chains CartPole transitions per runner, with terminal next observations past the thresholds", () => {
    const numRunners = 3;
    const experience = collectExperience({ id: "CartPole-v1", numRunners, numSteps: 300, seed: 1 });
    assert.equal(experience.count, 900);
    assert.ok(experience.obs instanceof Float32Array && experience.actions instanceof Int32Array);
    const endings = assertChained(experience, numRunners);
    assert.ok(endings > 10, `random CartPole episodes are short, got ${endings} endings`);
    for (let k = 0; k < experience.count; k++) {
      if (!experience.terminated[k]) continue;
      const [x, , theta] = row(experience.nextObs, k, 4);
      assert.ok(Math.abs(x) > 2.4 || Math.abs(theta) > (12 * 2 * Math.PI) / 360, `transition ${k} ends in a terminal state`);
      if (k + numRunners < experience.count) {
        // The runner's next transition starts a fresh episode: every component within ±0.05.
        assert.ok(row(experience.obs, k + numRunners, 4).every((value) => Math.abs(value) < 0.05));
      }
    }
    const episodeSteps = experience.episodeLengths.reduce((sum, length) => sum + length, 0);
    assert.equal(experience.episodeLengths.length, endings);
    assert.deepEqual(Array.from(experience.episodeReturns), Array.from(experience.episodeLengths), "CartPole's return is its length");
    assert.ok(episodeSteps <= experience.count);
  });

  it("is reproducible for a seed and uses the given policy", () => {
    const first = collectExperience({ id: "CartPole-v1", numRunners: 2, numSteps: 50, seed: 4 });
    const second = collectExperience({ id: "CartPole-v1", numRunners: 2, numSteps: 50, seed: 4 });
    assert.deepEqual(first, second);
    assert.notDeepEqual(first.actions, collectExperience({ id: "CartPole-v1", numRunners: 2, numSteps: 50, seed: 5 }).actions);
    const seen: number[] = [];
    const pushRight = collectExperience({
      id: "CartPole-v1",
      numRunners: 2,
      numSteps: 5,
      seed: 4,
      policy: (obs, numEnvs) => {
        seen.push(obs.length, numEnvs);
        return [1, 1];
      },
    });
    assert.deepEqual(Array.from(pushRight.actions), new Array(10).fill(1));
    assert.deepEqual(seen.slice(0, 2), [8, 2]);
  });

  it("collects the same transitions with runners in worker threads (mode \"async\")", () => {
    const options = { id: "CartPole-v1", numRunners: 2, numSteps: 100, seed: 8 };
    assert.deepEqual(collectExperience({ ...options, mode: "async" }), collectExperience(options));
  });

  it("rejects bad sizes, unknown options and a policy that returns the wrong number of actions", () => {
    assert.throws(() => collectExperience({ id: "CartPole-v1", numRunners: 0, numSteps: 5 }), /Expected numRunners to be a positive integer, got 0/);
    assert.throws(() => collectExperience({ id: "CartPole-v1", numRunners: 1, numSteps: 2.5 }), /Expected numSteps to be a positive integer, got 2.5/);
    assert.throws(() => collectExperience({ id: "CartPole-v1", numRunners: 1, numSteps: 5, numEnvs: 2 } as never), /unknown option "numEnvs"/);
    assert.throws(
      () => collectExperience({ id: "CartPole-v1", numRunners: 2, numSteps: 5, policy: () => [1] }),
      { message: "Expected 2 actions (one per sub-env), got 1" },
    );
  });
});
