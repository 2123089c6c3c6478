import { BaseEnv } from "../core/base-env";
import { Box } from "../core/box";
import { describeValue } from "../core/describe";
import { Discrete } from "../core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../core/env";
import { createFrame, type RgbFrame } from "../core/frame";
import { assertKnownOptions } from "../core/options";

/** Options of {@link StepCounterEnv} (also accepted by `make("StepCounter-v0", options)`). */
export interface StepCounterOptions {
  /** Terminate (`terminated = true`) on the step where the count reaches this. Default: never. */
  readonly terminateAt?: number;
  /**
   * Busy-wait this many microseconds in every step, to stand in for an expensive env (an Atari
   * step with preprocessing costs about 50 µs). It spins on the clock rather than sleeping, because
   * a sleeping thread frees its core and would flatter a parallel benchmark. Default 0.
   */
  readonly stepCostMicros?: number;
  /** For tests: `step` throws `Error("StepCounter: deliberate failure at step N")` when the count would reach N. */
  readonly throwAtStep?: number;
  /**
   * For tests only: `step` calls `process.exit(3)` when the count would reach N. Inside a worker
   * thread that ends just the worker (how an AsyncVectorEnv test simulates a crashed sub-env); on
   * the main thread it ends the whole process.
   */
  readonly exitAtStep?: number;
  /** Length of the observation vector, every entry equal to the count (default 1): a larger payload. */
  readonly obsSize?: number;
}

/** Width and height of a rendered frame; one step fills 4 columns of the bar, wrapping every 16. */
const FRAME_WIDTH = 64;
const FRAME_HEIGHT = 8;
const COLUMNS_PER_STEP = 4;

/**
 * The simplest env that still has episodes: its observation is the number of steps taken since
 * reset. A test or teaching env: a vector env's trace of counts shows exactly when each sub-env
 * was reset, so the autoreset modes can be read off it (ANCHORS.md's trace is this env with a
 * TimeLimit of 3).
 *
 * ## Observation: Box(0, Infinity, [obsSize], float32)
 * | index        | observation                      | min | max      |
 * |--------------|----------------------------------|-----|----------|
 * | 0..obsSize−1 | steps taken since the last reset | 0   | Infinity |
 * Every entry holds the same count (`obsSize` only makes the payload larger).
 *
 * ## Actions: Discrete(2)
 * Accepted and ignored (so a random policy works); anything outside {0, 1} is an error.
 *
 * ## Reward
 * +1 every step, so an episode's return equals its length.
 *
 * ## Start state
 * Count 0. Nothing is random; `reset({ seed })` still seeds the env's RNG, like every env.
 *
 * ## Episode end
 * - terminated: when the count reaches `terminateAt` (never by default).
 * - truncated: never by the env itself; registered WITHOUT a default time limit, so pass one:
 *   `make("StepCounter-v0", { maxEpisodeSteps: 3 })` gives counts 0 (reset), 1, 2, 3 (truncated).
 *
 * Test options: `stepCostMicros` (simulated cost), `throwAtStep`, `exitAtStep`, `obsSize`; see
 * {@link StepCounterOptions}.
 *
 * @example
 * const env = make("StepCounter-v0", { maxEpisodeSteps: 3 });
 * env.reset({ seed: 0 }).obs;  //=> Float32Array(1) [0]
 * env.step(0).obs;             //=> Float32Array(1) [1]
 * env.step(1).obs;             //=> Float32Array(1) [2]
 * env.step(0);                 //=> { obs: Float32Array(1) [3], reward: 1, terminated: false, truncated: true, info: {} }
 */
export class StepCounterEnv extends BaseEnv<Float32Array, number> {
  /** The option names StepCounterEnv accepts (make rejects any other). */
  static readonly optionNames: readonly string[] = Object.freeze(["terminateAt", "stepCostMicros", "throwAtStep", "exitAtStep", "obsSize"]);

  readonly actionSpace = new Discrete(2);
  readonly observationSpace: Box<"float32">;
  override readonly metadata = Object.freeze({ renderFps: 10 });
  readonly terminateAt: number;
  readonly stepCostMicros: number;
  readonly throwAtStep: number;
  readonly exitAtStep: number;
  readonly obsSize: number;
  private steps = -1;

  constructor(options: StepCounterOptions = {}) {
    super();
    assertKnownOptions(options, StepCounterEnv.optionNames, "StepCounterEnv");
    this.terminateAt = positiveIntegerOr(options.terminateAt, "terminateAt", Infinity);
    this.throwAtStep = positiveIntegerOr(options.throwAtStep, "throwAtStep", Infinity);
    this.exitAtStep = positiveIntegerOr(options.exitAtStep, "exitAtStep", Infinity);
    this.obsSize = positiveIntegerOr(options.obsSize, "obsSize", 1);
    const { stepCostMicros = 0 } = options;
    if (typeof stepCostMicros !== "number" || !(stepCostMicros >= 0 && stepCostMicros < Infinity)) {
      throw new RangeError(`Expected stepCostMicros to be a non-negative number, got ${describeValue(stepCostMicros)}`);
    }
    this.stepCostMicros = stepCostMicros;
    this.observationSpace = new Box({ low: 0, high: Infinity, shape: [this.obsSize], dtype: "float32" });
  }

  /** Steps taken since the last reset (−1 before the first reset). */
  get count(): number {
    return this.steps;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.steps = 0;
    return { obs: this.observation(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) {
      throw new RangeError(`Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got ${describeValue(action)}`);
    }
    if (this.steps < 0) throw new Error("Expected reset() before step(), got step() on a StepCounterEnv that was never reset");
    const next = this.steps + 1;
    if (next === this.throwAtStep) throw new Error(`StepCounter: deliberate failure at step ${next}`);
    if (next === this.exitAtStep) process.exit(3);
    if (this.stepCostMicros > 0) spin(this.stepCostMicros);
    this.steps = next;
    return { obs: this.observation(), reward: 1, terminated: next >= this.terminateAt, truncated: false, info: {} };
  }

  /** A 64×8 frame: a white bar 4 columns per step (wrapping every 16 steps) on dark grey. */
  override render(): RgbFrame {
    if (this.steps < 0) throw new Error("Expected reset() before render(), got render() on a StepCounterEnv that was never reset");
    const frame = createFrame(FRAME_WIDTH, FRAME_HEIGHT);
    const steps = this.steps % (FRAME_WIDTH / COLUMNS_PER_STEP);
    const filled = steps === 0 && this.steps > 0 ? FRAME_WIDTH : steps * COLUMNS_PER_STEP;
    for (let row = 0; row < FRAME_HEIGHT; row++) {
      for (let column = 0; column < FRAME_WIDTH; column++) {
        frame.data.fill(column < filled ? 255 : 40, (row * FRAME_WIDTH + column) * 3, (row * FRAME_WIDTH + column + 1) * 3);
      }
    }
    return frame;
  }

  private observation(): Float32Array {
    return new Float32Array(this.obsSize).fill(this.steps);
  }
}

function positiveIntegerOr(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Expected ${name} to be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Busy-waits `micros` microseconds. Reading the clock in the loop calibrates itself: however fast
 * the machine, the step costs the same wall time (a fixed iteration count would not).
 */
function spin(micros: number): void {
  const end = performance.now() + micros / 1000;
  while (performance.now() < end) {
    // spin
  }
}
