import { forEachLitCell } from "./digits";
import type { BreakoutGame } from "./game";
import {
  BALL_HEIGHT,
  BALL_WIDTH,
  BRICK_COLUMNS,
  BRICK_COUNT,
  BRICK_HEIGHT,
  BRICK_WIDTH,
  brickLeft,
  brickTop,
  DIGIT_CELL_HEIGHT,
  DIGIT_CELL_WIDTH,
  DIGITS_TOP,
  LIVES_DIGIT_X,
  PADDLE_HEIGHT,
  PADDLE_TOP,
  PLAY_BOTTOM,
  PLAY_RIGHT,
  PLAY_TOP,
  PLAYER_DIGIT_X,
  RIGHT_WALL_FOOT_BOTTOM,
  SCORE_DIGIT_X,
  SCREEN_HEIGHT,
  SCREEN_WIDTH,
  TOP_BAR_TOP,
  WALL_FOOT_TOP,
  WALL_WIDTH,
} from "./layout";
import { PALETTE_INDEX, paletteBytes } from "./palette";

/** The pixel format of a rendered Breakout frame: RGB (3 bytes a pixel) or OpenCV grey (1 byte). */
export type BreakoutPixelFormat = "rgb" | "grayscale";

const DIGIT_WIDTH = 3 * DIGIT_CELL_WIDTH;
const DIGIT_HEIGHT = 5 * DIGIT_CELL_HEIGHT;

/**
 * Draws a {@link BreakoutGame} as ALE's 210×160 frame, in RGB (`[210, 160, 3]`, row-major, the
 * layout of an RgbFrame) or grayscale (`[210, 160]`, each pixel OpenCV's grey of the RGB colour, so
 * it equals `cv2.cvtColor(rgbFrame, cv2.COLOR_RGB2GRAY)` exactly).
 *
 * Why it is fast: everything but the ball and the paddle (top bar, walls, bricks, score, lives)
 * lives in a pre-composed background that is patched only where the game's `sceneVersion` says
 * something changed (a brick broke, the score or lives changed, the wall refilled). A frame is then
 * one native copy of that background plus two small rectangles, with no per-pixel allocation.
 *
 * @example
 * const game = new BreakoutGame();
 * const frame = new BreakoutRenderer("grayscale").render(game, true);
 * frame.length;          //=> 33600   (210 × 160)
 * frame[20 * 160 + 80];  //=> 142     (the grey top bar)
 */
export class BreakoutRenderer {
  /** Bytes per pixel: 3 for RGB, 1 for grayscale. */
  readonly channels: 1 | 3;
  /** Bytes of a whole frame. */
  readonly frameLength: number;
  private readonly palette: Uint8Array;
  private readonly background: Uint8Array;
  /** What the background shows now, to patch only what changed. */
  private readonly drawnBricks = new Uint8Array(BRICK_COUNT).fill(1);
  private drawnVersion = Number.NaN;
  private drawnScore = 0;
  private drawnLives = 0;
  private backgroundPatches = 0;

  constructor(format: BreakoutPixelFormat) {
    if (format !== "rgb" && format !== "grayscale") {
      throw new RangeError(`Expected a pixel format "rgb" or "grayscale", got ${JSON.stringify(format)}`);
    }
    this.channels = format === "rgb" ? 3 : 1;
    this.frameLength = SCREEN_WIDTH * SCREEN_HEIGHT * this.channels;
    this.palette = paletteBytes(this.channels);
    this.background = new Uint8Array(this.frameLength);
    this.drawStaticScene();
  }

  /**
   * How many times the background was patched since construction: once per change of the scene,
   * never per frame (a test checks this; it is the renderer's main speed-up).
   */
  get backgroundUpdates(): number {
    return this.backgroundPatches;
  }

  /**
   * A fresh frame of the game that the caller may keep (Gymnasium semantics: later steps never
   * change it).
   *
   * @param game the game to draw.
   * @param showBall whether to draw the ball (false on the hidden frames of the flicker option).
   */
  render(game: BreakoutGame, showBall: boolean): Uint8Array {
    this.updateBackground(game);
    // One native copy into a new buffer of its own (skipping the zero-fill with Node's
    // Buffer.allocUnsafeSlow measured no faster).
    const frame = this.background.slice();
    this.drawMovingObjects(frame, game, showBall);
    return frame;
  }

  /**
   * Draws the game into `frame` (of `frameLength` bytes), for callers that reuse one buffer.
   *
   * @returns the same buffer.
   */
  renderInto(frame: Uint8Array, game: BreakoutGame, showBall: boolean): Uint8Array {
    if (!(frame instanceof Uint8Array) || frame.length !== this.frameLength) {
      throw new RangeError(`Expected a Uint8Array of ${this.frameLength} bytes, got ${frame?.constructor?.name} of length ${frame?.length}`);
    }
    this.updateBackground(game);
    frame.set(this.background);
    this.drawMovingObjects(frame, game, showBall);
    return frame;
  }

  private drawMovingObjects(frame: Uint8Array, game: BreakoutGame, showBall: boolean): void {
    // The paddle may slide under the right wall, whose foot has the paddle's colour; clip at the frame.
    const paddleEnd = Math.min(SCREEN_WIDTH, game.paddleX + game.paddleWidth);
    this.fillRect(frame, game.paddleX, PADDLE_TOP, paddleEnd - game.paddleX, PADDLE_HEIGHT, PALETTE_INDEX.paddle);
    if (showBall && game.ballInPlay) {
      const top = Math.floor(game.ballY);
      const height = Math.min(BALL_HEIGHT, SCREEN_HEIGHT - top);
      if (height > 0) this.fillRect(frame, Math.floor(game.ballX), top, BALL_WIDTH, height, PALETTE_INDEX.ball);
    }
  }

  /** Top bar, walls with their coloured feet, the player number, and a full wall of bricks. */
  private drawStaticScene(): void {
    const background = this.background;
    this.fillRect(background, 0, TOP_BAR_TOP, SCREEN_WIDTH, PLAY_TOP - TOP_BAR_TOP, PALETTE_INDEX.wall);
    this.fillRect(background, 0, PLAY_TOP, WALL_WIDTH, WALL_FOOT_TOP - PLAY_TOP, PALETTE_INDEX.wall);
    this.fillRect(background, PLAY_RIGHT, PLAY_TOP, WALL_WIDTH, WALL_FOOT_TOP - PLAY_TOP, PALETTE_INDEX.wall);
    this.fillRect(background, 0, WALL_FOOT_TOP, WALL_WIDTH, PLAY_BOTTOM - WALL_FOOT_TOP, PALETTE_INDEX.leftWallFoot);
    this.fillRect(background, PLAY_RIGHT, WALL_FOOT_TOP, WALL_WIDTH, RIGHT_WALL_FOOT_BOTTOM - WALL_FOOT_TOP, PALETTE_INDEX.rightWallFoot);
    this.drawDigit(background, 1, PLAYER_DIGIT_X);
    for (let index = 0; index < BRICK_COUNT; index++) this.drawBrick(index, true);
    this.drawScore(0);
    this.drawLives(0);
  }

  /** Patches the background where the game's scene differs from what it shows. */
  private updateBackground(game: BreakoutGame): void {
    if (game.sceneVersion === this.drawnVersion) return;
    this.drawnVersion = game.sceneVersion;
    this.backgroundPatches++;
    for (let index = 0; index < BRICK_COUNT; index++) {
      const standing = game.hasBrick(Math.floor(index / BRICK_COLUMNS), index % BRICK_COLUMNS);
      if (standing !== (this.drawnBricks[index] === 1)) this.drawBrick(index, standing);
    }
    if (game.score !== this.drawnScore) this.drawScore(game.score);
    if (game.lives !== this.drawnLives) this.drawLives(game.lives);
  }

  private drawBrick(index: number, standing: boolean): void {
    const row = Math.floor(index / BRICK_COLUMNS);
    const colour = standing ? PALETTE_INDEX.firstBrickRow + row : PALETTE_INDEX.background;
    this.fillRect(this.background, brickLeft(index % BRICK_COLUMNS), brickTop(row), BRICK_WIDTH, BRICK_HEIGHT, colour);
    this.drawnBricks[index] = standing ? 1 : 0;
  }

  /** The score as three digits with leading zeros, as the 2600 shows it (000 at the start). */
  private drawScore(score: number): void {
    const shown = score % 1000;
    const digits = [Math.floor(shown / 100), Math.floor(shown / 10) % 10, shown % 10];
    SCORE_DIGIT_X.forEach((x, i) => this.drawDigit(this.background, digits[i]!, x));
    this.drawnScore = score;
  }

  private drawLives(lives: number): void {
    this.drawDigit(this.background, lives % 10, LIVES_DIGIT_X);
    this.drawnLives = lives;
  }

  private drawDigit(target: Uint8Array, digit: number, x: number): void {
    this.fillRect(target, x, DIGITS_TOP, DIGIT_WIDTH, DIGIT_HEIGHT, PALETTE_INDEX.background);
    forEachLitCell(digit, (column, row) =>
      this.fillRect(target, x + column * DIGIT_CELL_WIDTH, DIGITS_TOP + row * DIGIT_CELL_HEIGHT, DIGIT_CELL_WIDTH, DIGIT_CELL_HEIGHT, PALETTE_INDEX.wall),
    );
  }

  /** Paints a `width`×`height` rectangle at column `x`, row `y` with palette colour `colour`; the caller keeps it inside the frame. */
  private fillRect(target: Uint8Array, x: number, y: number, width: number, height: number, colour: number): void {
    const channels = this.channels;
    const rowBytes = SCREEN_WIDTH * channels;
    if (channels === 1) {
      const grey = this.palette[colour]!;
      for (let row = y, start = y * rowBytes + x; row < y + height; row++, start += rowBytes) target.fill(grey, start, start + width);
      return;
    }
    const red = this.palette[colour * 3]!;
    const green = this.palette[colour * 3 + 1]!;
    const blue = this.palette[colour * 3 + 2]!;
    for (let row = y, start = (y * SCREEN_WIDTH + x) * 3; row < y + height; row++, start += rowBytes) {
      for (let offset = start, end = start + width * 3; offset < end; offset += 3) {
        target[offset] = red;
        target[offset + 1] = green;
        target[offset + 2] = blue;
      }
    }
  }
}
