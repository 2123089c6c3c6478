import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../src/core/env";
import { make } from "../src/core/make";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import "../src/envs";

/** A continuous-action env: reward = sum of the action vector; observation = the last action. */
class PushEnv extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [2] });
  readonly actionSpace = new Box({ low: -1, high: 1, shape: [2] });
  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    return { obs: new Float32Array(2), info: {} };
  }
  step(action: Float32Array): StepResult<Float32Array> {
    return { obs: Float32Array.from(action), reward: action[0] + action[1], terminated: false, truncated: false, info: {} };
  }
}

/** A Discrete-observation env: the observation is the last action. */
class EchoEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(3);
  readonly actionSpace = new Discrete(3);
  reset(): ResetResult<number> {
    return { obs: 0, info: {} };
  }
  step(action: number): StepResult<number> {
    return { obs: action, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

const counters = (n: number) => new SyncVectorEnv(Array.from({ length: n }, () => () => make("StepCounter-v0")));

describe("SyncVectorEnv actions", () => {
  it("rejects a wrong number of actions with Expected N actions (one per sub-env), got M", () => {
    const envs = counters(3);
    envs.reset();
    assert.throws(() => envs.step([0, 1]), { message: "Expected 3 actions (one per sub-env), got 2" });
    assert.throws(() => envs.step(undefined as never), { message: "Expected 3 actions (one per sub-env), got undefined" });
  });

  it("rejects an invalid action naming its sub-env, before any sub-env moves", () => {
    const envs = counters(2);
    envs.reset();
    assert.throws(() => envs.step([0, 1.5]), /Expected an action for env 1 in Discrete\(2\), got 1.5/);
    assert.deepEqual(envs.call("count"), [0, 0], "sub-env 0 did not step either");
  });

  it("takes Box actions back to back, numEnvs × actionSize numbers", () => {
    const envs = new SyncVectorEnv([0, 1].map(() => () => new PushEnv()));
    envs.reset();
    const step = envs.step(new Float32Array([0.5, 0.25, -1, 1]));
    assert.deepEqual(Array.from(step.rewards), [0.75, 0]);
    assert.deepEqual(Array.from(step.obs), [0.5, 0.25, -1, 1]);
    assert.throws(() => envs.step([0.5, 0.25, -1]), {
      message: "Expected 2 actions (one per sub-env) of 2 numbers each, got 3",
    });
  });

  it("batches Discrete observations into an Int32Array", () => {
    const envs = new SyncVectorEnv([0, 1, 2].map(() => () => new EchoEnv()));
    envs.reset();
    const obs = envs.step([2, 0, 1]).obs;
    assert.ok(obs instanceof Int32Array);
    assert.deepEqual(Array.from(obs), [2, 0, 1]);
  });
});

describe("SyncVectorEnv validation and lifecycle", () => {
  it("rejects sub-envs whose spaces differ, naming the sub-env", () => {
    const envFns = [() => make("StepCounter-v0"), () => make("StepCounter-v0"), () => make("StepCounter-v0", { obsSize: 2 })];
    assert.throws(
      () => new SyncVectorEnv(envFns),
      { message: "Expected sub-env 2's observation space to equal sub-env 0's Box(0, Infinity, [1], float32), got Box(0, Infinity, [2], float32)" },
    );
    assert.throws(
      () => new SyncVectorEnv([() => make("StepCounter-v0"), () => make("CartPole-v1")] as never),
      /Expected sub-env 1's observation space to equal sub-env 0's Box\(0, Infinity, \[1\], float32\), got Box\(/,
    );
  });

  it("rejects empty or malformed env factories and unknown options", () => {
    assert.throws(() => new SyncVectorEnv([]), /Expected a non-empty array of functions that create the sub-envs, got \[\]/);
    assert.throws(() => new SyncVectorEnv([make("StepCounter-v0")] as never), /Expected envFns\[0\] to be a function that creates an env, got object/);
    assert.throws(() => new SyncVectorEnv([() => make("StepCounter-v0")], { autoReset: "same-step" } as never), /did you mean "autoreset"/);
    assert.throws(() => new SyncVectorEnv([() => make("StepCounter-v0")], { autoreset: "next_step" as never }), /Expected autoreset to be "next-step" or "same-step", got "next_step"/);
    assert.throws(() => new SyncVectorEnv([() => make("StepCounter-v0")], { seed: -1 }), /Expected seed to be a non-negative integer/);
  });

  it("rejects factories that return one shared env instead of a new one each", () => {
    const env = make("StepCounter-v0");
    assert.throws(() => new SyncVectorEnv([() => env, () => env]), /Expected envFns\[1\]\(\) to create a new env, got the same env as envFns\[0\]\(\)/);
  });

  it("requires reset before step", () => {
    assert.throws(() => counters(2).step([0, 0]), { message: "Expected reset() before step(), got step() on a SyncVectorEnv that was never reset" });
  });

  it("names the sub-env that threw, keeping its error as the cause", () => {
    const envs = new SyncVectorEnv([() => make("StepCounter-v0"), () => make("StepCounter-v0", { throwAtStep: 2 })]);
    envs.reset();
    envs.step([0, 0]);
    assert.throws(
      () => envs.step([0, 0]),
      (error: Error) => {
        assert.equal(error.message, 'Sub-env 1 ("StepCounter-v0") threw in step(): StepCounter: deliberate failure at step 2');
        assert.equal((error.cause as Error).message, "StepCounter: deliberate failure at step 2");
        return true;
      },
    );
  });

  it("closes every sub-env once, and refuses step, reset and render afterwards", () => {
    const envs = counters(2);
    let closes = 0;
    for (const env of envs.envs) {
      const close = env.close.bind(env);
      env.close = () => {
        closes += 1;
        close();
      };
    }
    envs.reset();
    envs.close();
    envs.close();
    assert.equal(closes, 2);
    assert.equal(envs.isClosed, true);
    assert.throws(() => envs.step([0, 0]), { message: "Expected an open vector env, got step() after close()" });
    assert.throws(() => envs.reset(), { message: "Expected an open vector env, got reset() after close()" });
    assert.throws(() => envs.render(), { message: "Expected an open vector env, got render() after close()" });
  });

  it("closes the sub-envs already made when a later one fails to construct", () => {
    let closed = 0;
    const first = () => {
      const env = make("StepCounter-v0");
      env.close = () => void (closed += 1);
      return env;
    };
    const failing = () => make("StepCounter-v0", { obsSize: -1 });
    assert.throws(() => new SyncVectorEnv([first, failing]), /Expected obsSize to be a positive integer, got -1/);
    assert.equal(closed, 1);
  });
});
