import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Box } from "../src/core/box";
import type { ResetArgs, ResetResult, StepResult } from "../src/core/env";
import { EnvChecker } from "../src/core/env-checker";
import { make } from "../src/core/make";
import "../src/envs";

/** An env with a Box action space whose observation leaves its space on the second step. */
class DriftingEnv extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [3] });
  readonly actionSpace = new Box({ low: -2, high: 2, shape: [2] });
  private t = 0;
  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.t = 0;
    return { obs: new Float32Array(3), info: {} };
  }
  step(): StepResult<Float32Array> {
    this.t += 1;
    return { obs: new Float32Array([0, this.t > 1 ? 1.5 : 0, 0]), reward: 0, terminated: false, truncated: false, info: {} };
  }
}

describe("EnvChecker", () => {
  it("throws when stepping before the first reset", () => {
    const env = make("CartPole-v1");
    assert.throws(() => env.step(0), /Expected env\.reset\(\) before env\.step\(\), got step\(\) on an env that was never reset/);
    assert.throws(() => env.render(), /Expected env\.reset\(\) before env\.render\(\)/);
  });

  it("throws when stepping after a terminated step without reset", () => {
    const env = make("CartPole-v1");
    env.reset({ seed: 0 });
    let result;
    do result = env.step(1);
    while (!result.terminated);
    assert.throws(() => env.step(1), /got step\(\) after the episode ended \(terminated = true, truncated = false\); call env\.reset\(\)/);
    env.reset();
    assert.doesNotThrow(() => env.step(1));
  });

  it("throws when stepping after a truncated step without reset", () => {
    const env = make("CartPole-v1", { maxEpisodeSteps: 2 });
    env.reset({ seed: 0 });
    env.step(0);
    assert.equal(env.step(1).truncated, true);
    assert.throws(() => env.step(0), /after the episode ended \(terminated = false, truncated = true\)/);
  });

  it("throws for a Discrete action that is not an integer in range", () => {
    const env = make("CartPole-v1");
    env.reset({ seed: 0 });
    assert.throws(() => env.step(1.5), { message: "Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got 1.5" });
    assert.throws(() => env.step(2), { message: "Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got 2" });
    assert.throws(() => env.step(-1), /got -1$/);
    assert.throws(() => env.step("1" as unknown as number), { message: 'Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got "1"' });
    assert.throws(() => env.step(undefined as unknown as number), /got undefined/);
    // A rejected action must not advance the episode.
    assert.equal(env.step(1).terminated, false);
  });

  it("throws for a Box action of the wrong length, type or range", () => {
    const env = new EnvChecker(new DriftingEnv());
    env.reset({ seed: 0 });
    assert.throws(
      () => env.step(new Float32Array(3)),
      { message: "Expected an action in Box(-2, 2, [2], float32) — 2 numbers (a Float32Array or number[]) with low[i] ≤ a[i] ≤ high[i], got Float32Array(3) [0, 0, 0] (its length is 3, not 2)" },
    );
    assert.throws(() => env.step(new Float32Array([0, 3])), /got Float32Array\(2\) \[0, 3\] \(index 1 is 3, above high\[1\] = 2\)/);
    assert.throws(() => env.step("left" as unknown as Float32Array), /high\[i\], got "left"$/);
    assert.doesNotThrow(() => env.step(new Float32Array([0.5, -2])));
  });

  it("warns once, naming the index and value, when an observation leaves its space", (context) => {
    const warn = context.mock.method(console, "warn", () => {});
    const env = new EnvChecker(new DriftingEnv());
    env.reset({ seed: 0 });
    env.step(new Float32Array(2));
    assert.equal(warn.mock.callCount(), 0);
    env.step(new Float32Array(2));
    env.step(new Float32Array(2));
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /observation returned by step\(\) is outside Box\(-1, 1, \[3\], float32\): index 1 is 1\.5, above high\[1\] = 1/);
  });

  it("rejects a misspelt reset argument", () => {
    const env = make("CartPole-v1");
    assert.throws(() => env.reset({ sed: 1 } as never), /got unknown option "sed" \(did you mean "seed"\?\)/);
  });

  it("throws when the env returns a malformed step result on the first step", () => {
    class SloppyEnv extends DriftingEnv {
      override step(): StepResult<Float32Array> {
        return { obs: new Float32Array(3), reward: 0, terminated: 0 as unknown as boolean, truncated: false, info: {} };
      }
    }
    const env = new EnvChecker(new SloppyEnv());
    env.reset();
    assert.throws(() => env.step(new Float32Array(2)), /Expected terminated returned by SloppyEnv\.step\(\) to be a boolean, got 0/);
  });

  it("forwards the spec with disableEnvChecker false", () => {
    assert.equal(make("CartPole-v1").spec.disableEnvChecker, false);
    assert.equal(make("CartPole-v1", { disableEnvChecker: true }).spec.disableEnvChecker, true);
  });
});
