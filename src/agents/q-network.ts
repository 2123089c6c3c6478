import * as tf from "../backend/tf";
import { buildNatureCnn } from "../backend/nature-cnn";

/**
 * Q-networks: models mapping a batch of observations to one Q-value per action, `[batch, nActions]`.
 * Ways to get one, as SB3's policy argument offers: `"MlpPolicy"` ({@link mlpQNetwork}),
 * `"CnnPolicy"` ({@link natureCnnQNetwork}), `"SmallCnnPolicy"` ({@link smallCnnQNetwork}, MinAtar's
 * network for small grids), or your own tf.LayersModel (checked by {@link validateQNetwork}).
 */

/** The activations an MLP Q-network may use between its layers. */
export type HiddenActivation = "relu" | "tanh" | "elu" | "sigmoid";

/** Options of {@link mlpQNetwork}. */
export interface MlpQNetworkOptions {
  /** Numbers in one (flattened) observation, e.g. 4 for CartPole. */
  readonly obsSize: number;
  /** Number of discrete actions: the output size. */
  readonly nActions: number;
  /** Units of each hidden layer. Default [64, 64]: SB3's `net_arch` for DQN's MlpPolicy. */
  readonly hiddenSizes?: readonly number[];
  /** Activation after each hidden layer. Default "relu" (SB3's `activation_fn = nn.ReLU`). */
  readonly activation?: HiddenActivation;
  /** Seed of the weight initialisers (layer i uses seed + i); without one, weights are random. */
  readonly seed?: number;
}

/** Default hidden layer sizes of {@link mlpQNetwork}: SB3's DQN MlpPolicy (`net_arch=[64, 64]`). */
export const DEFAULT_HIDDEN_SIZES: readonly number[] = [64, 64];

function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (!(Number.isSafeInteger(value) && (value as number) > 0)) throw new RangeError(`Expected ${name} to be a positive integer, got ${String(value)}`);
}

/**
 * A fully connected Q-network: obsSize → hidden layers → nActions linear outputs (no activation on
 * the output: Q-values are unbounded returns). Weights start Glorot-uniform (Keras' default; SB3's
 * PyTorch layers use Kaiming-uniform), biases at zero.
 *
 * @param options See {@link MlpQNetworkOptions}.
 * @returns An uncompiled tf.Sequential mapping `[batch, obsSize]` to `[batch, nActions]`.
 * @example
 * const q = mlpQNetwork({ obsSize: 4, nActions: 2, seed: 0 });
 * q.outputs[0].shape;                                   //=> [null, 2]
 * q.countParams();                                      //=> 4610  (4·64+64 + 64·64+64 + 64·2+2)
 */
export function mlpQNetwork(options: MlpQNetworkOptions): tf.Sequential {
  const { obsSize, nActions, hiddenSizes = DEFAULT_HIDDEN_SIZES, activation = "relu", seed } = options;
  assertPositiveInteger(obsSize, "obsSize");
  assertPositiveInteger(nActions, "nActions");
  if (!Array.isArray(hiddenSizes)) throw new TypeError(`Expected hiddenSizes to be an array of positive integers, got ${String(hiddenSizes)}`);
  hiddenSizes.forEach((units, i) => assertPositiveInteger(units, `hiddenSizes[${i}]`));
  if (!["relu", "tanh", "elu", "sigmoid"].includes(activation)) throw new RangeError(`Expected activation to be relu, tanh, elu or sigmoid, got ${String(activation)}`);
  // Distinct seeds per layer: one shared seed would give every layer the same weight pattern.
  const init = (i: number) => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + i });
  const model = tf.sequential({ name: "mlp_q_network" });
  [...hiddenSizes, nActions].forEach((units, i) => {
    const last = i === hiddenSizes.length;
    model.add(tf.layers.dense({ units, activation: last ? "linear" : activation, kernelInitializer: init(i), ...(i === 0 ? { inputShape: [obsSize] } : {}) }));
  });
  return model;
}

/** Options of {@link natureCnnQNetwork}. */
export interface NatureCnnQNetworkOptions {
  /** One observation's shape [height, width, channels] (channels last), e.g. [84, 84, 4]. */
  readonly obsShape: readonly [number, number, number];
  /** Number of discrete actions. */
  readonly nActions: number;
  /** Seed of the weight initialisers. */
  readonly seed?: number;
}

/**
 * The DQN Nature CNN (Mnih et al. 2015; SB3's `CnnPolicy`) as a Q-network: three conv layers,
 * dense 512, one linear output per action. It expects pixels scaled to [0, 1]; DQN divides uint8
 * observations by 255 before the network, as SB3 does (`normalize_images`).
 *
 * @param options See {@link NatureCnnQNetworkOptions}.
 * @returns A tf.Sequential mapping `[batch, h, w, c]` to `[batch, nActions]`.
 * @example
 * natureCnnQNetwork({ obsShape: [84, 84, 4], nActions: 4, seed: 0 }).outputs[0].shape; //=> [null, 4]
 */
export function natureCnnQNetwork(options: NatureCnnQNetworkOptions): tf.Sequential {
  const { obsShape, nActions, seed } = options;
  if (!Array.isArray(obsShape) || obsShape.length !== 3) throw new RangeError(`Expected obsShape [height, width, channels], got ${JSON.stringify(obsShape)}`);
  obsShape.forEach((d, i) => assertPositiveInteger(d, `obsShape[${i}]`));
  assertPositiveInteger(nActions, "nActions");
  return buildNatureCnn({ inputShape: [obsShape[0], obsShape[1], obsShape[2]], nActions, ...(seed === undefined ? {} : { seed }) });
}

/** Options of {@link smallCnnQNetwork}. */
export interface SmallCnnQNetworkOptions {
  /** One observation's shape [height, width, channels], e.g. [10, 10, 4] for Breakout's compact view. */
  readonly obsShape: readonly [number, number, number];
  readonly nActions: number;
  /** Filters of the one conv layer (3×3, stride 1, "valid"). Default 16 (MinAtar's). */
  readonly filters?: number;
  /** Units of the hidden dense layer. Default 128 (MinAtar's). */
  readonly hiddenUnits?: number;
  readonly seed?: number;
}

/**
 * MinAtar's DQN network (Young & Tian 2019): one 3×3 conv layer of 16 filters, a dense layer of 128,
 * one linear output per action. Made for small grids of object channels (10×10×4 for Breakout's
 * compact view), where the Nature CNN's 8×8 stride-4 first layer would not even fit. The
 * `"SmallCnnPolicy"` of DQN.
 *
 * @returns A tf.Sequential mapping `[batch, h, w, c]` to `[batch, nActions]`.
 * @example
 * smallCnnQNetwork({ obsShape: [10, 10, 4], nActions: 4, seed: 0 }).countParams(); //=> 132308 (3·3·4·16+16 + 8·8·16·128+128 + 128·4+4)
 */
export function smallCnnQNetwork(options: SmallCnnQNetworkOptions): tf.Sequential {
  const { obsShape, nActions, filters = 16, hiddenUnits = 128, seed } = options;
  if (!Array.isArray(obsShape) || obsShape.length !== 3) throw new RangeError(`Expected obsShape [height, width, channels], got ${JSON.stringify(obsShape)}`);
  obsShape.forEach((d, i) => assertPositiveInteger(d, `obsShape[${i}]`));
  if (obsShape[0] < 3 || obsShape[1] < 3) throw new RangeError(`Expected an observation of at least 3×3 for the 3×3 conv, got ${obsShape[0]}×${obsShape[1]}`);
  assertPositiveInteger(nActions, "nActions");
  assertPositiveInteger(filters, "filters");
  assertPositiveInteger(hiddenUnits, "hiddenUnits");
  const init = (i: number) => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + i });
  return tf.sequential({
    name: "small_cnn_q_network",
    layers: [
      tf.layers.conv2d({ inputShape: [...obsShape], filters, kernelSize: 3, strides: 1, activation: "relu", kernelInitializer: init(0) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: hiddenUnits, activation: "relu", kernelInitializer: init(1) }),
      tf.layers.dense({ units: nActions, kernelInitializer: init(2) }),
    ],
  });
}

/**
 * Checks that `model` can serve as a Q-network: one input whose shape (after the batch axis) is
 * `inputShape`, one output of shape `[batch, nActions]`.
 *
 * @param model The candidate network.
 * @param expected `inputShape`: one observation's network input shape; `nActions`.
 * @throws Error `Expected a Q-network with input shape [null, 4], got [null, 8]` and the like.
 * @example
 * validateQNetwork(mlpQNetwork({ obsSize: 4, nActions: 2 }), { inputShape: [4], nActions: 2 }); // passes
 */
export function validateQNetwork(model: tf.LayersModel, expected: { readonly inputShape: readonly number[]; readonly nActions: number }): void {
  if (model === null || typeof model !== "object" || !Array.isArray((model as tf.LayersModel).inputs) || typeof (model as tf.LayersModel).apply !== "function") {
    throw new TypeError(`Expected a tf.LayersModel (e.g. tf.sequential(...)) as the Q-network, got ${model === null ? "null" : typeof model}`);
  }
  const show = (shape: readonly (number | null)[]) => `[${shape.map((d) => (d === null ? "null" : d)).join(", ")}]`;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`Expected a Q-network with one input and one output, got ${model.inputs.length} inputs and ${model.outputs.length} outputs`);
  }
  const input = model.inputs[0]!.shape;
  const wantInput = [null, ...expected.inputShape];
  if (input.length !== wantInput.length || input.some((d, i) => i > 0 && d !== wantInput[i])) {
    throw new Error(`Expected a Q-network with input shape ${show(wantInput)} (the observation's), got ${show(input)}`);
  }
  const output = model.outputs[0]!.shape;
  if (output.length !== 2 || output[1] !== expected.nActions) {
    throw new Error(`Expected a Q-network with output shape [null, ${expected.nActions}] (one Q-value per action), got ${show(output)}`);
  }
}

/** Maps a batch of network inputs to Q-values `[batch, nActions]`, inside the caller's tf.tidy. */
export type QFunction = (input: tf.Tensor, options?: { readonly training?: boolean }) => tf.Tensor2D;

/**
 * The forward pass of a Q-network: `model.apply`, not `model.predict`.
 *
 * Why: `predict` splits its input into batches and runs the graph executor around the layers, which
 * costs more than the arithmetic for CartPole-sized networks: on the wasm backend, choosing greedy
 * actions with a 4-128-128-2 MLP takes 55 µs with `predict` and 43 µs with `apply` for 4
 * observations, 332 µs and 163 µs for 128 (`npm run bench -- --only dqn`). (Calling the layers' kernels through `tf.fused.matMul` directly saved only
 * another 3–10 %, not worth a second code path.) `training` is for layers that behave differently
 * when training (dropout, batch norm): true for Q(s, a) in the loss, false (default) elsewhere.
 *
 * @param model A Q-network.
 * @returns A {@link QFunction}.
 * @example
 * const q = qFunction(mlpQNetwork({ obsSize: 4, nActions: 2, seed: 0 }));
 * tf.tidy(() => q(tf.zeros([3, 4])).shape); //=> [3, 2]
 */
export function qFunction(model: tf.LayersModel): QFunction {
  return (input, options = {}) => model.apply(input, { training: options.training ?? false }) as tf.Tensor2D;
}

/** How DQN is told which Q-network to use (SB3's `policy` argument). */
export type QNetworkPolicy = "MlpPolicy" | "CnnPolicy" | "SmallCnnPolicy" | tf.LayersModel;

/** Options of {@link buildQNetwork}. */
export interface BuildQNetworkOptions {
  readonly policy: QNetworkPolicy;
  /** One observation's shape as the network sees it (e.g. [4], or [84, 84, 4] for pixels). */
  readonly inputShape: readonly number[];
  readonly nActions: number;
  /** MlpPolicy hidden layers. Default {@link DEFAULT_HIDDEN_SIZES}. */
  readonly hiddenSizes?: readonly number[];
  readonly activation?: HiddenActivation;
  readonly seed?: number;
}

/**
 * The Q-network a policy name stands for, or the given model after {@link validateQNetwork}.
 *
 * @throws Error for an unknown policy name, "CnnPolicy" on a non-image observation, or a model
 *   whose shapes do not fit the observation and action spaces.
 * @example
 * buildQNetwork({ policy: "MlpPolicy", inputShape: [4], nActions: 2, seed: 0 }).outputs[0].shape; //=> [null, 2]
 */
export function buildQNetwork(options: BuildQNetworkOptions): tf.LayersModel {
  const { policy, inputShape, nActions, hiddenSizes, activation, seed } = options;
  const seeded = seed === undefined ? {} : { seed };
  if (policy === "MlpPolicy") {
    const obsSize = inputShape.reduce((product, d) => product * d, 1);
    if (inputShape.length !== 1) throw new Error(`Expected a flat observation for MlpPolicy, got shape [${inputShape.join(", ")}] (use "CnnPolicy" for images, or pass your own tf.LayersModel)`);
    return mlpQNetwork({ obsSize, nActions, ...(hiddenSizes ? { hiddenSizes } : {}), ...(activation ? { activation } : {}), ...seeded });
  }
  if (policy === "CnnPolicy") {
    if (inputShape.length !== 3) throw new Error(`Expected an image observation [height, width, channels] for CnnPolicy, got shape [${inputShape.join(", ")}]`);
    return natureCnnQNetwork({ obsShape: [inputShape[0]!, inputShape[1]!, inputShape[2]!], nActions, ...seeded });
  }
  if (policy === "SmallCnnPolicy") {
    if (inputShape.length !== 3) throw new Error(`Expected an observation [height, width, channels] for SmallCnnPolicy, got shape [${inputShape.join(", ")}]`);
    return smallCnnQNetwork({ obsShape: [inputShape[0]!, inputShape[1]!, inputShape[2]!], nActions, ...seeded });
  }
  if (typeof policy === "string") throw new RangeError(`Expected policy "MlpPolicy", "CnnPolicy", "SmallCnnPolicy" or a tf.LayersModel, got ${JSON.stringify(policy)}`);
  validateQNetwork(policy, { inputShape, nActions });
  return policy;
}

/**
 * A second network with the same architecture and weights (DQN's target network). Synchronous:
 * rebuilt from the model's config, so custom layers must be registered with tf.serialization.
 *
 * @example
 * const target = cloneQNetwork(online);   // target.getWeights() equal online.getWeights()
 */
export function cloneQNetwork(model: tf.LayersModel): tf.LayersModel {
  const config = model.getConfig() as tf.serialization.ConfigDict;
  const copy = (model instanceof tf.Sequential ? tf.Sequential.fromConfig(tf.Sequential, config) : tf.LayersModel.fromConfig(tf.LayersModel, config)) as tf.LayersModel;
  copy.setWeights(model.getWeights());
  return copy;
}
