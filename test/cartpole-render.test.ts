import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createFrame, type RgbFrame } from "../src/core/frame";
import { make } from "../src/core/make";
import { CartPoleEnv } from "../src/envs/cartpole";
import { fillCircle, fillConvexPolygon, fillFrame, rgb } from "../src/envs/raster";
import "../src/envs";

function pixel(frame: RgbFrame, column: number, row: number): number[] {
  const offset = (row * frame.width + column) * 3;
  return Array.from(frame.data.subarray(offset, offset + 3));
}

function countColor(frame: RgbFrame, color: readonly number[]): number {
  let count = 0;
  for (let i = 0; i < frame.data.length; i += 3) {
    if (frame.data[i] === color[0] && frame.data[i + 1] === color[1] && frame.data[i + 2] === color[2]) count += 1;
  }
  return count;
}

const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
const POLE = [202, 152, 101];
const AXLE = [129, 132, 203];

function renderState(state: number[]): RgbFrame {
  const env = new CartPoleEnv();
  env.reset({ seed: 0 });
  env.state = state;
  return env.render();
}

describe("CartPole rendering", () => {
  it("returns a 600×400 RGB frame", () => {
    const env = make("CartPole-v1", { renderMode: "rgb_array" });
    env.reset({ seed: 0 });
    const frame = env.render();
    assert.equal(frame.width, 600);
    assert.equal(frame.height, 400);
    assert.equal(frame.data.length, 600 * 400 * 3);
  });

  it("draws Gymnasium's scene: white background, black cart and track, pole and axle colours", () => {
    const frame = renderState([0, 0, 0, 0]);
    assert.deepEqual(pixel(frame, 10, 10), WHITE);
    assert.deepEqual(pixel(frame, 280, 305), BLACK, "cart body");
    assert.deepEqual(pixel(frame, 300, 250), POLE, "upright pole above the cart");
    assert.deepEqual(pixel(frame, 300, 292), AXLE, "axle at the pivot");
    assert.deepEqual(pixel(frame, 0, 299), BLACK, "track line at height 100");
    assert.deepEqual(pixel(frame, 599, 299), BLACK);
    assert.deepEqual(pixel(frame, 300, 100), WHITE, "above the pole's tip");
    // The cart is 50×30 px; the axle disc covers part of it.
    assert.ok(countColor(frame, POLE) > 900 && countColor(frame, POLE) < 1300, `pole pixels ${countColor(frame, POLE)}`);
    assert.ok(countColor(frame, AXLE) > 60 && countColor(frame, AXLE) < 100, `axle pixels ${countColor(frame, AXLE)}`);
  });

  it("moves the cart 125 px per metre and tilts the pole to the side of a positive angle", () => {
    const moved = renderState([1, 0, 0, 0]);
    assert.deepEqual(pixel(moved, 425, 305), BLACK, "cart centre at column 300 + 125");
    assert.deepEqual(pixel(moved, 280, 305), WHITE, "old cart position is empty");
    const tilted = renderState([0, 0, 0.2, 0]);
    // The tip of a 125 px pole leaning by 0.2 rad is about 25 px to the right of the pivot.
    assert.deepEqual(pixel(tilted, 322, 175), POLE);
    assert.deepEqual(pixel(tilted, 278, 175), WHITE);
  });

  it("redraws into a reused frame and refuses to draw before reset", () => {
    const env = new CartPoleEnv();
    assert.throws(() => env.render(), /Expected reset\(\) before render\(\)/);
    env.reset({ seed: 0 });
    const frame = createFrame(600, 400);
    assert.equal(env.renderInto(frame), frame);
    assert.deepEqual(pixel(frame, 10, 10), WHITE);
    assert.throws(() => env.renderInto(createFrame(84, 84)), /Expected a 600×400 frame, got 84×84/);
  });
});

describe("the rasteriser", () => {
  it("fills a frame with one colour", () => {
    const frame = createFrame(5, 3);
    fillFrame(frame, rgb(1, 2, 3));
    assert.equal(countColor(frame, [1, 2, 3]), 15);
  });

  it("fills exactly the pixels whose centres lie inside a polygon", () => {
    const frame = createFrame(10, 10);
    fillConvexPolygon(frame, [{ x: 2, y: 3 }, { x: 7, y: 3 }, { x: 7, y: 5 }, { x: 2, y: 5 }], rgb(255, 0, 0));
    assert.equal(countColor(frame, [255, 0, 0]), 10);
    assert.deepEqual(pixel(frame, 2, 3), [255, 0, 0]);
    assert.deepEqual(pixel(frame, 7, 3), [0, 0, 0]);
    const triangle = createFrame(10, 10);
    fillConvexPolygon(triangle, [{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }], rgb(255, 0, 0));
    // Centres exactly on the right edge (the diagonal) belong to the shape on the other side of it.
    assert.equal(countColor(triangle, [255, 0, 0]), 45);
  });

  it("clips shapes at the frame's edges", () => {
    const frame = createFrame(4, 4);
    fillConvexPolygon(frame, [{ x: -10, y: -10 }, { x: 10, y: -10 }, { x: 10, y: 10 }, { x: -10, y: 10 }], rgb(9, 9, 9));
    assert.equal(countColor(frame, [9, 9, 9]), 16);
    fillCircle(frame, { x: 0, y: 0 }, 100, rgb(1, 1, 1));
    assert.equal(countColor(frame, [1, 1, 1]), 16);
  });

  it("fills a symmetric disc", () => {
    const frame = createFrame(11, 11);
    fillCircle(frame, { x: 5.5, y: 5.5 }, 5, rgb(7, 7, 7));
    assert.equal(countColor(frame, [7, 7, 7]), 81);
    assert.deepEqual(pixel(frame, 5, 0), [7, 7, 7]);
    assert.deepEqual(pixel(frame, 0, 0), [0, 0, 0]);
  });

  it("rejects colour components outside 0..255", () => {
    assert.throws(() => rgb(256, 0, 0), /Expected red to be an integer in 0\.\.255, got 256/);
  });
});
