import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/core/rng";
import { BreakoutGame } from "../src/envs/breakout/game";
import { BREAKOUT_ACTIONS, BREAKOUT_RULES } from "../src/envs/breakout/rules";
import { BRICK_COLUMNS, BRICK_POINTS, BRICK_ROWS, brickLeft, PADDLE_TOP, PLAY_TOP } from "../src/envs/breakout/layout";
import { placeBall, stepUntil } from "./support/breakout";

const { noop, fire, right, left } = BREAKOUT_ACTIONS;

/** Clears column `column` below row `row`, so a ball going straight up meets brick (row, column) first. */
function openColumnBelow(game: BreakoutGame, row: number, column: number): void {
  for (let below = row + 1; below < BRICK_ROWS; below++) game.setBrick(below, column, false);
}

/** Vertical distance the ball covers in one frame of free flight. */
function verticalSpeed(game: BreakoutGame): number {
  const before = game.ballY;
  game.step(noop, Rng.fromSeed(0));
  return Math.abs(game.ballY - before);
}

describe("Breakout rules", () => {
  it("waits for FIRE before serving a ball, which heads down from row 122", () => {
    const game = new BreakoutGame();
    const rng = Rng.fromSeed(3);
    for (let frame = 0; frame < 300; frame++) {
      const outcome = game.step([noop, right, left][frame % 3]!, rng);
      assert.equal(outcome.reward, 0);
      assert.equal(game.ballInPlay, false);
    }
    assert.equal(game.lives, 5);
    game.step(fire, rng);
    assert.equal(game.ballInPlay, true);
    assert.equal(game.ballY, BREAKOUT_RULES.serveY);
    assert.equal(game.directionY, 1);
    assert.ok(game.ballX >= 8 && game.ballX <= 150, `serve column ${game.ballX}`);
  });

  it("scores 7, 7, 4, 4, 1, 1 for a brick by its row and breaks only that brick", () => {
    for (let row = 0; row < BRICK_ROWS; row++) {
      const game = new BreakoutGame();
      openColumnBelow(game, row, 5);
      placeBall(game, { x: brickLeft(5) + 3, y: 120, directionY: -1 });
      const result = stepUntil(game, (events) => events.bricksHit > 0);
      assert.equal(result.reward, BRICK_POINTS[row], `row ${row}`);
      assert.equal(game.score, BRICK_POINTS[row]);
      assert.equal(game.hasBrick(row, 5), false);
      assert.equal(game.bricksRemaining, BRICK_ROWS * BRICK_COLUMNS - (BRICK_ROWS - 1 - row) - 1);
      assert.equal(game.directionY, 1, "the ball turns back down");
    }
  });

  it("sends the ball off at an angle set by the quarter of the paddle it lands on", () => {
    const expected = [
      { directionX: -1, slope: BREAKOUT_RULES.outerSlope },
      { directionX: -1, slope: BREAKOUT_RULES.innerSlope },
      { directionX: 1, slope: BREAKOUT_RULES.innerSlope },
      { directionX: 1, slope: BREAKOUT_RULES.outerSlope },
    ];
    expected.forEach(({ directionX, slope }, quarter) => {
      const game = new BreakoutGame();
      game.paddleX = 60;
      // The ball's centre (its left column + 1) lands in the middle of the quarter.
      placeBall(game, { x: 60 + quarter * 4 + 1, y: 170, directionY: 1 });
      const result = stepUntil(game, (events) => events.paddleHit);
      assert.equal(result.events.filter((events) => events.paddleHit).length, 1);
      assert.equal(game.directionX, directionX, `quarter ${quarter}`);
      assert.equal(game.slope, slope, `quarter ${quarter}`);
      assert.equal(game.directionY, -1);
      assert.equal(game.ballY, PADDLE_TOP - 4, "the ball sits on the paddle");
      assert.equal(game.paddleHits, 1);
    });
  });

  it("bounces the ball off the side walls and the back wall", () => {
    const game = new BreakoutGame();
    placeBall(game, { x: 12, y: 150, directionX: -1, directionY: -1, slope: 1.5 });
    const side = stepUntil(game, (events) => events.wallHit);
    assert.equal(game.directionX, 1);
    assert.ok(game.ballX >= 8, `ball column ${game.ballX}`);
    assert.equal(side.frames, 2, "at 3 px a frame the ball reaches the wall 4 px away in the 2nd frame");

    for (let row = 0; row < BRICK_ROWS; row++) game.setBrick(row, 8, false);
    placeBall(game, { x: brickLeft(8) + 3, y: 50, directionY: -1 });
    stepUntil(game, (events) => events.wallHit);
    assert.equal(game.directionY, 1);
    assert.ok(game.ballY >= PLAY_TOP);
  });

  it("loses a life when the ball passes the paddle, and waits for FIRE again", () => {
    const game = new BreakoutGame();
    game.paddleX = 8;
    placeBall(game, { x: 140, y: 150, directionY: 1 });
    const result = stepUntil(game, (events) => events.lifeLost);
    assert.equal(result.events.filter((events) => events.lifeLost).length, 1);
    assert.equal(result.reward, 0);
    assert.equal(game.lives, 4);
    assert.equal(game.ballInPlay, false);
    assert.equal(game.gameOver, false);
    game.step(noop, Rng.fromSeed(0));
    assert.equal(game.ballInPlay, false, "no serve without FIRE");
  });

  it("ends the game when the fifth ball is lost, and serves no more", () => {
    const game = new BreakoutGame();
    const rng = Rng.fromSeed(11);
    for (let ball = 1; ball <= 5; ball++) {
      assert.equal(game.gameOver, false);
      game.step(fire, rng);
      // Keep the paddle on the far side of the ball so it always misses.
      game.paddleX = game.ballX < 76 ? 144 : 8;
      game.slope = 0;
      stepUntil(game, (events) => events.lifeLost);
      assert.equal(game.lives, 5 - ball);
    }
    assert.equal(game.gameOver, true);
    const after = game.step(fire, rng);
    assert.equal(after.gameOver, true);
    assert.equal(game.ballInPlay, false);
  });

  it("speeds the ball up on the 4th and 12th paddle hits and on the first orange and red bricks", () => {
    const speeds = BREAKOUT_RULES.ballSpeeds;
    const game = new BreakoutGame();
    game.step(fire, Rng.fromSeed(1));
    assert.equal(verticalSpeed(game), speeds[0]);

    // The 4th hit: three hits already counted.
    game.paddleHits = 3;
    game.paddleX = 60;
    placeBall(game, { x: 65, y: 170, directionY: 1 });
    stepUntil(game, (events) => events.paddleHit);
    assert.equal(game.speedLevel, 1);
    assert.equal(verticalSpeed(game), speeds[1]);
    game.paddleHits = 11;
    placeBall(game, { x: 65, y: 170, directionY: 1 });
    stepUntil(game, (events) => events.paddleHit);
    assert.equal(game.speedLevel, 2);
    assert.equal(verticalSpeed(game), speeds[2]);

    // A first orange brick, then a first red one, each one level more; a second one adds nothing.
    for (const [row, column, level] of [[1, 5, 3], [0, 5, 4], [0, 9, 4]] as const) {
      openColumnBelow(game, row, column);
      placeBall(game, { x: brickLeft(column) + 3, y: 120, directionY: -1 });
      stepUntil(game, (events) => events.bricksHit > 0);
      assert.equal(game.speedLevel, level, `after a row-${row} brick`);
      assert.equal(verticalSpeed(game), speeds[level]);
    }

    // A new serve starts slow again.
    game.ballInPlay = false;
    game.step(fire, Rng.fromSeed(2));
    assert.equal(game.speedLevel, 0);
    assert.equal(verticalSpeed(game), speeds[0]);
  });

  it("shrinks the paddle to 8 px when the ball reaches the back wall, until the next serve", () => {
    const game = new BreakoutGame();
    for (let row = 0; row < BRICK_ROWS; row++) game.setBrick(row, 8, false);
    game.paddleX = 72;
    placeBall(game, { x: brickLeft(8) + 3, y: 120, directionY: -1 });
    stepUntil(game, (events) => events.wallHit);
    assert.equal(game.paddleWidth, 8);
    assert.equal(game.paddleX, 76, "shrinks around its centre");
    game.ballInPlay = false;
    game.step(fire, Rng.fromSeed(0));
    assert.equal(game.paddleWidth, 16);
    assert.equal(game.paddleX, 72);
  });

  it("refills the wall once at the next paddle hit and ends the game when the second wall is cleared", () => {
    const game = new BreakoutGame();
    const clearAllBut = (keepRow: number, keepColumn: number) => {
      for (let row = 0; row < BRICK_ROWS; row++) {
        for (let column = 0; column < BRICK_COLUMNS; column++) game.setBrick(row, column, row === keepRow && column === keepColumn);
      }
    };
    clearAllBut(5, 3);
    placeBall(game, { x: brickLeft(3) + 3, y: 120, directionY: -1 });
    stepUntil(game, (events) => events.bricksHit > 0);
    assert.equal(game.bricksRemaining, 0);
    assert.equal(game.wall, 0);
    assert.equal(game.gameOver, false);

    game.paddleX = brickLeft(3) - 4;
    stepUntil(game, (events) => events.paddleHit);
    assert.equal(game.bricksRemaining, BRICK_ROWS * BRICK_COLUMNS);
    assert.equal(game.wall, 1);

    clearAllBut(4, 10);
    placeBall(game, { x: brickLeft(10) + 3, y: 120, directionY: -1 });
    const last = stepUntil(game, (events) => events.bricksHit > 0);
    assert.equal(last.reward, 1);
    assert.equal(game.gameOver, true);
    assert.equal(game.step(noop, Rng.fromSeed(0)).gameOver, true);
  });

  it("moves the paddle 4 px a frame and keeps its left edge in [8, 144]", () => {
    const game = new BreakoutGame();
    const rng = Rng.fromSeed(0);
    assert.equal(game.paddleX, 76);
    game.step(right, rng);
    assert.equal(game.paddleX, 80);
    for (let frame = 0; frame < 100; frame++) game.step(right, rng);
    assert.equal(game.paddleX, 144);
    for (let frame = 0; frame < 100; frame++) game.step(left, rng);
    assert.equal(game.paddleX, 8);
  });

  it("rejects an action outside 0..3", () => {
    const game = new BreakoutGame();
    assert.throws(() => game.step(4, Rng.fromSeed(0)), /Expected an action in Discrete\(4\) — an integer 0 ≤ a < 4, got 4/);
    assert.throws(() => game.step(1.5, Rng.fromSeed(0)), /got 1\.5/);
    assert.throws(() => game.setBrick(6, 0, false), /Expected a brick row in 0\.\.5 and column in 0\.\.17, got row 6, column 0/);
  });
});
