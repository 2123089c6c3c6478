import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Discrete } from "../src/core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../src/core/env";
import { make } from "../src/core/make";
import { CartPoleEnv } from "../src/envs/cartpole";
import "../src/envs";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { TimeLimit } from "../src/wrappers/time-limit";

/**
 * A scripted env: the observation counts steps, the reward of step t is t, and the episode
 * terminates after `terminateAfter` steps.
 */
class CountingEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(1000);
  readonly actionSpace = new Discrete(2);
  private t = 0;
  constructor(private readonly terminateAfter = Infinity) {
    super();
  }
  reset(args: ResetArgs = {}): ResetResult<number> {
    this.seedRng(args.seed);
    this.t = 0;
    return { obs: 0, info: {} };
  }
  step(): StepResult<number> {
    this.t += 1;
    return { obs: this.t, reward: this.t, terminated: this.t >= this.terminateAfter, truncated: false, info: {} };
  }
}

describe("TimeLimit", () => {
  it("truncates on exactly the limit step and counts elapsed steps", () => {
    const env = new TimeLimit(new CountingEnv(), 3);
    env.reset();
    const flags = [1, 2, 3].map(() => {
      const { obs, terminated, truncated } = env.step(0);
      return { obs, terminated, truncated };
    });
    assert.deepEqual(flags, [
      { obs: 1, terminated: false, truncated: false },
      { obs: 2, terminated: false, truncated: false },
      { obs: 3, terminated: false, truncated: true },
    ]);
    assert.equal(env.elapsedSteps, 3);
    env.reset();
    assert.equal(env.elapsedSteps, 0);
    assert.equal(env.step(0).truncated, false);
  });

  it("reports both terminated and truncated when the env ends on the limit step", () => {
    const env = new TimeLimit(new CountingEnv(3), 3);
    env.reset();
    env.step(0);
    env.step(0);
    const last = env.step(0);
    assert.equal(last.terminated, true);
    assert.equal(last.truncated, true);
  });

  it("leaves termination before the limit untouched", () => {
    const env = new TimeLimit(new CountingEnv(2), 5);
    env.reset();
    env.step(0);
    const last = env.step(0);
    assert.deepEqual([last.terminated, last.truncated], [true, false]);
  });

  it("runs the documented CartPole example", () => {
    const env = new TimeLimit(new CartPoleEnv(), 3);
    env.reset({ seed: 123 });
    assert.deepEqual([env.step(1).truncated, env.step(0).truncated, env.step(1).truncated], [false, false, true]);
    assert.equal(env.elapsedSteps, 3);
  });

  it("truncates make(CartPole-v1) episodes at 500 steps", () => {
    const env = make("CartPole-v1", { disableEnvChecker: true });
    env.reset({ seed: 0 });
    env.unwrapped.state = [0, 0, 0, 0];
    let steps = 0;
    let result;
    do {
      // Balance by pushing against the pole's lean, so the episode outlives the limit.
      const [, , theta, thetaDot] = env.unwrapped.state;
      result = env.step(theta! + 0.5 * thetaDot! > 0 ? 1 : 0);
      steps += 1;
    } while (!result.terminated && !result.truncated);
    assert.equal(steps, 500);
    assert.deepEqual([result.terminated, result.truncated], [false, true]);
  });

  it("reports its limit in the spec and rejects limits that are not positive integers", () => {
    assert.equal(new TimeLimit(make("CartPole-v1"), 42).spec?.maxEpisodeSteps, 42);
    assert.equal(new TimeLimit(new CartPoleEnv(), 42).spec, undefined);
    assert.throws(() => new TimeLimit(new CartPoleEnv(), 0), /Expected maxEpisodeSteps to be a positive integer, got 0/);
    assert.throws(() => new TimeLimit(new CartPoleEnv(), Infinity), /got Infinity \(for no time limit, do not wrap the env\)/);
  });
});

describe("RecordEpisodeStatistics", () => {
  it("puts { return, length, durationSeconds } in info.episode on the last step only", () => {
    const env = new RecordEpisodeStatistics(new CountingEnv(4));
    env.reset();
    const results = [1, 2, 3, 4].map(() => env.step(0));
    results.slice(0, 3).forEach((result) => assert.equal(result.info.episode, undefined));
    const episode = results[3]!.info.episode!;
    assert.equal(episode.return, 1 + 2 + 3 + 4);
    assert.equal(episode.length, 4);
    assert.ok(typeof episode.durationSeconds === "number" && episode.durationSeconds >= 0 && episode.durationSeconds < 5);
    assert.equal(env.episodeCount, 1);
  });

  it("counts truncated episodes too, and restarts the counts at reset", () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(new CountingEnv(), 2));
    env.reset();
    env.step(0);
    assert.deepEqual({ ...env.step(0).info.episode!, durationSeconds: 0 }, { return: 3, length: 2, durationSeconds: 0 });
    env.reset();
    env.step(0);
    assert.equal(env.step(0).info.episode!.return, 3);
    assert.deepEqual(env.returnQueue, [3, 3]);
    assert.deepEqual(env.lengthQueue, [2, 2]);
    assert.equal(env.durationQueue.length, 2);
  });

  it("keeps only the most recent historyLength episodes", () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(new CountingEnv(), 1), { historyLength: 2 });
    for (let episode = 0; episode < 5; episode++) {
      env.reset();
      env.step(0);
    }
    assert.deepEqual(env.returnQueue, [1, 1]);
    assert.equal(env.episodeCount, 5);
    assert.throws(() => new RecordEpisodeStatistics(new CountingEnv(), { historyLength: 0 }), /Expected historyLength to be a positive integer, got 0/);
  });

  it("runs the documented CartPole example: always pushing right lasts 10 steps from seed 42", () => {
    const env = new RecordEpisodeStatistics(make("CartPole-v1"));
    env.reset({ seed: 42 });
    let step;
    do step = env.step(1);
    while (!step.terminated && !step.truncated);
    assert.equal(step.info.episode!.return, 10);
    assert.equal(step.info.episode!.length, 10);
    assert.deepEqual(env.returnQueue, [10]);
  });

  it("refuses to overwrite an episode record from a second RecordEpisodeStatistics", () => {
    const env = new RecordEpisodeStatistics(new RecordEpisodeStatistics(new CountingEnv(1)));
    env.reset();
    assert.throws(() => env.step(0), /Expected info\.episode to be unset .*applied twice/);
  });
});
