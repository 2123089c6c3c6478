import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import "../src/envs";
import { AreaResize, rgbToGray } from "../src/wrappers/area-resize";
import { WarpFrame } from "../src/wrappers/warp-frame";
import { FakeAtariEnv } from "./support/fake-atari";

interface Cv2Case {
  readonly name: string;
  readonly rgb: Uint8Array;
  readonly gray: Uint8Array;
  readonly area84: Uint8Array;
}

/** OpenCV 5's grayscale and 84×84 INTER_AREA results for three 210×160 RGB frames. */
function loadCv2Cases(): Cv2Case[] {
  // Compiled tests run from build/test/; the fixture stays in test/fixtures/.
  const file = path.join(__dirname, "../../test/fixtures/warpframe-cv2.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { cases: Record<keyof Cv2Case, string>[] };
  const bytes = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, "base64"));
  return json.cases.map((c) => ({ name: c.name, rgb: bytes(c.rgb), gray: bytes(c.gray), area84: bytes(c.area84) }));
}

/** Max and mean absolute difference between two frames. */
function difference(actual: Uint8Array, expected: Uint8Array): { max: number; mean: number } {
  assert.equal(actual.length, expected.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / actual.length };
}

/**
 * Area averaging straight from its definition, one target pixel at a time over the whole 2-D
 * overlap (no separable passes, no packing, no lookup table): the overlap of target (ty, tx) with
 * source (sy, sx) in units of 1/(T_h T_w) source pixel, summed exactly, divided, rounded half to
 * even.
 */
function referenceAreaResize(frame: Uint8Array, source: [number, number], target: [number, number]): Uint8Array {
  const [sh, sw] = source;
  const [th, tw] = target;
  const overlap = (s: number, t: number, sourceLength: number, targetLength: number): number =>
    Math.max(0, Math.min((s + 1) * targetLength, (t + 1) * sourceLength) - Math.max(s * targetLength, t * sourceLength));
  const out = new Uint8Array(th * tw);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      let sum = 0;
      for (let sy = 0; sy < sh; sy++) {
        const oy = overlap(sy, ty, sh, th);
        if (oy === 0) continue;
        for (let sx = 0; sx < sw; sx++) sum += oy * overlap(sx, tx, sw, tw) * frame[sy * sw + sx]!;
      }
      const divisor = sh * sw;
      const quotient = Math.floor(sum / divisor);
      const twice = 2 * (sum - quotient * divisor);
      out[ty * tw + tx] = twice > divisor || (twice === divisor && quotient % 2 === 1) ? quotient + 1 : quotient;
    }
  }
  return out;
}

function randomFrame(length: number, seed: number): Uint8Array {
  const rng = Rng.fromSeed(seed);
  return Uint8Array.from({ length }, () => rng.integer(256));
}

/** A fake Atari env whose every frame is `pixels`. */
function envShowing(pixels: Uint8Array, obsType: "rgb" | "grayscale"): FakeAtariEnv {
  return new FakeAtariEnv({ obsType, paint: (_frame, out) => out.set(pixels) });
}

describe("WarpFrame", () => {
  const cases = loadCv2Cases();

  it("matches OpenCV's cvtColor + resize(INTER_AREA) within 1 grey level on the reference frames", (t) => {
    for (const c of cases) {
      const env = new WarpFrame(envShowing(c.rgb, "rgb"));
      const { max, mean } = difference(env.reset().obs, c.area84);
      t.diagnostic(`${c.name}: max |ours − cv2| = ${max}, mean = ${mean.toFixed(5)} grey levels`);
      assert.ok(max <= 1, `${c.name}: max difference ${max}`);
      assert.ok(mean < 0.002, `${c.name}: mean difference ${mean}`);
      assert.deepEqual(difference(env.step(0).obs, c.area84), { max, mean }, "steps warp like resets");
    }
  });

  it("converts RGB to gray exactly as cv2.COLOR_RGB2GRAY does", () => {
    for (const c of cases) assert.deepEqual(rgbToGray(c.rgb, new Uint8Array(210 * 160)), c.gray, c.name);
    assert.deepEqual(rgbToGray(new Uint8Array([255, 0, 0, 200, 72, 72]), new Uint8Array(2)), new Uint8Array([76, 110]));
  });

  it("skips the conversion for grayscale frames, [H, W] or [H, W, 1], with the same result", () => {
    for (const c of cases) {
      const fromGray = new WarpFrame(envShowing(c.gray, "grayscale")).reset().obs;
      assert.deepEqual(fromGray, new WarpFrame(envShowing(c.rgb, "rgb")).reset().obs, c.name);
    }
    const c = cases[2]!;
    const channelAxis = new FakeAtariEnv({ shape: [210, 160, 1], paint: (_frame, out) => out.set(c.gray) });
    assert.deepEqual(new WarpFrame(channelAxis).reset().obs, new WarpFrame(envShowing(c.gray, "grayscale")).reset().obs);
  });

  it("has observation space Box(0, 255, [84, 84, 1], uint8), or the size asked for", () => {
    const env = new WarpFrame(new FakeAtariEnv());
    assert.equal(String(env.observationSpace), "Box(0, 255, [84, 84, 1], uint8)");
    assert.ok(env.observationSpace.contains(env.reset().obs));
    const small = new WarpFrame(new FakeAtariEnv({ obsType: "grayscale" }), { width: 64, height: 48 });
    assert.equal(String(small.observationSpace), "Box(0, 255, [48, 64, 1], uint8)");
    assert.equal(small.reset().obs.length, 48 * 64);
  });

  it("returns a fresh array each step and passes reward, flags and info through", () => {
    const env = new WarpFrame(new FakeAtariEnv({ obsType: "grayscale", terminateAtFrame: 2 }));
    const first = env.reset().obs;
    const copy = first.slice();
    const step = env.step(0);
    env.step(0);
    assert.notEqual(step.obs, first);
    assert.deepEqual(first, copy);
    assert.deepEqual([step.reward, step.terminated, step.info], [1, false, { lives: 5, frame: 1 }]);
  });

  it("rejects frames that are not uint8 images with 1 or 3 channels, and outputs larger than the frames", () => {
    assert.throws(
      () => new WarpFrame(make("CartPole-v1") as never),
      /Expected WarpFrame's env to have an image observation space \(a Box of uint8 of shape \[H, W\] or \[H, W, C\]\), got Box\(/,
    );
    assert.throws(() => new WarpFrame(new FakeAtariEnv({ shape: [4, 4, 2] })), /Expected WarpFrame's env to have frames with 1 \(gray\) or 3 \(RGB\) channels, got Box\(0, 255, \[4, 4, 2\], uint8\)/);
    assert.throws(() => new WarpFrame(new FakeAtariEnv(), { width: 200 }), /Expected a target no larger than the source \(area averaging shrinks frames\), got 210×160 → 84×200/);
    assert.throws(() => new WarpFrame(new FakeAtariEnv(), { height: 0 }), /Expected height to be a positive integer, got 0/);
    assert.throws(() => new WarpFrame(new FakeAtariEnv(), { size: 84 } as never), /unknown option "size"/);
  });
});

describe("AreaResize", () => {
  it("matches area averaging computed from its definition, on the packed and the plain path", () => {
    const sizes: [[number, number], [number, number], boolean][] = [
      [[210, 160], [84, 84], true], // Atari: divisor 5 × 40 = 200
      [[12, 8], [5, 3], true], // an odd number of target rows: the last pair has one row
      [[210, 160], [48, 64], true], // divisor 35 × 5 = 175 still fits 16 bits, but ...
      [[210, 160], [64, 48], false], // ... 105 × 10 = 1050 does not: plain path
      [[7, 5], [3, 2], false], // width not a multiple of 4: plain path
      [[6, 8], [6, 8], true], // same size: a copy
    ];
    for (const [source, target, packed] of sizes) {
      const resize = new AreaResize({ height: source[0], width: source[1] }, { height: target[0], width: target[1] });
      assert.equal(resize.packed, packed, `${source} → ${target} packed`);
      for (let seed = 0; seed < 3; seed++) {
        const frame = randomFrame(source[0] * source[1], seed);
        const out = resize.resize(frame, new Uint8Array(target[0] * target[1]));
        assert.deepEqual(out, referenceAreaResize(frame, source, target), `${source} → ${target}, seed ${seed}, packed ${resize.packed}`);
      }
    }
  });

  it("reads frames that do not start at a multiple of 4 bytes", () => {
    const resize = new AreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const frame = randomFrame(210 * 160, 5);
    const shifted = new Uint8Array(frame.length + 1).subarray(1);
    shifted.set(frame);
    assert.deepEqual(resize.resize(shifted, new Uint8Array(7056)), resize.resize(frame, new Uint8Array(7056)));
  });

  it("averages 2×2 blocks as the documented example shows", () => {
    const resize = new AreaResize({ height: 2, width: 4 }, { height: 1, width: 2 });
    assert.deepEqual(resize.resize(new Uint8Array([0, 10, 20, 30, 2, 12, 22, 32]), new Uint8Array(2)), new Uint8Array([6, 26]));
  });

  it("rejects sizes and buffers that do not fit", () => {
    assert.throws(() => new AreaResize({ height: 0, width: 4 }, { height: 1, width: 1 }), /Expected source to be \{ height, width \} of positive integers, got \{"height":0,"width":4\}/);
    const resize = new AreaResize({ height: 2, width: 4 }, { height: 1, width: 2 });
    assert.throws(() => resize.resize(new Uint8Array(7), new Uint8Array(2)), /Expected a 2×4 frame of 8 grey levels, got 7/);
    assert.throws(() => resize.resize(new Uint8Array(8), new Uint8Array(3)), /Expected out to hold 1×2 = 2 grey levels, got 3/);
  });
});
