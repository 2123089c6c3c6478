import { Rng, assertSeed } from "./rng";

/**
 * The set of valid observations or actions of an env (Gymnasium's `gymnasium.spaces.Space`): it can
 * tell whether a value belongs (`contains`) and draw a random member (`sample`) from its own RNG.
 *
 * Like Gymnasium, a space's RNG is separate from the env's: `env.reset({ seed })` does not seed
 * `env.actionSpace`, so a random policy is reproducible only after `env.actionSpace.seed(n)` too.
 * An unseeded space draws from entropy.
 *
 * @typeParam T the type of a member (a number for Discrete, a typed array for Box).
 * @example
 * const actions = new Discrete(2);
 * actions.seed(42);
 * actions.sample();        //=> 0
 * actions.contains(1.5);   //=> false
 */
export abstract class Space<T> {
  private rngOrUndefined: Rng | undefined;

  /** The shape of a member, like NumPy's: `[]` for a single number, `[4]` for CartPole's observation. */
  abstract readonly shape: readonly number[];

  /**
   * This space's random number generator, created from entropy on first use unless `seed` was
   * called.
   */
  get rng(): Rng {
    if (this.rngOrUndefined === undefined) this.rngOrUndefined = Rng.fromEntropy();
    return this.rngOrUndefined;
  }

  /**
   * Seeds this space's RNG so that `sample()` gives the same sequence on every run.
   *
   * @param seed a non-negative integer; when omitted, a seed is drawn from entropy.
   * @returns the seed used (so an entropy-seeded run can be repeated).
   */
  seed(seed?: number): number {
    if (seed === undefined) seed = Rng.fromEntropy().integer(2 ** 31);
    assertSeed(seed);
    this.rngOrUndefined = Rng.fromSeed(seed);
    return seed;
  }

  /** A random member of the space, drawn from this space's RNG. */
  abstract sample(): T;

  /**
   * Whether `value` is a member of the space. It is fast enough to run on every step (the env
   * checker calls it on each action and observation).
   */
  abstract contains(value: unknown): boolean;

  /**
   * Why `value` is not a member, in a few words ("1.5 is not an integer", "index 2 is 0.5, above
   * high[2] = 0.41887903"), or `undefined` when it is one. Slower than `contains`; meant for the
   * message after `contains` returned false.
   */
  abstract whyNotContained(value: unknown): string | undefined;

  /**
   * What a member looks like, in words, for error messages.
   *
   * @param symbol the letter used for a member in the description (`a` for an action).
   * @example
   * new Discrete(2).describeMember("a");  //=> "an integer 0 ≤ a < 2"
   */
  abstract describeMember(symbol?: string): string;

  /** The space as Gymnasium prints it: `Discrete(2)`, `Box(0, 255, [84, 84], uint8)`. */
  abstract toString(): string;
}
