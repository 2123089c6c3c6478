import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/core/rng";
import { BreakoutGame } from "../src/envs/breakout/game";
import { predictLandingX } from "../src/envs/breakout/landing";
import { BREAKOUT_RULES } from "../src/envs/breakout/rules";
import { BALL_HEIGHT, BALL_WIDTH, PADDLE_TOP } from "../src/envs/breakout/layout";
import { placeBall } from "./support/breakout";

/**
 * Steps without moving the paddle until the ball's bottom first reaches the paddle row (or the ball
 * bounces off the paddle there); the ball centre's column at that frame.
 */
function actualLandingX(game: BreakoutGame): number {
  const rng = Rng.fromSeed(0);
  for (let frame = 0; frame < 1000; frame++) {
    const { events } = game.step(0, rng);
    if (events.paddleHit || game.ballY + BALL_HEIGHT >= PADDLE_TOP) return Math.floor(game.ballX) + BALL_WIDTH / 2;
  }
  assert.fail("Expected the ball to reach the paddle row within 1000 frames");
}

describe("predictLandingX", () => {
  it("is undefined while no ball is in play", () => {
    assert.equal(predictLandingX(new BreakoutGame()), undefined);
  });

  it("follows a ball heading down in a straight line to the paddle row", () => {
    const game = new BreakoutGame();
    placeBall(game, { x: 80, y: 125, directionX: 1, directionY: 1, slope: BREAKOUT_RULES.innerSlope });
    assert.equal(predictLandingX(game), 81 + 0.75 * (PADDLE_TOP - 4 - 125));
  });

  it("folds the path at a side wall", () => {
    const game = new BreakoutGame();
    // 1.5 × 60 = 90 px to the left from column 20: 12 px to the wall at 8, then 78 px back out.
    placeBall(game, { x: 20, y: 125, directionX: -1, directionY: 1, slope: BREAKOUT_RULES.outerSlope });
    assert.equal(predictLandingX(game), 8 + 78 + 1);
  });

  it("agrees within a few pixels with where the game actually brings the ball down", () => {
    const rng = Rng.fromSeed(11);
    for (let trial = 0; trial < 40; trial++) {
      const game = new BreakoutGame();
      for (let row = 0; row < 6; row++) for (let column = 0; column < 18; column++) game.setBrick(row, column, false);
      const slope = trial % 2 === 0 ? BREAKOUT_RULES.innerSlope : BREAKOUT_RULES.outerSlope;
      placeBall(game, { x: 8 + rng.integer(142), y: 40 + rng.integer(140), directionX: rng.integer(2) === 0 ? -1 : 1, directionY: rng.integer(2) === 0 ? -1 : 1, slope });
      const predicted = predictLandingX(game)!;
      game.paddleX = predicted < 80 ? 144 : 8;   // out of the ball's way, so it flies down to the paddle row
      const actual = actualLandingX(game);
      // The game moves the ball 2 px down a frame (1.5 or 3 px across), so the frame that reaches the
      // row can be a little past it, and the ball is drawn (and collides) at the floor of its position.
      assert.ok(Math.abs(predicted - actual) <= 4, `trial ${trial}: predicted ${predicted}, actual ${actual}`);
    }
  });
});
