import { describeValue } from "../../core/describe";
import type { Rng } from "../../core/rng";
import {
  BALL_HEIGHT,
  BALL_WIDTH,
  BRICK_COLUMNS,
  BRICK_COUNT,
  BRICK_HEIGHT,
  BRICK_POINTS,
  BRICK_ROWS,
  BRICK_WIDTH,
  BRICKS_BOTTOM,
  BRICKS_TOP,
  PADDLE_MAX_X,
  PADDLE_MIN_X,
  PADDLE_TOP,
  PADDLE_WIDTH,
  PLAY_BOTTOM,
  PLAY_LEFT,
  PLAY_RIGHT,
  PLAY_TOP,
  SHRUNK_PADDLE_WIDTH,
} from "./layout";
import { BREAKOUT_ACTIONS, BREAKOUT_RULES, type BreakoutEvents, type BreakoutFrameOutcome } from "./rules";

/**
 * The rules of Atari 2600 Breakout with no pixels and no randomness of its own: the state of one
 * game and `step(action, rng)`, which advances it by one frame (1/60 s). Everything is in ALE pixel
 * coordinates (see layout.ts); the ball moves in sub-pixel steps and is drawn at the floor of its
 * position, and collisions use those drawn pixels, so what the agent sees is what collides.
 *
 * Rules:
 * - 6 rows of 18 bricks scoring 7, 7, 4, 4, 1, 1 from the top; 5 balls (lives).
 * - The ball waits until FIRE serves it: it appears at row 122 at a random column, heading down
 *   left or right at a random one of the two angles (drawn from the `rng` passed to `step`).
 * - It bounces off the side walls, the back wall, bricks (breaking the brick and reversing its
 *   vertical direction, as on the 2600) and the paddle. The paddle's quarter it lands on sets the
 *   new direction: the outer quarters send it off at a flat angle, the inner ones steeply, to the
 *   side of the quarter.
 * - It speeds up one level on the 4th and the 12th paddle hit and on first breaking an orange and a
 *   red brick (2600 rules); every serve starts slow again with a full-size paddle.
 * - Once the ball reaches the back wall the paddle shrinks to half its width (2600 rule) until the
 *   ball is lost.
 * - A ball that passes the paddle is lost. After the last one the game is over.
 * - Clearing the wall refills it once, at the next paddle hit or serve (the 2600's two walls);
 *   clearing the second wall (864 points in all) also ends the game.
 *
 * @example
 * const game = new BreakoutGame();
 * const rng = Rng.fromSeed(0);
 * game.step(BREAKOUT_ACTIONS.fire, rng);   // serve
 * game.ballInPlay;                          //=> true
 * game.lives;                               //=> 5
 */
export class BreakoutGame {
  /** Left column of the paddle, in [8, 144]. */
  paddleX = 0;
  /** Paddle width: 16 px, or 8 px after the ball reached the back wall. */
  paddleWidth = PADDLE_WIDTH;
  /** Whether a ball is moving; false before a serve and after a ball is lost. */
  ballInPlay = false;
  /** Left edge of the ball (sub-pixel; drawn at its floor). */
  ballX = 0;
  /** Top edge of the ball (sub-pixel; drawn at its floor). */
  ballY = 0;
  /** Horizontal direction of the ball: −1 left, +1 right. */
  directionX = 1;
  /** Vertical direction of the ball: −1 up, +1 down. */
  directionY = 1;
  /** Horizontal speed per unit of vertical speed: {@link BREAKOUT_RULES} outerSlope or innerSlope. */
  slope: number = BREAKOUT_RULES.innerSlope;
  /** Paddle hits since the serve (speed-ups at 4 and 12). */
  paddleHits = 0;
  /** Whether an orange brick was broken since the serve (one speed-up). */
  reachedOrange = false;
  /** Whether a red brick was broken since the serve (one speed-up). */
  reachedRed = false;

  private readonly bricks = new Uint8Array(BRICK_COUNT);
  private bricksLeft = 0;
  private wallNumber = 0;
  private refillPending = false;
  private points = 0;
  private livesLeft = 0;
  private over = false;
  private frames = 0;
  private version = 0;

  constructor() {
    this.reset();
  }

  /** Points scored in this game. */
  get score(): number {
    return this.points;
  }

  /** Balls left, including the one in play (ALE's `lives()`): 5 at the start, 0 at game over. */
  get lives(): number {
    return this.livesLeft;
  }

  /** Whether the game has ended (no lives left, or both walls cleared). */
  get gameOver(): boolean {
    return this.over;
  }

  /** Frames stepped since the last reset (ALE's `episode_frame_number`). */
  get frameNumber(): number {
    return this.frames;
  }

  /** Which wall is being played: 0 for the first, 1 for the refill. */
  get wall(): number {
    return this.wallNumber;
  }

  /** Bricks still standing in the current wall. */
  get bricksRemaining(): number {
    return this.bricksLeft;
  }

  /**
   * A counter that changes whenever something in the static scene changes: a brick, the score or
   * the lives. The renderer redraws its cached background only when it has changed.
   */
  get sceneVersion(): number {
    return this.version;
  }

  /** The current speed level, 0 (after a serve) to 4: one per speed-up earned. */
  get speedLevel(): number {
    const [firstHits, secondHits] = BREAKOUT_RULES.speedUpHits;
    return (
      Number(this.paddleHits >= firstHits!) + Number(this.paddleHits >= secondHits!) + Number(this.reachedOrange) + Number(this.reachedRed)
    );
  }

  /** Whether the brick at `row` (0 = top, red) and `column` (0 = left) is standing. */
  hasBrick(row: number, column: number): boolean {
    return this.bricks[brickIndex(row, column)] === 1;
  }

  /** Puts up or removes one brick (for scripted situations in tests and notebooks). */
  setBrick(row: number, column: number, standing: boolean): void {
    const index = brickIndex(row, column);
    if (this.bricks[index] === Number(standing)) return;
    this.bricks[index] = Number(standing);
    this.bricksLeft += standing ? 1 : -1;
    this.version++;
  }

  /** Starts a new game: a full wall, score 0, 5 lives, the paddle centred, no ball in play. */
  reset(): void {
    this.bricks.fill(1);
    this.bricksLeft = BRICK_COUNT;
    this.wallNumber = 0;
    this.refillPending = false;
    this.points = 0;
    this.livesLeft = BREAKOUT_RULES.lives;
    this.over = false;
    this.frames = 0;
    this.paddleWidth = PADDLE_WIDTH;
    this.paddleX = (PADDLE_MIN_X + PADDLE_MAX_X) / 2;
    this.ballInPlay = false;
    this.version++;
  }

  /**
   * Advances the game by one frame: moves the paddle, serves on FIRE when no ball is in play, and
   * moves the ball.
   *
   * @param action 0 NOOP, 1 FIRE, 2 RIGHT, 3 LEFT.
   * @param rng draws the serve's column and direction.
   */
  step(action: number, rng: Rng): BreakoutFrameOutcome {
    if (!(action === 0 || action === 1 || action === 2 || action === 3)) {
      throw new RangeError(`Expected an action in Discrete(4) — an integer 0 ≤ a < 4, got ${describeValue(action)}`);
    }
    const events = { paddleHit: false, bricksHit: 0, wallHit: false, lifeLost: false };
    const scoreBefore = this.points;
    this.frames++;
    if (!this.over) {
      if (action === BREAKOUT_ACTIONS.right) this.paddleX = Math.min(PADDLE_MAX_X, this.paddleX + BREAKOUT_RULES.paddleSpeed);
      if (action === BREAKOUT_ACTIONS.left) this.paddleX = Math.max(PADDLE_MIN_X, this.paddleX - BREAKOUT_RULES.paddleSpeed);
      if (this.ballInPlay) this.moveBall(events);
      else if (action === BREAKOUT_ACTIONS.fire) this.serve(rng);
    }
    return { reward: this.points - scoreBefore, gameOver: this.over, events };
  }

  /** Puts a new ball in play at row 122, heading down, and restores the serve's slow speed. */
  private serve(rng: Rng): void {
    if (this.refillPending) this.refillWall();
    this.ballX = PLAY_LEFT + rng.integer(PLAY_RIGHT - BALL_WIDTH - PLAY_LEFT + 1);
    this.ballY = BREAKOUT_RULES.serveY;
    this.directionX = rng.integer(2) === 0 ? -1 : 1;
    this.directionY = 1;
    this.slope = rng.integer(2) === 0 ? BREAKOUT_RULES.innerSlope : BREAKOUT_RULES.outerSlope;
    this.paddleHits = 0;
    this.reachedOrange = false;
    this.reachedRed = false;
    this.resizePaddle(PADDLE_WIDTH);
    this.ballInPlay = true;
  }

  /**
   * Moves the ball by one frame's velocity in sub-steps of at most one pixel, so it can never jump
   * over a brick or the paddle, and resolves each bounce where it happens.
   */
  private moveBall(events: Mutable<BreakoutEvents>): void {
    let speed = BREAKOUT_RULES.ballSpeeds[this.speedLevel]!;
    // A power of two, so that every speed (a multiple of 1/8 px) splits into exact binary
    // fractions: positions never pick up rounding error, and a replay is bit-for-bit the same.
    let subSteps = 1;
    while (subSteps < speed * Math.max(1, this.slope)) subSteps *= 2;
    for (let i = 0; i < subSteps; i++) {
      const previousX = this.ballX;
      const previousY = this.ballY;
      this.ballX += (this.directionX * this.slope * speed) / subSteps;
      this.ballY += (this.directionY * speed) / subSteps;

      // Walls reflect the overshoot, so the distance travelled per frame stays the same.
      const maxX = PLAY_RIGHT - BALL_WIDTH;
      if (this.ballX < PLAY_LEFT || this.ballX > maxX) {
        this.ballX = this.ballX < PLAY_LEFT ? 2 * PLAY_LEFT - this.ballX : 2 * maxX - this.ballX;
        this.directionX = -this.directionX;
        events.wallHit = true;
      }
      if (this.ballY < PLAY_TOP) {
        this.ballY = 2 * PLAY_TOP - this.ballY;
        this.directionY = 1;
        events.wallHit = true;
        // 2600 rule: breaking through to the back wall halves the paddle.
        if (this.paddleWidth !== SHRUNK_PADDLE_WIDTH) this.resizePaddle(SHRUNK_PADDLE_WIDTH);
      }

      const brick = this.brickUnderBall();
      if (brick >= 0) {
        this.breakBrick(brick);
        events.bricksHit++;
        if (this.over) return;
        // Back to where the ball touched no brick, heading the other way: it cannot hit the same
        // brick twice, and only one brick breaks per bounce, as on the 2600.
        this.ballX = previousX;
        this.ballY = previousY;
        this.directionY = -this.directionY;
        speed = BREAKOUT_RULES.ballSpeeds[this.speedLevel]!;
        continue;
      }

      if (this.directionY > 0 && this.reachesPaddle(previousY)) {
        this.bounceOffPaddle();
        events.paddleHit = true;
        return;
      }
      if (Math.floor(this.ballY) >= PLAY_BOTTOM) {
        this.loseBall();
        events.lifeLost = true;
        return;
      }
    }
  }

  /**
   * Whether the ball's bottom row moved onto the paddle's top row during this sub-step, with the
   * ball's columns over the paddle. A ball already below the paddle's top is past it.
   */
  private reachesPaddle(previousY: number): boolean {
    const bottomBefore = Math.floor(previousY) + BALL_HEIGHT;
    const bottomNow = Math.floor(this.ballY) + BALL_HEIGHT;
    if (!(bottomBefore <= PADDLE_TOP && bottomNow > PADDLE_TOP)) return false;
    const left = Math.floor(this.ballX);
    return left < this.paddleX + this.paddleWidth && left + BALL_WIDTH > this.paddleX;
  }

  /**
   * The paddle's quarter under the ball's centre sets the new direction: outer quarters send it
   * off flat (slope 1.5), inner quarters steep (0.75), to the side of the quarter.
   */
  private bounceOffPaddle(): void {
    const centre = Math.floor(this.ballX) + BALL_WIDTH / 2 - this.paddleX;
    const quarter = Math.min(3, Math.max(0, Math.floor((centre * 4) / this.paddleWidth)));
    this.directionX = quarter < 2 ? -1 : 1;
    this.slope = quarter === 0 || quarter === 3 ? BREAKOUT_RULES.outerSlope : BREAKOUT_RULES.innerSlope;
    this.directionY = -1;
    this.ballY = PADDLE_TOP - BALL_HEIGHT;
    this.paddleHits++;
    if (this.refillPending) this.refillWall();
  }

  /** The index of a standing brick that the ball's pixels overlap, nearest first along its path; −1 if none. */
  private brickUnderBall(): number {
    const top = Math.floor(this.ballY);
    if (top + BALL_HEIGHT <= BRICKS_TOP || top >= BRICKS_BOTTOM) return -1;
    const left = Math.floor(this.ballX);
    const firstRow = Math.max(0, Math.floor((top - BRICKS_TOP) / BRICK_HEIGHT));
    const lastRow = Math.min(BRICK_ROWS - 1, Math.floor((top + BALL_HEIGHT - 1 - BRICKS_TOP) / BRICK_HEIGHT));
    const firstColumn = Math.floor((left - PLAY_LEFT) / BRICK_WIDTH);
    const lastColumn = Math.floor((left + BALL_WIDTH - 1 - PLAY_LEFT) / BRICK_WIDTH);
    // The row the ball enters first is the lower one when it moves up, the upper one when it moves
    // down; likewise the column on its leading side.
    const nearRow = this.directionY < 0 ? lastRow : firstRow;
    const farRow = nearRow === firstRow ? lastRow : firstRow;
    const nearColumn = this.directionX > 0 ? lastColumn : firstColumn;
    const farColumn = nearColumn === firstColumn ? lastColumn : firstColumn;
    for (let rowTurn = 0; rowTurn < 2; rowTurn++) {
      const row = rowTurn === 0 ? nearRow : farRow;
      for (let columnTurn = 0; columnTurn < 2; columnTurn++) {
        const index = row * BRICK_COLUMNS + (columnTurn === 0 ? nearColumn : farColumn);
        if (this.bricks[index] === 1) return index;
      }
    }
    return -1;
  }

  private breakBrick(index: number): void {
    const row = Math.floor(index / BRICK_COLUMNS);
    this.bricks[index] = 0;
    this.bricksLeft--;
    this.points += BRICK_POINTS[row]!;
    if (row === 1) this.reachedOrange = true;
    if (row === 0) this.reachedRed = true;
    this.version++;
    if (this.bricksLeft === 0) {
      if (this.wallNumber === 0) this.refillPending = true;
      else this.over = true;
    }
  }

  /** The 2600 refills the wall once; done away from the bricks, so the ball is never inside one. */
  private refillWall(): void {
    this.bricks.fill(1);
    this.bricksLeft = BRICK_COUNT;
    this.wallNumber = 1;
    this.refillPending = false;
    this.version++;
  }

  private loseBall(): void {
    this.ballInPlay = false;
    this.livesLeft--;
    if (this.livesLeft === 0) this.over = true;
    this.version++;
  }

  /** Changes the paddle's width around its centre, keeping it inside its range. */
  private resizePaddle(width: number): void {
    const centre = this.paddleX + this.paddleWidth / 2;
    this.paddleWidth = width;
    this.paddleX = Math.min(PADDLE_MAX_X, Math.max(PADDLE_MIN_X, Math.round(centre - width / 2)));
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function brickIndex(row: number, column: number): number {
  if (!Number.isInteger(row) || row < 0 || row >= BRICK_ROWS || !Number.isInteger(column) || column < 0 || column >= BRICK_COLUMNS) {
    throw new RangeError(`Expected a brick row in 0..${BRICK_ROWS - 1} and column in 0..${BRICK_COLUMNS - 1}, got row ${row}, column ${column}`);
  }
  return row * BRICK_COLUMNS + column;
}
