import { Box, type BoxDType } from "../core/box";
import { describeValue } from "../core/describe";
import type { AnyEnv, Env, ResetArgs } from "../core/env";

/**
 * What the Atari wrappers read from the innermost env beyond the Env protocol: ALE's
 * `get_action_meanings()` and `lives()`, in TypeScript idiom. Our Breakout env provides both; so
 * does any env that wants SB3's Atari preprocessing.
 *
 * @example
 * env.unwrapped.getActionMeanings();  //=> ["NOOP", "FIRE", "RIGHT", "LEFT"]
 * env.unwrapped.lives;                //=> 5
 */
export interface AtariLike {
  /** What each action index does, e.g. `["NOOP", "FIRE", "RIGHT", "LEFT"]` for Breakout. */
  getActionMeanings(): readonly string[];
  /** Lives left; the game is over when the env returns `terminated`. */
  readonly lives: number;
}

/** An env whose observations are frames (uint8 pixels) and whose actions are action indices. */
export type FrameEnv = Env<Uint8Array, number>;

/**
 * The innermost env's action meanings, checked to be an array of strings.
 *
 * @param env any env; its `unwrapped` must have `getActionMeanings()`.
 * @param wrapper the asking wrapper's name, for the message.
 * @example
 * actionMeanings(make("Breakout-v0"), "FireReset");  //=> ["NOOP", "FIRE", "RIGHT", "LEFT"]
 */
export function actionMeanings(env: AnyEnv, wrapper: string): readonly string[] {
  const unwrapped = env.unwrapped as Partial<AtariLike>;
  if (typeof unwrapped.getActionMeanings !== "function") {
    throw new TypeError(
      `Expected ${wrapper}'s env to have unwrapped.getActionMeanings() (an Atari-like env), got ${String(env)} without it`,
    );
  }
  const meanings: unknown = unwrapped.getActionMeanings();
  if (!Array.isArray(meanings) || !meanings.every((meaning) => typeof meaning === "string")) {
    throw new TypeError(`Expected getActionMeanings() to return an array of strings, got ${describeValue(meanings)}`);
  }
  return meanings;
}

/**
 * The innermost env's lives left (ALE's `ale.lives()`), checked to be a number.
 *
 * @example
 * livesLeft(make("Breakout-v0"), "EpisodicLife");  //=> 5 (after a reset)
 */
export function livesLeft(env: AnyEnv, wrapper: string): number {
  const lives: unknown = (env.unwrapped as Partial<AtariLike>).lives;
  if (typeof lives !== "number" || Number.isNaN(lives)) {
    throw new TypeError(`Expected ${wrapper}'s env to have a number unwrapped.lives (an Atari-like env), got ${describeValue(lives)}`);
  }
  return lives;
}

/**
 * The reset arguments for a reset that a wrapper makes on its own (an episode ended during the
 * no-ops or the FIRE step): the caller's options without the seed. Re-seeding there would restart
 * the env's stream and replay the very start that just ended; a seed is applied once, on the reset
 * the caller asked for (Gymnasium's rule: seed once, then let the stream run).
 *
 * @example
 * withoutSeed({ seed: 3, options: { mode: 1 } });  //=> { options: { mode: 1 } }
 */
export function withoutSeed(args: ResetArgs | undefined): ResetArgs | undefined {
  if (args === undefined || args.seed === undefined) return args;
  return args.options === undefined ? {} : { options: args.options };
}

/** An image observation space as the frame wrappers see it: `[height, width, channels]`. */
export interface ImageSpace {
  readonly space: Box<BoxDType>;
  readonly height: number;
  readonly width: number;
  /** 1 for `[H, W]` and `[H, W, 1]`, 3 for RGB. */
  readonly channels: number;
}

/**
 * Checks that `space` is an image space, a Box of shape `[H, W]` or `[H, W, C]`, and returns its
 * sizes. `[H, W]` counts as one channel.
 *
 * @param dtypes the element types the wrapper accepts (default: any).
 * @example
 * imageSpace(new Box({ low: 0, high: 255, shape: [210, 160, 3], dtype: "uint8" }), "WarpFrame");
 * //=> { space, height: 210, width: 160, channels: 3 }
 */
export function imageSpace(space: unknown, wrapper: string, dtypes?: readonly BoxDType[]): ImageSpace {
  const wanted = `an image observation space (a Box${dtypes ? ` of ${dtypes.join(" or ")}` : ""} of shape [H, W] or [H, W, C])`;
  if (!(space instanceof Box)) throw new TypeError(`Expected ${wrapper}'s env to have ${wanted}, got ${String(space)}`);
  const box = space as Box<BoxDType>;
  const { shape } = box;
  if ((shape.length !== 2 && shape.length !== 3) || (dtypes !== undefined && !dtypes.includes(box.dtype))) {
    throw new TypeError(`Expected ${wrapper}'s env to have ${wanted}, got ${String(box)}`);
  }
  return { space: box, height: shape[0], width: shape[1], channels: shape.length === 3 ? shape[2] : 1 };
}

/**
 * Throws unless `obs` has the `size` elements its space promises: a cheap check per step that turns
 * a wrong buffer into a clear error instead of a garbled frame.
 */
export function assertObsSize(obs: ArrayLike<number>, size: number, wrapper: string): void {
  if (obs === null || typeof obs !== "object" || obs.length !== size) {
    throw new RangeError(`Expected ${wrapper}'s env to return observations of ${size} elements, got ${describeValue(obs)}`);
  }
}
