import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";
import { BaseEnv } from "../src/core/base-env";
import type { StepResult } from "../src/core/env";
import { Rng } from "../src/core/rng";
import { make } from "../src/core/make";
import "../src/envs";
import { AreaResize, rgbToGray } from "../src/wrappers/area-resize";
import { FrameStack } from "../src/wrappers/frame-stack";
import { IncrementalAreaResize } from "../src/wrappers/incremental-resize";
import { pixelKernels, setPixelSimd, withPixelSimd } from "../src/wrappers/pixel-kernels";
import { pixelwiseMax } from "../src/wrappers/pixel-max";
import { atariWrap } from "../src/wrappers/atari-wrap";
import { BYTES_PATH, bytesModuleSource, compilePixelKernels } from "../tools/pixel-kernels-build";

/** Runs `body` with the SIMD kernels on and with them off (the JavaScript loops), returning both results. */
function bothWays<T>(body: () => T): { simd: T; js: T } {
  return { simd: withPixelSimd(true, body), js: withPixelSimd(false, body) };
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.integer(256));
}

// Lengths around the 16-byte vectors and the 4-byte words of the fallback, and whole frames.
const LENGTHS = [0, 1, 3, 15, 16, 17, 31, 33, 100, 7056, 33_600];

describe("pixel kernels (WebAssembly SIMD) and their JavaScript fallbacks", () => {
  after(() => setPixelSimd(true));

  it("are available on this Node (WebAssembly SIMD)", () => {
    assert.ok(pixelKernels() !== undefined, "expected WebAssembly SIMD in Node ≥ 16.4");
    const before = setPixelSimd(false);
    assert.equal(pixelKernels(), undefined, "switched off, callers get the JavaScript loops");
    setPixelSimd(before);
  });

  it("ship the bytes that pixel-kernels.wat compiles to (run `npm run build:wasm` after an edit)", async () => {
    const binary = await compilePixelKernels();
    assert.equal(readFileSync(BYTES_PATH, "utf8"), bytesModuleSource(binary));
  });

  it("pixelwiseMax: both ways equal a byte-by-byte maximum, at any length and byte offset", () => {
    const rng = Rng.fromSeed(1);
    for (const n of LENGTHS) {
      for (const offset of [0, 1, 3]) {
        const a = randomBytes(rng, n + offset).subarray(offset);
        const b = randomBytes(rng, n + offset).subarray(offset);
        const expected = a.map((x, i) => Math.max(x, b[i]!));
        const { simd, js } = bothWays(() => pixelwiseMax(new Uint8Array(n), a, b));
        assert.deepEqual(simd, expected, `SIMD, n = ${n}, offset ${offset}`);
        assert.deepEqual(js, expected, `JavaScript, n = ${n}, offset ${offset}`);
      }
    }
    // Extremes, where a byte-lane trick could carry into its neighbour.
    const a = Uint8Array.from([0, 255, 128, 127, 0, 255, 1, 254, 128, 129, 0, 0, 255, 255, 7, 8, 9]);
    const b = Uint8Array.from([255, 0, 127, 128, 0, 255, 254, 1, 129, 128, 1, 255, 0, 254, 8, 7, 9]);
    const { simd, js } = bothWays(() => pixelwiseMax(new Uint8Array(a.length), a, b));
    assert.deepEqual(simd, a.map((x, i) => Math.max(x, b[i]!)));
    assert.deepEqual(js, simd);
  });

  it("pixelwiseMax may write into one of its inputs", () => {
    const rng = Rng.fromSeed(2);
    const a = randomBytes(rng, 1000);
    const b = randomBytes(rng, 1000);
    const expected = a.map((x, i) => Math.max(x, b[i]!));
    const { simd, js } = bothWays(() => {
      const out = a.slice();
      return pixelwiseMax(out, out, b);
    });
    assert.deepEqual(simd, expected);
    assert.deepEqual(js, expected);
  });

  it("rgbToGray: both ways equal OpenCV's fixed-point formula for every pixel", () => {
    const rng = Rng.fromSeed(3);
    const opencv = (r: number, g: number, b: number): number => (9798 * r + 19235 * g + 3735 * b + 16384) >> 15;
    for (const pixels of LENGTHS) {
      const rgb = randomBytes(rng, pixels * 3);
      const expected = Uint8Array.from({ length: pixels }, (_, i) => opencv(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!));
      const { simd, js } = bothWays(() => rgbToGray(rgb, new Uint8Array(pixels)));
      assert.deepEqual(simd, expected, `SIMD, ${pixels} pixels`);
      assert.deepEqual(js, expected, `JavaScript, ${pixels} pixels`);
    }
    const white = bothWays(() => rgbToGray(new Uint8Array(48).fill(255), new Uint8Array(16)));
    assert.deepEqual(white.simd, new Uint8Array(16).fill(255), "white stays 255 (no overflow in the 16-bit lanes)");
  });

  it("FrameStack: both ways give the same stacks, oldest frame first, for sizes that are not multiples of 16", () => {
    for (const [height, width] of [[84, 84], [5, 7], [1, 1], [3, 16]] as const) {
      const { simd, js } = bothWays(() => {
        const env = new FrameStack(new RandomFrames(height, width, 9), { stackSize: 4 });
        const observations = [env.reset({ seed: 0 }).obs];
        for (let t = 0; t < 6; t++) observations.push(env.step(0).obs);
        return { observations, frames: (env.env as RandomFrames).emitted };
      });
      assert.deepEqual(simd.observations, js.observations, `${height}×${width}`);
      const frames = simd.frames;
      const last = simd.observations.at(-1)!;
      for (let pixel = 0; pixel < height * width; pixel++) {
        for (let age = 0; age < 4; age++) assert.equal(last[pixel * 4 + age], frames[frames.length - 4 + age]![pixel]);
      }
    }
  });

  it("IncrementalAreaResize: both ways find the changed bands and match the full resize", () => {
    const full = new AreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const { simd, js } = bothWays(() => {
      const rng = Rng.fromSeed(4);
      const incremental = new IncrementalAreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
      const frame = randomBytes(rng, 210 * 160);
      const counts: number[] = [];
      for (let t = 0; t < 30; t++) {
        if (t > 0) frame[rng.integer(frame.length)] ^= 1 + rng.integer(255); // one pixel per frame
        if (t % 9 === 0) frame[frame.length - 1] ^= 0x80; // the very last byte (the fallback's tail)
        assert.deepEqual(incremental.resize(frame, new Uint8Array(84 * 84)), full.resize(frame, new Uint8Array(84 * 84)));
        counts.push(incremental.bandsResized);
      }
      return counts;
    });
    assert.deepEqual(simd, js);
    assert.ok(simd.slice(1).every((count) => count === 1 || count === 2), `one changed pixel is one band, or two with the last byte: ${simd.join(",")}`);
  });

  it("the whole Atari chain gives bit-identical observations both ways (rgb and grayscale Breakout)", () => {
    for (const obsType of ["rgb", "grayscale"] as const) {
      const { simd, js } = bothWays(() => {
        const env = atariWrap(make("Breakout-v0", { obsType }));
        const rng = Rng.fromSeed(5);
        const observations = [env.reset({ seed: 5 }).obs];
        for (let t = 0; t < 150; t++) {
          const result = env.step(rng.integer(4));
          observations.push(result.obs);
          if (result.terminated || result.truncated) observations.push(env.reset().obs);
        }
        return observations;
      });
      assert.equal(simd.length, js.length);
      simd.forEach((obs, t) => assert.deepEqual(obs, js[t], `${obsType}, observation ${t}`));
    }
  });
});

/** Frames of random bytes, a new array each step (to feed FrameStack). */
class RandomFrames extends BaseEnv<Uint8Array, number> {
  readonly observationSpace: Box<"uint8">;
  readonly actionSpace = new Discrete(1);
  readonly emitted: Uint8Array[] = [];
  private readonly frameRng: Rng;

  constructor(height: number, width: number, seed: number) {
    super();
    this.observationSpace = new Box({ low: 0, high: 255, shape: [height, width], dtype: "uint8" });
    this.frameRng = Rng.fromSeed(seed);
  }

  reset(): { obs: Uint8Array; info: Record<string, unknown> } {
    return { obs: this.frame(), info: {} };
  }

  step(): StepResult<Uint8Array> {
    return { obs: this.frame(), reward: 0, terminated: false, truncated: false, info: {} };
  }

  private frame(): Uint8Array {
    const frame = randomBytes(this.frameRng, this.observationSpace.size);
    this.emitted.push(frame);
    return frame;
  }
}
