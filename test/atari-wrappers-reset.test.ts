import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import "../src/envs";
import { FireReset } from "../src/wrappers/fire-reset";
import { NoopReset } from "../src/wrappers/noop-reset";
import { FakeAtariEnv, paintFake, type FakeAtariOptions } from "./support/fake-atari";

/** A small grayscale fake: the reset wrappers do not care about frame size. */
function smallFake(options: FakeAtariOptions = {}): FakeAtariEnv {
  return new FakeAtariEnv({ obsType: "grayscale", height: 4, width: 4, ...options });
}

function frame(index: number): Uint8Array {
  const out = new Uint8Array(16);
  paintFake(index, out);
  return out;
}

describe("NoopReset", () => {
  it("takes between 1 and noopMax NOOPs after each reset, covering the whole range", () => {
    const counts: number[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const env = smallFake();
      const wrapped = new NoopReset(env, { noopMax: 30 });
      wrapped.reset({ seed });
      assert.equal(env.calls[0], "reset");
      assert.ok(env.actions.every((action) => action === 0), "only NOOPs");
      assert.equal(wrapped.lastNoops, env.actions.length);
      counts.push(env.actions.length);
    }
    assert.ok(counts.every((count) => count >= 1 && count <= 30), `counts in 1..30, got ${Math.min(...counts)}..${Math.max(...counts)}`);
    assert.equal(new Set(counts).size, 30, "every count from 1 to 30 occurs in 300 seeded resets");
  });

  it("takes the same number of no-ops for the same seed, and continues the stream on unseeded resets", () => {
    const run = (seed: number): number[] => {
      const wrapped = new NoopReset(smallFake(), { noopMax: 30 });
      wrapped.reset({ seed });
      const counts = [wrapped.lastNoops];
      for (let i = 0; i < 5; i++) {
        wrapped.reset();
        counts.push(wrapped.lastNoops);
      }
      return counts;
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
    assert.ok(new Set(run(7)).size > 1, "later resets draw new counts");
  });

  it("draws the documented count for seed 42: child 0 of Rng.fromSeed(42)", () => {
    const wrapped = new NoopReset(smallFake(), { noopMax: 30 });
    wrapped.reset({ seed: 42 });
    assert.equal(wrapped.lastNoops, 17);
  });

  it("returns the observation and info of the last no-op", () => {
    const env = smallFake();
    const wrapped = new NoopReset(env, { noopMax: 10 });
    const { obs, info } = wrapped.reset({ seed: 3 });
    const noops = wrapped.lastNoops;
    assert.deepEqual(obs, frame(noops));
    assert.deepEqual(info, { lives: 5, frame: noops });
  });

  it("resets again without the seed when the episode ends during the no-ops, and finishes the count", () => {
    let seed = 0;
    let env: FakeAtariEnv;
    let wrapped: NoopReset<FakeAtariEnv>;
    do {
      env = smallFake({ terminateAtFrame: 3 });
      wrapped = new NoopReset(env, { noopMax: 30 });
      wrapped.reset({ seed: ++seed });
    } while (wrapped.lastNoops < 4 || wrapped.lastNoops > 5); // episodes end at frame 3: exactly one re-reset
    const noops = wrapped.lastNoops;
    assert.deepEqual(env.calls.slice(0, 6), ["reset", 0, 0, 0, "reset", 0]);
    assert.equal(env.actions.length, noops);
    assert.deepEqual(env.resetSeeds, [seed, undefined]);
    assert.equal(env.frame, noops - 3);
  });

  it("rejects an env whose action 0 is not NOOP, a non-Atari env and a bad noopMax", () => {
    assert.throws(() => new NoopReset(smallFake({ actionMeanings: ["FIRE", "NOOP"] })), /Expected action 0 to be NOOP for NoopReset, got action meanings \["FIRE","NOOP"\]/);
    assert.throws(() => new NoopReset(make("CartPole-v1")), /Expected NoopReset's env to have unwrapped.getActionMeanings\(\) \(an Atari-like env\)/);
    assert.throws(() => new NoopReset(smallFake(), { noopMax: 0 }), /Expected noopMax to be a positive integer, got 0/);
    assert.throws(() => new NoopReset(smallFake(), { noopmax: 5 } as never), /got unknown option "noopmax" \(did you mean "noopMax"\?\)/);
  });
});

describe("FireReset", () => {
  it("steps FIRE (1) then action 2 after the reset and returns the last step's observation and info", () => {
    const env = smallFake();
    const { obs, info } = new FireReset(env).reset({ seed: 0 });
    assert.deepEqual(env.calls, ["reset", 1, 2]);
    assert.deepEqual(obs, frame(2));
    assert.deepEqual(info, { lives: 5, frame: 2 });
  });

  it("passes steps through untouched", () => {
    const env = smallFake();
    const wrapped = new FireReset(env);
    wrapped.reset();
    const step = wrapped.step(3);
    assert.deepEqual(env.calls, ["reset", 1, 2, 3]);
    assert.equal(step.reward, 3);
  });

  it("resets again, without the seed, when FIRE or action 2 ends the episode", () => {
    // Every episode of this env ends on its first frame, so both steps end one.
    const env = smallFake({ terminateAtFrame: 1 });
    const { obs, info } = new FireReset(env).reset({ seed: 9 });
    assert.deepEqual(env.calls, ["reset", 1, "reset", 2, "reset"]);
    assert.deepEqual(env.resetSeeds, [9, undefined, undefined]);
    assert.deepEqual([obs, info], [frame(0), { lives: 5, frame: 0 }], "the last reset's observation, not the ended step's");
  });

  it("requires FIRE as action 1 and at least 3 actions, as SB3 does", () => {
    assert.throws(() => new FireReset(smallFake({ actionMeanings: ["NOOP", "RIGHT", "LEFT"] })), /Expected action 1 to be FIRE and at least 3 actions for FireReset, got action meanings \["NOOP","RIGHT","LEFT"\]/);
    assert.throws(() => new FireReset(smallFake({ actionMeanings: ["NOOP", "FIRE"] })), /Expected action 1 to be FIRE and at least 3 actions/);
    assert.throws(() => new FireReset(make("CartPole-v1")), /Expected FireReset's env to have unwrapped.getActionMeanings\(\)/);
  });
});
