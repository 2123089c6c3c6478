import type { RgbFrame } from "../../core/frame";
import { drawNumber } from "../pixel-font";
import { fillCircle, fillConvexPolygon, fillFrame, fillRect, rgb, type Point, type RgbColor } from "../raster";
import type { CoinJumpGame } from "./game";
import { COIN_JUMP_RULES } from "./rules";

const R = COIN_JUMP_RULES;
/** Frame pixels a world cell: 64 cells → 256 pixels, large enough to read in a notebook animation. */
const SCALE = 4;
/** The rendered frame is 256×256. */
export const COIN_JUMP_FRAME_SIZE = Object.freeze({ width: R.worldWidth * SCALE, height: R.worldHeight * SCALE });
/** Pixel row of the ground's top edge. */
const GROUND_Y = (R.worldHeight - R.groundDepth) * SCALE;

// A small flat palette (a few dozen colours, so animations keep exact GIF palettes).
const SKY = rgb(92, 148, 252);
const CLOUD = rgb(252, 252, 252);
const HILL = rgb(0, 168, 0);
const HILL_SPOT = rgb(0, 120, 0);
const GROUND = rgb(200, 76, 12);
const GROUND_LIGHT = rgb(252, 188, 140);
const MORTAR = rgb(120, 40, 0);
const COIN_RIM = rgb(172, 108, 0);
const COIN_GOLD = rgb(252, 188, 60);
const COIN_SHINE = rgb(255, 240, 170);
const SHELL = rgb(0, 160, 64);
const SHELL_SPOT = rgb(0, 104, 40);
const SHELL_RIM = rgb(248, 232, 176);
const TURTLE_SKIN = rgb(252, 216, 72);
const BLACK = rgb(0, 0, 0);
const CAP_RED = rgb(216, 40, 0);
const HAIR = rgb(136, 72, 0);
const FACE = rgb(252, 188, 116);
const OVERALLS = rgb(32, 56, 236);
const BUTTON = rgb(252, 216, 72);
const WHITE = rgb(255, 255, 255);
const HURT = rgb(216, 40, 0);

let background: Uint8Array | undefined;

/**
 * Draws CoinJump as a side-scrolling cartoon into a 256×256 frame (four pixels a world cell): blue
 * sky with clouds and a hill, brick ground, gold coins, a green-shelled turtle walking with its head
 * forward, a red-capped jumper facing the way it last walked, and the score (a coin and the count)
 * in the top-left corner. When the turtle has hit the agent, a red border marks the end.
 *
 * The static background is drawn once and copied in; everything else is whole rectangles, discs
 * and convex polygons written straight into the frame's bytes (no per-pixel allocation).
 *
 * @param frame a 256×256 frame, overwritten.
 * @param game the state to draw.
 * @example
 * const frame = createFrame(256, 256);
 * drawCoinJump(frame, game);
 * frame.data.subarray(0, 3);  //=> Uint8Array(3) [92, 148, 252]   (sky)
 */
export function drawCoinJump(frame: RgbFrame, game: CoinJumpGame): void {
  const { width, height } = COIN_JUMP_FRAME_SIZE;
  if (frame.width !== width || frame.height !== height) {
    throw new RangeError(`Expected a ${width}×${height} frame, got ${frame.width}×${frame.height}`);
  }
  if (background === undefined) {
    drawBackground(frame);
    background = frame.data.slice();
  } else {
    frame.data.set(background);
  }
  for (let i = 0; i < game.numCoins; i++) {
    drawCoin(frame, { x: (game.coinX[i]! + R.coinSize / 2) * SCALE, y: GROUND_Y - (R.coinBottom + R.coinSize / 2) * SCALE });
  }
  drawTurtle(frame, game);
  drawAgent(frame, game);
  // Score: a coin and the count, white on a dark shadow so it reads on sky and clouds alike.
  drawCoin(frame, { x: 14, y: 14 });
  drawNumber(frame, game.score, { x: 28 + 2, y: 6 + 2, scale: 3, color: BLACK });
  drawNumber(frame, game.score, { x: 28, y: 6, scale: 3, color: WHITE });
  if (game.hit) {
    const border = 6;
    fillRect(frame, { x: 0, y: 0, width, height: border }, HURT);
    fillRect(frame, { x: 0, y: height - border, width, height: border }, HURT);
    fillRect(frame, { x: 0, y: 0, width: border, height }, HURT);
    fillRect(frame, { x: width - border, y: 0, width: border, height }, HURT);
  }
}

function drawBackground(frame: RgbFrame): void {
  const { width, height } = COIN_JUMP_FRAME_SIZE;
  fillFrame(frame, SKY);
  for (const [x, y] of [
    [60, 44],
    [188, 72],
  ] as const) {
    fillCircle(frame, { x: x - 14, y: y + 2 }, 9, CLOUD);
    fillCircle(frame, { x, y: y - 4 }, 13, CLOUD);
    fillCircle(frame, { x: x + 14, y: y + 2 }, 9, CLOUD);
    fillRect(frame, { x: x - 14, y: y + 2, width: 28, height: 9 }, CLOUD);
  }
  fillConvexPolygon(frame, halfEllipse({ x: 196, y: GROUND_Y }, 44, 40), HILL);
  fillRect(frame, { x: 188, y: GROUND_Y - 28, width: 4, height: 10 }, HILL_SPOT);
  fillRect(frame, { x: 200, y: GROUND_Y - 22, width: 4, height: 10 }, HILL_SPOT);
  // Brick ground: rows of 16×8 bricks, every other row shifted half a brick.
  fillRect(frame, { x: 0, y: GROUND_Y, width, height: height - GROUND_Y }, GROUND);
  fillRect(frame, { x: 0, y: GROUND_Y, width, height: 2 }, GROUND_LIGHT);
  for (let row = 0; GROUND_Y + row * 8 < height; row++) {
    const top = GROUND_Y + row * 8;
    if (row > 0) fillRect(frame, { x: 0, y: top, width, height: 2 }, MORTAR);
    for (let x = (row % 2) * 8; x < width; x += 16) fillRect(frame, { x, y: top + 2, width: 2, height: 6 }, MORTAR);
  }
}

function drawCoin(frame: RgbFrame, centre: Point): void {
  fillCircle(frame, centre, 8, COIN_RIM);
  fillCircle(frame, centre, 6, COIN_GOLD);
  fillRect(frame, { x: centre.x - 3, y: centre.y - 4, width: 2, height: 7 }, COIN_SHINE);
}

/** A sprite's box on the frame and the way it faces: `part` places a rectangle mirrored when facing left. */
class Sprite {
  constructor(
    private readonly frame: RgbFrame,
    private readonly box: { readonly x: number; readonly y: number; readonly width: number },
    private readonly facing: number,
  ) {}

  /** Fills the rectangle at (dx, dy) from the box's top-left corner as seen facing right. */
  part(dx: number, dy: number, size: { readonly width: number; readonly height: number }, color: RgbColor): void {
    const x = this.facing > 0 ? this.box.x + dx : this.box.x + this.box.width - dx - size.width;
    fillRect(this.frame, { x, y: this.box.y + dy, width: size.width, height: size.height }, color);
  }

  /** The frame x of a point dx from the left edge as seen facing right. */
  mirrorX(dx: number): number {
    return this.facing > 0 ? this.box.x + dx : this.box.x + this.box.width - dx;
  }
}

function drawTurtle(frame: RgbFrame, game: CoinJumpGame): void {
  const width = R.turtleWidth * SCALE;
  const height = R.turtleHeight * SCALE;
  const left = game.turtleX * SCALE;
  const top = GROUND_Y - height;
  const sprite = new Sprite(frame, { x: left, y: top, width }, game.turtleDirection);
  // Feet step forward and back on alternate steps: the turtle visibly walks.
  const stride = game.steps % 2 === 0 ? 0 : 2;
  sprite.part(4 + stride, height - 5, { width: 7, height: 5 }, TURTLE_SKIN);
  sprite.part(19 - stride, height - 5, { width: 7, height: 5 }, TURTLE_SKIN);
  // Head and neck ahead of the shell, with an eye looking forward.
  fillCircle(frame, { x: sprite.mirrorX(28), y: top + 9 }, 5.5, TURTLE_SKIN);
  sprite.part(24, 9, { width: 5, height: 7 }, TURTLE_SKIN);
  sprite.part(29, 6, { width: 2, height: 3 }, BLACK);
  // Shell: a dome with dark plates and a pale rim.
  fillConvexPolygon(frame, halfEllipse({ x: left + width / 2 - 2, y: top + 18 }, 13, 17), SHELL);
  fillCircle(frame, { x: sprite.mirrorX(14), y: top + 7 }, 3.5, SHELL_SPOT);
  fillCircle(frame, { x: sprite.mirrorX(7), y: top + 13 }, 3, SHELL_SPOT);
  fillCircle(frame, { x: sprite.mirrorX(21), y: top + 13 }, 3, SHELL_SPOT);
  sprite.part(1, 16, { width: 26, height: 3 }, SHELL_RIM);
}

/**
 * The jumper as rectangles [dx, dy, width, height, colour] in its 24×32 box, facing right: cap and
 * brim, hair, face, nose, eye, moustache, shirt, overalls with two buttons, trouser legs, shoes.
 * The hands are drawn apart: up in the air, down on the ground.
 */
const AGENT_PARTS: readonly (readonly [number, number, number, number, RgbColor])[] = [
  [4, 0, 14, 4, CAP_RED],
  [8, 4, 14, 3, CAP_RED],
  [2, 4, 6, 9, HAIR],
  [8, 7, 13, 7, FACE],
  [20, 9, 3, 3, FACE],
  [15, 7, 2, 3, BLACK],
  [14, 12, 8, 2, HAIR],
  [3, 14, 18, 6, CAP_RED],
  [6, 16, 12, 10, OVERALLS],
  [8, 18, 2, 2, BUTTON],
  [14, 18, 2, 2, BUTTON],
  [5, 26, 6, 2, OVERALLS],
  [13, 26, 6, 2, OVERALLS],
  [2, 28, 9, 4, HAIR],
  [13, 28, 9, 4, HAIR],
];

function drawAgent(frame: RgbFrame, game: CoinJumpGame): void {
  const width = R.agentWidth * SCALE;
  const top = GROUND_Y - (game.agentHeight + R.agentHeight) * SCALE;
  const sprite = new Sprite(frame, { x: game.agentX * SCALE, y: top, width }, game.facing);
  for (const [dx, dy, partWidth, partHeight, color] of AGENT_PARTS) sprite.part(dx, dy, { width: partWidth, height: partHeight }, color);
  const handY = game.agentHeight > 0 ? 12 : 19;
  sprite.part(0, handY, { width: 3, height: 4 }, FACE);
  sprite.part(21, handY, { width: 3, height: 4 }, FACE);
}

/** The upper half of an ellipse standing on `base`, as a convex polygon of 13 points. */
function halfEllipse(base: Point, radiusX: number, radiusY: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= 12; i++) {
    const angle = (Math.PI * i) / 12;
    points.push({ x: base.x + radiusX * Math.cos(angle), y: base.y - radiusY * Math.sin(angle) });
  }
  return points;
}
