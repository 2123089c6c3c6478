import * as tf from "../backend/tf";
import { Box } from "../core/box";
import { Discrete } from "../core/discrete";
import type { Space } from "../core/space";

/**
 * How observations become network inputs, the way SB3's `preprocess_obs` does it: a Box is used as
 * is (uint8 images are divided by 255 for the CNN, SB3's `normalize_images`); a Discrete observation
 * becomes a one-hot vector (a state index has no meaningful magnitude to feed a network).
 */
export type ObservationSpec =
  | { readonly kind: "box"; readonly shape: readonly number[]; readonly dtype: string; readonly scale: number }
  | { readonly kind: "discrete"; readonly n: number; readonly start: number };

/** The discrete action set a Q-network chooses from: actions `start … start + n − 1`. */
export interface ActionSpec {
  readonly n: number;
  readonly start: number;
}

/**
 * The {@link ObservationSpec} of an observation space.
 *
 * @param space The env's (single) observation space: a Box or a Discrete.
 * @param normalizeImages Divide uint8 Box observations with bounds 0…255 by 255 (SB3's `normalize_images`).
 * @throws TypeError for other spaces.
 * @example
 * observationSpec(new Discrete(5), false); //=> { kind: "discrete", n: 5, start: 0 }
 */
export function observationSpec(space: Space<unknown>, normalizeImages: boolean): ObservationSpec {
  if (space instanceof Discrete) return { kind: "discrete", n: space.n, start: space.start };
  if (space instanceof Box) {
    // SB3's is_image_space: uint8 with bounds 0…255. A uint8 grid of 0/1 flags (Breakout's compact
    // view, MinAtar) is not an image: dividing it by 255 would shrink every input to 0.004.
    const isImage = space.dtype === "uint8" && Array.prototype.every.call(space.low, (v: number) => v === 0) && Array.prototype.every.call(space.high, (v: number) => v === 255);
    const scale = normalizeImages && isImage ? 1 / 255 : 1;
    return { kind: "box", shape: [...space.shape], dtype: space.dtype, scale };
  }
  throw new TypeError(`Expected a Box or Discrete observation space, got ${describeSpace(space)}`);
}

/**
 * The {@link ActionSpec} of an action space; DQN needs a Discrete one.
 *
 * @throws TypeError `Expected a Discrete action space (DQN picks one of n actions), got Box(...)`.
 */
export function actionSpec(space: Space<unknown>): ActionSpec {
  if (!(space instanceof Discrete)) throw new TypeError(`Expected a Discrete action space (DQN picks one of n actions), got ${describeSpace(space)}`);
  return { n: space.n, start: space.start };
}

function describeSpace(space: unknown): string {
  return space !== null && typeof space === "object" ? String(space) : typeof space;
}

/** Shape of one observation as the network sees it: the Box shape, or `[n]` (one-hot) for Discrete. */
export function networkInputShape(spec: ObservationSpec): readonly number[] {
  return spec.kind === "box" ? spec.shape : [spec.n];
}

/** Shape of one observation as the replay buffer stores it (`[]` for a Discrete index). */
export function storedObsShape(spec: ObservationSpec): readonly number[] {
  return spec.kind === "box" ? spec.shape : [];
}

/** Numbers in one stored observation. */
export function storedObsSize(spec: ObservationSpec): number {
  return storedObsShape(spec).reduce((product, d) => product * d, 1);
}

/**
 * A batch of stored observations (`count` rows back to back) as the network's input tensor.
 * Call it inside tf.tidy.
 *
 * @example
 * tf.tidy(() => toNetworkInput({ kind: "discrete", n: 3, start: 0 }, [2, 0], 2).arraySync()); //=> [[0, 0, 1], [1, 0, 0]]
 */
export function toNetworkInput(spec: ObservationSpec, obs: ArrayLike<number>, count: number): tf.Tensor {
  if (spec.kind === "discrete") {
    // Built in JS: tf.oneHot needs depth ≥ 2, and a Discrete(1) state space is legal.
    const oneHot = new Float32Array(count * spec.n);
    for (let i = 0; i < count; i++) {
      const index = obs[i]! - spec.start;
      if (!(Number.isInteger(index) && index >= 0 && index < spec.n)) throw new RangeError(`Expected a Discrete observation in ${spec.start}…${spec.start + spec.n - 1}, got ${obs[i]}`);
      oneHot[i * spec.n + index] = 1;
    }
    return tf.tensor2d(oneHot, [count, spec.n]);
  }
  const values = obs instanceof Float32Array ? obs : Float32Array.from(obs);
  const input = tf.tensor(values, [count, ...spec.shape], "float32");
  return spec.scale === 1 ? input : tf.mul(input, spec.scale);
}

/**
 * How many observations `obs` holds: its length divided by one observation's size.
 *
 * @throws RangeError `Expected observations of 4 numbers each (a multiple of 4), got 6 numbers`.
 */
export function countObservations(spec: ObservationSpec, obs: ArrayLike<number>): number {
  const size = storedObsSize(spec);
  if (obs === null || typeof obs !== "object" || typeof obs.length !== "number" || obs.length === 0 || obs.length % size !== 0) {
    const got = obs !== null && typeof obs === "object" && typeof obs.length === "number" ? `${obs.length} numbers` : typeof obs;
    throw new RangeError(`Expected observations of ${size} number${size === 1 ? "" : "s"} each (a non-empty multiple of ${size}), got ${got}`);
  }
  return obs.length / size;
}
