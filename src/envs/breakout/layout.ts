/**
 * Where everything sits on Breakout's screen, in ALE pixel coordinates: a 160×210 frame, x to the
 * right from column 0, y down from row 0. The figures were read off a real ALE frame
 * (shared/reference/warpframe-cv2.json, case "breakout"); the game logic, the renderer and the
 * compact view all read them from here, so what collides is exactly what is drawn.
 *
 * A range is written `[first, end)`: `end` is the first row or column past it.
 */

/** Frame width in pixels (ALE: 160). */
export const SCREEN_WIDTH = 160;
/** Frame height in pixels (ALE: 210). */
export const SCREEN_HEIGHT = 210;

/** The grey bar across the top (the back wall): rows [17, 32), full width. */
export const TOP_BAR_TOP = 17;
/** First row below the top bar: the ball bounces off the back wall here. */
export const PLAY_TOP = 32;
/** The side walls are 8 px wide: columns [0, 8) and [152, 160). */
export const WALL_WIDTH = 8;
/** First column of the playfield (inside the left wall). */
export const PLAY_LEFT = WALL_WIDTH;
/** End column of the playfield (the right wall starts here). */
export const PLAY_RIGHT = SCREEN_WIDTH - WALL_WIDTH;
/** End row of the side walls and of the playfield: the ball is lost once it is below this row. */
export const PLAY_BOTTOM = 196;
/**
 * The walls' bottom segments at paddle height have their own colours in ALE: the left one (teal)
 * covers rows [189, 196), the right one (paddle red) rows [189, 195).
 */
export const WALL_FOOT_TOP = 189;
/** End row of the right wall's red foot: one row shorter than the left one, as in the ALE frame. */
export const RIGHT_WALL_FOOT_BOTTOM = 195;

/** Brick rows: 6, red at the top down to blue. */
export const BRICK_ROWS = 6;
/** Bricks per row: 18, filling the playfield's 144 columns [8, 152). */
export const BRICK_COLUMNS = 18;
/** Bricks in a full wall: 108. */
export const BRICK_COUNT = BRICK_ROWS * BRICK_COLUMNS;
/** Brick width in pixels. */
export const BRICK_WIDTH = 8;
/** Brick height in pixels. */
export const BRICK_HEIGHT = 6;
/** Top row of the red bricks: the wall spans rows [57, 93). */
export const BRICKS_TOP = 57;
/** End row of the blue bricks (93). */
export const BRICKS_BOTTOM = BRICKS_TOP + BRICK_ROWS * BRICK_HEIGHT;
/** Points for a brick of each row, top to bottom (red, orange, amber, yellow, green, blue). */
export const BRICK_POINTS: readonly number[] = Object.freeze([7, 7, 4, 4, 1, 1]);

/** Top row of the paddle: it covers rows [189, 193). */
export const PADDLE_TOP = 189;
/** Paddle height in pixels. */
export const PADDLE_HEIGHT = 4;
/** Paddle width in pixels at the start of each serve. */
export const PADDLE_WIDTH = 16;
/** Paddle width once the ball has reached the back wall (the 2600 halves it). */
export const SHRUNK_PADDLE_WIDTH = 8;
/**
 * The paddle's left edge moves in [8, 144]. As in ALE, a full paddle at the right end slides half
 * under the right wall (the reference frame shows it at x 144 with only 8 px visible).
 */
export const PADDLE_MIN_X = PLAY_LEFT;
/** The largest left edge of the paddle (144). */
export const PADDLE_MAX_X = PLAY_RIGHT - SHRUNK_PADDLE_WIDTH;

/** Ball width in pixels. */
export const BALL_WIDTH = 2;
/** Ball height in pixels (Breakout draws every line twice, hence taller than wide). */
export const BALL_HEIGHT = 4;

/** Top row of the score and lives digits: blocky 3×5 glyphs covering rows [5, 15). */
export const DIGITS_TOP = 5;
/** Width of one glyph cell: one Atari playfield pixel, 4 px. */
export const DIGIT_CELL_WIDTH = 4;
/** Height of one glyph cell: 2 rows. */
export const DIGIT_CELL_HEIGHT = 2;
/** Left columns of the three score digits. */
export const SCORE_DIGIT_X: readonly number[] = Object.freeze([36, 52, 68]);
/** Left column of the lives digit. */
export const LIVES_DIGIT_X = 100;
/** Left column of the player number, always "1" in a one-player game. */
export const PLAYER_DIGIT_X = 132;

/**
 * Left column of brick column `column` (0 at the left wall).
 *
 * @example
 * brickLeft(0);   //=> 8
 * brickLeft(17);  //=> 144
 */
export function brickLeft(column: number): number {
  return PLAY_LEFT + column * BRICK_WIDTH;
}

/**
 * Top row of brick row `row` (0 is the red row at the top).
 *
 * @example
 * brickTop(0);  //=> 57
 * brickTop(5);  //=> 87   (the blue row)
 */
export function brickTop(row: number): number {
  return BRICKS_TOP + row * BRICK_HEIGHT;
}
