import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DQN } from "../src/agents/dqn";
import { initBackend } from "../src/backend";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";
import type { StepResult } from "../src/core/env";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import { DelayedChainEnv, type DelayedChainOptions } from "../src/envs/delayed-chain";
import { delayedChainValues } from "../src/envs/delayed-chain-values";
import "../src/envs";

/** Plays one episode: `first` at the decision, then `distractor(t)` for every waiting step. */
function playEpisode(env: DelayedChainEnv, first: number, distractor: (t: number) => number): StepResult<Float32Array | number>[] {
  const steps = [env.step(first)];
  while (!steps[steps.length - 1]!.terminated) steps.push(env.step(distractor(steps.length)));
  return steps;
}

/** Mean and standard error of a sample. */
function meanAndError(samples: number[]): { mean: number; error: number } {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1);
  return { mean, error: Math.sqrt(variance / samples.length) };
}

describe("DelayedChainEnv", () => {
  it("pays the key action exactly k steps later, on the (k+1)-th and last step, for k = 1..16", () => {
    for (let k = 1; k <= 16; k++) {
      const env = new DelayedChainEnv({ delay: k });
      env.reset({ seed: k });
      const steps = playEpisode(env, 0, (t) => t % 2);
      assert.equal(steps.length, k + 1, `k = ${k}`);
      assert.deepEqual(steps.map((s) => s.reward), [...Array(k).fill(0), 1]);
      const keyStep = steps.findIndex((s) => (s.info["events"] as { keyAction: boolean }).keyAction);
      const payoutStep = steps.findIndex((s) => (s.info["events"] as { payout: boolean }).payout);
      assert.equal(payoutStep - keyStep, k);
      assert.deepEqual(steps.map((s) => s.terminated), [...Array(k).fill(false), true]);
      assert.ok(steps.every((s) => s.truncated === false));
    }
  });

  it("gives the same rewards and states whatever the distractor actions are", () => {
    const rng = Rng.fromSeed(3);
    for (const numActions of [2, 5]) {
      const env = new DelayedChainEnv({ delay: 6, numActions, keyAction: numActions - 1 });
      const runs = Array.from({ length: 20 }, () => {
        env.reset();
        return playEpisode(env, numActions - 1, () => rng.integer(numActions)).map((s) => [s.reward, s.info["state"], s.terminated]);
      });
      for (const run of runs) assert.deepEqual(run, runs[0]);
      assert.deepEqual(runs[0]!.map(([, state]) => state), [1, 2, 3, 4, 5, 6, 13]);
    }
  });

  it("pays nothing after any other action, in an episode of the same length", () => {
    const env = new DelayedChainEnv({ delay: 4, numActions: 3, keyAction: 1 });
    for (const first of [0, 2]) {
      env.reset({ seed: 0 });
      const steps = playEpisode(env, first, () => 1);
      assert.deepEqual(steps.map((s) => s.reward), [0, 0, 0, 0, 0]);
      assert.deepEqual(steps.map((s) => s.info["state"]), [5, 6, 7, 8, 9]);
      assert.equal(steps.some((s) => (s.info["events"] as { payout: boolean }).payout), false);
    }
  });

  it("describes and observes every state as the state table says", () => {
    const env = new DelayedChainEnv({ delay: 3 });
    assert.equal(env.numStates, 8);
    assert.deepEqual(
      Array.from({ length: 8 }, (_, s) => env.describeState(s)),
      [
        { kind: "decision", position: 0 },
        { kind: "key", position: 1 },
        { kind: "key", position: 2 },
        { kind: "key", position: 3 },
        { kind: "other", position: 1 },
        { kind: "other", position: 2 },
        { kind: "other", position: 3 },
        { kind: "end", position: 4 },
      ],
    );
    assert.deepEqual(env.reset({ seed: 0 }).info, { state: 0, events: { keyAction: false, payout: false } });
    for (const result of playEpisode(env, 1, () => 0)) {
      assert.deepEqual(result.obs, env.observationOf(result.info["state"] as number));
      assert.equal((result.obs as Float32Array).indexOf(1), result.info["state"]);
    }
    assert.throws(() => env.describeState(8), /Expected state to be an integer in 0\.\.7, got 8/);
  });

  it("has one-hot Box or index Discrete observations, wider when distractors are observed", () => {
    const cases: [DelayedChainOptions, string][] = [
      [{ delay: 4 }, "Box(0, 1, [10], float32)"],
      [{ delay: 4, distractors: "observed", numActions: 3 }, "Box(0, 1, [13], float32)"],
      [{ delay: 4, obsType: "index" }, "Discrete(10)"],
      [{ delay: 4, obsType: "index", distractors: "observed", numActions: 3 }, "Discrete(40)"],
    ];
    for (const [options, space] of cases) {
      const env = new DelayedChainEnv(options);
      assert.equal(String(env.observationSpace), space);
      assert.equal(String(env.actionSpace), `Discrete(${options.numActions ?? 2})`);
      const rng = Rng.fromSeed(1);
      env.reset({ seed: 0 });
      for (let episode = 0; episode < 5; episode++) {
        const first = env.reset();
        assert.ok(env.observationSpace.contains(first.obs));
        for (const step of playEpisode(env, rng.integer(env.numActions), () => rng.integer(env.numActions))) {
          assert.ok(env.observationSpace.contains(step.obs), `${String(step.obs)} in ${space}`);
        }
      }
    }
    assert.ok(new DelayedChainEnv().observationSpace instanceof Box);
    assert.ok(new DelayedChainEnv({ obsType: "index" }).observationSpace instanceof Discrete);
  });

  it("shows the last distractor action in the observation when distractors are observed, without changing rewards", () => {
    const env = new DelayedChainEnv({ delay: 3, numActions: 3, distractors: "observed", obsType: "index" });
    const run = (distractor: number) => {
      env.reset({ seed: 0 });
      return playEpisode(env, 0, () => distractor).map((s) => [s.obs, s.reward]);
    };
    // numStates = 8: obs = state + 8·(last action + 1).
    assert.deepEqual(run(1), [[1 + 8, 0], [2 + 16, 0], [3 + 16, 0], [7 + 16, 1]]);
    assert.deepEqual(run(2), [[1 + 8, 0], [2 + 24, 0], [3 + 24, 0], [7 + 24, 1]]);
    assert.equal(env.reset().obs, 0);
  });

  it("returns to the decision after the payout in continuing mode, and only the time limit ends it", () => {
    const env = make("DelayedChain-v0", { delay: 2, continuing: true });
    env.reset({ seed: 0 });
    const states: unknown[] = [];
    const rewards: number[] = [];
    let result;
    do {
      result = env.step(0);
      states.push(result.info["state"]);
      rewards.push(result.reward);
    } while (!result.terminated && !result.truncated);
    assert.equal(states.length, 200);
    assert.equal(result.truncated, true);
    assert.equal(result.terminated, false);
    assert.deepEqual(states.slice(0, 7), [1, 2, 0, 1, 2, 0, 1]);
    assert.equal(rewards.reduce((a, b) => a + b, 0), Math.floor(200 / 3));
  });

  it("adds zero-mean reward noise drawn from the seeded RNG: the same seed gives the same rewards", () => {
    const run = (seed: number) => {
      const env = new DelayedChainEnv({ delay: 3, rewardNoise: 0.5 });
      env.reset({ seed });
      const rewards: number[] = [];
      for (let episode = 0; episode < 50; episode++) {
        env.reset();
        rewards.push(...playEpisode(env, 0, () => 1).map((s) => s.reward));
      }
      return rewards;
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
    const rewards = run(9);
    const payouts = rewards.filter((_, i) => i % 4 === 3);
    const others = rewards.filter((_, i) => i % 4 !== 3);
    assert.ok(Math.abs(meanAndError(payouts).mean - 1) < 0.25 && Math.abs(meanAndError(others).mean) < 0.15);
    assert.ok(others.some((r) => r !== 0));
    // Without noise, no randomness is drawn: any seed gives the same episode.
    const quiet = new DelayedChainEnv({ delay: 3 });
    quiet.reset({ seed: 1 });
    const first = playEpisode(quiet, 0, () => 0);
    quiet.reset({ seed: 2 });
    assert.deepEqual(playEpisode(quiet, 0, () => 0), first);
  });

  it("matches its closed-form value: Monte Carlo returns of ε-greedy play agree within 4 standard errors", () => {
    const gamma = 0.9;
    for (const options of [{ delay: 1 }, { delay: 4, numActions: 3, keyAction: 2 }, { delay: 8, continuing: true }] as DelayedChainOptions[]) {
      const env = new DelayedChainEnv({ ...options, rewardNoise: 0.5, obsType: "index" });
      const epsilon = 0.3;
      const values = delayedChainValues(env, { gamma, epsilon });
      const rng = Rng.fromSeed(11);
      env.reset({ seed: 5 });
      const returns: number[] = [];
      const byFirstAction: number[][] = Array.from({ length: env.numActions }, () => []);
      // Continuing chains are cut where γ^t < 1e-7: the rest of the sum is below that.
      const horizon = Math.ceil(Math.log(1e-7) / Math.log(gamma));
      for (let episode = 0; episode < 10_000; episode++) {
        env.reset();
        let discountedReturn = 0;
        let firstAction = -1;
        for (let t = 0; t < horizon; t++) {
          const atDecision = env.state === 0;
          const action = rng.random() < epsilon ? rng.integer(env.numActions) : env.keyAction;
          if (t === 0) firstAction = action;
          const result = env.step(atDecision ? action : rng.integer(env.numActions));
          discountedReturn += gamma ** t * result.reward;
          if (result.terminated) break;
        }
        returns.push(discountedReturn);
        byFirstAction[firstAction]!.push(discountedReturn);
      }
      const { mean, error } = meanAndError(returns);
      assert.ok(Math.abs(mean - values.startValue) < 4 * error, `${JSON.stringify(options)}: MC ${mean} ± ${error}, closed form ${values.startValue}`);
      for (let a = 0; a < env.numActions; a++) {
        const estimate = meanAndError(byFirstAction[a]!);
        const q = values.actionValues[a]!;
        assert.ok(Math.abs(estimate.mean - q) < 4 * estimate.error + 1e-9, `Q(0, ${a}): MC ${estimate.mean} ± ${estimate.error}, closed form ${q}`);
      }
    }
  });

  it("gives the optimal values γ^(k−p) along the key chain and 0 along the other", () => {
    const values = delayedChainValues(new DelayedChainEnv({ delay: 4 }), { gamma: 0.5 });
    assert.deepEqual(Array.from(values.stateValues), [0.0625, 0.125, 0.25, 0.5, 1, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(values.actionValues.subarray(0, 2)), [0.0625, 0]);
    assert.throws(() => delayedChainValues(new DelayedChainEnv({ continuing: true }), { gamma: 1 }), /Expected gamma < 1 for a continuing chain/);
    assert.throws(() => delayedChainValues(new DelayedChainEnv(), { gamma: 0.9, epsilon: 2 }), /Expected epsilon in \[0, 1\], got 2/);
  });

  it("lets tabular Q-learning carry the reward back one state per episode (α = 1), then converge to Q*", () => {
    const k = 4;
    const gamma = 0.9;
    const env = new DelayedChainEnv({ delay: k, obsType: "index" });
    const q = new Float64Array(env.numStates * env.numActions);
    const rng = Rng.fromSeed(0);
    const runEpisode = (alpha: number, epsilon: number) => {
      let state = env.reset().obs as number;
      for (;;) {
        const greedy = q[state * 2]! >= q[state * 2 + 1]! ? 0 : 1;
        const action = rng.random() < epsilon ? rng.integer(2) : greedy;
        const { obs, reward, terminated } = env.step(action);
        const next = obs as number;
        const target = reward + (terminated ? 0 : gamma * Math.max(q[next * 2]!, q[next * 2 + 1]!));
        q[state * 2 + action]! += alpha * (target - q[state * 2 + action]!);
        state = next;
        if (terminated) return;
      }
    };
    env.reset({ seed: 0 });
    // Always the key action: after episode e, exactly the last e key-chain states know the reward.
    for (let episode = 1; episode <= k + 1; episode++) {
      runEpisode(1, 0);
      const known = Array.from({ length: k + 1 }, (_, s) => q[s * 2]! > 0);
      assert.deepEqual(known, Array.from({ length: k + 1 }, (_, s) => s > k - episode), `after episode ${episode}`);
    }
    for (let episode = 0; episode < 300; episode++) runEpisode(0.5, 0.5);
    const optimal = delayedChainValues(env, { gamma }).actionValues;
    for (let i = 0; i < 2 * (2 * k + 1); i++) assert.ok(Math.abs(q[i]! - optimal[i]!) < 1e-6, `Q[${i}] = ${q[i]}, Q* = ${optimal[i]}`);
  });

  it("passes the env checker through make, with no warnings, for every option combination", (context) => {
    const warn = context.mock.method(console, "warn", () => {});
    for (const distractors of ["hidden", "observed"] as const) {
      for (const obsType of ["onehot", "index"] as const) {
        for (const continuing of [false, true]) {
          const env = make("DelayedChain-v0", { delay: 3, numActions: 3, distractors, obsType, continuing, rewardNoise: 0.1 });
          env.actionSpace.seed(0);
          env.reset({ seed: 0 });
          for (let t = 0; t < 250; t++) {
            const result = env.step(env.actionSpace.sample());
            if (result.terminated || result.truncated) env.reset();
          }
        }
      }
    }
    assert.equal(warn.mock.callCount(), 0);
  });

  it("rejects invalid options, actions and steps after the end", () => {
    assert.throws(() => new DelayedChainEnv({ delay: 0 }), { message: "Expected delay to be an integer in 1..64, got 0" });
    assert.throws(() => new DelayedChainEnv({ delay: 65 }), /got 65/);
    assert.throws(() => new DelayedChainEnv({ numActions: 1 }), /Expected numActions to be an integer in 2\.\.16, got 1/);
    assert.throws(() => new DelayedChainEnv({ numActions: 3, keyAction: 3 }), /Expected keyAction to be an integer in 0\.\.2, got 3/);
    assert.throws(() => new DelayedChainEnv({ distractors: "visible" as never }), /Expected distractors to be one of "hidden", "observed", got "visible"/);
    assert.throws(() => new DelayedChainEnv({ rewardNoise: -1 }), /Expected rewardNoise to be a finite number ≥ 0/);
    assert.throws(() => new DelayedChainEnv({ delays: 3 } as never), /did you mean "delay"/);
    const env = new DelayedChainEnv({ delay: 1 });
    assert.throws(() => env.step(0), /Expected reset\(\) before step\(\)/);
    env.reset({ seed: 0 });
    assert.throws(() => env.step(2), /Expected an action in Discrete\(2\) — an integer 0 ≤ a < 2, got 2/);
    env.step(0);
    env.step(0);
    assert.throws(() => env.step(0), /Expected reset\(\) after the episode terminated/);
  });

  it("renders the chain with the agent in its current cell", () => {
    const env = new DelayedChainEnv({ delay: 3 });
    env.reset({ seed: 0 });
    const agentAt = () => {
      const frame = env.render();
      assert.equal(frame.width, 150);
      assert.equal(frame.height, 94);
      const cells: number[] = [];
      // Centres of the cells: columns 0..4, rows 0..2 (pitch 28, margin 8, cell 22).
      for (let row = 0; row < 3; row++) {
        for (let column = 0; column < 5; column++) {
          const offset = ((8 + row * 28 + 11) * frame.width + 8 + column * 28 + 11) * 3;
          if (frame.data[offset] === 33 && frame.data[offset + 1] === 113 && frame.data[offset + 2] === 181) cells.push(row, column);
        }
      }
      return cells;
    };
    assert.deepEqual(agentAt(), [1, 0]);
    env.step(0);
    assert.deepEqual(agentAt(), [0, 1]);
    env.step(1);
    env.step(1);
    env.step(1);
    assert.deepEqual(agentAt(), [1, 4]);
    env.reset();
    env.step(1);
    assert.deepEqual(agentAt(), [2, 1]);
  });
});

describe("DQN on DelayedChain", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("learns a delay of 3 within 1500 steps: the key action, and Q along the key chain within 0.1 of γ^(k−p)", async () => {
    const k = 3;
    const gamma = 0.9;
    const agent = new DQN({
      env: make("DelayedChain-v0", { delay: k }),
      hiddenSizes: [64],
      learningRate: 3e-3,
      gamma,
      learningStarts: 100,
      batchSize: 32,
      trainFreq: 1,
      targetUpdateInterval: 50,
      bufferSize: 10_000,
      explorationFraction: 0.5,
      explorationFinalEps: 0.1,
      seed: 0,
    });
    await agent.learn({ totalSteps: 1500 });
    const probe = new DelayedChainEnv({ delay: k });
    const truth = delayedChainValues(probe, { gamma }).actionValues;
    assert.equal(agent.predict(probe.observationOf(0))[0], 0);
    for (let state = 0; state <= k; state++) {
      const q = agent.qValues(probe.observationOf(state))[0]!;
      assert.ok(Math.abs(q - truth[state * 2]!) < 0.1, `Q(${state}, key) = ${q}, Q* = ${truth[state * 2]}`);
    }
    agent.dispose();
  });
});
