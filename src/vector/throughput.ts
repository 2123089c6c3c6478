import { Rng } from "../core/rng";
import type { WrapperSpec } from "../wrappers/by-name";
import { makeVec } from "./make-vec";

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  /** Registered env id, e.g. "CartPole-v1". */
  readonly id: string;
  /** Options for the env, e.g. `{ stepCostMicros: 50 }` for StepCounter. */
  readonly envOptions?: Readonly<Record<string, unknown>>;
  /** Wrappers for each sub-env, by name (e.g. `["AtariWrapper"]`), innermost first. Default none. */
  readonly wrappers?: readonly WrapperSpec[];
  /** Sub-envs stepped together. */
  readonly numEnvs: number;
  /** "sync" steps them one after another in this thread; "async" in worker threads. */
  readonly mode: "sync" | "async";
  /** Async only: worker threads (default: one per core, at most numEnvs). */
  readonly numWorkers?: number;
  /** How long to step, in seconds, after a warm-up of a tenth of that. Default 1. */
  readonly seconds?: number;
  /** Seed of the first reset and of the random actions. Default 0. */
  readonly seed?: number;
}

/** What {@link measureThroughput} measured. */
export interface ThroughputResult {
  readonly mode: "sync" | "async";
  readonly numEnvs: number;
  /** Sub-env steps per second: vector steps per second × numEnvs. */
  readonly envStepsPerSecond: number;
  /** Vector steps per second (each steps every sub-env once). */
  readonly vectorStepsPerSecond: number;
  /** Mean wall time of one vector step, in microseconds. */
  readonly microsPerVectorStep: number;
}

/**
 * Steps a vector env with random actions for a while and reports env-steps per second. This is the
 * measurement behind the notes' observation that SubprocVecEnv can be slower than DummyVecEnv: a
 * parallel step pays a fixed hand-off cost, which only pays off when each env step costs more.
 * Used by `npm run bench` and notebook 03, so both report the same thing.
 *
 * @example
 * const r = measureThroughput({ id: "CartPole-v1", numEnvs: 8, mode: "sync", seconds: 0.5 });
 * r.envStepsPerSecond   //=> about 3e6 on a 2-core machine
 */
export function measureThroughput(options: ThroughputOptions): ThroughputResult {
  const seconds = options.seconds ?? 1;
  if (!(seconds > 0)) throw new RangeError(`Expected seconds > 0, got ${seconds}`);
  const seed = options.seed ?? 0;
  const envs = makeVec(options.id, {
    numEnvs: options.numEnvs,
    mode: options.mode,
    envOptions: options.envOptions ?? {},
    ...(options.wrappers === undefined ? {} : { wrappers: options.wrappers }),
    copy: false,
    ...(options.mode === "async" && options.numWorkers !== undefined ? { numWorkers: options.numWorkers } : {}),
  });
  try {
    const space = envs.singleActionSpace as unknown as { n?: number };
    if (typeof space.n !== "number") throw new TypeError(`Expected a Discrete action space to sample from, got ${String(envs.singleActionSpace)}`);
    const actionCount = space.n;
    const rng = Rng.fromSeed(seed);
    const actions = new Int32Array(options.numEnvs);
    envs.reset({ seed });
    const run = (budgetSeconds: number): { steps: number; elapsed: number } => {
      const start = process.hrtime.bigint();
      const budget = BigInt(Math.round(budgetSeconds * 1e9));
      let steps = 0;
      // Check the clock every 64 vector steps: reading it is not free at millions of steps per second.
      for (;;) {
        for (let k = 0; k < 64; k++) {
          for (let i = 0; i < actions.length; i++) actions[i] = rng.integer(actionCount);
          envs.step(actions);
        }
        steps += 64;
        const elapsed = process.hrtime.bigint() - start;
        if (elapsed >= budget) return { steps, elapsed: Number(elapsed) / 1e9 };
      }
    };
    run(seconds / 10); // warm-up: JIT, worker start, caches
    const { steps, elapsed } = run(seconds);
    const vectorStepsPerSecond = steps / elapsed;
    return {
      mode: options.mode,
      numEnvs: options.numEnvs,
      envStepsPerSecond: vectorStepsPerSecond * options.numEnvs,
      vectorStepsPerSecond,
      microsPerVectorStep: 1e6 / vectorStepsPerSecond,
    };
  } finally {
    envs.close();
  }
}
