import type { Env } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import type { Space } from "../core/space";
import type { VectorEnv } from "../vector/types";
import type { Callback } from "./callbacks";
import type { LogRecord } from "./logger";
import type { HiddenActivation, QNetworkPolicy } from "./q-network";
import type { Schedule } from "./schedules";

/** The replay buffers DQN can learn from: see {@link DQNConfig.replayBufferClass}. */
export type ReplayBufferClass = "auto" | "ReplayBuffer" | "FrameReplayBuffer";

/** The values of {@link ReplayBufferClass}. */
export const REPLAY_BUFFER_CLASSES: readonly ReplayBufferClass[] = ["auto", "ReplayBuffer", "FrameReplayBuffer"];

/**
 * DQN's hyperparameters, one documented field each. Defaults are Stable-Baselines3's (`DQN(...)` in
 * SB3 2.x) unless a field says otherwise; {@link DQN_DEFAULTS} holds them. Units: "env steps" count
 * transitions summed over sub-envs (SB3's `num_timesteps`); "vector steps" count `envs.step` calls.
 */
export interface DQNConfig {
  /** Adam's step size, or a schedule of it. SB3: 1e-4. */
  learningRate: number | Schedule;
  /** Replay buffer capacity in transitions. SB3: 1 000 000. */
  bufferSize: number;
  /** Env steps of uniformly random actions before learning starts (it fills the buffer). SB3: 100. */
  learningStarts: number;
  /** Transitions per gradient step. SB3: 32. */
  batchSize: number;
  /** Target update coefficient: 1 copies the online net (hard update), τ < 1 blends τ of it in (Polyak). SB3: 1.0. */
  tau: number;
  /** Discount factor γ. SB3: 0.99. */
  gamma: number;
  /** Train every `trainFreq` vector steps (SB3 counts `env.step` calls too: with n envs, n·trainFreq transitions). SB3: 4. */
  trainFreq: number;
  /** Gradient steps after each rollout of `trainFreq` vector steps; −1 = as many as env steps collected. SB3: 1. */
  gradientSteps: number;
  /** Env steps between target-network updates (checked once per vector step, like SB3). SB3: 10 000. */
  targetUpdateInterval: number;
  /** Fraction of the run over which ε falls linearly from initial to final. SB3: 0.1. */
  explorationFraction: number;
  /** ε at the start. SB3: 1.0. */
  explorationInitialEps: number;
  /** ε after `explorationFraction` of the run. SB3: 0.05. */
  explorationFinalEps: number;
  /**
   * A schedule of ε that replaces the three exploration fields, e.g. the source notes' decay
   * `exponentialSchedule({ initial: 1, decay: 0.95, every: 1200, floor: 0.01 })`. Default: none.
   */
  exploration: Schedule | undefined;
  /** Clip the gradient to this global L2 norm (`Infinity`: no clipping). SB3: 10. */
  maxGradNorm: number;
  /** "huber" (smooth L1, δ = 1: SB3's and the Nature paper's) or "mse" (CleanRL's, the source notes'). SB3: "huber". */
  loss: "huber" | "mse";
  /** Double DQN (van Hasselt et al. 2016): the online net picks a′, the target net values it. SB3: no (plain DQN). */
  doubleDqn: boolean;
  /** n of n-step returns (1 = plain DQN; Rainbow uses 3). SB3 DQN: 1. */
  nStep: number;
  /**
   * Whether a transition cut by the time limit bootstraps from its final observation (SB3's
   * `replay_buffer_kwargs.handle_timeout_termination`, default true). `false` treats truncation as
   * termination, the mistake notebook 04 measures.
   */
  handleTimeoutTermination: boolean;
  /**
   * Which replay buffer stores the transitions (SB3's `replay_buffer_class`; SB3 default: its
   * `ReplayBuffer`). Ours: "auto" (default) picks {@link FrameReplayBuffer} for stacked frames,
   * i.e. uint8 observations [height, width, k] with k = 2 or k ≥ 4 (Atari's 84×84×4: each frame
   * kept once, 0.75 GB per 100 000 transitions instead of 5.6 GB), and {@link ReplayBuffer}
   * otherwise. k = 3 is taken for RGB colour channels, not a stack: name "FrameReplayBuffer" for a
   * 3-frame stack. If "auto" guesses wrong (say RGB frames stacked to [h, w, 12]), the frame buffer
   * says so at the first step; name "ReplayBuffer" then.
   */
  replayBufferClass: ReplayBufferClass;
  /** MlpPolicy hidden layers (SB3's `policy_kwargs=dict(net_arch=[...])`). SB3: [64, 64]. */
  hiddenSizes: readonly number[];
  /** MlpPolicy activation (SB3's `activation_fn`). SB3: "relu". */
  activation: HiddenActivation;
  /**
   * Seeds everything random: ε-greedy coins and random actions, replay sampling, weight
   * initialisation, and the env's first reset (sub-env i gets seed + i). Default: none (not reproducible).
   */
  seed: number | undefined;
}

/**
 * The default {@link DQNConfig}: Stable-Baselines3's DQN defaults (themselves close to the Nature
 * paper's, with Adam instead of RMSProp). They are tuned for Atari-scale runs of millions of steps:
 * for CartPole use `presets.cartPole`.
 *
 * @example
 * DQN_DEFAULTS.learningRate;          //=> 0.0001
 * DQN_DEFAULTS.targetUpdateInterval;  //=> 10000
 */
export const DQN_DEFAULTS: Readonly<DQNConfig> = Object.freeze({
  learningRate: 1e-4,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1.0,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1.0,
  explorationFinalEps: 0.05,
  exploration: undefined,
  maxGradNorm: 10,
  loss: "huber",
  doubleDqn: false,
  nStep: 1,
  handleTimeoutTermination: true,
  replayBufferClass: "auto",
  hiddenSizes: Object.freeze([64, 64]),
  activation: "relu",
  seed: undefined,
});

/** Options of `new DQN(...)`: where it acts, which network, and any {@link DQNConfig} field. */
export interface DQNOptions extends Partial<DQNConfig> {
  /** The env to learn from: a VectorEnv, or a single Env (run as a 1-env vector env). */
  readonly env?: Env<unknown, unknown> | VectorEnv<unknown, unknown>;
  /** Without an env (e.g. only to predict): the spaces of one observation and action. */
  readonly observationSpace?: Space<unknown>;
  readonly actionSpace?: Space<unknown>;
  /** "MlpPolicy" (default), "CnnPolicy" (Nature CNN on uint8 images), "SmallCnnPolicy" (MinAtar's net for small grids such as Breakout's compact view), or your own tf.LayersModel. */
  readonly policy?: QNetworkPolicy;
  /**
   * Divide uint8 observations by 255 before the network (SB3's `normalize_images`, default true:
   * pixels in [0, 1] keep the first layer's activations in the range its initialisation expects).
   */
  readonly normalizeImages?: boolean;
  /** Called with each row the logger writes. */
  readonly onRecord?: (record: LogRecord) => void;
}

/** Options of `DQN.learn`. */
export interface LearnOptions {
  /** Env steps to take, summed over sub-envs (SB3's `total_timesteps`). */
  readonly totalSteps: number;
  /** Callbacks (or onStep functions) run during training. */
  readonly callbacks?: Callback | readonly Callback[];
  /** Write a log row every this many finished episodes (SB3's off-policy `log_interval`: 4). */
  readonly logInterval?: number;
  /** Start counting steps from 0 (SB3's `reset_num_timesteps`, default true); false continues a run. */
  readonly resetNumTimesteps?: boolean;
}

/** The names of {@link DQNConfig}'s fields. */
export const DQN_CONFIG_KEYS = Object.freeze(Object.keys(DQN_DEFAULTS)) as readonly (keyof DQNConfig)[];

function positiveInteger(value: number, name: string, unit: string): void {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`Expected ${name} to be a positive integer (${unit}), got ${String(value)}`);
}

function inUnitInterval(value: number, name: string): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`Expected ${name} to be in [0, 1], got ${String(value)}`);
}

/**
 * Fills the defaults into a partial config and rejects values and combinations that cannot work,
 * each with a sentence saying what was expected.
 *
 * @param partial The caller's settings.
 * @param known Extra option names the caller's object may carry (e.g. `env`, `policy`).
 * @returns The complete config.
 * @throws RangeError / Error naming the field, e.g. `Expected learningStarts ≥ batchSize (a batch
 *   needs that many stored transitions), got learningStarts 10 < batchSize 32`.
 * @example
 * resolveDqnConfig({ batchSize: 64, learningStarts: 1000 }).gamma; //=> 0.99
 */
export function resolveDqnConfig(partial: Partial<DQNConfig>, known: readonly string[] = []): DQNConfig {
  assertKnownOptions(partial, [...DQN_CONFIG_KEYS, ...known], "DQN");
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<DQNConfig>;
  const config: DQNConfig = { ...DQN_DEFAULTS, ...defined };
  const c = config;
  if (typeof c.learningRate === "number" && !(c.learningRate > 0 && Number.isFinite(c.learningRate))) {
    throw new RangeError(`Expected learningRate to be a positive number or a schedule, got ${String(c.learningRate)}`);
  }
  if (typeof c.learningRate !== "number" && typeof c.learningRate !== "function") throw new TypeError(`Expected learningRate to be a number or a schedule, got ${typeof c.learningRate}`);
  positiveInteger(c.bufferSize, "bufferSize", "transitions");
  positiveInteger(c.batchSize, "batchSize", "transitions");
  if (!(Number.isSafeInteger(c.learningStarts) && c.learningStarts >= 0)) throw new RangeError(`Expected learningStarts to be an integer ≥ 0 (env steps), got ${String(c.learningStarts)}`);
  if (c.learningStarts < c.batchSize) {
    throw new RangeError(`Expected learningStarts ≥ batchSize (the first batch needs that many stored transitions), got learningStarts ${c.learningStarts} < batchSize ${c.batchSize}`);
  }
  if (c.bufferSize < c.batchSize) throw new RangeError(`Expected bufferSize ≥ batchSize, got bufferSize ${c.bufferSize} < batchSize ${c.batchSize}`);
  if (!(c.tau > 0 && c.tau <= 1)) throw new RangeError(`Expected tau in (0, 1] (1 = hard target update, < 1 = Polyak averaging), got ${String(c.tau)}`);
  inUnitInterval(c.gamma, "gamma");
  positiveInteger(c.trainFreq, "trainFreq", "vector steps");
  if (!(c.gradientSteps === -1 || (Number.isSafeInteger(c.gradientSteps) && c.gradientSteps > 0))) {
    throw new RangeError(`Expected gradientSteps to be a positive integer, or -1 for one per env step collected, got ${String(c.gradientSteps)}`);
  }
  positiveInteger(c.targetUpdateInterval, "targetUpdateInterval", "env steps");
  inUnitInterval(c.explorationFraction, "explorationFraction");
  inUnitInterval(c.explorationInitialEps, "explorationInitialEps");
  inUnitInterval(c.explorationFinalEps, "explorationFinalEps");
  if (c.exploration !== undefined && typeof c.exploration !== "function") throw new TypeError(`Expected exploration to be a schedule (a function), got ${typeof c.exploration}`);
  if (!(c.maxGradNorm > 0)) throw new RangeError(`Expected maxGradNorm > 0 (Infinity: no clipping), got ${String(c.maxGradNorm)}`);
  if (c.loss !== "huber" && c.loss !== "mse") throw new RangeError(`Expected loss to be "huber" or "mse", got ${JSON.stringify(c.loss)}`);
  if (typeof c.doubleDqn !== "boolean") throw new TypeError(`Expected doubleDqn to be a boolean, got ${typeof c.doubleDqn}`);
  if (!REPLAY_BUFFER_CLASSES.includes(c.replayBufferClass)) {
    throw new RangeError(`Expected replayBufferClass to be ${REPLAY_BUFFER_CLASSES.map((name) => `"${name}"`).join(", ")}, got ${JSON.stringify(c.replayBufferClass)}`);
  }
  if (typeof c.handleTimeoutTermination !== "boolean") throw new TypeError(`Expected handleTimeoutTermination to be a boolean, got ${typeof c.handleTimeoutTermination}`);
  positiveInteger(c.nStep, "nStep", "env steps summed into one return");
  if (!Array.isArray(c.hiddenSizes)) throw new TypeError(`Expected hiddenSizes to be an array of layer sizes, got ${String(c.hiddenSizes)}`);
  if (c.seed !== undefined) assertSeed(c.seed);
  return config;
}

/** The config as JSON for a checkpoint (a schedule, being code, is saved by name only). */
export function configToJson(config: DQNConfig): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const key of DQN_CONFIG_KEYS) {
    const value = config[key];
    if (typeof value === "function") json[key] = { schedule: value.name || "custom" };
    else if (value !== undefined) json[key] = Array.isArray(value) ? [...value] : value;
  }
  return json;
}

/** A config from its JSON form; saved schedules (code) fall back to the defaults' form with a numeric value where one is given. */
export function configFromJson(json: Record<string, unknown>): Partial<DQNConfig> {
  const partial: Record<string, unknown> = {};
  for (const key of DQN_CONFIG_KEYS) {
    const value = json[key];
    if (value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))) continue;
    partial[key] = value;
  }
  return partial as Partial<DQNConfig>;
}

/**
 * `learn`'s options with defaults filled in and checked.
 *
 * @throws RangeError for a totalSteps or logInterval that is not a positive integer.
 */
export function resolveLearnOptions(options: LearnOptions): Required<Omit<LearnOptions, "callbacks">> & { callbacks: readonly Callback[] } {
  const { totalSteps, callbacks = [], logInterval = 4, resetNumTimesteps = true } = options ?? ({} as LearnOptions);
  if (!(Number.isSafeInteger(totalSteps) && totalSteps > 0)) throw new RangeError(`Expected totalSteps to be a positive integer (env steps), got ${String(totalSteps)}`);
  if (!(Number.isSafeInteger(logInterval) && logInterval > 0)) throw new RangeError(`Expected logInterval to be a positive integer (episodes), got ${String(logInterval)}`);
  return { totalSteps, logInterval, resetNumTimesteps, callbacks: Array.isArray(callbacks) ? callbacks : [callbacks as Callback] };
}
