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

/** Brick grid: 6 rows of 18 bricks, each 8×6 px, filling x [8, 152) and y [57, 93). */
export const BRICK_ROWS = 6;
export const BRICK_COLUMNS = 18;
export const BRICK_COUNT = BRICK_ROWS * BRICK_COLUMNS;
export const BRICK_WIDTH = 8;
export const BRICK_HEIGHT = 6;
export const BRICKS_TOP = 57;
export const BRICKS_BOTTOM = BRICKS_TOP + BRICK_ROWS * BRICK_HEIGHT;
/** Points for a brick of each row, top to bottom (red, orange, amber, yellow, green, blue). */
export const BRICK_POINTS: readonly number[] = Object.freeze([7, 7, 4, 4, 1, 1]);

/** The paddle: 4 rows tall at y [189, 193), 16 px wide (8 px once shrunk). */
export const PADDLE_TOP = 189;
export const PADDLE_HEIGHT = 4;
export const PADDLE_WIDTH = 16;
export const SHRUNK_PADDLE_WIDTH = 8;
/**
 * The paddle's left edge moves in [8, 144]. As in ALE, a full paddle at the right end slides half
 * under the right wall (the reference frame shows it at x 144 with only 8 px visible).
 */
export const PADDLE_MIN_X = PLAY_LEFT;
export const PADDLE_MAX_X = PLAY_RIGHT - SHRUNK_PADDLE_WIDTH;

/** The ball: 2 px wide, 4 px tall. */
export const BALL_WIDTH = 2;
export const BALL_HEIGHT = 4;

/** Score and lives digits: blocky 3×5 glyphs whose cells are 4 px wide and 2 rows tall, from row 5. */
export const DIGITS_TOP = 5;
export const DIGIT_CELL_WIDTH = 4;
export const DIGIT_CELL_HEIGHT = 2;
/** Left columns of the three score digits, of the lives digit and of the player number ("1"). */
export const SCORE_DIGIT_X: readonly number[] = Object.freeze([36, 52, 68]);
export const LIVES_DIGIT_X = 100;
export const PLAYER_DIGIT_X = 132;

/** Left column of brick `column` (0 at the left wall). */
export function brickLeft(column: number): number {
  return PLAY_LEFT + column * BRICK_WIDTH;
}

/** Top row of brick row `row` (0 is the red row at the top). */
export function brickTop(row: number): number {
  return BRICKS_TOP + row * BRICK_HEIGHT;
}
