import * as tf from "./tf";

/**
 * The DQN "Nature CNN" (Mnih et al. 2015) and one DQN-style training step on it: the reference
 * workload for checking that a backend can train pixel-input agents, and for timing it.
 */

/** Options of {@link buildNatureCnn}. */
export interface NatureCnnOptions {
  /** Observation shape [height, width, stacked frames]. Default [84, 84, 4]. */
  inputShape?: [number, number, number];
  /** Number of discrete actions (size of the Q-value output). Default 6. */
  nActions?: number;
  /** Seed for the weight initialisers, for reproducible tests. Default: unseeded. */
  seed?: number;
}

/**
 * Builds the Nature CNN: conv 8×8 stride 4 → 32, conv 4×4 stride 2 → 64, conv 3×3 stride 1 → 64,
 * flatten, dense 512, dense nActions (Q-values); ReLU everywhere but the output; 'valid' padding.
 *
 * @param options See {@link NatureCnnOptions}.
 * @returns An uncompiled tf.Sequential mapping [batch, 84, 84, 4] to [batch, nActions].
 * @example
 * ```ts
 * const model = buildNatureCnn({ nActions: 4 });
 * const q = model.predict(tf.zeros([1, 84, 84, 4])) as tf.Tensor2D; // [1, 4]
 * ```
 */
export function buildNatureCnn(options: NatureCnnOptions = {}): tf.Sequential {
  const inputShape = options.inputShape ?? [84, 84, 4];
  const nActions = options.nActions ?? 6;
  const seed = options.seed;
  // Distinct seeds per layer: one shared seed would give every layer's kernel the same pattern.
  const init = (i: number) => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + i });
  return tf.sequential({
    name: "nature_cnn",
    layers: [
      tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 8, strides: 4, activation: "relu", kernelInitializer: init(0) }),
      tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, activation: "relu", kernelInitializer: init(1) }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 1, activation: "relu", kernelInitializer: init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: "relu", kernelInitializer: init(3) }),
      tf.layers.dense({ units: nActions, kernelInitializer: init(4) }),
    ],
  });
}

/** One minibatch of a DQN update: observations, the actions taken, and their TD targets. */
export interface QBatch {
  /** Observations, [batch, height, width, frames], float32 (e.g. pixels / 255). */
  obs: tf.Tensor4D;
  /** Action indices taken, [batch], int32. */
  actions: tf.Tensor1D;
  /** TD targets for Q(s, a), [batch], float32. */
  targets: tf.Tensor1D;
}

/** Options of {@link qLossAndGrads} and {@link natureCnnTrainStep}. */
export interface QStepOptions {
  /** "huber" (DQN's default) or "mse". Default "huber". */
  loss?: "huber" | "mse";
  /** Clip gradients to this global L2 norm (as in DQN implementations). Default 10. */
  maxGradNorm?: number;
}

/**
 * Computes the DQN loss on Q(s, a) and its gradients for the model's trainable weights, clipped by
 * global norm. Runs on the current backend; disposes everything but the returned tensors.
 *
 * @param model A model mapping observations to Q-values, e.g. from {@link buildNatureCnn}.
 * @param batch See {@link QBatch}.
 * @param options See {@link QStepOptions}.
 * @returns The scalar loss, the gradient global norm before clipping, and the clipped gradients by
 *   variable name (the caller disposes them, or passes them to `optimizer.applyGradients`).
 * @example
 * ```ts
 * const { loss, grads } = qLossAndGrads(model, batch);
 * optimizer.applyGradients(grads);
 * tf.dispose([loss, ...Object.values(grads)]);
 * ```
 */
export function qLossAndGrads(
  model: tf.LayersModel,
  batch: QBatch,
  options: QStepOptions = {},
): { loss: tf.Scalar; gradNorm: tf.Scalar; grads: tf.NamedTensorMap } {
  const maxGradNorm = options.maxGradNorm ?? 10;
  const lossKind = options.loss ?? "huber";
  return tf.tidy(() => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const q = model.apply(batch.obs, { training: true }) as tf.Tensor2D;
      const nActions = q.shape[1];
      // Q(s, a) via a one-hot mask (its gradient needs no scatter kernel).
      const qa = tf.sum(tf.mul(q, tf.oneHot(batch.actions, nActions)), 1);
      return lossKind === "huber" ? tf.losses.huberLoss(batch.targets, qa) : tf.losses.meanSquaredError(batch.targets, qa);
    }, vars);
    // Clip by global norm: scale every gradient by min(1, maxNorm / ‖g‖), ‖g‖ over all variables.
    const names = Object.keys(grads);
    const gradNorm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!))))) as tf.Scalar;
    const scale = tf.minimum(1, tf.div(maxGradNorm, tf.add(gradNorm, 1e-6)));
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = tf.mul(grads[n]!, scale);
    return { loss: value, gradNorm, grads: clipped };
  });
}

/**
 * One full DQN training step on the current backend: forward, loss, backward, clip, optimizer update.
 *
 * @param model A model mapping observations to Q-values.
 * @param optimizer E.g. `tf.train.adam(1e-4)`.
 * @param batch See {@link QBatch}.
 * @param options See {@link QStepOptions}.
 * @returns The loss and pre-clipping gradient norm, read back synchronously (so timing this call
 *   measures the whole step).
 * @example
 * ```ts
 * const { loss } = natureCnnTrainStep(model, tf.train.adam(1e-4), batch);
 * ```
 */
export function natureCnnTrainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: QBatch,
  options: QStepOptions = {},
): { loss: number; gradNorm: number } {
  const { loss, gradNorm, grads } = qLossAndGrads(model, batch, options);
  try {
    optimizer.applyGradients(grads);
    return { loss: loss.dataSync()[0]!, gradNorm: gradNorm.dataSync()[0]! };
  } finally {
    tf.dispose([loss, gradNorm, ...Object.values(grads)]);
  }
}
