import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createFrame, type RgbFrame } from "../src/core/frame";
import { CoinJumpEnv } from "../src/envs/coin-jump/coin-jump";
import { COIN_JUMP_FRAME_SIZE } from "../src/envs/coin-jump/renderer";
import { CoinJumpAction } from "../src/envs/coin-jump/rules";
import { drawNumber } from "../src/envs/pixel-font";
import { fillRect, rgb } from "../src/envs/raster";

const SKY = [92, 148, 252];
const GROUND = [200, 76, 12];
const RED = [216, 40, 0];
const SHELL = [0, 160, 64];
const GOLD = [252, 188, 60];

function pixel(frame: RgbFrame, x: number, y: number): number[] {
  const offset = (y * frame.width + x) * 3;
  return Array.from(frame.data.subarray(offset, offset + 3));
}

/** Pixels of `color` inside a rectangle. */
function count(frame: RgbFrame, box: { x: number; y: number; width: number; height: number }, color: readonly number[]): number {
  let found = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) if (pixel(frame, x, y).every((v, i) => v === color[i])) found += 1;
  }
  return found;
}

/** An env with the agent, turtle and one coin where a test wants them. */
function placedEnv(place: { agentX: number; turtleX: number; turtleDirection: number; coinX: number }): CoinJumpEnv {
  const env = new CoinJumpEnv({ numCoins: 1 });
  env.reset({ seed: 0 });
  Object.assign(env.game, { agentX: place.agentX, turtleX: place.turtleX, turtleDirection: place.turtleDirection });
  env.game.coinX[0] = place.coinX;
  return env;
}

describe("CoinJump rendering", () => {
  it("draws a 256×256 frame: sky above, brick ground from row 224 down", () => {
    const env = placedEnv({ agentX: 10, turtleX: 40, turtleDirection: 1, coinX: 30 });
    const frame = env.render();
    assert.deepEqual([frame.width, frame.height, frame.data.length], [256, 256, 256 * 256 * 3]);
    assert.deepEqual(COIN_JUMP_FRAME_SIZE, { width: 256, height: 256 });
    assert.deepEqual(pixel(frame, 128, 2), SKY);
    assert.deepEqual(pixel(frame, 5, 228), GROUND);
    assert.ok(count(frame, { x: 0, y: 224, width: 256, height: 32 }, GROUND) > 256 * 32 * 0.6);
  });

  it("puts the agent, the turtle and the coin at four pixels a world cell", () => {
    const env = placedEnv({ agentX: 10, turtleX: 40, turtleDirection: 1, coinX: 30 });
    const frame = env.render();
    // Agent box: x 40..63, y 192..223 (8 cells tall, standing on row 224).
    assert.ok(count(frame, { x: 40, y: 192, width: 24, height: 32 }, RED) > 50, "the agent's red cap and shirt");
    assert.equal(count(frame, { x: 40, y: 150, width: 24, height: 40 }, RED), 0, "nothing red above it");
    // Turtle box: x 160..191, y 200..223; its shell is green.
    assert.ok(count(frame, { x: 160, y: 200, width: 32, height: 24 }, SHELL) > 150);
    // Coin centre: x (30 + 2)·4 = 128, y 224 − 30·4 = 104.
    assert.deepEqual(pixel(frame, 130, 104), GOLD);
  });

  it("lifts the agent with its height and mirrors it with the way it faces", () => {
    const env = placedEnv({ agentX: 20, turtleX: 50, turtleDirection: 1, coinX: 0 });
    env.step(CoinJumpAction.right);
    const facingRight = env.render();
    const box = { x: 88, y: 192, width: 24, height: 32 };
    env.game.facing = -1;
    const facingLeft = env.render();
    for (let y = box.y; y < box.y + box.height; y++) {
      for (let dx = 0; dx < box.width; dx++) {
        assert.deepEqual(pixel(facingLeft, box.x + dx, y), pixel(facingRight, box.x + box.width - 1 - dx, y), `row ${y}, column ${dx}`);
      }
    }
    env.step(CoinJumpAction.jump);
    env.step(CoinJumpAction.noop);
    const jumping = env.render();
    // Height 11: the box moves up 44 pixels, and the ground-level box is empty sky again.
    assert.ok(count(jumping, { x: 88, y: 148, width: 24, height: 32 }, RED) > 50);
    assert.equal(count(jumping, { x: 88, y: 192, width: 24, height: 32 }, RED), 0);
  });

  it("shows the score as digits and frames the end of the game in red", () => {
    const env = placedEnv({ agentX: 10, turtleX: 40, turtleDirection: 1, coinX: 30 });
    const white = [255, 255, 255];
    const scoreBox = { x: 28, y: 6, width: 40, height: 15 };
    const zero = count(env.render(), scoreBox, white);
    env.game.score = 18;
    const eighteen = count(env.render(), scoreBox, white);
    // "0" has 12 inked cells of 3×3 pixels; "18" has 8 + 13.
    assert.deepEqual([zero, eighteen], [12 * 9, 21 * 9]);
    assert.deepEqual(pixel(env.render(), 128, 2), SKY);
    env.game.hit = true;
    assert.deepEqual(pixel(env.render(), 128, 2), RED);
    assert.deepEqual(pixel(env.render(), 253, 128), RED);
  });

  it("renders the same bytes into a reused frame as into a new one, leaving nothing of the last state", () => {
    const env = placedEnv({ agentX: 10, turtleX: 40, turtleDirection: 1, coinX: 30 });
    const reused = createFrame(256, 256);
    env.renderInto(reused);
    for (let t = 0; t < 5; t++) env.step(CoinJumpAction.right);
    env.renderInto(reused);
    assert.deepEqual(reused.data, env.render().data);
    assert.throws(() => env.renderInto(createFrame(64, 64)), /Expected a 256×256 frame, got 64×64/);
  });
});

describe("fillRect and drawNumber", () => {
  it("fills whole pixels of a rectangle, clipped to the frame", () => {
    const frame = createFrame(4, 3);
    fillRect(frame, { x: 2, y: 1, width: 5, height: 1 }, rgb(9, 9, 9));
    const painted = Array.from({ length: 12 }, (_, i) => frame.data[i * 3]);
    assert.deepEqual(painted, [0, 0, 0, 0, 0, 0, 9, 9, 0, 0, 0, 0]);
  });

  it("writes digits in a 3×5 font and returns the width written", () => {
    const frame = createFrame(8, 5);
    assert.equal(drawNumber(frame, 17, { x: 0, y: 0, color: rgb(1, 1, 1) }), 7);
    const rows = Array.from({ length: 5 }, (_, y) => Array.from({ length: 8 }, (_, x) => (frame.data[(y * 8 + x) * 3] ? "#" : ".")).join(""));
    assert.deepEqual(rows, [".#..###.", "##....#.", ".#....#.", ".#...#..", "###..#.."]);
    assert.throws(() => drawNumber(frame, -1, { x: 0, y: 0, color: rgb(1, 1, 1) }), /Expected a non-negative integer to draw, got -1/);
  });
});
