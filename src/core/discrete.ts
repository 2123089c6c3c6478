import { describeValue } from "./describe";
import { Space } from "./space";

/** Options of a {@link Discrete} space. */
export interface DiscreteOptions {
  /** The smallest member (default 0, as in Gymnasium): members are start, ..., start + n − 1. */
  readonly start?: number;
  /** Seeds the space's RNG at construction, like `space.seed(seed)`. */
  readonly seed?: number;
}

/**
 * A finite set of `n` integers {start, ..., start + n − 1} (Gymnasium's `spaces.Discrete`): the
 * action space of CartPole (push left = 0, push right = 1) and of Atari games.
 *
 * Members are plain JavaScript numbers that are integers; 1.5, "1" and `true` are not members.
 *
 * @example
 * const actions = new Discrete(2, { seed: 42 });
 * actions.sample();                          //=> 0
 * actions.contains(1);                       //=> true
 * actions.contains(2);                       //=> false
 * String(actions);                           //=> "Discrete(2)"
 * String(new Discrete(3, { start: -1 }));    //=> "Discrete(3, start=-1)"
 */
export class Discrete extends Space<number> {
  /** The number of members. */
  readonly n: number;
  /** The smallest member. */
  readonly start: number;
  /** A member is a single number, so the shape is empty (like NumPy's `()`). */
  readonly shape: readonly number[] = [];
  private readonly end: number;

  /**
   * @param n the number of members, a positive integer.
   * @param options `start` (default 0) and an optional `seed`.
   */
  constructor(n: number, options: DiscreteOptions = {}) {
    super();
    const { start = 0, seed } = options;
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`Expected n to be a positive integer, got ${describeValue(n)}`);
    }
    if (!Number.isSafeInteger(start)) {
      throw new RangeError(`Expected start to be an integer, got ${describeValue(start)}`);
    }
    this.n = n;
    this.start = start;
    this.end = start + n;
    if (seed !== undefined) this.seed(seed);
  }

  /** A uniformly random member. */
  sample(): number {
    return this.start + this.rng.integer(this.n);
  }

  contains(value: unknown): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= this.start && value < this.end;
  }

  whyNotContained(value: unknown): string | undefined {
    if (this.contains(value)) return undefined;
    if (typeof value !== "number") return `${describeValue(value)} is a ${value === null ? "null" : typeof value}, not a number`;
    if (!Number.isInteger(value)) return `${describeValue(value)} is not an integer`;
    return value < this.start ? `${value} is below ${this.start}` : `${value} is not below ${this.end}`;
  }

  describeMember(symbol = "x"): string {
    return `an integer ${this.start} ≤ ${symbol} < ${this.end}`;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
