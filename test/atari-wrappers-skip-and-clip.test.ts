import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Discrete } from "../src/core/discrete";
import type { ResetResult, StepResult } from "../src/core/env";
import { Rng } from "../src/core/rng";
import { ClipReward } from "../src/wrappers/clip-reward";
import { MaxAndSkip } from "../src/wrappers/max-and-skip";
import { pixelwiseMax } from "../src/wrappers/pixel-max";
import { FakeAtariEnv, paintFake, type FakeAtariOptions } from "./support/fake-atari";

const FRAME_SIZE = 6 * 8 * 3;

function smallFake(options: FakeAtariOptions = {}): FakeAtariEnv {
  return new FakeAtariEnv({ height: 6, width: 8, ...options });
}

function frame(index: number): Uint8Array {
  const out = new Uint8Array(FRAME_SIZE);
  paintFake(index, out);
  return out;
}

/** An env whose observations are not frames at all. */
class DiscreteObsEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(3);
  readonly actionSpace = new Discrete(2);
  reset(): ResetResult<number> {
    return { obs: 0, info: {} };
  }
  step(): StepResult<number> {
    return { obs: 1, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

/** The element-wise maximum, one element at a time: the reference for the word-wise kernel. */
function referenceMax(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return Array.from(a, (x, i) => Math.max(x, b[i]!));
}

describe("pixelwiseMax", () => {
  it("matches an element-by-element maximum on random bytes, aligned or not, of any length", () => {
    const rng = Rng.fromSeed(0);
    for (const [length, offset] of [[4096, 0], [33600, 0], [1001, 0], [77, 1], [3, 0]] as const) {
      const a = new Uint8Array(length + offset).subarray(offset);
      const b = new Uint8Array(length + offset).subarray(offset);
      for (let i = 0; i < length; i++) {
        a[i] = rng.integer(256);
        // Every pair relation, including equal bytes and bytes differing only in the top bit.
        b[i] = i % 5 === 0 ? a[i]! : i % 5 === 1 ? a[i]! ^ 0x80 : rng.integer(256);
      }
      const out = pixelwiseMax(new Uint8Array(length), a, b);
      assert.deepEqual(Array.from(out), referenceMax(a, b), `length ${length}, offset ${offset}`);
    }
  });

  it("works in place and on float frames, and gives the documented example's result", () => {
    assert.deepEqual(pixelwiseMax(new Uint8Array(3), new Uint8Array([0, 200, 7]), new Uint8Array([10, 100, 7])), new Uint8Array([10, 200, 7]));
    const a = new Uint8Array([0, 255, 128, 127, 1]);
    assert.deepEqual(pixelwiseMax(a, a, new Uint8Array([1, 0, 127, 128, 1])), new Uint8Array([1, 255, 128, 128, 1]));
    assert.deepEqual(pixelwiseMax(new Float32Array(2), new Float32Array([0.5, -1]), new Float32Array([0.25, 2])), new Float32Array([0.5, 2]));
    assert.throws(() => pixelwiseMax(new Uint8Array(2), new Uint8Array(3), new Uint8Array(2)), /Expected frames of equal length, got 3, 2 and out 2/);
  });
});

describe("MaxAndSkip", () => {
  it("repeats the action skip times, sums the rewards and keeps the last frame's flags and info", () => {
    const env = smallFake();
    const wrapped = new MaxAndSkip(env, { skip: 4 });
    wrapped.reset({ seed: 0 });
    const first = wrapped.step(2);
    assert.deepEqual(env.actions, [2, 2, 2, 2]);
    assert.deepEqual([first.reward, first.terminated, first.truncated, first.info], [1 + 2 + 3 + 4, false, false, { lives: 5, frame: 4 }]);
    const second = wrapped.step(3);
    assert.deepEqual(env.actions, [2, 2, 2, 2, 3, 3, 3, 3]);
    assert.equal(second.reward, 5 + 6 + 7 + 8);
  });

  it("returns the pixel-wise max of the last two frames, which neither frame equals", () => {
    const wrapped = new MaxAndSkip(smallFake(), { skip: 4 });
    wrapped.reset();
    const { obs } = wrapped.step(0);
    assert.deepEqual(Array.from(obs), referenceMax(frame(3), frame(4)));
    assert.notDeepEqual(obs, frame(3));
    assert.notDeepEqual(obs, frame(4));
  });

  it("stops at the frame that ends the episode: reward so far, max of that frame and the one before", () => {
    const env = smallFake({ terminateAtFrame: 6 });
    const wrapped = new MaxAndSkip(env, { skip: 4 });
    wrapped.reset();
    wrapped.step(1);
    const last = wrapped.step(1);
    assert.equal(env.actions.length, 6, "frames 5 and 6 only");
    assert.deepEqual([last.reward, last.terminated, last.info], [5 + 6, true, { lives: 5, frame: 6 }]);
    assert.deepEqual(Array.from(last.obs), referenceMax(frame(5), frame(6)));
  });

  it("takes the previous step's last frame as the one before when the episode ends on a step's first frame", () => {
    const env = smallFake({ truncateAtFrame: 5 });
    const wrapped = new MaxAndSkip(env, { skip: 4 });
    wrapped.reset();
    wrapped.step(1);
    const last = wrapped.step(1);
    assert.deepEqual([last.reward, last.truncated, env.actions.length], [5, true, 5]);
    assert.deepEqual(Array.from(last.obs), referenceMax(frame(4), frame(5)));
    // And after a reset, the reset frame is the frame before the first step's first frame.
    const short = new MaxAndSkip(smallFake({ terminateAtFrame: 1 }), { skip: 4 });
    short.reset();
    assert.deepEqual(Array.from(short.step(0).obs), referenceMax(frame(0), frame(1)));
  });

  it("returns fresh observations that later steps do not change, from an env that reuses its buffer or not", () => {
    for (const reuseBuffer of [true, false]) {
      const wrapped = new MaxAndSkip(smallFake({ reuseBuffer }), { skip: 3 });
      wrapped.reset();
      const kept = wrapped.step(0).obs;
      const copy = kept.slice();
      const next = wrapped.step(0).obs;
      assert.notEqual(next, kept);
      assert.deepEqual(kept, copy, `reuseBuffer ${reuseBuffer}`);
      assert.deepEqual(Array.from(next), referenceMax(frame(5), frame(6)));
    }
  });

  it("gives the same observations whether it copies frames (env reuses its buffer) or keeps references (fresh arrays)", () => {
    const copying = new MaxAndSkip(smallFake({ reuseBuffer: true }), { skip: 4 });
    const referencing = new MaxAndSkip(smallFake({ reuseBuffer: false }), { skip: 4 });
    assert.deepEqual(referencing.reset({ seed: 0 }).obs, copying.reset({ seed: 0 }).obs);
    for (let t = 0; t < 30; t++) {
      const a = copying.step(t % 4);
      const b = referencing.step(t % 4);
      assert.deepEqual(b.obs, a.obs, `step ${t}`);
      if (a.terminated || a.truncated) {
        copying.reset();
        referencing.reset();
      }
    }
  });

  it("with skip 1 returns each frame as it is", () => {
    const wrapped = new MaxAndSkip(smallFake(), { skip: 1 });
    wrapped.reset();
    wrapped.step(0);
    assert.deepEqual(wrapped.step(0).obs, frame(2));
  });

  it("keeps the observation space and rejects bad input", () => {
    const env = smallFake();
    assert.equal(new MaxAndSkip(env).observationSpace, env.observationSpace);
    assert.equal(new MaxAndSkip(env).skip, 4);
    assert.throws(() => new MaxAndSkip(env, { skip: 0 }), /Expected skip to be a positive integer, got 0/);
    assert.throws(() => new MaxAndSkip(new DiscreteObsEnv() as never), /Expected MaxAndSkip's env to have a Box observation space \(frames\), got Discrete\(3\)/);
    assert.throws(() => new MaxAndSkip(env).step(0), /Expected reset\(\) before step\(\) on MaxAndSkip, got step\(\) first/);
  });
});

describe("ClipReward", () => {
  it("replaces each reward by its sign and passes everything else through", () => {
    const rewards = [7, 0, -3, 0.5, -0, 1, -1, NaN];
    const env = smallFake({ reward: (frame) => rewards[frame - 1]! });
    const wrapped = new ClipReward(env);
    wrapped.reset();
    const steps = rewards.map(() => wrapped.step(0));
    assert.deepEqual(
      steps.map((step) => step.reward),
      [1, 0, -1, 1, 0, 1, -1, NaN],
    );
    assert.ok(Object.is(steps[4]!.reward, 0), "−0 becomes 0");
    assert.deepEqual(steps[2]!.info, { lives: 5, frame: 3 });
    assert.deepEqual(steps[2]!.obs, frame(8), "the env's own (reused) observation");
  });
});
