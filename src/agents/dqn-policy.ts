import * as tf from "../backend/tf";
import type { Rng } from "../core/rng";
import type { Space } from "../core/space";
import { actionSpec, countObservations, networkInputShape, observationSpec, toNetworkInput, type ActionSpec, type ObservationSpec } from "./observation-input";
import type { BatchTensors } from "./dqn-support";
import type { ReplayBatch } from "./replay-buffer";
import { buildQNetwork, cloneQNetwork, qFunction, type HiddenActivation, type QFunction, type QNetworkPolicy } from "./q-network";

/** Options of {@link DQNPolicy}. */
export interface DQNPolicyOptions {
  /** One observation's space (Box or Discrete). */
  readonly observationSpace: Space<unknown>;
  /** The action space: Discrete. */
  readonly actionSpace: Space<unknown>;
  /** "MlpPolicy", "CnnPolicy", "SmallCnnPolicy" or your own tf.LayersModel. */
  readonly policy: QNetworkPolicy;
  /** Divide uint8 observations by 255 (SB3's `normalize_images`). */
  readonly normalizeImages: boolean;
  readonly hiddenSizes: readonly number[];
  readonly activation: HiddenActivation;
  /** Seed of the weight initialisers. */
  readonly seed: number;
}

/**
 * What DQN acts with (SB3's `DQNPolicy`): the online Q-network and its target copy, how
 * observations enter them, greedy and ε-greedy action choice, target updates, and the best weights
 * an EvalCallback kept. The learning algorithm itself is in dqn.ts.
 *
 * @example
 * const policy = new DQNPolicy({ observationSpace: env.observationSpace, actionSpace: env.actionSpace, policy: "MlpPolicy", normalizeImages: true, hiddenSizes: [64, 64], activation: "relu", seed: 0 });
 * policy.greedyActions(env.reset({ seed: 0 }).obs, 1); //=> Int32Array(1) [0]
 */
export class DQNPolicy {
  readonly observationSpec: ObservationSpec;
  readonly actionSpec: ActionSpec;
  /** The online Q-network (SB3's `q_net`). */
  readonly qNetwork: tf.LayersModel;
  /** The target network (SB3's `q_net_target`): TD targets come from it. */
  readonly targetNetwork: tf.LayersModel;
  /** Forward pass of the online network (inside a tf.tidy). */
  readonly qOnline: QFunction;
  /** Forward pass of the target network (inside a tf.tidy). */
  readonly qTarget: QFunction;
  /** The online network's trainable variables, in a fixed order (Adam pairs its moments by position). */
  readonly trainableVariables: tf.Variable[];
  /** The online weights an EvalCallback kept (see {@link DQNPolicy.keepBestWeights}). */
  bestWeights: tf.Tensor[] | undefined;

  constructor(options: DQNPolicyOptions) {
    const { observationSpace, actionSpace, policy, normalizeImages, hiddenSizes, activation, seed } = options;
    this.observationSpec = observationSpec(observationSpace, normalizeImages);
    this.actionSpec = actionSpec(actionSpace);
    const inputShape = networkInputShape(this.observationSpec);
    this.qNetwork = buildQNetwork({ policy, inputShape, nActions: this.actionSpec.n, hiddenSizes, activation, seed });
    this.targetNetwork = cloneQNetwork(this.qNetwork);
    this.qOnline = qFunction(this.qNetwork);
    this.qTarget = qFunction(this.targetNetwork);
    this.trainableVariables = this.qNetwork.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Network inputs for `count` stored observations back to back (inside a tf.tidy). */
  input(obs: ArrayLike<number>, count: number): tf.Tensor {
    return toNetworkInput(this.observationSpec, obs, count);
  }

  /** A replay batch's typed arrays as tensors (inside a tf.tidy). */
  batchTensors(batch: ReplayBatch): BatchTensors {
    const count = batch.batchSize;
    return {
      obs: this.input(batch.obs, count),
      actions: tf.tensor1d(batch.actions, "int32"),
      rewards: tf.tensor1d(batch.rewards),
      nextObs: this.input(batch.nextObs, count),
      terminated: tf.tensor1d(batch.terminated),
      discounts: tf.tensor1d(batch.discounts),
    };
  }

  /** How many observations `obs` holds (a Discrete observation may be a plain number). */
  count(obs: ArrayLike<number> | number): { batch: ArrayLike<number>; count: number } {
    const batch = typeof obs === "number" ? [obs] : obs;
    return { batch, count: countObservations(this.observationSpec, batch) };
  }

  /** argmax_a Q(s, a) for each observation, as network action indices 0…n−1. */
  greedyActions(obs: ArrayLike<number>, count: number): Int32Array {
    const best = tf.tidy(() => tf.argMax(this.qOnline(this.input(obs, count)), 1));
    try {
      return Int32Array.from(best.dataSync());
    } finally {
      best.dispose();
    }
  }

  /**
   * ε-greedy action indices: each observation gets a uniformly random action with probability
   * `epsilon`, else the greedy one. Each sub-env flips its own coin (SB3 and CleanRL flip one coin
   * for the whole batch; per-env coins give every batch the same expected mix), and the network runs
   * only if some observation needs its greedy action.
   */
  epsilonGreedyActions(obs: ArrayLike<number>, options: { readonly count: number; readonly epsilon: number; readonly rng: Rng }): Int32Array {
    const { count, epsilon, rng } = options;
    // Greedy (ε = 0) draws nothing: evaluating an agent must not shift its training's random stream.
    if (epsilon <= 0) return this.greedyActions(obs, count);
    const actions = new Int32Array(count);
    let anyGreedy = false;
    for (let i = 0; i < count; i++) {
      if (epsilon >= 1 || rng.random() < epsilon) actions[i] = rng.integer(this.actionSpec.n);
      else {
        actions[i] = -1;
        anyGreedy = true;
      }
    }
    if (anyGreedy) {
      const greedy = this.greedyActions(obs, count);
      for (let i = 0; i < count; i++) if (actions[i] === -1) actions[i] = greedy[i]!;
    }
    return actions;
  }

  /** Network action indices 0…n−1 as the env's actions (a Discrete space may start elsewhere). */
  toEnvActions(indices: Int32Array): Int32Array {
    const start = this.actionSpec.start;
    return start === 0 ? indices : indices.map((a) => a + start);
  }

  /** Q-values of the online network, `count × nActions` numbers. */
  qValues(obs: ArrayLike<number> | number): Float32Array {
    const { batch, count } = this.count(obs);
    const q = tf.tidy(() => this.qOnline(this.input(batch, count)));
    try {
      return Float32Array.from(q.dataSync());
    } finally {
      q.dispose();
    }
  }

  /**
   * Moves the target network towards the online one: a copy when tau = 1 (hard update), else
   * Polyak averaging θ_target ← τ·θ + (1 − τ)·θ_target over all weights (SB3's `polyak_update`).
   */
  updateTarget(tau: number): void {
    if (tau === 1) {
      this.targetNetwork.setWeights(this.qNetwork.getWeights());
      return;
    }
    const online = this.qNetwork.weights;
    tf.tidy(() => this.targetNetwork.weights.forEach((w, i) => w.write(tf.add(tf.mul(tau, online[i]!.read()), tf.mul(1 - tau, w.read())))));
  }

  /** Copies the online weights into {@link DQNPolicy.bestWeights}, freeing the previous copy. */
  keepBestWeights(): void {
    const previous = this.bestWeights;
    this.bestWeights = this.qNetwork.getWeights().map((w) => w.clone());
    if (previous) tf.dispose(previous);
  }

  /** Puts the kept best weights into both networks. */
  loadBestWeights(): void {
    if (this.bestWeights === undefined) throw new Error("Expected best weights kept by an EvalCallback, got none (no evaluation has run)");
    this.qNetwork.setWeights(this.bestWeights);
    this.targetNetwork.setWeights(this.bestWeights);
  }

  /** Frees both networks and the kept weights. */
  dispose(): void {
    this.qNetwork.dispose();
    this.targetNetwork.dispose();
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = undefined;
  }
}
