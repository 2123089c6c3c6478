import { describeValue } from "../core/describe";
import type { AnyEnv, Env } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { actionMeanings } from "./atari-env";
import { ClipReward } from "./clip-reward";
import { EpisodicLife } from "./episodic-life";
import { FireReset } from "./fire-reset";
import { FrameStack } from "./frame-stack";
import { MaxAndSkip } from "./max-and-skip";
import { NoopReset } from "./noop-reset";
import { RecordEpisodeStatistics } from "./record-episode-statistics";
import { WarpFrame } from "./warp-frame";

/** Options of {@link atariWrap}; every one has SB3's `AtariWrapper` default (rl-zoo's for frameStack). */
export interface AtariWrapOptions {
  /** Most no-ops after a reset; 0 for none (default 30). */
  readonly noopMax?: number;
  /** Frames per agent step, max-pooled over the last two; 1 for none (default 4). */
  readonly frameSkip?: number;
  /**
   * Side of the square gray observation in pixels (default 84), or `null` to keep the env's frames as
   * they are (no WarpFrame): for observations that are already small, such as Breakout's compact
   * 10×10×4 view (`make("Breakout-v0", { obsType: "compact" })`).
   */
  readonly screenSize?: number | null;
  /** End the agent's episode at each lost life (EpisodicLife; default true). */
  readonly terminalOnLifeLoss?: boolean;
  /** Reward → its sign (default true). */
  readonly clipReward?: boolean;
  /** Frames per observation, stacked on the channel axis; 1 for none (default 4, as rl-zoo adds it). */
  readonly frameStack?: number;
  /** Record whole-game scores in `info.episode` (default true; see {@link atariWrap}). */
  readonly recordEpisodeStatistics?: boolean;
}

/** The defaults of {@link atariWrap}: SB3's `AtariWrapper` and rl-zoo's `frame_stack: 4`. */
export const ATARI_WRAP_DEFAULTS: Readonly<Required<AtariWrapOptions>> = Object.freeze({
  noopMax: 30,
  frameSkip: 4,
  screenSize: 84,
  terminalOnLifeLoss: true,
  clipReward: true,
  frameStack: 4,
  recordEpisodeStatistics: true,
});

/** What {@link atariWrap} returns: 84×84×4 uint8 observations, action indices, the bare env inside. */
export type AtariEnv<E extends AnyEnv> = Env<Uint8Array, number> & { readonly unwrapped: E["unwrapped"] };

/**
 * The standard Atari preprocessing of DQN and its successors, as SB3's `AtariWrapper` applies it,
 * plus rl-zoo's frame stack: from the env outwards
 *
 * RecordEpisodeStatistics → NoopReset(30) → MaxAndSkip(4) → EpisodicLife → FireReset (if the game
 * has FIRE) → WarpFrame(84) → ClipReward → FrameStack(4).
 *
 * Raw 210×160 frames at 60 per second become 84×84×4 gray observations at 15 per second, with
 * rewards −1, 0 or 1 and an episode end at every lost life. Each wrapper documents its reason.
 *
 * Episode statistics: `info.episode` reports whole games (all lives) in raw game score, because
 * RecordEpisodeStatistics sits directly on the env, below everything else, as SB3's `Monitor` does
 * under `make_atari_env` and CleanRL's under its Atari wrappers. Above EpisodicLife it would count
 * each life as an episode; above ClipReward it would count bricks instead of points. Its `length`
 * therefore counts emulator frames, including the no-ops and FIRE steps (SB3's `Monitor` lengths are
 * frames too); divide by `frameSkip` for agent steps. The wrappers above pass `info` through, and
 * MaxAndSkip returns the info of the frame that ended the game, so `info.episode` arrives on the
 * agent step that ended the game. (A game that ends inside a reset, during the no-ops or the FIRE
 * step after the last life, is reset again and reports its statistics nowhere; with Breakout's 5
 * lives that never happens in practice.)
 *
 * Speed: `make("Breakout-v0", { obsType: "grayscale" })` draws OpenCV's grey directly, as ALE's
 * `getScreenGrayscale` does for Gymnasium's AtariPreprocessing, so WarpFrame skips the conversion
 * and the observations are the same bit for bit as from RGB frames, at about 2–3× the agent steps
 * per second (`npm run bench -- --only breakout`).
 *
 * @param env an Atari-like env (see `AtariLike`) with uint8 frames, one frame per step (like ALE's
 *   `NoFrameskip` ids), e.g. `make("Breakout-v0")`.
 * @param options see {@link AtariWrapOptions}; defaults in {@link ATARI_WRAP_DEFAULTS}.
 * @returns the wrapped env; `unwrapped` is still the bare game.
 * @throws Error for unknown option names (with a "did you mean"), invalid values, an env without
 *   action meanings or lives, or frames that are not images.
 * @example
 * const env = atariWrap(make("Breakout-v0"));
 * String(env);                       //=> "FrameStack<ClipReward<WarpFrame<FireReset<EpisodicLife<MaxAndSkip<NoopReset<RecordEpisodeStatistics<...>>>>>>>>"
 * String(env.observationSpace);      //=> "Box(0, 255, [84, 84, 4], uint8)"
 * env.reset({ seed: 0 }).obs.length; //=> 28224
 */
export function atariWrap<E extends Env<Uint8Array, number>>(env: E, options: AtariWrapOptions = {}): AtariEnv<E> {
  assertKnownOptions(options, Object.keys(ATARI_WRAP_DEFAULTS), "atariWrap");
  const settings = { ...ATARI_WRAP_DEFAULTS, ...options };
  const { noopMax, frameSkip, screenSize, frameStack } = settings;
  for (const name of ["terminalOnLifeLoss", "clipReward", "recordEpisodeStatistics"] as const) {
    if (typeof settings[name] !== "boolean") throw new TypeError(`Expected ${name} to be a boolean, got ${describeValue(settings[name])}`);
  }
  if (!(Number.isSafeInteger(noopMax) && noopMax >= 0)) throw new RangeError(`Expected noopMax to be a non-negative integer (0: no no-ops), got ${describeValue(noopMax)}`);
  for (const name of ["frameSkip", "frameStack"] as const) {
    const value = settings[name];
    if (!(Number.isSafeInteger(value) && value >= 1)) throw new RangeError(`Expected ${name} to be a positive integer (1: none), got ${describeValue(value)}`);
  }
  let wrapped: Env<Uint8Array, number> = env;
  if (settings.recordEpisodeStatistics) wrapped = new RecordEpisodeStatistics(wrapped);
  if (noopMax > 0) wrapped = new NoopReset(wrapped, { noopMax });
  if (frameSkip > 1) wrapped = new MaxAndSkip(wrapped, { skip: frameSkip }) as Env<Uint8Array, number>;
  if (settings.terminalOnLifeLoss) wrapped = new EpisodicLife(wrapped);
  if (actionMeanings(wrapped, "atariWrap").includes("FIRE")) wrapped = new FireReset(wrapped);
  if (screenSize !== null) wrapped = new WarpFrame(wrapped, { width: screenSize, height: screenSize }) as Env<Uint8Array, number>;
  if (settings.clipReward) wrapped = new ClipReward(wrapped);
  if (frameStack > 1) wrapped = new FrameStack(wrapped, { stackSize: frameStack }) as Env<Uint8Array, number>;
  return wrapped as AtariEnv<E>;
}
