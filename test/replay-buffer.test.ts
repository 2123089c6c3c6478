import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ReplayBuffer, type ReplayBufferOptions } from "../src/agents/replay-buffer";
import { make } from "../src/core/make";
import { makeVec } from "../src/vector/make-vec";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import type { AutoresetMode, VectorEnv } from "../src/vector/types";
import "../src/envs";

const MODES: readonly AutoresetMode[] = ["next-step", "same-step"];

/** A stored transition of a StepCounter run, reduced to what can be read off by eye. */
interface Row {
  env: number;
  obs: number;
  next: number;
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

/** Every stored transition in slot order (= insertion order until the ring wraps). */
function rows(buffer: ReplayBuffer): Row[] {
  return Array.from({ length: buffer.size }, (_, index) => {
    const t = buffer.transitionAt(index);
    return { env: t.envId, obs: t.obs[0]!, next: t.nextObs[0]!, reward: t.reward, terminated: t.terminated, truncated: t.truncated };
  });
}

const row = (env: number, obs: number, end: "" | "truncated" | "terminated" = ""): Row => ({
  env,
  obs,
  next: obs + 1,
  reward: 1,
  terminated: end === "terminated",
  truncated: end === "truncated",
});

/** Steps `envs` with `actions(obs)` for `steps` steps, feeding the buffer; returns what each addVectorStep returned. */
function feed(envs: VectorEnv<unknown, unknown>, buffer: ReplayBuffer, options: { steps: number; seed: number; actions?: (obs: ArrayLike<number>) => number[] }): number[] {
  const actions = options.actions ?? (() => new Array<number>(envs.numEnvs).fill(0));
  let obs: ArrayLike<number> = envs.reset({ seed: options.seed }).obs;
  const added: number[] = [];
  for (let t = 0; t < options.steps; t++) {
    const chosen = actions(obs);
    const result = envs.step(chosen);
    added.push(buffer.addVectorStep({ obs, actions: chosen, result }));
    obs = result.obs;
  }
  return added;
}

function counterBuffer(options: Partial<ReplayBufferOptions> = {}): ReplayBuffer {
  return new ReplayBuffer({ capacity: 100, obsShape: [1], seed: 0, ...options });
}

describe("ReplayBuffer fed by a vector env", () => {
  it("runs the example in its doc comment", () => {
    const envs = makeVec("StepCounter-v0", { numEnvs: 2, envOptions: { maxEpisodeSteps: 3 } });
    const buffer = new ReplayBuffer({ capacity: 1000, obsShape: [1], numEnvs: 2, autoreset: envs.autoreset, seed: 0 });
    let obs = envs.reset({ seed: 0 }).obs;
    const added: number[] = [];
    for (let t = 0; t < 5; t++) {
      const actions = [0, 1];
      const result = envs.step(actions);
      added.push(buffer.addVectorStep({ obs, actions, result }));
      obs = result.obs;
    }
    assert.deepEqual(added, [2, 2, 2, 0, 2]);
    assert.equal(buffer.size, 8);
    assert.deepEqual(Array.from(buffer.sample(4).obs), [2, 0, 1, 1]);
    envs.close();
  });

  for (const autoreset of MODES) {
    it(`${autoreset}: stores exactly the real StepCounter transitions, the final 3 truncated, and no 3→0 pseudo-transition`, () => {
      const envs = makeVec("StepCounter-v0", { numEnvs: 2, autoreset, envOptions: { maxEpisodeSteps: 3 } });
      const buffer = counterBuffer({ numEnvs: 2, autoreset });
      const added = feed(envs, buffer, { steps: 7, seed: 0 });
      const episode = (env: number) => [row(env, 0), row(env, 1), row(env, 2, "truncated")];
      const interleave = (...steps: Row[][]) => steps.flat();
      const [a, b] = [episode(0), episode(1)];
      const firstEpisodes = interleave([a[0]!, b[0]!], [a[1]!, b[1]!], [a[2]!, b[2]!]);
      if (autoreset === "next-step") {
        // step 4 is the final→reset pseudo-step of both envs: skipped.
        assert.deepEqual(added, [2, 2, 2, 0, 2, 2, 2]);
        assert.deepEqual(rows(buffer), [...firstEpisodes, ...firstEpisodes]);
      } else {
        assert.deepEqual(added, [2, 2, 2, 2, 2, 2, 2]);
        assert.deepEqual(rows(buffer), [...firstEpisodes, ...firstEpisodes, row(0, 0), row(1, 0)]);
      }
      assert.ok(rows(buffer).every((r) => r.next === r.obs + 1), "every nextObs is one count after its obs");
      envs.close();
    });

    it(`${autoreset}: keeps terminated and truncated apart for sub-envs whose episodes end out of phase`, () => {
      const envs = new SyncVectorEnv([() => make("StepCounter-v0", { maxEpisodeSteps: 3 }), () => make("StepCounter-v0", { terminateAt: 2 })], { autoreset });
      const buffer = counterBuffer({ numEnvs: 2, autoreset });
      feed(envs, buffer, { steps: 6, seed: 0 });
      const byEnv = (env: number) => rows(buffer).filter((r) => r.env === env);
      if (autoreset === "next-step") {
        assert.deepEqual(byEnv(0), [row(0, 0), row(0, 1), row(0, 2, "truncated"), row(0, 0), row(0, 1)]);
        assert.deepEqual(byEnv(1), [row(1, 0), row(1, 1, "terminated"), row(1, 0), row(1, 1, "terminated")]);
      } else {
        assert.deepEqual(byEnv(0), [row(0, 0), row(0, 1), row(0, 2, "truncated"), row(0, 0), row(0, 1), row(0, 2, "truncated")]);
        assert.deepEqual(byEnv(1), [1, 2, 3].flatMap(() => [row(1, 0), row(1, 1, "terminated")]));
      }
      const batch = buffer.sample(buffer.size);
      for (let b = 0; b < batch.batchSize; b++) {
        const stored = buffer.transitionAt(batch.indices[b]!);
        assert.equal(batch.terminated[b], stored.terminated ? 1 : 0, "truncated transitions bootstrap: terminated 0");
        assert.equal(batch.discounts[b], Math.fround(0.99));
      }
    });
  }

  it("stores the same CartPole transitions in both autoreset modes, ending each episode on its true final observation", () => {
    // The action is a function of the observation, so both modes take the same real steps (the
    // pseudo-step's action is ignored), and each sub-env's resets draw the same start states.
    const policy = (numEnvs: number) => (obs: ArrayLike<number>) => Array.from({ length: numEnvs }, (_, i) => Math.floor(Math.abs(obs[i * 4]!) * 1e7) & 1);
    const numEnvs = 4;
    const stored = MODES.map((autoreset) => {
      const envs = makeVec("CartPole-v1", { numEnvs, autoreset, envOptions: { maxEpisodeSteps: 30 } });
      const buffer = new ReplayBuffer({ capacity: 2000, obsShape: [4], numEnvs, autoreset, seed: 0 });
      feed(envs, buffer, { steps: 250, seed: 3, actions: policy(numEnvs) });
      envs.close();
      return Array.from({ length: buffer.size }, (_, index) => buffer.transitionAt(index));
    });
    const [nextStep, sameStep] = stored as [ReturnType<ReplayBuffer["transitionAt"]>[], ReturnType<ReplayBuffer["transitionAt"]>[]];
    assert.equal(sameStep.length, 250 * numEnvs, "same-step: every step is a transition");
    let terminations = 0;
    let truncations = 0;
    for (let env = 0; env < numEnvs; env++) {
      const same = sameStep.filter((t) => t.envId === env);
      const next = nextStep.filter((t) => t.envId === env);
      const episodesEnded = same.filter((t) => t.terminated || t.truncated).length;
      assert.ok(next.length >= 250 - episodesEnded && next.length < 250, "next-step skips one pseudo-step per ended episode");
      assert.deepEqual(next, same.slice(0, next.length), `env ${env}: the stored transitions differ between modes`);
      let length = 0;
      for (let k = 0; k < same.length; k++) {
        const t = same[k]!;
        length += 1;
        const ended = t.terminated || t.truncated;
        const following = same[k + 1];
        if (!ended && following) assert.deepEqual(following.obs, t.nextObs, "within an episode, obs follows nextObs");
        if (ended && following) assert.ok(following.obs.every((v) => Math.abs(v) < 0.05), "after an end, a fresh start state");
        if (t.terminated) {
          terminations += 1;
          assert.ok(Math.abs(t.nextObs[0]!) > 2.4 || Math.abs(t.nextObs[2]!) > (12 * 2 * Math.PI) / 360, "a terminal nextObs is out of bounds: the true final obs");
        } else if (t.truncated) {
          truncations += 1;
          assert.equal(length, 30, "truncated by the time limit of 30");
        }
        if (ended) length = 0;
      }
    }
    assert.ok(terminations > 5 && truncations > 5, `expected both endings, got ${terminations} terminations, ${truncations} truncations`);
  });

  it("after the caller resets the envs, endEpisodes() makes the next step count as a real transition", () => {
    const envs = makeVec("StepCounter-v0", { numEnvs: 1, envOptions: { maxEpisodeSteps: 3 } });
    const buffer = counterBuffer();
    feed(envs, buffer, { steps: 3, seed: 0 }); // ends on count 3
    let obs = envs.reset().obs;
    buffer.endEpisodes();
    let result = envs.step([0]);
    assert.equal(buffer.addVectorStep({ obs, actions: [0], result }), 1);
    assert.deepEqual(rows(buffer).at(-1), row(0, 0));
    // Without endEpisodes() the first step after a manual reset would be taken for the pseudo-step.
    feed(envs, buffer, { steps: 3, seed: 0 });
    obs = envs.reset().obs;
    result = envs.step([0]);
    assert.equal(buffer.addVectorStep({ obs, actions: [0], result }), 0);
    envs.close();
  });
});

describe("ReplayBuffer storage and sampling", () => {
  const counting = (count: number, options: Partial<ReplayBufferOptions> = {}) => {
    const buffer = counterBuffer(options);
    for (let k = 0; k < count; k++) buffer.add({ obs: [k], action: k % 2, reward: k, nextObs: [k + 1], terminated: false, truncated: false });
    return buffer;
  };

  it("overwrites the oldest transitions once full, like a ring", () => {
    const buffer = counting(6, { capacity: 4 });
    assert.equal(buffer.size, 4);
    assert.deepEqual(rows(buffer).map((r) => r.obs), [4, 5, 2, 3]);
    const sampled = new Set(Array.from({ length: 100 }, () => Array.from(buffer.sample(4).obs)).flat());
    assert.deepEqual([...sampled].sort(), [2, 3, 4, 5], "overwritten transitions are never sampled");
  });

  it("samples the same batches from the same seed, and different ones from another", () => {
    const draw = (seed: number) => counting(50, { seed }).sample(16);
    const first = draw(7);
    assert.deepEqual(draw(7), first);
    assert.notDeepEqual(draw(8).indices, first.indices);
  });

  it("fills each batch row from the sampled slot, uniformly over the slots", () => {
    const buffer = counting(10);
    const batch = buffer.sample(10);
    assert.ok(batch.obs instanceof Float32Array && batch.actions instanceof Int32Array && batch.indices instanceof Int32Array);
    for (let b = 0; b < 10; b++) {
      const k = batch.indices[b]!;
      assert.deepEqual([batch.obs[b], batch.nextObs[b], batch.actions[b], batch.rewards[b], batch.terminated[b]], [k, k + 1, k % 2, k, 0]);
    }
    const hits = new Array<number>(10).fill(0);
    const many = counting(10, { seed: 3 });
    for (let r = 0; r < 100; r++) for (const index of many.sample(10).indices) hits[index]! += 1;
    assert.ok(hits.every((h) => h > 60 && h < 140), `uniform sampling, got counts ${hits.join(", ")}`);
  });

  it("sampleInto reuses the batch arrays and draws what sample() would", () => {
    const [a, b] = [counting(30, { seed: 5 }), counting(30, { seed: 5 })];
    const batch = a.createBatch(8);
    const { obs } = batch;
    assert.equal(a.sampleInto(batch), batch);
    assert.equal(batch.obs, obs);
    assert.deepEqual(batch, b.sample(8));
    assert.notEqual(b.sample(8).obs, b.sample(8).obs, "sample() returns fresh arrays");
  });

  it("stores uint8 observations and samples them as float32 of the same values, not divided by 255", () => {
    const buffer = new ReplayBuffer({ capacity: 8, obsShape: [2, 2], obsDtype: "uint8", seed: 0 });
    buffer.add({ obs: new Uint8Array([0, 128, 255, 7]), action: 1, reward: 1, nextObs: [1, 2, 3, 4], terminated: true, truncated: false });
    const batch = buffer.sample(1);
    assert.deepEqual(Array.from(batch.obs), [0, 128, 255, 7]);
    assert.deepEqual(Array.from(batch.nextObs), [1, 2, 3, 4]);
    assert.equal(batch.terminated[0], 1);
    assert.throws(() => buffer.add({ obs: [0, 0, 256, 0], action: 0, reward: 0, nextObs: [0, 0, 0, 0], terminated: false, truncated: false }), {
      message: 'Expected obs values to be integers 0…255 (obsDtype "uint8"), got 256 at index 2',
    });
    assert.equal(buffer.size, 1);
  });

  it("clear() empties the buffer but remembers that the vector env's next step is a pseudo-step", () => {
    const buffer = counting(5);
    buffer.clear();
    assert.equal(buffer.size, 0);
    assert.throws(() => buffer.sample(1), /empty buffer/);
    const envs = makeVec("StepCounter-v0", { numEnvs: 1, envOptions: { maxEpisodeSteps: 3 } });
    const fed = counterBuffer();
    feed(envs, fed, { steps: 3, seed: 0 }); // ends on count 3; the next step is 3→0
    fed.clear();
    const result = envs.step([0]);
    assert.equal(fed.addVectorStep({ obs: new Float32Array([3]), actions: [0], result }), 0);
    envs.close();
  });

  it("reports its preallocated memory and describes itself", () => {
    const buffer = new ReplayBuffer({ capacity: 100_000, obsShape: [4], numEnvs: 8 });
    assert.equal(buffer.byteLength, 100_000 * (2 * 4 * 4 + 16) + 8);
    assert.equal(String(buffer), "ReplayBuffer(size 0/100000, obs [4] float32, numEnvs 8, next-step)");
  });
});

describe("ReplayBuffer validation", () => {
  const options = { capacity: 10, obsShape: [4] };
  const transition = { obs: [0, 0, 0, 0], action: 0, reward: 1, nextObs: [0, 0, 0, 1], terminated: false, truncated: false };

  it("rejects bad options with a sentence", () => {
    const bad: [Record<string, unknown>, string | RegExp][] = [
      [{ capacity: 0 }, "Expected capacity to be a positive integer, got 0"],
      [{ capacity: 1.5 }, "Expected capacity to be a positive integer, got 1.5"],
      [{ obsShape: [4, 0] }, /Expected obsShape to be an array of positive integers .*got \[4, 0\]/],
      [{ obsDtype: "float64" }, 'Expected obsDtype to be "float32" or "uint8", got "float64"'],
      [{ numEnvs: 0 }, "Expected numEnvs to be a positive integer, got 0"],
      [{ nStep: 0 }, "Expected nStep to be a positive integer, got 0"],
      [{ gamma: 1.5 }, "Expected gamma (the discount) to be a number in [0, 1], got 1.5"],
      [{ autoreset: "next_step" }, /Expected autoreset to be "next-step" or "same-step", got "next_step"/],
      [{ seed: -1 }, /Expected seed to be a non-negative integer/],
      [{ capcity: 10 }, /unknown option "capcity" \(did you mean "capacity"\?\)/],
      [{ capacity: 1e6, obsShape: [4, 84, 84, 4] }, /^Expected a buffer that fits in memory, got capacity 1000000 × 2 observations of 112896 float32 = 903.2 GB: lower capacity$/],
    ];
    for (const [override, message] of bad) {
      assert.throws(() => new ReplayBuffer({ ...options, ...override } as ReplayBufferOptions), { message }, JSON.stringify(override));
    }
  });

  it("rejects a transition of the wrong shape, naming the env", () => {
    const buffer = new ReplayBuffer({ ...options, numEnvs: 3 });
    assert.throws(() => buffer.add({ ...transition, obs: [0, 0, 0] }, 2), { message: "Expected obs of 4 numbers for env 2, got 3" });
    assert.throws(() => buffer.add({ ...transition, nextObs: undefined as unknown as number[] }), { message: "Expected nextObs of 4 numbers for env 0, got undefined" });
    assert.throws(() => buffer.add(transition, 3), { message: "Expected envId to be an integer 0 ≤ envId < 3, got 3" });
    assert.throws(() => buffer.add({ ...transition, action: 0.5 }), { message: "Expected a non-negative integer action (Discrete) for env 0, got 0.5" });
    assert.throws(() => buffer.add({ ...transition, reward: NaN }), { message: "Expected a finite reward for env 0, got NaN" });
    assert.equal(buffer.size, 0);
  });

  it("rejects a vector step of the wrong shape and stores nothing of it", () => {
    const envs = makeVec("CartPole-v1", { numEnvs: 2 });
    const buffer = new ReplayBuffer({ ...options, numEnvs: 2 });
    const obs = envs.reset({ seed: 0 }).obs;
    const result = envs.step([0, 1]);
    assert.throws(() => buffer.addVectorStep({ obs: obs.subarray(0, 4), actions: [0, 1], result }), /^RangeError: Expected obs of 8 numbers \(2 envs × 4\), the observations the actions were chosen from, got 4$/);
    assert.throws(() => buffer.addVectorStep({ obs, actions: [0], result }), { message: "Expected 2 actions (one per env), got 1" });
    assert.throws(() => buffer.addVectorStep({ obs, actions: [0, 1.5], result }), { message: "Expected a non-negative integer action (Discrete) for env 1, got 1.5" });
    assert.equal(buffer.size, 0);
    envs.close();
  });

  it("rejects obs and result.obs that are one array, the copy: false pitfall", () => {
    const envs = makeVec("CartPole-v1", { numEnvs: 2, copy: false });
    const buffer = new ReplayBuffer({ ...options, numEnvs: 2 });
    const obs = envs.reset({ seed: 0 }).obs;
    const result = envs.step([0, 1]);
    assert.throws(() => buffer.addVectorStep({ obs, actions: [0, 1], result }), /obs and result.obs to be different arrays.*obs = result.obs.slice\(\)/);
    envs.close();
  });

  for (const [envMode, bufferMode] of [["same-step", "next-step"], ["next-step", "same-step"]] as const) {
    it(`rejects a ${envMode} vector env feeding a ${bufferMode} buffer at the first episode end`, () => {
      const envs = makeVec("StepCounter-v0", { numEnvs: 1, autoreset: envMode, envOptions: { maxEpisodeSteps: 2 } });
      const buffer = counterBuffer({ autoreset: bufferMode });
      assert.throws(() => feed(envs, buffer, { steps: 2, seed: 0 }), new RegExp(`vector env (uses|seems to use) ${envMode} autoreset, so create the buffer with autoreset: envs.autoreset`));
      assert.equal(buffer.size, 1, "the ending step was not stored");
      envs.close();
    });
  }

  it("rejects sampling more than it holds, or from nothing", () => {
    const buffer = new ReplayBuffer(options);
    assert.throws(() => buffer.sample(1), { message: "Expected transitions to sample from, got an empty buffer (add some first: DQN waits learningStarts steps)" });
    buffer.add(transition);
    assert.throws(() => buffer.sample(2), { message: "Expected batchSize ≤ size (1 transitions stored), got 2" });
    assert.throws(() => buffer.sample(0), { message: "Expected batchSize to be a positive integer, got 0" });
    assert.throws(() => buffer.sampleInto(new ReplayBuffer({ capacity: 1, obsShape: [3] }).createBatch(1)), { message: "Expected batch.obs of 4 numbers for batchSize 1 (make batches with createBatch), got 3" });
    assert.throws(() => buffer.transitionAt(1), { message: "Expected an index 0 ≤ index < 1 (the buffer's size), got 1" });
  });
});

describe("ReplayBuffer's handleTimeoutTermination (SB3's handle_timeout_termination)", () => {
  const cut = { obs: [2], action: 0, reward: 1, nextObs: [3], terminated: false, truncated: true };
  const fell = { obs: [5], action: 1, reward: 1, nextObs: [6], terminated: true, truncated: false };

  it("by default stores a time-limit cut as not terminated, so its target bootstraps", () => {
    const buffer = new ReplayBuffer({ capacity: 4, obsShape: [1], seed: 0 });
    buffer.add(cut);
    buffer.add(fell);
    assert.equal(buffer.transitionAt(0).terminated, false);
    assert.equal(buffer.transitionAt(1).terminated, true);
  });

  it("when false, stores a time-limit cut as terminal, the mistake notebook 04 measures", () => {
    const buffer = new ReplayBuffer({ capacity: 4, obsShape: [1], seed: 0, handleTimeoutTermination: false });
    buffer.add(cut);
    buffer.add(fell);
    assert.equal(buffer.transitionAt(0).terminated, true);
    assert.equal(buffer.transitionAt(1).terminated, true);
    const batch = buffer.sample(2);
    assert.ok(Array.from(batch.terminated).every((t) => t === 1), "every sampled transition is terminal");
  });

  it("rejects a non-boolean value with a message naming it", () => {
    assert.throws(() => new ReplayBuffer({ capacity: 4, obsShape: [1], handleTimeoutTermination: "no" as unknown as boolean }), /Expected handleTimeoutTermination to be a boolean/);
  });
});
