/**
 * A seeded, splittable random number generator: the one source of randomness for envs, spaces and
 * agents (Gymnasium's `np_random`, NumPy's `Generator`).
 *
 * The stream is xoshiro128** (Blackman & Vigna): four 32-bit words of state, a handful of integer
 * operations per draw, so sampling never shows up in a profile of the step loop. The state is not
 * the seed itself: the seed (and, for children, the path of spawn indices below it) is hashed into
 * the 128-bit state, the way NumPy's SeedSequence does, so seeds 0, 1, 2 give unrelated streams.
 *
 * `spawn(n)` returns independent child streams (NumPy's `Generator.spawn`): child i of seed s is
 * the same on every run, and no two children (nor parent and child) share a stream. This is what
 * parallel env copies need: seeding copies `seed, seed + 1, ...` is a common mistake that EnvPool
 * and the source notes ran into (identical observations across "independent" envs).
 *
 * @example
 * const rng = Rng.fromSeed(42);
 * rng.uniform(-0.05, 0.05);          //=> -0.022041677155589457
 * rng.integer(6);                    //=> 5
 * Rng.fromSeed(42).uniform(-0.05, 0.05) === Rng.fromSeed(42).uniform(-0.05, 0.05); //=> true
 * const [first, second] = Rng.fromSeed(42).spawn(2);  // two independent streams
 */
export class Rng {
  /** The seed this generator was created from, or `undefined` for entropy-seeded and spawned ones. */
  readonly seed: number | undefined;
  /** Seed words followed by the spawn path; hashed into the state and extended by `spawn`. */
  private readonly key: readonly number[];
  private childrenSpawned = 0;
  // xoshiro128** state, kept as int32 fields: V8 holds them unboxed and updates them in place.
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(key: readonly number[], seed: number | undefined) {
    this.key = key;
    this.seed = seed;
    const state = hashKey(key);
    this.s0 = state[0];
    this.s1 = state[1];
    this.s2 = state[2];
    this.s3 = state[3];
  }

  /**
   * A generator whose whole stream is fixed by `seed`: the same seed gives the same numbers on every
   * run and machine.
   *
   * @param seed a non-negative safe integer (0 ≤ seed ≤ 2^53 − 1).
   * @example
   * Rng.fromSeed(0).random();  //=> 0.12713332855302395
   */
  static fromSeed(seed: number): Rng {
    assertSeed(seed);
    // Split into two 32-bit words so every bit of a 53-bit seed reaches the hash.
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    return new Rng([low, high], seed);
  }

  /**
   * A generator seeded from the operating system's entropy: a different stream on every call. Use it
   * when no seed is given; runs made with it are not reproducible.
   */
  static fromEntropy(): Rng {
    return new Rng(Array.from(entropyWords(4)), undefined);
  }

  /**
   * A generator from `seed` when one is given, else from entropy: the rule every `reset({ seed })`
   * and `space.seed(seed)` follows.
   */
  static from(seed: number | undefined): Rng {
    return seed === undefined ? Rng.fromEntropy() : Rng.fromSeed(seed);
  }

  /**
   * Creates `count` independent child generators (NumPy's `Generator.spawn`). Children are derived
   * from this generator's seed and spawn path, not from its current position, so child i of seed s
   * is the same whatever was drawn before. A second call returns new children (i = count, ...).
   *
   * @example
   * const envRngs = Rng.fromSeed(7).spawn(8);   // one stream per parallel env copy
   * envRngs[3].random() === Rng.fromSeed(7).spawn(8)[3].random();  //=> true
   */
  spawn(count: number): Rng[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`Expected count to be a non-negative integer, got ${count}`);
    }
    const children: Rng[] = [];
    for (let i = 0; i < count; i++) {
      children.push(new Rng([...this.key, this.childrenSpawned++], undefined));
    }
    return children;
  }

  /** The next raw output: an unsigned 32-bit integer, each of the 2^32 values equally likely. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotateLeft(n3, 11);
    return result >>> 0;
  }

  /**
   * A float uniform in [0, 1) with 53 random bits (every double of the form k / 2^53), like
   * NumPy's `random()`.
   */
  random(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /**
   * A float uniform in [low, high) (NumPy's `uniform`); CartPole's reset draws its start state
   * with `uniform(-0.05, 0.05)`.
   *
   * @param low inclusive lower bound (default 0).
   * @param high exclusive upper bound (default 1); must satisfy low ≤ high, both finite.
   */
  uniform(low = 0, high = 1): number {
    if (!(low <= high) || !Number.isFinite(high - low)) {
      throw new RangeError(`Expected finite bounds with low ≤ high, got low ${low}, high ${high}`);
    }
    return low + (high - low) * this.random();
  }

  /**
   * An integer uniform in {0, 1, ..., n − 1}, without modulo bias. A Discrete(n) space samples
   * with this.
   *
   * @param n the number of outcomes, a positive safe integer.
   */
  integer(n: number): number {
    if (n <= 4294967296 && n >= 1 && (n | 0) === n) {
      // Rejection sampling on 32 bits: reject the top partial block so every outcome is equally likely.
      const limit = 4294967296 - (4294967296 % n);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Expected n to be a positive safe integer, got ${n}`);
    }
    // Large n: the same rejection on 53 bits.
    const range = 9007199254740992;
    const limit = range - (range % n);
    let x = this.random() * range;
    while (x >= limit) x = this.random() * range;
    return x % n;
  }

  /**
   * An integer uniform in {low, ..., high − 1} (NumPy's `integers(low, high)`: high is exclusive).
   *
   * @example
   * Rng.fromSeed(1).integers(10, 20);  //=> 14
   */
  integers(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || !(low < high)) {
      throw new RangeError(`Expected integers low < high, got low ${low}, high ${high}`);
    }
    return low + this.integer(high - low);
  }

  /**
   * A float from the normal distribution N(mean, std²) (Box–Muller transform). A Box space with
   * unbounded coordinates samples those from N(0, 1), as Gymnasium does.
   */
  normal(mean = 0, std = 1): number {
    // 1 − random() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.random()));
    return mean + std * radius * Math.cos(2 * Math.PI * this.random());
  }

  /** A float from the exponential distribution with the given mean (`scale`), like NumPy's. */
  exponential(scale = 1): number {
    return -Math.log(1 - this.random()) * scale;
  }
}

/**
 * Throws unless `seed` is a valid seed: a non-negative safe integer. Shared by every API that takes
 * a seed so they all reject the same things with the same message.
 */
export function assertSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    const shown = typeof seed === "string" ? JSON.stringify(seed) : String(seed);
    throw new RangeError(`Expected seed to be a non-negative integer (at most 2^53 − 1), got ${shown}`);
  }
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}

/** MurmurHash3's 32-bit finaliser: every input bit flips each output bit with probability ≈ 1/2. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Hashes a key (seed words and spawn path) into a 128-bit xoshiro state. Four lanes with different
 * starting constants each absorb every word, so two keys share a state only if all four 32-bit
 * hashes collide; the lanes are then cross-mixed so each depends on all of them.
 */
function hashKey(key: readonly number[]): Int32Array {
  const state = new Int32Array([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344]);
  for (let lane = 0; lane < 4; lane++) {
    let h = state[lane] ^ key.length;
    for (const word of key) {
      h = mix32(h ^ mix32(word + Math.imul(lane + 1, 0x9e3779b9)));
      h = Math.imul(rotateLeft(h, 13), 5) + 0xe6546b64;
    }
    state[lane] = mix32(h);
  }
  for (let round = 0; round < 2; round++) {
    for (let lane = 0; lane < 4; lane++) {
      state[lane] = mix32(state[lane] + state[(lane + 1) & 3] + Math.imul(round + 1, 0x9e3779b9));
    }
  }
  // xoshiro's one forbidden state is all zeros.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/** `count` 32-bit words of operating-system entropy (Web Crypto, available in Node ≥ 19 and browsers). */
function entropyWords(count: number): Uint32Array {
  const words = new Uint32Array(count);
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (webCrypto?.getRandomValues) {
    webCrypto.getRandomValues(words);
    return words;
  }
  // Last resort where Web Crypto is missing: time and Math.random, still a fresh stream per call.
  for (let i = 0; i < count; i++) words[i] = (Math.random() * 4294967296) ^ (Date.now() + i);
  return words;
}
