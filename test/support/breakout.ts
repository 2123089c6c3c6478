/**
 * Helpers shared by the Breakout tests: scripted ball placement, stepping until an event, and the
 * real ALE frame kept in test/fixtures. Not a test file: node's runner picks up only *.test.js.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Rng } from "../../src/core/rng";
import { BreakoutGame } from "../../src/envs/breakout/game";
import { BREAKOUT_ACTIONS, type BreakoutEvents } from "../../src/envs/breakout/rules";

/** Where and how a scripted ball moves. */
export interface BallPlacement {
  readonly x: number;
  readonly y: number;
  readonly directionX?: number;
  readonly directionY: number;
  /** Horizontal per vertical speed; 0 for a ball that moves straight up or down. */
  readonly slope?: number;
}

/** Puts a ball in play exactly where a test wants it. */
export function placeBall(game: BreakoutGame, placement: BallPlacement): void {
  game.ballInPlay = true;
  game.ballX = placement.x;
  game.ballY = placement.y;
  game.directionX = placement.directionX ?? 1;
  game.directionY = placement.directionY;
  game.slope = placement.slope ?? 0;
}

/** What one scripted stretch of frames produced. */
export interface FramesResult {
  frames: number;
  reward: number;
  events: BreakoutEvents[];
}

/**
 * Steps `game` with `action` until `done(events)` holds for a frame (that frame included), failing
 * the test after `maxFrames`.
 */
export function stepUntil(
  game: BreakoutGame,
  done: (events: BreakoutEvents) => boolean,
  options: { action?: number; maxFrames?: number; rng?: Rng } = {},
): FramesResult {
  const { action = BREAKOUT_ACTIONS.noop, maxFrames = 1000, rng = Rng.fromSeed(0) } = options;
  const result: FramesResult = { frames: 0, reward: 0, events: [] };
  while (result.frames < maxFrames) {
    const outcome = game.step(action, rng);
    result.frames++;
    result.reward += outcome.reward;
    result.events.push(outcome.events);
    if (done(outcome.events)) return result;
  }
  assert.fail(`Expected the scripted event within ${maxFrames} frames, got none`);
}

/** One case of warpframe-cv2.json: a 210×160 RGB frame and OpenCV's grayscale of it. */
export interface OpenCvCase {
  readonly name: string;
  readonly rgb: Uint8Array;
  readonly gray: Uint8Array;
}

// Compiled to build/test/support/, so the repository root is three levels up.
const OPENCV_REFERENCE_PATH = resolve(__dirname, "..", "..", "..", "test", "fixtures", "warpframe-cv2.json");

/** The three frames of test/fixtures/warpframe-cv2.json (random, gradient, a real ALE Breakout frame). */
export function loadOpenCvCases(): OpenCvCase[] {
  assert.ok(existsSync(OPENCV_REFERENCE_PATH), `Expected the OpenCV reference frames at ${OPENCV_REFERENCE_PATH}, got no file there`);
  const parsed = JSON.parse(readFileSync(OPENCV_REFERENCE_PATH, "utf8")) as { cases: { name: string; rgb: string; gray: string }[] };
  return parsed.cases.map(({ name, rgb, gray }) => ({
    name,
    rgb: new Uint8Array(Buffer.from(rgb, "base64")),
    gray: new Uint8Array(Buffer.from(gray, "base64")),
  }));
}

/** The real ALE Breakout frame (RGB, 210×160×3) and its OpenCV grayscale. */
export function aleBreakoutFrame(): OpenCvCase {
  const found = loadOpenCvCases().find((entry) => entry.name === "breakout");
  assert.ok(found !== undefined, "Expected a case named \"breakout\" in warpframe-cv2.json");
  return found;
}

/** Pixels of colour `rgb` in rows [top, bottom) of a 160-wide RGB frame. */
export function countColour(frame: Uint8Array, rgb: readonly number[], top = 0, bottom = 210): number {
  let count = 0;
  for (let offset = top * 160 * 3; offset < bottom * 160 * 3; offset += 3) {
    if (frame[offset] === rgb[0] && frame[offset + 1] === rgb[1] && frame[offset + 2] === rgb[2]) count++;
  }
  return count;
}
