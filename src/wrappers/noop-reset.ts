import type { Env, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { Rng } from "../core/rng";
import { passStepWithoutObs, Wrapper } from "../core/wrapper";
import { actionMeanings, withoutSeed } from "./atari-env";

/** Options of {@link NoopReset}. */
export interface NoopResetOptions {
  /** The most no-ops after a reset (default 30, SB3's and the Nature DQN paper's `noop_max`). */
  readonly noopMax?: number;
}

/**
 * Starts every episode with a random number of NOOPs, 1..noopMax drawn uniformly (SB3's
 * `NoopResetEnv`). Atari games are deterministic: without it every episode starts from the same
 * frame, and an agent can memorise one action sequence instead of learning to react. After the
 * no-ops the game has drifted (Breakout's paddle, Pong's ball) to one of up to 30 different starts.
 *
 * Randomness: the count comes from this wrapper's own {@link Rng}. `reset({ seed })` replaces it
 * with child 0 of `Rng.fromSeed(seed)` (`Rng.fromSeed(seed).spawn(1)[0]`), so the counts are
 * reproducible from the same seed and never share a stream with the env itself, which draws from
 * `Rng.fromSeed(seed)` directly (SB3 draws from the env's own `np_random` instead). A reset without
 * a seed continues the stream; an env never seeded draws from entropy.
 *
 * If an episode ends during the no-ops, the env is reset again (without the seed) and the rest of
 * the no-ops are taken in the new episode, as in SB3. `reset` returns the observation and info of
 * the last no-op.
 *
 * @example
 * const env = new NoopReset(make("Breakout-v0"), { noopMax: 30 });
 * env.reset({ seed: 42 });   // the bare env's reset, then between 1 and 30 NOOP steps
 * env.lastNoops;             //=> 17   (the same for every run with seed 42)
 */
export class NoopReset<E extends Env<unknown, number>> extends Wrapper<E> {
  /** The most no-ops after a reset. */
  readonly noopMax: number;
  private rng: Rng | undefined;
  private noops = 0;

  /**
   * @param env an env whose action 0 is NOOP (`unwrapped.getActionMeanings()[0] === "NOOP"`).
   * @param options `noopMax` (default 30), a positive integer.
   */
  constructor(env: E, options: NoopResetOptions = {}) {
    super(env);
    assertKnownOptions(options, ["noopMax"], "NoopReset");
    const { noopMax = 30 } = options;
    if (!(Number.isSafeInteger(noopMax) && noopMax > 0)) {
      throw new RangeError(`Expected noopMax to be a positive integer, got ${noopMax}`);
    }
    const meanings = actionMeanings(env, "NoopReset");
    if (meanings[0] !== "NOOP") {
      throw new Error(`Expected action 0 to be NOOP for NoopReset, got action meanings ${JSON.stringify(meanings)}`);
    }
    this.noopMax = noopMax;
  }

  /** How many no-ops the last reset took (0 before the first reset). */
  get lastNoops(): number {
    return this.noops;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    let result: ResetResult<ObsOf<E>> = super.reset(args);
    if (args?.seed !== undefined) this.rng = Rng.fromSeed(args.seed).spawn(1)[0]!;
    this.rng ??= Rng.fromEntropy();
    this.noops = this.rng.integers(1, this.noopMax + 1);
    for (let i = 0; i < this.noops; i++) {
      // Only the last no-op's frame is returned, so the env may skip drawing the others (see
      // Env.stepWithoutObs): up to 29 frames a reset that nobody sees.
      const last = i === this.noops - 1;
      const step = last ? (this.env.step(0) as StepResult<ObsOf<E>>) : passStepWithoutObs(this.env, 0);
      if (step.terminated || step.truncated) result = super.reset(withoutSeed(args));
      else if (last) result = step as StepResult<ObsOf<E>>;
    }
    return { obs: result.obs, info: result.info };
  }
}
