import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Discrete } from "../src/core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../src/core/env";
import { EnvChecker } from "../src/core/env-checker";
import { make } from "../src/core/make";
import { register, registry, spec } from "../src/core/registry";
import { CartPoleEnv } from "../src/envs/cartpole";
import "../src/envs";
import { TimeLimit } from "../src/wrappers/time-limit";

/** An env that never ends by itself, to see which wrapper ends episodes. */
class EndlessEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(1);
  readonly actionSpace = new Discrete(1);
  constructor(readonly options: Readonly<Record<string, unknown>>) {
    super();
  }
  reset(args: ResetArgs = {}): ResetResult<number> {
    this.seedRng(args.seed);
    return { obs: 0, info: {} };
  }
  step(): StepResult<number> {
    return { obs: 0, reward: 1, terminated: false, truncated: false, info: {} };
  }
}

describe("the registry and make", () => {
  it("registers CartPole-v1 and CartPole-v0 with Gymnasium's limits and thresholds", () => {
    assert.equal(spec("CartPole-v1").maxEpisodeSteps, 500);
    assert.equal(spec("CartPole-v1").rewardThreshold, 475);
    assert.equal(spec("CartPole-v0").maxEpisodeSteps, 200);
    assert.equal(spec("CartPole-v0").rewardThreshold, 195);
    assert.ok(registry.has("CartPole-v1"));
  });

  it("makes an env whose spec records the time limit and reward threshold", () => {
    const env = make("CartPole-v1");
    assert.equal(env.spec.id, "CartPole-v1");
    assert.equal(env.spec.maxEpisodeSteps, 500);
    assert.equal(env.spec.rewardThreshold, 475);
    assert.equal(env.spec.disableEnvChecker, false);
    assert.ok(env.unwrapped instanceof CartPoleEnv);
    assert.equal(String(env), "EnvChecker<TimeLimit<CartPoleEnv<CartPole-v1>>>");
    assert.equal(env.unwrapped.spec?.maxEpisodeSteps, undefined, "the bare env has no limit of its own");
  });

  it("overrides the time limit, and applies none with maxEpisodeSteps: Infinity", () => {
    const short = make("CartPole-v1", { maxEpisodeSteps: 3 });
    assert.equal(short.spec.maxEpisodeSteps, 3);
    const unlimited = make("CartPole-v1", { maxEpisodeSteps: Infinity });
    assert.equal(unlimited.spec.maxEpisodeSteps, undefined);
    assert.equal(String(unlimited), "EnvChecker<CartPoleEnv<CartPole-v1>>");
  });

  it("runs an unlimited episode past 500 steps until termination", () => {
    register({ id: "Endless-v0", entryPoint: (options) => new EndlessEnv(options), maxEpisodeSteps: 500 });
    const limited = make("Endless-v0");
    limited.reset();
    let steps = 0;
    while (!limited.step(0).truncated) steps += 1;
    assert.equal(steps + 1, 500);
    const unlimited = make("Endless-v0", { maxEpisodeSteps: Infinity });
    unlimited.reset();
    for (let i = 0; i < 2000; i++) assert.equal(unlimited.step(0).truncated, false);
  });

  it("leaves out the env checker with disableEnvChecker", () => {
    const env = make("CartPole-v1", { disableEnvChecker: true });
    assert.equal(String(env), "TimeLimit<CartPoleEnv<CartPole-v1>>");
    assert.ok(env instanceof TimeLimit);
    assert.ok(make("CartPole-v1") instanceof EnvChecker);
  });

  it("passes env-specific options and records them in the spec", () => {
    const env = make("CartPole-v1", { suttonBartoReward: true });
    assert.equal(env.unwrapped.suttonBartoReward, true);
    assert.deepEqual(env.spec.options, { suttonBartoReward: true });
    register({ id: "Endless-v1", entryPoint: (options) => new EndlessEnv(options), options: { speed: 1 } });
    assert.deepEqual((make("Endless-v1", { speed: 2 }).unwrapped as EndlessEnv).options, { speed: 2 });
    assert.deepEqual((make("Endless-v1").unwrapped as EndlessEnv).options, { speed: 1 });
  });

  it("accepts renderMode rgb_array and rejects other modes", () => {
    assert.doesNotThrow(() => make("CartPole-v1", { renderMode: "rgb_array" }));
    assert.throws(
      () => make("CartPole-v1", { renderMode: "human" as "rgb_array" }),
      /Expected renderMode "rgb_array" \(render\(\) always returns an RgbFrame\), got "human"/,
    );
  });

  it("rejects an unknown id, listing the registered ids and the closest one", () => {
    assert.throws(
      () => make("CartPole-v2"),
      (error: Error) =>
        /Expected a registered env id, got "CartPole-v2" \(did you mean "CartPole-v1"\?\)/.test(error.message) &&
        /Registered ids: .*CartPole-v0, CartPole-v1/.test(error.message),
    );
    assert.throws(() => make("Pong"), (error: Error) => !/did you mean/.test(error.message) && /Registered ids/.test(error.message));
  });

  it("rejects unknown option names, naming them", () => {
    assert.throws(
      () => make("CartPole-v1", { suttonBartoRewards: true }),
      /got unknown option "suttonBartoRewards" \(did you mean "suttonBartoReward"\?\)/,
    );
    assert.throws(() => make("CartPole-v1", { maxEpisodeStep: 10, colour: "red" }), /unknown options "maxEpisodeStep" \(did you mean "maxEpisodeSteps"\?\), "colour"/);
  });

  it("rejects a time limit that is not a positive integer or Infinity", () => {
    assert.throws(() => make("CartPole-v1", { maxEpisodeSteps: 0 }), /Expected maxEpisodeSteps to be a positive integer, or Infinity for no time limit, got 0/);
    assert.throws(() => make("CartPole-v1", { maxEpisodeSteps: -1 }), /got -1/);
    assert.throws(() => make("CartPole-v1", { maxEpisodeSteps: 2.5 }), /got 2\.5/);
  });

  it("rejects option values of the wrong type", () => {
    assert.throws(() => make("CartPole-v1", { suttonBartoReward: "yes" as unknown as boolean }), /Expected suttonBartoReward to be a boolean, got "yes"/);
    assert.throws(() => make("CartPole-v1", { disableEnvChecker: 1 as unknown as boolean }), /Expected disableEnvChecker to be a boolean, got 1/);
  });

  it("warns when an id is registered again and uses the new registration", (context) => {
    const warn = context.mock.method(console, "warn", () => {});
    register({ id: "Endless-v2", entryPoint: (options) => new EndlessEnv(options) });
    register({ id: "Endless-v2", entryPoint: (options) => new EndlessEnv(options), maxEpisodeSteps: 7 });
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /Overriding the registered env "Endless-v2"/);
    assert.equal(make("Endless-v2").spec?.maxEpisodeSteps, 7);
  });
});
