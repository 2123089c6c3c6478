import type { BatchLayout } from "./batch-layout";
import { ControlLayout } from "./worker-protocol";
import type { ObsArray } from "./types";

/**
 * The SharedArrayBuffers an AsyncVectorEnv and its workers share. Why shared memory: a worker
 * writes each sub-env's observation, reward and flags straight into the rows the main thread reads,
 * so a step copies nothing between threads (structured cloning a message per step would cost more
 * than a CartPole step itself: ANCHORS.md's subprocess vector env is 10× slower than its sync one).
 * Plain data, so it can be passed to a worker in `workerData`.
 */
export interface SharedMemoryBuffers {
  /** Int32 control words (see {@link ControlLayout}). */
  readonly control: SharedArrayBuffer;
  /** Float64 per sub-env: the seed of its next reset, NaN for none. */
  readonly seeds: SharedArrayBuffer;
  /** Observation rows, `[numEnvs, ...obsShape]`, written by the workers. */
  readonly obs: SharedArrayBuffer;
  /** Same-step mode: the true final observation of a sub-env whose episode just ended. */
  readonly finalObs: SharedArrayBuffer;
  /** Uint8 per sub-env: 1 when its `finalObs` row is valid for the step just done. */
  readonly hasFinal: SharedArrayBuffer;
  /** Action rows, written by the main thread before it posts a step. */
  readonly actions: SharedArrayBuffer;
  /** Float64 per sub-env. */
  readonly rewards: SharedArrayBuffer;
  /** Uint8 per sub-env (1 = true). */
  readonly terminated: SharedArrayBuffer;
  readonly truncated: SharedArrayBuffer;
}

/** Typed-array views over {@link SharedMemoryBuffers}, the same on both sides of the thread boundary. */
export interface SharedMemoryViews {
  readonly layout: ControlLayout;
  readonly control: Int32Array;
  readonly seeds: Float64Array;
  readonly obs: ObsArray;
  readonly finalObs: ObsArray;
  readonly hasFinal: Uint8Array;
  readonly actions: ObsArray;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
}

/** What fixes the sizes of the shared buffers. */
export interface SharedMemoryShape {
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly obsLayout: BatchLayout<unknown>;
  readonly actionLayout: BatchLayout<unknown>;
}

/**
 * Allocates zeroed shared buffers for `numEnvs` sub-envs hosted by `numWorkers` workers.
 *
 * @example
 * const memory = allocateSharedMemory({ numEnvs: 8, numWorkers: 2, obsLayout, actionLayout });
 * memory.obs.byteLength   //=> 8 × 4 × 4 = 128 for CartPole's float32 [4]
 */
export function allocateSharedMemory(shape: SharedMemoryShape): SharedMemoryBuffers {
  const { numEnvs, numWorkers, obsLayout, actionLayout } = shape;
  const layout = new ControlLayout(numEnvs, numWorkers);
  const rowBytes = (batch: BatchLayout<unknown>): number => numEnvs * batch.size * batch.bytesPerElement;
  return {
    control: new SharedArrayBuffer(layout.length * Int32Array.BYTES_PER_ELEMENT),
    seeds: new SharedArrayBuffer(numEnvs * Float64Array.BYTES_PER_ELEMENT),
    obs: new SharedArrayBuffer(rowBytes(obsLayout)),
    finalObs: new SharedArrayBuffer(rowBytes(obsLayout)),
    hasFinal: new SharedArrayBuffer(numEnvs),
    actions: new SharedArrayBuffer(rowBytes(actionLayout)),
    rewards: new SharedArrayBuffer(numEnvs * Float64Array.BYTES_PER_ELEMENT),
    terminated: new SharedArrayBuffer(numEnvs),
    truncated: new SharedArrayBuffer(numEnvs),
  };
}

/** Typed-array views over shared buffers allocated for `shape` (on either thread). */
export function viewSharedMemory(buffers: SharedMemoryBuffers, shape: SharedMemoryShape): SharedMemoryViews {
  const { numEnvs, numWorkers, obsLayout, actionLayout } = shape;
  return {
    layout: new ControlLayout(numEnvs, numWorkers),
    control: new Int32Array(buffers.control),
    seeds: new Float64Array(buffers.seeds),
    obs: obsLayout.create(numEnvs, buffers.obs),
    finalObs: obsLayout.create(numEnvs, buffers.finalObs),
    hasFinal: new Uint8Array(buffers.hasFinal),
    actions: actionLayout.create(numEnvs, buffers.actions),
    rewards: new Float64Array(buffers.rewards),
    terminated: new Uint8Array(buffers.terminated),
    truncated: new Uint8Array(buffers.truncated),
  };
}
