import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import "../src/envs";
import { FrameStack } from "../src/wrappers/frame-stack";
import { WarpFrame } from "../src/wrappers/warp-frame";
import { FakeAtariEnv, fakePixel, type FakeAtariOptions } from "./support/fake-atari";

function fake(options: FakeAtariOptions): FakeAtariEnv {
  return new FakeAtariEnv({ obsType: "grayscale", ...options });
}

/**
 * Checks a stacked observation element by element: channel block `age` of pixel p must hold frame
 * `frames[age]`'s channels of pixel p (frames oldest first).
 */
function assertStack(obs: ArrayLike<number>, frames: readonly number[], pixels: number, channels: number): void {
  const stackSize = frames.length;
  assert.equal(obs.length, pixels * channels * stackSize);
  for (let pixel = 0; pixel < pixels; pixel++) {
    for (let age = 0; age < stackSize; age++) {
      for (let c = 0; c < channels; c++) {
        const actual = obs[(pixel * stackSize + age) * channels + c];
        const expected = fakePixel(frames[age]!, pixel * channels + c);
        if (actual !== expected) assert.fail(`pixel ${pixel}, frame ${age} (env frame ${frames[age]}), channel ${c}: expected ${expected}, got ${actual}`);
      }
    }
  }
}

describe("FrameStack", () => {
  it("stacks 4 frames channels-last, oldest in channel 0 and newest in channel 3", () => {
    const env = new FrameStack(fake({ height: 84, width: 84 }), { stackSize: 4 });
    env.reset();
    for (let frame = 1; frame <= 6; frame++) env.step(0);
    assertStack(env.step(0).obs, [4, 5, 6, 7], 84 * 84, 1);
  });

  it("fills the stack with the first frame at reset (Gymnasium's reset padding), then shifts it in step by step", () => {
    const env = new FrameStack(fake({ height: 6, width: 6 }));
    assertStack(env.reset().obs, [0, 0, 0, 0], 36, 1);
    assertStack(env.step(0).obs, [0, 0, 0, 1], 36, 1);
    assertStack(env.step(0).obs, [0, 0, 1, 2], 36, 1);
    env.step(0);
    env.step(0);
    assertStack(env.reset().obs, [0, 0, 0, 0], 36, 1);
  });

  it("handles frames whose pixel count is not a multiple of 4, other stack sizes and several channels", () => {
    const odd = new FrameStack(fake({ height: 3, width: 3 }));
    odd.reset();
    odd.step(0);
    assertStack(odd.step(0).obs, [0, 0, 1, 2], 9, 1);
    const three = new FrameStack(fake({ height: 4, width: 4 }), { stackSize: 3 });
    three.reset();
    assertStack(three.step(0).obs, [0, 0, 1], 16, 1);
    const rgb = new FrameStack(new FakeAtariEnv({ height: 2, width: 3 }), { stackSize: 2 });
    rgb.reset();
    rgb.step(0);
    assertStack(rgb.step(0).obs, [1, 2], 6, 3);
    assert.deepEqual(rgb.observationSpace.shape, [2, 3, 6]);
  });

  it("returns a fresh observation each step that later steps do not change", () => {
    const env = new FrameStack(fake({ height: 8, width: 8 }));
    const first = env.reset().obs;
    const kept = env.step(0).obs;
    const copy = kept.slice();
    for (let i = 0; i < 5; i++) assert.notEqual(env.step(0).obs, kept);
    assert.deepEqual(kept, copy);
    assertStack(first, [0, 0, 0, 0], 64, 1);
  });

  it("has the frames' space stacked: Box(0, 255, [84, 84, 4], uint8) over WarpFrame", () => {
    const env = new FrameStack(new WarpFrame(new FakeAtariEnv()));
    assert.equal(String(env.observationSpace), "Box(0, 255, [84, 84, 4], uint8)");
    assert.ok(env.observationSpace.contains(env.reset().obs));
    assert.ok(env.observationSpace.contains(env.step(0).obs));
  });

  it("rejects a non-image env and a bad stack size", () => {
    assert.throws(() => new FrameStack(make("CartPole-v1") as never), /Expected FrameStack's env to have an image observation space/);
    assert.throws(() => new FrameStack(fake({}), { stackSize: 0 }), /Expected stackSize to be a positive integer, got 0/);
    assert.throws(() => new FrameStack(fake({}), { size: 4 } as never), /unknown option "size"/);
  });
});
