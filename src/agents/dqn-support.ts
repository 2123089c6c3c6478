import * as tf from "../backend/tf";
import type { VectorEnv } from "../vector/types";
import type { DQNConfig, ReplayBufferClass } from "./dqn-config";
import { FrameReplayBuffer } from "./frame-replay-buffer";
import { storedObsShape, type ObservationSpec } from "./observation-input";
import { ReplayBuffer } from "./replay-buffer";
import type { TransitionStore } from "./replay-types";

/**
 * Small pieces of the DQN update and loop, kept out of dqn.ts so that file reads as the algorithm.
 */

/** One minibatch as tensors: what the update works on. */
export interface BatchTensors {
  /** Network inputs for the observations, `[batch, ...inputShape]`. */
  readonly obs: tf.Tensor;
  /** Action indices taken, `[batch]` int32. */
  readonly actions: tf.Tensor1D;
  /** (n-step discounted) rewards, `[batch]`. */
  readonly rewards: tf.Tensor1D;
  readonly nextObs: tf.Tensor;
  /** 1 = terminal (no bootstrap), `[batch]`. */
  readonly terminated: tf.Tensor1D;
  /** γ^k of each transition's bootstrap term, `[batch]`. */
  readonly discounts: tf.Tensor1D;
}

/**
 * Q(s, a) of one action per row: `q[b, actions[b]]`. Through a one-hot mask rather than tf.gather,
 * whose gradient needs a scatter kernel (slower, and missing on some backends).
 *
 * @example
 * pickActions(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([1, 0], "int32")).arraySync(); //=> [2, 3]
 */
export function pickActions(q: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
  return tf.sum(tf.mul(q, tf.oneHot(actions, q.shape[1])), 1);
}

/**
 * Scales all gradients by min(1, maxNorm / ‖g‖), ‖g‖ the L2 norm over every variable together
 * (PyTorch's `clip_grad_norm_`, which SB3 applies with max_grad_norm = 10). Infinity: unchanged.
 *
 * @example
 * clipByGlobalNorm({ w: tf.tensor1d([3, 4]) }, 1).w.arraySync(); //=> [0.6, 0.8]  (approximately: ‖g‖ + 1e-6)
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  if (maxNorm === Infinity) return grads;
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name]!)))));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  const clipped: tf.NamedTensorMap = {};
  for (const name of names) clipped[name] = tf.mul(grads[name]!, scale);
  return clipped;
}

/**
 * Lets the event loop run every `intervalMs` of synchronous work, by awaiting a macrotask
 * (setImmediate: after pending I/O, unlike a resolved promise, which would run before it).
 *
 * @example
 * const yielder = new Yielder();
 * for (...) { work(); if (yielder.due()) await yielder.pause(); }
 */
export class Yielder {
  private last = performance.now();

  /** @param intervalMs Longest stretch of work between pauses. Default 50 ms. */
  constructor(private readonly intervalMs = 50) {}

  /** Whether `intervalMs` has passed since the last pause. */
  due(): boolean {
    return performance.now() - this.last >= this.intervalMs;
  }

  /** Waits for one turn of the event loop. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

/**
 * Which replay buffer `replayBufferClass` stands for with this observation: "auto" picks
 * FrameReplayBuffer for stacked frames (uint8 images [height, width, k] with bounds 0…255, k = 2 or
 * k ≥ 4; k = 3 is taken for RGB colours), ReplayBuffer otherwise (also for uint8 grids of 0/1 object
 * channels, and for images with normalizeImages: false).
 *
 * @throws RangeError for "FrameReplayBuffer" with an observation that is not uint8 [height, width, k].
 * @example
 * resolveReplayBufferClass({ kind: "box", shape: [84, 84, 4], dtype: "uint8", scale: 1 / 255 }, "auto"); //=> "FrameReplayBuffer"
 * resolveReplayBufferClass({ kind: "box", shape: [96, 96, 3], dtype: "uint8", scale: 1 / 255 }, "auto"); //=> "ReplayBuffer"
 * resolveReplayBufferClass({ kind: "box", shape: [10, 10, 4], dtype: "uint8", scale: 1 }, "auto");       //=> "ReplayBuffer"
 */
export function resolveReplayBufferClass(observation: ObservationSpec, setting: ReplayBufferClass): "ReplayBuffer" | "FrameReplayBuffer" {
  const pixels = observation.kind === "box" && observation.dtype === "uint8" && observation.shape.length === 3;
  if (setting === "FrameReplayBuffer" && !pixels) {
    const got = observation.kind === "box" ? `${observation.dtype} [${observation.shape.join(", ")}]` : `Discrete(${observation.n})`;
    throw new RangeError(`Expected uint8 observations [height, width, frames] for replayBufferClass "FrameReplayBuffer", got ${got}`);
  }
  if (setting !== "auto") return setting;
  // Only images (0…255, divided by 255 for the network) are taken for frame stacks: a uint8 grid of
  // object channels such as Breakout's compact view [10, 10, 4] is not a stack of frames.
  const image = pixels && observation.kind === "box" && observation.scale !== 1;
  const frames = image ? observation.shape[2]! : 1;
  return frames > 1 && frames !== 3 ? "FrameReplayBuffer" : "ReplayBuffer";
}

/**
 * The replay buffer DQN fills from `envs`: `bufferSize` transitions, one n-step window per sub-env;
 * the class `replayBufferClass` picks, uint8 storage for uint8 observations (pixels: 4× smaller),
 * float32 otherwise.
 */
export function createReplayBuffer(options: { readonly config: DQNConfig; readonly observation: ObservationSpec; readonly envs: VectorEnv<unknown, unknown>; readonly seed: number }): TransitionStore {
  const { config, observation, envs, seed } = options;
  const obsDtype = observation.kind === "box" && observation.dtype === "uint8" ? "uint8" : "float32";
  const { bufferSize: capacity, nStep, gamma, handleTimeoutTermination } = config;
  const settings = { capacity, obsShape: storedObsShape(observation), numEnvs: envs.numEnvs, autoreset: envs.autoreset, nStep, gamma, seed, handleTimeoutTermination };
  if (resolveReplayBufferClass(observation, config.replayBufferClass) === "FrameReplayBuffer") return new FrameReplayBuffer(settings);
  return new ReplayBuffer({ ...settings, obsDtype });
}
