import type { RgbFrame } from "../core/frame";
import { fillFrame, fillRect, rgb, type RgbColor } from "./raster";

/** Pixels from one cell's left edge to the next. */
const PITCH = 28;
/** A cell's side in pixels (PITCH minus the gap). */
const CELL = 22;
const MARGIN = 8;
const BACKGROUND = rgb(246, 246, 246);
const DECISION = rgb(158, 202, 225);
const KEY_CHAIN = rgb(186, 228, 179);
const OTHER_CHAIN = rgb(217, 217, 217);
const PAYOUT = rgb(253, 208, 60);
const END = rgb(99, 99, 99);
const AGENT = rgb(33, 113, 181);

/**
 * Size of a DelayedChain frame for delay k: k + 2 columns of cells (decision, k positions, end)
 * and three rows (key chain, decision and end, other chain).
 *
 * @example
 * delayedChainFrameSize(5);  //=> { width: 206, height: 94 }
 */
export function delayedChainFrameSize(delay: number): { width: number; height: number } {
  return { width: 2 * MARGIN + (delay + 1) * PITCH + CELL, height: 2 * MARGIN + 2 * PITCH + CELL };
}

/**
 * Draws a DelayedChain as a diagram: the decision cell (blue) on the left, the key chain (green)
 * along the top ending in the paying cell (gold), the other chain (grey) along the bottom, the end
 * cell (dark) on the right, and the agent as a dark blue square in its current state.
 *
 * @param frame a frame of {@link delayedChainFrameSize}(delay), overwritten.
 * @param chain the delay k and the current state index (numbered as in DelayedChainEnv).
 * @example
 * const { width, height } = delayedChainFrameSize(3);
 * drawDelayedChain(createFrame(width, height), { delay: 3, state: 2 });  // agent 2 steps along the key chain
 */
export function drawDelayedChain(frame: RgbFrame, chain: { readonly delay: number; readonly state: number }): void {
  const { delay: k, state } = chain;
  const { width, height } = delayedChainFrameSize(k);
  if (frame.width !== width || frame.height !== height) {
    throw new RangeError(`Expected a ${width}×${height} frame for delay ${k}, got ${frame.width}×${frame.height}`);
  }
  fillFrame(frame, BACKGROUND);
  const cell = (column: number, row: number, color: RgbColor) =>
    fillRect(frame, { x: MARGIN + column * PITCH, y: MARGIN + row * PITCH, width: CELL, height: CELL }, color);
  cell(0, 1, DECISION);
  for (let p = 1; p <= k; p++) {
    cell(p, 0, p === k ? PAYOUT : KEY_CHAIN);
    cell(p, 2, OTHER_CHAIN);
  }
  cell(k + 1, 1, END);
  // The agent: a smaller square centred in its cell.
  const column = state === 0 ? 0 : state <= k ? state : state <= 2 * k ? state - k : k + 1;
  const row = state === 0 || state > 2 * k ? 1 : state <= k ? 0 : 2;
  const inset = 5;
  fillRect(frame, { x: MARGIN + column * PITCH + inset, y: MARGIN + row * PITCH + inset, width: CELL - 2 * inset, height: CELL - 2 * inset }, AGENT);
}
