/**
 * Turning an observation into a picture: what the agent sees is rarely an RGB frame. A preprocessed
 * Atari observation is 84×84 grey, a frame stack has 4 grey channels, a MinAtar-style view has one
 * 0/1 channel per object. {@link observationFrame} draws each of these as an RGB frame, so the
 * notebook can show the network's input exactly, pixel for pixel.
 */
import { createFrame, type RgbFrame } from "../core/frame";

/** Options of {@link observationFrame}. */
export interface ObservationFrameOptions {
  /**
   * For [H, W, C] observations with C ≠ 3 (or to pick one channel of an RGB frame): draw only this
   * channel, as grey. Index 0 is the first channel (in a frame stack, the oldest frame).
   */
  readonly channel?: number;
  /**
   * For channel-per-object observations (values 0/1, e.g. [10, 10, 4]: paddle, ball, trail, bricks):
   * one RGB colour per channel; a cell takes the colour of the LAST channel set in it (later channels
   * drawn on top), black where none is. Without `channel` or `channelColors`, a C ≠ 3 observation is an error.
   */
  readonly channelColors?: readonly (readonly [number, number, number])[];
  /**
   * Value that maps to white for grey drawings (default 255 for uint8 pixels; pass 1 for 0/1 or
   * [0, 1] float observations). Values are clamped to [0, max] for display only.
   */
  readonly max?: number;
}

/**
 * Draws an observation as an RGB frame.
 *
 * @param obs the observation, row-major: `[H, W]` grey, `[H, W, 1]` grey, `[H, W, 3]` RGB, or `[H, W, C]`
 *   with `channel` or `channelColors` chosen.
 * @param shape its shape (the env's `observationSpace.shape`).
 * @returns a new RGB frame of W×H pixels.
 * @example
 * const stack = env.reset({ seed: 0 }).obs;                          // Uint8Array 84×84×4
 * observationFrame(stack, [84, 84, 4], { channel: 3 }).width;        //=> 84 (the newest frame, grey)
 * observationFrame(compact, [10, 10, 4], { channelColors: [[200, 72, 72], [255, 255, 255], [90, 90, 160], [66, 72, 200]] });
 */
export function observationFrame(obs: ArrayLike<number>, shape: readonly number[], options: ObservationFrameOptions = {}): RgbFrame {
  if (!Array.isArray(shape) || (shape.length !== 2 && shape.length !== 3) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`Expected an image shape [H, W] or [H, W, C] of positive integers, got ${JSON.stringify(shape)}`);
  }
  const [height, width, channels = 1] = shape as [number, number, number?];
  if (obs === null || typeof obs !== "object" || obs.length !== height * width * channels) {
    throw new RangeError(`Expected an observation of ${height}×${width}×${channels} = ${height * width * channels} values for shape ${JSON.stringify(shape)}, got ${obs === null || typeof obs !== "object" ? String(obs) : obs.length}`);
  }
  const { channel, channelColors } = options;
  const max = options.max ?? 255;
  if (!(max > 0)) throw new RangeError(`Expected max > 0, got ${max}`);
  if (channel !== undefined && !(Number.isInteger(channel) && channel >= 0 && channel < channels)) {
    throw new RangeError(`Expected channel to be an integer in [0, ${channels - 1}], got ${channel}`);
  }
  if (channelColors !== undefined && channelColors.length !== channels) {
    throw new RangeError(`Expected one colour per channel (${channels}), got ${channelColors.length}`);
  }
  const frame = createFrame(width, height);
  const out = frame.data;
  const grey = (v: number): number => Math.round((Math.min(Math.max(v, 0), max) / max) * 255);
  const pixels = width * height;
  if (channel !== undefined || channels === 1) {
    const c = channel ?? 0;
    for (let p = 0; p < pixels; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = grey(obs[p * channels + c]!);
  } else if (channelColors !== undefined) {
    for (let p = 0; p < pixels; p++) {
      for (let c = channels - 1; c >= 0; c--) {
        if (obs[p * channels + c]! > 0) {
          const [r, g, b] = channelColors[c]!;
          out[3 * p] = r;
          out[3 * p + 1] = g;
          out[3 * p + 2] = b;
          break;
        }
      }
    }
  } else if (channels === 3) {
    for (let i = 0; i < pixels * 3; i++) out[i] = grey(obs[i]!);
  } else {
    throw new RangeError(`Expected channel or channelColors for an observation with ${channels} channels (only 1 or 3 draw directly)`);
  }
  return frame;
}
