import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import { CartPoleEnv } from "../src/envs/cartpole";
import { isCartPoleTerminal, stepCartPolePhysics } from "../src/envs/cartpole-physics";
import "../src/envs";

const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;

/** Runs one episode with a fixed action sequence (cycled) and returns every result. */
function runEpisode(env: CartPoleEnv, seed: number, actions: readonly number[]) {
  const results = [env.reset({ seed })];
  for (let t = 0; ; t++) {
    const result = env.step(actions[t % actions.length]!);
    results.push(result);
    if (result.terminated) return results;
  }
}

describe("CartPoleEnv", () => {
  it("has Gymnasium's spaces: Discrete(2) actions and a float32 Box(4) of twice the thresholds", () => {
    const env = new CartPoleEnv();
    assert.equal(String(env.actionSpace), "Discrete(2)");
    assert.deepEqual(env.observationSpace.shape, [4]);
    assert.deepEqual(Array.from(env.observationSpace.high), [Math.fround(4.8), Infinity, Math.fround(2 * THETA_THRESHOLD), Infinity]);
    assert.deepEqual(Array.from(env.observationSpace.low), [-Math.fround(4.8), -Infinity, -Math.fround(2 * THETA_THRESHOLD), -Infinity]);
    assert.equal(env.metadata.renderFps, 50);
  });

  it("starts each state component uniformly in (-0.05, 0.05) and observes its float32 copy", () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    for (let episode = 0; episode < 200; episode++) {
      const { obs, info } = env.reset();
      assert.ok(obs instanceof Float32Array);
      assert.deepEqual(info, {});
      env.state.forEach((value, i) => {
        assert.ok(value > -0.05 && value < 0.05, `state[${i}] = ${value}`);
        assert.equal(obs[i], Math.fround(value));
      });
    }
  });

  it("reproduces the documented seeded reset and step", () => {
    const env = new CartPoleEnv();
    assert.deepEqual(Array.from(env.reset({ seed: 42 }).obs), [-0.022041676566004753, -0.02224450744688511, 0.03381585702300072, 0.036102984100580215]);
    assert.equal(env.step(1).obs[1], Math.fround(0.17237661030352708));
    assert.equal(env.state[1], 0.17237661030352708);
  });

  it("repeats a whole run for the same seed and continues the stream on unseeded resets", () => {
    const a = new CartPoleEnv();
    const b = new CartPoleEnv();
    const runA = runEpisode(a, 7, [0, 1, 1]);
    const runB = runEpisode(b, 7, [0, 1, 1]);
    assert.deepEqual(runA, runB);
    assert.deepEqual(a.reset().obs, b.reset().obs);
    assert.notDeepEqual(a.reset().obs, runA[0]!.obs);
  });

  it("draws the start state from reset options { low, high } like Gymnasium", () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 1, options: { low: 0.1, high: 0.2 } });
    env.state.forEach((value) => assert.ok(value >= 0.1 && value < 0.2));
    env.reset({ options: { high: -0.04 } });
    env.state.forEach((value) => assert.ok(value >= -0.05 && value < -0.04));
    assert.throws(() => env.reset({ options: { low: 0.2, high: 0.1 } }), /Expected options\.low ≤ options\.high, got low 0\.2 and high 0\.1/);
    assert.throws(() => env.reset({ options: { low: "0.1" } }), /Expected options\.low to be a finite number, got "0\.1"/);
    assert.throws(() => env.reset({ options: { hi: 0.1 } }), /unknown option "hi"/);
  });

  it("gives reward 1 on every step including the terminating one", () => {
    const results = runEpisode(new CartPoleEnv(), 3, [1]).slice(1);
    assert.ok(results.length > 1);
    for (const result of results) {
      assert.equal("reward" in result && result.reward, 1);
      assert.equal("truncated" in result && result.truncated, false);
    }
  });

  it("gives the Sutton–Barto reward: 0 per step and -1 on termination", () => {
    const results = runEpisode(new CartPoleEnv({ suttonBartoReward: true }), 3, [1]).slice(1);
    const rewards = results.map((result) => ("reward" in result ? result.reward : NaN));
    assert.deepEqual(rewards, [...Array(rewards.length - 1).fill(0), -1]);
  });

  it("terminates strictly beyond ±2.4 m and ±12°, not on the thresholds", () => {
    assert.equal(isCartPoleTerminal(new Float64Array([2.4, 0, 0, 0])), false);
    assert.equal(isCartPoleTerminal(new Float64Array([-2.4, 0, THETA_THRESHOLD, 0])), false);
    assert.equal(isCartPoleTerminal(new Float64Array([0, 0, -THETA_THRESHOLD, 0])), false);
    assert.equal(isCartPoleTerminal(new Float64Array([2.4000000000000004, 0, 0, 0])), true);
    assert.equal(isCartPoleTerminal(new Float64Array([0, 0, -THETA_THRESHOLD - 1e-15, 0])), true);
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [2.4, 0, 0, 0]; // ẋ = 0, so the step keeps x exactly at the threshold
    assert.equal(env.step(1).terminated, false);
    assert.equal(env.state[0], 2.4);
  });

  it("steps from a state that was assigned or written in place", () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = new Float64Array([0.1, 0.2, 0.03, -0.4]);
    const expected = new Float64Array([0.1, 0.2, 0.03, -0.4]);
    stepCartPolePhysics(expected, -10);
    env.step(0);
    assert.deepEqual(env.state, expected);
    env.state[0] = 1;
    env.state[1] = 0;
    env.step(1);
    assert.equal(env.state[0], 1);
    assert.throws(() => (env.state = [1, 2, 3]), /Expected state to be 4 numbers \[x, ẋ, θ, θ̇\], got \[1, 2, 3\]/);
  });

  it("matches Gymnasium's first step from the zero state", () => {
    const state = new Float64Array(4);
    stepCartPolePhysics(state, 10);
    assert.deepEqual(Array.from(state), [0, 0.1951219512195122, 0, -0.2926829268292683]);
  });

  it("warns once and gives reward 0 when stepped after termination without the checker", (context) => {
    const warn = context.mock.method(console, "warn", () => {});
    for (const [suttonBartoReward, after] of [[false, 0], [true, -1]] as const) {
      const env = make("CartPole-v1", { disableEnvChecker: true, suttonBartoReward });
      env.reset({ seed: 0 });
      let result;
      do result = env.step(1);
      while (!result.terminated);
      assert.equal(result.reward, suttonBartoReward ? -1 : 1);
      for (let i = 0; i < 3; i++) {
        const extra = env.step(1);
        assert.equal(extra.reward, after);
        assert.equal(extra.terminated, true);
      }
    }
    assert.equal(warn.mock.callCount(), 2);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /already returned terminated = true/);
  });

  it("refuses to step before reset and refuses invalid actions even without the checker", () => {
    const env = new CartPoleEnv();
    assert.throws(() => env.step(0), /Expected reset\(\) before step\(\)/);
    env.reset({ seed: 0 });
    assert.throws(() => env.step(2), /Expected an action in Discrete\(2\) — an integer 0 ≤ a < 2, got 2/);
    assert.throws(() => env.step(true as unknown as number), /got true/);
  });

  it("rejects unknown or mistyped constructor options", () => {
    assert.throws(() => new CartPoleEnv({ suttonBartoRewards: true } as never), /did you mean "suttonBartoReward"/);
    assert.throws(() => new CartPoleEnv({ suttonBartoReward: 1 } as never), /Expected suttonBartoReward to be a boolean, got 1/);
  });

  it("types make(...).unwrapped as CartPoleEnv, with its float64 state", () => {
    const env = make("CartPole-v1");
    env.reset({ seed: 5 });
    const state: Float64Array = env.unwrapped.state;
    assert.ok(state instanceof Float64Array && state.length === 4);
  });
});
