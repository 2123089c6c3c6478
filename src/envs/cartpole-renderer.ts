import type { RgbFrame } from "../core/frame";
import { CARTPOLE_PHYSICS } from "./cartpole-physics";
import { fillCircle, fillConvexPolygon, fillFrame, fillRowSpan, rgb, type Point } from "./raster";

// Geometry and colours of Gymnasium 1.3.0's CartPole rgb_array frame.
const SCREEN_WIDTH = 600;
const SCREEN_HEIGHT = 400;
const WORLD_WIDTH = CARTPOLE_PHYSICS.xThreshold * 2;
/** Pixels per metre: the track from −2.4 to 2.4 spans the frame's width. */
const SCALE = SCREEN_WIDTH / WORLD_WIDTH;
const POLE_WIDTH = 10.0;
/** The full pole (twice the half-length) in pixels. */
const POLE_LENGTH = SCALE * (2 * CARTPOLE_PHYSICS.length);
const CART_WIDTH = 50.0;
const CART_HEIGHT = 30.0;
/** Height of the track line and of the cart's centre, counted from the bottom of the frame. */
const CART_Y = 100;
const AXLE_OFFSET = CART_HEIGHT / 4.0;

const WHITE = rgb(255, 255, 255);
const BLACK = rgb(0, 0, 0);
const POLE_COLOR = rgb(202, 152, 101);
const AXLE_COLOR = rgb(129, 132, 203);

/**
 * Draws a cart-pole state into a 600×400 frame the way Gymnasium's `render_mode="rgb_array"` does:
 * white background, black cart (50×30 px) on a black track line, a pole (10 px wide, 125 px long)
 * in (202, 152, 101) pivoting on a (129, 132, 203) axle, 125 px per metre, the cart's x = 0 at
 * the centre column. Gymnasium draws with y up and then flips the image; here y is flipped while
 * drawing, so a height h above the bottom lands on row 400 − h. No anti-aliasing.
 *
 * @param frame a 600×400 frame, overwritten.
 * @param state the float64 state `[x, ẋ, θ, θ̇]`.
 * @example
 * const frame = createFrame(600, 400);
 * drawCartPole(frame, new Float64Array([0, 0, 0, 0]));
 * frame.data.subarray((305 * 600 + 280) * 3, (305 * 600 + 280) * 3 + 3);  //=> Uint8Array(3) [0, 0, 0]  (the cart)
 */
export function drawCartPole(frame: RgbFrame, state: Float64Array): void {
  if (frame.width !== SCREEN_WIDTH || frame.height !== SCREEN_HEIGHT) {
    throw new RangeError(`Expected a ${SCREEN_WIDTH}×${SCREEN_HEIGHT} frame, got ${frame.width}×${frame.height}`);
  }
  const cartX = state[0] * SCALE + SCREEN_WIDTH / 2.0;
  fillFrame(frame, WHITE);

  // Cart: Gymnasium's rectangle from y = 85 to 115 (y up), flipped.
  const left = cartX - CART_WIDTH / 2;
  const right = cartX + CART_WIDTH / 2;
  const top = flipY(CART_Y + CART_HEIGHT / 2);
  const bottom = flipY(CART_Y - CART_HEIGHT / 2);
  fillConvexPolygon(frame, [{ x: left, y: bottom }, { x: left, y: top }, { x: right, y: top }, { x: right, y: bottom }], BLACK);

  // Pole: a rectangle around the pivot, rotated clockwise by θ (Gymnasium's rotate_rad(−θ)).
  const theta = state[2];
  const cos = Math.cos(-theta);
  const sin = Math.sin(-theta);
  const pivotY = CART_Y + AXLE_OFFSET;
  const corners: Point[] = [];
  for (const [cornerX, cornerY] of [
    [-POLE_WIDTH / 2, -POLE_WIDTH / 2],
    [-POLE_WIDTH / 2, POLE_LENGTH - POLE_WIDTH / 2],
    [POLE_WIDTH / 2, POLE_LENGTH - POLE_WIDTH / 2],
    [POLE_WIDTH / 2, -POLE_WIDTH / 2],
  ] as const) {
    const rotatedX = cornerX * cos - cornerY * sin;
    const rotatedY = cornerX * sin + cornerY * cos;
    corners.push({ x: rotatedX + cartX, y: flipY(rotatedY + pivotY) });
  }
  fillConvexPolygon(frame, corners, POLE_COLOR);

  // Axle: pygame draws circles on integer pixel centres, hence the truncation and the + 0.5.
  const axleColumn = Math.trunc(cartX);
  const axleRow = SCREEN_HEIGHT - 1 - Math.trunc(pivotY);
  fillCircle(frame, { x: axleColumn + 0.5, y: axleRow + 0.5 }, Math.trunc(POLE_WIDTH / 2), AXLE_COLOR);

  // Track: one black row at height 100 across the frame, drawn last as in Gymnasium.
  fillRowSpan(frame, SCREEN_HEIGHT - 1 - CART_Y, 0, SCREEN_WIDTH, BLACK);
}

/** Gymnasium's y (up from the bottom edge) as a frame coordinate (down from the top edge). */
function flipY(y: number): number {
  return SCREEN_HEIGHT - y;
}
