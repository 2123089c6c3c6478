import { rgb, type RgbColor } from "../raster";

/**
 * Breakout's colours, exactly as ALE renders them (read off a real ALE frame). The renderer draws
 * with palette indices, so one drawing routine serves both the RGB and the grayscale observation.
 */
export const BREAKOUT_COLORS = Object.freeze({
  background: rgb(0, 0, 0),
  /** Top bar and side walls. */
  wall: rgb(142, 142, 142),
  /** Brick rows top to bottom: red, orange, amber, yellow, green, blue. */
  brickRows: Object.freeze([
    rgb(200, 72, 72),
    rgb(198, 108, 58),
    rgb(180, 122, 48),
    rgb(162, 162, 42),
    rgb(72, 160, 72),
    rgb(66, 72, 200),
  ]),
  /** Paddle and ball share the red of the top row. */
  paddle: rgb(200, 72, 72),
  ball: rgb(200, 72, 72),
  /** The bottom segment of the left wall, at paddle height, is teal in ALE; the right one is paddle red. */
  leftWallFoot: rgb(66, 158, 130),
  rightWallFoot: rgb(200, 72, 72),
});

/**
 * Palette index of each thing the renderer draws (brick row r, 0..5 from the top, has index
 * `firstBrickRow + r`).
 */
export const PALETTE_INDEX = Object.freeze({
  background: 0,
  wall: 1,
  firstBrickRow: 2,
  paddle: 8,
  ball: 9,
  leftWallFoot: 10,
  rightWallFoot: 11,
});

/** The palette's colours in {@link PALETTE_INDEX} order. */
export const PALETTE: readonly RgbColor[] = Object.freeze([
  BREAKOUT_COLORS.background,
  BREAKOUT_COLORS.wall,
  ...BREAKOUT_COLORS.brickRows,
  BREAKOUT_COLORS.paddle,
  BREAKOUT_COLORS.ball,
  BREAKOUT_COLORS.leftWallFoot,
  BREAKOUT_COLORS.rightWallFoot,
]);

/**
 * The grey level OpenCV's `cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)` gives a pixel:
 * 0.299 R + 0.587 G + 0.114 B, computed as OpenCV computes it for uint8 images, in 15-bit fixed
 * point (coefficients 9798, 19235, 3735, which sum to 2^15) with rounding. Plain floating-point
 * rounding of the same formula differs from OpenCV by one grey level on about 0.2 % of colours (it
 * rounds 106.498 down, OpenCV's fixed point gives 107), so the fixed-point form is what makes a
 * grayscale observation equal to WarpFrame's conversion of the RGB one.
 *
 * @example
 * opencvGray(142, 142, 142);  //=> 142   (the walls)
 * opencvGray(200, 72, 72);    //=> 110   (red bricks, the paddle and the ball)
 * opencvGray(245, 51, 29);    //=> 107   (where Math.round(0.299 R + 0.587 G + 0.114 B) gives 106)
 */
export function opencvGray(red: number, green: number, blue: number): number {
  return (red * 9798 + green * 19235 + blue * 3735 + 16384) >> 15;
}

/**
 * The bytes one pixel of each palette colour takes in a frame of `channels` bytes per pixel:
 * R, G, B for an RGB frame (3), or its OpenCV grey level for a grayscale frame (1).
 *
 * @example
 * Array.from(paletteBytes(1).subarray(0, 3));  //=> [0, 142, 110]   (background, wall, red row)
 */
export function paletteBytes(channels: 1 | 3): Uint8Array {
  const bytes = new Uint8Array(PALETTE.length * channels);
  PALETTE.forEach(({ red, green, blue }, index) => {
    if (channels === 1) bytes[index] = opencvGray(red, green, blue);
    else bytes.set([red, green, blue], index * 3);
  });
  return bytes;
}
