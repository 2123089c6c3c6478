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
  PADDLE_TOP,
  PLAY_LEFT,
  PLAY_RIGHT,
  PLAY_TOP,
} from "./layout";

/** Grid size of the compact view: 10×10 cells, as in MinAtar. */
export const COMPACT_GRID_SIZE = 10;
/** Channels of the compact view, in order (channels-last). */
export const COMPACT_CHANNELS: readonly string[] = Object.freeze(["paddle", "ball", "trail", "brick"]);
/** Height of a grid row in pixels: rows [32, 192) of the playfield, 16 px each. */
export const COMPACT_ROW_HEIGHT = 16;
/** Width of a grid column in pixels: columns [8, 152) of the playfield, 14.4 px each. */
export const COMPACT_COLUMN_WIDTH = (PLAY_RIGHT - PLAY_LEFT) / COMPACT_GRID_SIZE;

const CHANNELS = COMPACT_CHANNELS.length;
const PADDLE = 0;
const BALL = 1;
const TRAIL = 2;
const BRICK = 3;

/**
 * The grid column of pixel column `x` (clamped to 0..9): the playfield's 144 columns [8, 152) are
 * cut into 10 columns of 14.4 px.
 *
 * @example
 * compactColumn(8);    //=> 0
 * compactColumn(151);  //=> 9
 */
export function compactColumn(x: number): number {
  const column = Math.floor(((x - PLAY_LEFT) * COMPACT_GRID_SIZE) / (PLAY_RIGHT - PLAY_LEFT));
  return Math.min(COMPACT_GRID_SIZE - 1, Math.max(0, column));
}

/**
 * The grid row of pixel row `y` (clamped to 0..9): rows [32, 192) are cut into 10 rows of 16 px,
 * so the bricks (y 57–92) fall in grid rows 1–3 and the paddle (y 189) in row 9, where MinAtar
 * has them; a ball below row 191 stays in row 9 until it is lost.
 *
 * @example
 * compactRow(57);   //=> 1   (the red bricks)
 * compactRow(189);  //=> 9   (the paddle)
 */
export function compactRow(y: number): number {
  const row = Math.floor((y - PLAY_TOP) / COMPACT_ROW_HEIGHT);
  return Math.min(COMPACT_GRID_SIZE - 1, Math.max(0, row));
}

/** For each brick, the grid cells it overlaps (a brick may straddle a cell boundary). */
const BRICK_CELLS: readonly (readonly number[])[] = Array.from({ length: BRICK_COUNT }, (_, index) => {
  const row = Math.floor(index / BRICK_COLUMNS);
  const left = brickLeft(index % BRICK_COLUMNS);
  const top = brickTop(row);
  const cells: number[] = [];
  for (let gridRow = compactRow(top); gridRow <= compactRow(top + BRICK_HEIGHT - 1); gridRow++) {
    for (let gridColumn = compactColumn(left); gridColumn <= compactColumn(left + BRICK_WIDTH - 1); gridColumn++) {
      cells.push(gridRow * COMPACT_GRID_SIZE + gridColumn);
    }
  }
  return cells;
});

/**
 * A MinAtar-style view of Breakout: a 10×10 grid with 4 binary channels (channels-last, shape
 * `[10, 10, 4]`, index `(row * 10 + column) * 4 + channel`):
 * 0 paddle (every cell the paddle overlaps, in row 9), 1 ball (the cell of its centre pixel),
 * 2 trail (the cell the ball was in before it entered its current one, which tells the direction;
 * on the frame of a serve, the ball's own cell, as MinAtar starts), 3 brick (1 if any standing brick
 * overlaps the cell). The pixel → cell mapping is {@link compactColumn} and {@link compactRow}.
 *
 * It keeps the trail between frames, so it must see every frame of a game, starting with `reset`.
 *
 * @example
 * const game = new BreakoutGame();
 * const view = new CompactView();
 * const obs = view.observe(game);
 * obs.length;                    //=> 400
 * obs[(1 * 10 + 0) * 4 + 3];     //=> 1   (a brick in row 1, column 0)
 * obs[(9 * 10 + 4) * 4 + 0];     //=> 1   (the paddle, centred)
 */
export class CompactView {
  private ballCell = -1;
  private trailCell = -1;

  /** Forgets the trail: call it when the game is reset. */
  reset(): void {
    this.ballCell = -1;
    this.trailCell = -1;
  }

  /** A fresh `[10, 10, 4]` observation of the game's current frame; updates the trail. */
  observe(game: BreakoutGame): Uint8Array {
    const obs = new Uint8Array(COMPACT_GRID_SIZE * COMPACT_GRID_SIZE * CHANNELS);
    for (let index = 0; index < BRICK_COUNT; index++) {
      if (!game.hasBrick(Math.floor(index / BRICK_COLUMNS), index % BRICK_COLUMNS)) continue;
      for (const cell of BRICK_CELLS[index]!) obs[cell * CHANNELS + BRICK] = 1;
    }
    const paddleRow = compactRow(PADDLE_TOP);
    const firstColumn = compactColumn(game.paddleX);
    const lastColumn = compactColumn(Math.min(PLAY_RIGHT, game.paddleX + game.paddleWidth) - 1);
    for (let column = firstColumn; column <= lastColumn; column++) obs[(paddleRow * COMPACT_GRID_SIZE + column) * CHANNELS + PADDLE] = 1;

    this.followBall(game);
    if (this.ballCell >= 0) {
      obs[this.ballCell * CHANNELS + BALL] = 1;
      obs[this.trailCell * CHANNELS + TRAIL] = 1;
    }
    return obs;
  }

  private followBall(game: BreakoutGame): void {
    if (!game.ballInPlay) {
      this.reset();
      return;
    }
    const centreX = Math.floor(game.ballX) + BALL_WIDTH / 2;
    const centreY = Math.floor(game.ballY) + BALL_HEIGHT / 2;
    const cell = compactRow(centreY) * COMPACT_GRID_SIZE + compactColumn(centreX);
    if (this.ballCell < 0) this.trailCell = cell;
    else if (cell !== this.ballCell) this.trailCell = this.ballCell;
    this.ballCell = cell;
  }
}
