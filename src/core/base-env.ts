import type { Env, EnvMetadata, ResetArgs, ResetResult, StepResult } from "./env";
import type { RgbFrame } from "./frame";
import type { EnvSpec } from "./registry";
import { Rng } from "./rng";
import type { Space } from "./space";

/**
 * The base class of every env (Gymnasium's `gymnasium.Env`): it owns the env's seeded RNG and
 * provides the defaults (`unwrapped` is the env itself, `close` does nothing). A subclass defines
 * its spaces, `reset` and `step`, and `render` if it can draw itself.
 *
 * Seeding follows Gymnasium: `reset({ seed })` calls `seedRng(seed)`, which replaces the RNG with
 * one made from the seed; `reset()` without a seed keeps drawing from the current stream (created
 * from entropy if the env was never seeded).
 *
 * @example
 * class CoinFlipEnv extends BaseEnv<number, number> {
 *   readonly observationSpace = new Discrete(2);
 *   readonly actionSpace = new Discrete(2);
 *   reset(args: ResetArgs = {}) {
 *     this.seedRng(args.seed);
 *     return { obs: 0, info: {} };
 *   }
 *   step(guess: number) {
 *     const coin = this.rng.integer(2);
 *     return { obs: coin, reward: guess === coin ? 1 : 0, terminated: true, truncated: false, info: {} };
 *   }
 * }
 * const env = new CoinFlipEnv();
 * env.reset({ seed: 3 });
 * env.step(1).reward;  //=> 1
 */
export abstract class BaseEnv<Obs, Action> implements Env<Obs, Action> {
  abstract readonly observationSpace: Space<Obs>;
  abstract readonly actionSpace: Space<Action>;
  readonly metadata: EnvMetadata = {};
  /** Set by `make` to the spec the env was made from; `undefined` for an env built with `new`. */
  spec: EnvSpec | undefined = undefined;
  private rngOrUndefined: Rng | undefined;

  /** The env itself: there is nothing to unwrap. */
  get unwrapped(): this {
    return this;
  }

  /**
   * The env's random number generator (Gymnasium's `np_random`), used for start states and any
   * randomness in the dynamics. Created from entropy on first use unless seeded.
   */
  get rng(): Rng {
    if (this.rngOrUndefined === undefined) this.rngOrUndefined = Rng.fromEntropy();
    return this.rngOrUndefined;
  }

  /** Replaces the env's RNG, e.g. with one child of `Rng.spawn` per parallel env copy. */
  set rng(rng: Rng) {
    this.rngOrUndefined = rng;
  }

  abstract reset(args?: ResetArgs): ResetResult<Obs>;
  abstract step(action: Action): StepResult<Obs>;

  /** Draws the env; the default throws because not every env can draw itself. */
  render(): RgbFrame {
    throw new Error(`Expected ${this.constructor.name} to implement render(), got the default BaseEnv.render()`);
  }

  /** Releases resources; the default has none to release. */
  close(): void {}

  /** The env as Gymnasium prints it: `CartPoleEnv<CartPole-v1>`. */
  toString(): string {
    return this.spec === undefined ? `${this.constructor.name}` : `${this.constructor.name}<${this.spec.id}>`;
  }

  /**
   * Re-seeds the RNG when `seed` is given (call it first thing in `reset`, like Gymnasium's
   * `super().reset(seed=seed)`); does nothing when `seed` is undefined.
   */
  protected seedRng(seed: number | undefined): void {
    if (seed !== undefined) this.rngOrUndefined = Rng.fromSeed(seed);
  }
}
