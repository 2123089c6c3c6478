import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/core/rng";
import { DIGIT_GLYPHS } from "../src/envs/breakout/digits";
import { BreakoutGame } from "../src/envs/breakout/game";
import { BREAKOUT_ACTIONS } from "../src/envs/breakout/rules";
import { brickLeft, SCORE_DIGIT_X } from "../src/envs/breakout/layout";
import { opencvGray, paletteBytes } from "../src/envs/breakout/palette";
import { BreakoutRenderer } from "../src/envs/breakout/renderer";
import { aleBreakoutFrame, loadOpenCvCases, placeBall, stepUntil } from "./support/breakout";

const WIDTH = 160;

/** The game in the state of the reference ALE frame: full wall, score 000, 5 lives, paddle at x 144, ball at (48, 152). */
function referenceState(): BreakoutGame {
  const game = new BreakoutGame();
  game.paddleX = 144;
  placeBall(game, { x: 48, y: 152, directionY: 1 });
  return game;
}

/** The first pixel where two frames differ inside a region, as "row r, column c: got [...], expected [...]". */
function firstDifference(actual: Uint8Array, expected: Uint8Array, region: { readonly rows: readonly [number, number]; readonly columns: readonly [number, number] }, channels: number): string | undefined {
  for (let row = region.rows[0]; row < region.rows[1]; row++) {
    for (let column = region.columns[0]; column < region.columns[1]; column++) {
      const offset = (row * WIDTH + column) * channels;
      const got = Array.from(actual.subarray(offset, offset + channels));
      const want = Array.from(expected.subarray(offset, offset + channels));
      if (got.join() !== want.join()) return `row ${row}, column ${column}: got [${got}], expected [${want}]`;
    }
  }
  return undefined;
}

/** The reference frame's regions, each checked on its own so a failure names what is misplaced. */
const REGIONS = {
  "score, lives and player digits (rows 0–16)": { rows: [0, 17], columns: [0, 160] },
  "top bar (rows 17–31)": { rows: [17, 32], columns: [0, 160] },
  "left wall (columns 0–7)": { rows: [32, 210], columns: [0, 8] },
  "right wall (columns 152–159)": { rows: [32, 210], columns: [152, 160] },
  "empty field above the bricks (rows 32–56)": { rows: [32, 57], columns: [8, 152] },
  "six brick rows (rows 57–92)": { rows: [57, 93], columns: [8, 152] },
  "field with the ball (rows 93–188)": { rows: [93, 189], columns: [8, 152] },
  "paddle rows (189–192)": { rows: [189, 193], columns: [8, 152] },
  "below the paddle (rows 193–209)": { rows: [193, 210], columns: [8, 152] },
} as const;

describe("Breakout rendering", () => {
  it("matches a real ALE Breakout frame pixel for pixel, region by region", () => {
    const reference = aleBreakoutFrame();
    const frame = new BreakoutRenderer("rgb").render(referenceState(), true);
    for (const [name, region] of Object.entries(REGIONS)) {
      assert.equal(firstDifference(frame, reference.rgb, region, 3), undefined, name);
    }
    assert.deepEqual(frame, reference.rgb);
  });

  it("draws the grayscale frame exactly as OpenCV converts the ALE frame", () => {
    const reference = aleBreakoutFrame();
    const frame = new BreakoutRenderer("grayscale").render(referenceState(), true);
    assert.equal(frame.length, 210 * 160);
    for (const [name, region] of Object.entries(REGIONS)) {
      assert.equal(firstDifference(frame, reference.gray, region, 1), undefined, name);
    }
  });

  it("computes OpenCV's RGB2GRAY exactly, on every pixel of the three reference frames", () => {
    for (const { name, rgb, gray } of loadOpenCvCases()) {
      let mismatches = 0;
      let roundingMismatches = 0;
      for (let pixel = 0; pixel < gray.length; pixel++) {
        const [red, green, blue] = [rgb[pixel * 3]!, rgb[pixel * 3 + 1]!, rgb[pixel * 3 + 2]!];
        if (opencvGray(red, green, blue) !== gray[pixel]) mismatches++;
        if (Math.round(0.299 * red + 0.587 * green + 0.114 * blue) !== gray[pixel]) roundingMismatches++;
      }
      assert.equal(mismatches, 0, name);
      // The reason for the fixed-point form: plain rounding is off by one on some colours.
      if (name === "random") assert.ok(roundingMismatches > 0, "plain rounding differs somewhere on random colours");
    }
    assert.deepEqual(Array.from(paletteBytes(1).subarray(0, 3)), [0, 142, 110]);
  });

  it("shows the score in the 2600's blocky digits and the lives left", () => {
    const game = new BreakoutGame();
    for (let below = 1; below < 6; below++) game.setBrick(below, 4, false);
    placeBall(game, { x: brickLeft(4) + 3, y: 120, directionY: -1 });
    stepUntil(game, (events) => events.bricksHit > 0);
    game.paddleX = 8;
    stepUntil(game, (events) => events.lifeLost);
    assert.equal(game.score, 7);
    const frame = new BreakoutRenderer("grayscale").render(game, true);
    const lit = (x: number, column: number, row: number) => frame[(5 + row * 2) * WIDTH + x + column * 4] === 142;
    for (const [x, digit] of [[SCORE_DIGIT_X[0]!, 0], [SCORE_DIGIT_X[1]!, 0], [SCORE_DIGIT_X[2]!, 7], [100, 4], [132, 1]] as const) {
      for (let row = 0; row < 5; row++) {
        for (let column = 0; column < 3; column++) {
          assert.equal(lit(x, column, row), DIGIT_GLYPHS[digit]![row]![column] === "#", `digit ${digit} at x ${x}, cell (${column}, ${row})`);
        }
      }
    }
  });

  it("recomposes its background only when the scene changes, not on every frame", () => {
    const game = new BreakoutGame();
    const renderer = new BreakoutRenderer("rgb");
    const rng = Rng.fromSeed(0);
    renderer.render(game, true);
    const afterFirst = renderer.backgroundUpdates;
    game.step(BREAKOUT_ACTIONS.fire, rng);
    for (let frame = 0; frame < 30; frame++) {
      game.step(frame % 2 === 0 ? BREAKOUT_ACTIONS.left : BREAKOUT_ACTIONS.right, rng);
      renderer.render(game, true);
    }
    assert.equal(renderer.backgroundUpdates, afterFirst, "moving ball and paddle only");
    game.setBrick(2, 2, false);
    const frame = renderer.render(game, true);
    assert.equal(renderer.backgroundUpdates, afterFirst + 1);
    const offset = (69 * WIDTH + brickLeft(2)) * 3;
    assert.deepEqual(Array.from(frame.subarray(offset, offset + 3)), [0, 0, 0], "the broken brick is gone");
    const into = new Uint8Array(renderer.frameLength);
    assert.equal(renderer.renderInto(into, game, true), into);
    assert.deepEqual(into, frame);
    assert.throws(() => renderer.renderInto(new Uint8Array(10), game, true), /Expected a Uint8Array of 100800 bytes, got Uint8Array of length 10/);
  });
});
