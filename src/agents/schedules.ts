/**
 * Schedules: a hyperparameter (DQN's exploration rate ε, a learning rate) as a plain function of
 * where training is. Three shapes cover what DQN users meet:
 * - {@link linearSchedule}: SB3's `exploration_fraction` / `exploration_initial_eps` /
 *   `exploration_final_eps` (SB3's `get_linear_fn`), CleanRL's `linear_schedule`;
 * - {@link exponentialSchedule}: the hand-written loop of the source notes (§3.2),
 *   `epsilon = max(epsilon_min, epsilon * 0.95)` every 300 steps;
 * - {@link constantSchedule}: a fixed value.
 */

/**
 * Where training is, as a schedule sees it.
 *
 * `progress` runs from 0 (start) to 1 (end of `learn`'s `totalSteps`). SB3 passes the opposite,
 * `progress_remaining` = 1 − progress; a schedule here reads progress forwards.
 */
export interface TrainingProgress {
  /** Env steps taken so far (summed over sub-envs, SB3's `num_timesteps`). */
  readonly numTimesteps: number;
  /** Fraction of the run done, in [0, 1]. */
  readonly progress: number;
}

/** A value as a function of training progress, e.g. ε of epsilon-greedy exploration. */
export type Schedule = (at: TrainingProgress) => number;

/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** Value at the start (SB3's `exploration_initial_eps`: 1.0). */
  readonly initial: number;
  /** Value from `fraction` on (SB3's `exploration_final_eps`: 0.05). */
  readonly final: number;
  /** Fraction of the run over which the value moves from initial to final, in [0, 1] (SB3's `exploration_fraction`: 0.1). */
  readonly fraction: number;
}

function assertFinite(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new RangeError(`Expected ${name} to be a finite number, got ${String(value)}`);
}

function assertProgress(at: TrainingProgress): void {
  if (at === null || typeof at !== "object" || !(at.progress >= 0 && at.progress <= 1)) {
    throw new RangeError(`Expected a TrainingProgress with progress in [0, 1], got ${JSON.stringify(at)}`);
  }
}

/**
 * Moves linearly from `initial` to `final` over the first `fraction` of training, then stays at
 * `final` (SB3's `get_linear_fn(start, end, end_fraction)` read with progress = 1 − progress_remaining).
 *
 * @param options See {@link LinearScheduleOptions}.
 * @returns A {@link Schedule}.
 * @throws RangeError for non-finite values or a fraction outside [0, 1].
 * @example
 * const epsilon = linearSchedule({ initial: 1, final: 0.05, fraction: 0.1 });
 * epsilon({ numTimesteps: 0, progress: 0 });        //=> 1
 * epsilon({ numTimesteps: 5_000, progress: 0.05 });  //=> 0.525
 * epsilon({ numTimesteps: 50_000, progress: 0.5 });  //=> 0.05
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  const { initial, final, fraction } = options;
  assertFinite(initial, "initial");
  assertFinite(final, "final");
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`Expected fraction to be in [0, 1], got ${String(fraction)}`);
  return (at) => {
    assertProgress(at);
    if (at.progress >= fraction) return final;
    return initial + (at.progress / fraction) * (final - initial);
  };
}

/** Options of {@link exponentialSchedule}. */
export interface ExponentialScheduleOptions {
  /** Value at the start (the notes: ε = 1.0). */
  readonly initial: number;
  /** Factor applied every `every` env steps, in (0, 1] (the notes: 0.95). */
  readonly decay: number;
  /** Env steps between two decays, a positive integer. */
  readonly every: number;
  /** The value never drops below this (the notes' `epsilon_min`: 0.01). Default 0. */
  readonly floor?: number;
}

/**
 * Multiplies the value by `decay` every `every` env steps, never going below `floor`: the closed
 * form of the source notes' loop `epsilon = max(epsilon_min, epsilon * decay)`, i.e.
 * `max(floor, initial · decay^⌊numTimesteps / every⌋)`.
 *
 * The notes decay every 300 VECTOR steps of 4 envs; here `every` counts env steps (summed over
 * sub-envs), so their schedule is `every: 1200` with 4 envs. Unlike a linear schedule it does not
 * depend on the run's length: ε reaches the floor after `every · log(floor / initial) / log(decay)`
 * steps (0.95, 300 vector steps × 4 envs, 1 → 0.01: 108 000 env steps).
 *
 * @param options See {@link ExponentialScheduleOptions}.
 * @returns A {@link Schedule}.
 * @throws RangeError for a decay outside (0, 1], a non-positive or fractional `every`, non-finite values.
 * @example
 * const epsilon = exponentialSchedule({ initial: 1, decay: 0.95, every: 1200, floor: 0.01 });
 * epsilon({ numTimesteps: 1199, progress: 0.01 });   //=> 1
 * epsilon({ numTimesteps: 2400, progress: 0.02 });   //=> 0.9025
 * epsilon({ numTimesteps: 1e6, progress: 1 });       //=> 0.01
 */
export function exponentialSchedule(options: ExponentialScheduleOptions): Schedule {
  const { initial, decay, every, floor = 0 } = options;
  assertFinite(initial, "initial");
  assertFinite(floor, "floor");
  if (!(decay > 0 && decay <= 1)) throw new RangeError(`Expected decay to be in (0, 1], got ${String(decay)}`);
  if (!(Number.isSafeInteger(every) && every > 0)) throw new RangeError(`Expected every to be a positive integer (env steps), got ${String(every)}`);
  return (at) => {
    if (at === null || typeof at !== "object" || !(at.numTimesteps >= 0)) {
      throw new RangeError(`Expected a TrainingProgress with numTimesteps ≥ 0, got ${JSON.stringify(at)}`);
    }
    return Math.max(floor, initial * decay ** Math.floor(at.numTimesteps / every));
  };
}

/**
 * The same value throughout (SB3's `constant_fn`).
 *
 * @param value Any finite number.
 * @returns A {@link Schedule}.
 * @example
 * constantSchedule(0.1)({ numTimesteps: 123, progress: 0.4 }); //=> 0.1
 */
export function constantSchedule(value: number): Schedule {
  assertFinite(value, "value");
  return () => value;
}

/**
 * A schedule from a number (constant) or a schedule (as is): how `learningRate` and friends accept both.
 *
 * @example
 * asSchedule(1e-3)({ numTimesteps: 0, progress: 0 }); //=> 0.001
 */
export function asSchedule(value: number | Schedule, name = "value"): Schedule {
  if (typeof value === "function") return value;
  assertFinite(value, name);
  return constantSchedule(value);
}
