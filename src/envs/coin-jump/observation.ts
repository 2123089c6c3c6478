import { Box } from "../../core/box";
import type { CoinJumpGame } from "./game";
import { COIN_JUMP_RULES, COIN_JUMP_APEX } from "./rules";

const R = COIN_JUMP_RULES;
/** Screen row (0 at the top) of the ground's top edge in the 64×64 pixel observation. */
const GROUND_ROW = R.worldHeight - R.groundDepth;

/** Entries of the vector observation before the coins' (see CoinJumpEnv's table). */
export const VECTOR_FEATURES_BEFORE_COINS = 5;

/**
 * Grey levels of the pixel observation: one flat level a kind of object, far apart, so a CNN (or a
 * person) tells them apart at a glance.
 */
export const COIN_JUMP_PIXEL_LEVELS = Object.freeze({ sky: 0, ground: 64, turtleHead: 96, turtle: 144, agent: 200, coin: 255 });

/**
 * The vector observation space for `numCoins` coins: 5 + numCoins float32 numbers in [−1, 1]
 * (positions in [0, 1]).
 *
 * @example
 * String(coinJumpVectorSpace(3));  //=> "Box([0, 0, -1, -1, -1, -1, -1, -1], 1, [8], float32)"
 */
export function coinJumpVectorSpace(numCoins: number): Box {
  const size = VECTOR_FEATURES_BEFORE_COINS + numCoins;
  const low = new Array<number>(size).fill(-1);
  low[0] = 0;
  low[1] = 0;
  return new Box({ low, high: 1, shape: [size], dtype: "float32" });
}

/**
 * Writes the game's vector observation into `out` (length 5 + numCoins): where the agent is, how
 * it is moving, where the turtle is and which way it walks, where the coins are relative to the
 * agent, nearest first (so the first coin entry is always the nearest: the network need not learn
 * that coin order means nothing).
 *
 * @example
 * const game = new CoinJumpGame(1);
 * game.reset(Rng.fromSeed(0));
 * const obs = new Float32Array(6);
 * writeCoinJumpVector(game, obs);  // obs[3]: the turtle's offset, obs[5]: the coin's, in world widths
 */
export function writeCoinJumpVector(game: CoinJumpGame, out: Float32Array): void {
  const width = R.worldWidth;
  const agentCentre = game.agentX + R.agentWidth / 2;
  out[0] = agentCentre / width;
  out[1] = game.agentHeight / COIN_JUMP_APEX;
  out[2] = game.agentVelocity / R.jumpVelocity;
  out[3] = (game.turtleX + R.turtleWidth / 2 - agentCentre) / width;
  out[4] = game.turtleDirection;
  const first = VECTOR_FEATURES_BEFORE_COINS;
  for (let i = 0; i < game.numCoins; i++) {
    const offset = (game.coinX[i]! + R.coinSize / 2 - agentCentre) / width;
    // Insertion sort by distance: at most 3 coins, no allocation.
    let j = first + i;
    while (j > first && Math.abs(out[j - 1]!) > Math.abs(offset)) {
      out[j] = out[j - 1]!;
      j -= 1;
    }
    out[j] = offset;
  }
}

/** The pixel observation space: a 64×64 grey image, uint8, with one channel (`[64, 64, 1]`, as WarpFrame's output). */
export function coinJumpPixelSpace(): Box<"uint8"> {
  return new Box({ low: 0, high: 255, shape: [R.worldHeight, R.worldWidth, 1], dtype: "uint8" });
}

/**
 * Draws the game into `out`, a 64×64 grey image (row-major, one byte a pixel), one world cell a
 * pixel: sky 0, ground 64, coins 255, the agent 200, the turtle 144 with its head (96) on the side
 * it walks towards, so a single frame shows the turtle's direction (the agent's vertical speed
 * needs two frames: stack them, as for Atari). The score is not drawn.
 *
 * @example
 * const image = new Uint8Array(64 * 64);
 * drawCoinJumpPixels(game, image);
 * image[63 * 64];  //=> 64   (ground)
 */
export function drawCoinJumpPixels(game: CoinJumpGame, out: Uint8Array): void {
  const width = R.worldWidth;
  out.fill(COIN_JUMP_PIXEL_LEVELS.sky, 0, GROUND_ROW * width);
  out.fill(COIN_JUMP_PIXEL_LEVELS.ground, GROUND_ROW * width);
  const coinRow = GROUND_ROW - R.coinBottom - R.coinSize;
  for (let i = 0; i < game.numCoins; i++) fillBlock(out, { x: game.coinX[i]!, y: coinRow, width: R.coinSize, height: R.coinSize }, COIN_JUMP_PIXEL_LEVELS.coin);
  const turtleRow = GROUND_ROW - R.turtleHeight;
  fillBlock(out, { x: game.turtleX, y: turtleRow, width: R.turtleWidth, height: R.turtleHeight }, COIN_JUMP_PIXEL_LEVELS.turtle);
  const headX = game.turtleDirection > 0 ? game.turtleX + R.turtleWidth - 2 : game.turtleX;
  fillBlock(out, { x: headX, y: turtleRow + 1, width: 2, height: 3 }, COIN_JUMP_PIXEL_LEVELS.turtleHead);
  const agentRow = GROUND_ROW - game.agentHeight - R.agentHeight;
  fillBlock(out, { x: game.agentX, y: agentRow, width: R.agentWidth, height: R.agentHeight }, COIN_JUMP_PIXEL_LEVELS.agent);
}

/** Fills whole cells of the 64-wide grey image, clipped to it. */
function fillBlock(out: Uint8Array, block: { x: number; y: number; width: number; height: number }, level: number): void {
  const width = R.worldWidth;
  const x0 = Math.max(0, block.x);
  const x1 = Math.min(width, block.x + block.width);
  for (let row = Math.max(0, block.y), end = Math.min(R.worldHeight, block.y + block.height); row < end; row++) {
    out.fill(level, row * width + x0, row * width + x1);
  }
}
