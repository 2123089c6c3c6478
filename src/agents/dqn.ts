import * as tf from "../backend/tf";
import type { Env } from "../core/env";
import { Rng } from "../core/rng";
import type { Space } from "../core/space";
import type { ObsArray, VectorEnv } from "../vector/types";
import { CallbackList, type Agent, type Callback, type CallbackContext, type FinishedEpisode } from "./callbacks";
import { loadDqnCheckpoint, saveDqnCheckpoint, type LoadDqnOptions } from "./dqn-checkpoint";
import { resolveDqnConfig, type DQNConfig } from "./dqn-config";
import { EpisodeTracker } from "./episode-tracker";
import { asVectorEnv } from "./evaluate";
import { Logger, type LogRecord } from "./logger";
import { actionSpec, countObservations, networkInputShape, observationSpec, storedObsShape, toNetworkInput, type ActionSpec, type ObservationSpec } from "./observation-input";
import { buildQNetwork, cloneQNetwork, qFunction, type QFunction, type QNetworkPolicy } from "./q-network";
import { ReplayBuffer, type ReplayBatch } from "./replay-buffer";
import { asSchedule, linearSchedule, type Schedule } from "./schedules";
import { Yielder, clipByGlobalNorm, pickActions, type BatchTensors } from "./dqn-support";

/** Options of `new DQN(...)`: where it acts, which network, and any {@link DQNConfig} field. */
export interface DQNOptions extends Partial<DQNConfig> {
  /** The env to learn from: a VectorEnv, or a single Env (run as a 1-env vector env). */
  readonly env?: Env<unknown, unknown> | VectorEnv<unknown, unknown>;
  /** Without an env (e.g. only to predict): the spaces of one observation and action. */
  readonly observationSpace?: Space<unknown>;
  readonly actionSpace?: Space<unknown>;
  /** "MlpPolicy" (default), "CnnPolicy" (Nature CNN on uint8 images), or your own tf.LayersModel. */
  readonly policy?: QNetworkPolicy;
  /**
   * Divide uint8 observations by 255 before the network (SB3's `normalize_images`, default true:
   * pixels in [0, 1] keep the first layer's activations in the range its initialisation expects).
   */
  readonly normalizeImages?: boolean;
  /** Called with each row the logger writes. */
  readonly onRecord?: (record: LogRecord) => void;
}

/** Options of {@link DQN.learn}. */
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

/**
 * Deep Q-Network (Mnih et al. 2015), Stable-Baselines3's API, CleanRL's loop: an online Q-network
 * learns Q(s, a) from minibatches of a replay buffer, regressing on TD targets from a slowly
 * updated target network, while ε-greedy actions collect experience from a vector env.
 *
 * @example
 * const env = makeVec("CartPole-v1", { numEnvs: 4 });
 * const agent = await new DQN({ env, policy: "MlpPolicy", ...presets.cartPole.config, seed: 0 }).learn({ totalSteps: 60_000 });
 * evaluatePolicy(agent, make("CartPole-v1"), { nEpisodes: 20, seed: 1 }).meanReturn; //=> 500 (seed 0, wasm backend)
 */
export class DQN implements Agent {
  /** The complete, validated settings. */
  readonly config: DQNConfig;
  /** The online Q-network (SB3's `q_net`). */
  readonly qNetwork: tf.LayersModel;
  /** The target network (SB3's `q_net_target`): TD targets come from it. */
  readonly targetNetwork: tf.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly logger: Logger;
  readonly observationSpec: ObservationSpec;
  readonly actionSpec: ActionSpec;
  /** The policy it was built with ("custom" for a model passed in; a loaded agent keeps the saved name). */
  policyName: "MlpPolicy" | "CnnPolicy" | "custom";
  env: VectorEnv<unknown, unknown> | undefined;
  replayBuffer: ReplayBuffer | undefined;
  numTimesteps = 0;
  nUpdates = 0;
  /** ε: the probability of a random action, from the exploration schedule. */
  explorationRate: number;
  bestWeights: tf.Tensor[] | undefined;
  private readonly rng: Rng;
  private readonly normalizeImages: boolean;
  private readonly bufferSeed: number;
  private readonly qOnline: QFunction;
  private readonly qTarget: QFunction;
  private readonly trainableVariables: tf.Variable[];
  private readonly exploration: Schedule;
  private readonly learningRate: Schedule;
  private episodes: EpisodeTracker | undefined;
  private obs: ObsArray | undefined;
  private totalTimesteps = 0;
  private vectorSteps = 0;
  private seedPending: boolean;

  constructor(options: DQNOptions) {
    const { env, observationSpace, actionSpace, policy = "MlpPolicy", normalizeImages = true, onRecord, ...settings } = options ?? ({} as DQNOptions);
    this.config = resolveDqnConfig(settings, []);
    this.normalizeImages = normalizeImages;
    const envs = env === undefined ? undefined : asVectorEnv(env);
    const obsSpace = envs?.singleObservationSpace ?? observationSpace;
    const actSpace = envs?.singleActionSpace ?? actionSpace;
    if (obsSpace === undefined || actSpace === undefined) throw new Error("Expected an env (or observationSpace and actionSpace), got neither");
    this.observationSpec = observationSpec(obsSpace, normalizeImages);
    this.actionSpec = actionSpec(actSpace);
    this.policyName = typeof policy === "string" ? policy : "custom";
    // One seed, split into independent streams: actions, replay sampling, weight initialisation.
    const [actionRng, bufferRng, initRng] = Rng.from(this.config.seed).spawn(3) as [Rng, Rng, Rng];
    this.rng = actionRng;
    this.bufferSeed = bufferRng.nextUint32();
    this.seedPending = this.config.seed !== undefined;
    const { hiddenSizes, activation } = this.config;
    const inputShape = networkInputShape(this.observationSpec);
    this.qNetwork = buildQNetwork({ policy, inputShape, nActions: this.actionSpec.n, hiddenSizes, activation, seed: initRng.nextUint32() >>> 1 });
    this.targetNetwork = cloneQNetwork(this.qNetwork);
    this.qOnline = qFunction(this.qNetwork);
    this.qTarget = qFunction(this.targetNetwork);
    this.trainableVariables = this.qNetwork.trainableWeights.map((w) => w.read() as tf.Variable);
    this.learningRate = asSchedule(this.config.learningRate, "learningRate");
    // Adam with PyTorch's ε = 1e-8 (SB3's optimizer); tfjs' default would be 1e-7.
    this.optimizer = tf.train.adam(this.learningRate({ numTimesteps: 0, progress: 0 }), 0.9, 0.999, 1e-8);
    const { explorationInitialEps: initial, explorationFinalEps: final, explorationFraction: fraction } = this.config;
    this.exploration = this.config.exploration ?? linearSchedule({ initial, final, fraction });
    this.explorationRate = this.exploration({ numTimesteps: 0, progress: 0 });
    this.logger = new Logger(onRecord ? { onRecord } : {});
    if (envs !== undefined) this.setEnv(envs);
  }

  /**
   * Sets the env to learn from (SB3's `set_env`). Its spaces must match the agent's. The replay
   * buffer is kept if the number of sub-envs and the autoreset mode are unchanged, else replaced.
   */
  setEnv(env: Env<unknown, unknown> | VectorEnv<unknown, unknown>): void {
    const envs = asVectorEnv(env);
    const spec = JSON.stringify(observationSpec(envs.singleObservationSpace, this.normalizeImages));
    if (spec !== JSON.stringify(this.observationSpec) || JSON.stringify(actionSpec(envs.singleActionSpace)) !== JSON.stringify(this.actionSpec)) {
      throw new Error(`Expected an env with the agent's spaces (observation ${JSON.stringify(this.observationSpec)}, actions ${JSON.stringify(this.actionSpec)}), got ${spec}`);
    }
    const buffer = this.replayBuffer;
    if (buffer === undefined || buffer.numEnvs !== envs.numEnvs || buffer.autoreset !== envs.autoreset) {
      const obsDtype = this.observationSpec.kind === "box" && this.observationSpec.dtype === "uint8" ? "uint8" : "float32";
      const { bufferSize: capacity, nStep, gamma } = this.config;
      this.replayBuffer = new ReplayBuffer({ capacity, obsShape: storedObsShape(this.observationSpec), obsDtype, numEnvs: envs.numEnvs, autoreset: envs.autoreset, nStep, gamma, seed: this.bufferSeed });
    }
    this.env = envs;
    this.episodes = new EpisodeTracker({ numEnvs: envs.numEnvs, autoreset: envs.autoreset });
    this.obs = undefined; // the next learn() resets the new env
  }

  /**
   * Trains for `totalSteps` env steps (SB3's `learn`): collect `trainFreq` vector steps with ε-greedy
   * actions, store them, then take `gradientSteps` gradient steps; repeat. Returns the agent, so
   * `const agent = await new DQN({ env }).learn({ totalSteps: 50_000 })` reads like SB3.
   *
   * Why async: tfjs computes synchronously (wasm, cpu and tfjs-node alike), so a loop that never
   * yields would hold Node's event loop for the whole run, and a notebook's progress display and
   * the kernel's interrupt could not get through until the end. The loop awaits a macrotask
   * (setImmediate) after about every 50 ms of work: a few microseconds each, invisible in the speed.
   */
  async learn(options: LearnOptions): Promise<this> {
    const { totalSteps, callbacks = [], logInterval = 4, resetNumTimesteps = true } = options ?? ({} as LearnOptions);
    if (!(Number.isSafeInteger(totalSteps) && totalSteps > 0)) throw new RangeError(`Expected totalSteps to be a positive integer (env steps), got ${String(totalSteps)}`);
    if (!(Number.isSafeInteger(logInterval) && logInterval > 0)) throw new RangeError(`Expected logInterval to be a positive integer (episodes), got ${String(logInterval)}`);
    const envs = this.env;
    const buffer = this.replayBuffer;
    const episodes = this.episodes;
    if (envs === undefined || buffer === undefined || episodes === undefined) throw new Error("Expected an env to learn from, got none: pass env to new DQN({ env }) or DQN.load(dir, { env }), or call setEnv(env)");
    if (resetNumTimesteps) this.numTimesteps = 0;
    if (resetNumTimesteps || this.obs === undefined) {
      this.obs = envs.reset(this.seedPending ? { seed: this.config.seed! } : {}).obs.slice();
      this.seedPending = false;
      buffer.endEpisodes();
      episodes.restartEpisodes();
    }
    this.totalTimesteps = this.numTimesteps + totalSteps;
    const callback = new CallbackList(Array.isArray(callbacks) ? callbacks : [callbacks as Callback]);
    const startTime = performance.now();
    const startSteps = this.numTimesteps;
    const yielder = new Yielder();
    let context: CallbackContext = { agent: this, numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps };
    let episodesAtLastLog = episodes.episodes;
    let proceed = true;
    await callback.onTrainingStart(context);
    const { trainFreq, learningStarts, batchSize } = this.config;
    while (proceed && this.numTimesteps < this.totalTimesteps) {
      // 1. Rollout: trainFreq vector steps with ε-greedy actions, each stored in the replay buffer.
      let collected = 0;
      for (let k = 0; k < trainFreq && this.numTimesteps < this.totalTimesteps; k++) {
        const obs = this.obs!;
        const actions = this.chooseActions(obs, envs.numEnvs, this.numTimesteps < learningStarts ? 1 : this.explorationRate);
        const result = envs.step(this.toEnvActions(actions));
        this.numTimesteps += envs.numEnvs;
        collected += envs.numEnvs;
        this.vectorSteps += 1;
        buffer.addVectorStep({ obs, actions, result });
        const finished = episodes.observe(result);
        obs.set(result.obs); // easy to overlook: the next step starts from this step's observation
        this.afterVectorStep(finished, episodes);
        context = { agent: this, numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps, step: { actions, ...result, episodes: finished } };
        if (episodes.episodes - episodesAtLastLog >= logInterval) {
          episodesAtLastLog = episodes.episodes;
          this.dumpLogs(startTime, startSteps, episodes.episodes);
        }
        let hook = callback.onStep(context);
        if (hook instanceof Promise) hook = await hook;
        if (hook === false) {
          proceed = false;
          break;
        }
        if (yielder.due()) await yielder.pause();
      }
      if (!proceed) break;
      await callback.onRolloutEnd(context);
      // 2. Learn: SB3 trains once more than learningStarts env steps have been taken.
      if (this.numTimesteps > learningStarts && buffer.size >= batchSize) {
        await this.train(this.config.gradientSteps === -1 ? collected : this.config.gradientSteps, yielder);
      }
    }
    this.dumpLogs(startTime, startSteps, episodes.episodes);
    await callback.onTrainingEnd(context);
    return this;
  }

  /** Per vector step, like SB3's `_on_step`: target update every targetUpdateInterval env steps, ε, metrics. */
  private afterVectorStep(finished: readonly FinishedEpisode[], episodes: EpisodeTracker): void {
    const numEnvs = this.env!.numEnvs;
    if (this.vectorSteps % Math.max(Math.floor(this.config.targetUpdateInterval / numEnvs), 1) === 0) this.updateTarget();
    this.explorationRate = this.exploration(this.progress());
    this.logger.record("rollout/explorationRate", this.explorationRate);
    if (finished.length > 0) {
      this.logger.record("rollout/episodeReturnMean", episodes.returnMean);
      this.logger.record("rollout/episodeLengthMean", episodes.lengthMean);
    }
  }

  /** Fraction of the current learn() done (SB3's 1 − progress_remaining). */
  private progress(): { numTimesteps: number; progress: number } {
    const progress = this.totalTimesteps > 0 ? Math.min(1, this.numTimesteps / this.totalTimesteps) : 0;
    return { numTimesteps: this.numTimesteps, progress };
  }

  private dumpLogs(startTime: number, startSteps: number, episodes: number): void {
    const seconds = (performance.now() - startTime) / 1000;
    this.logger.record("time/fps", seconds > 0 ? Math.round((this.numTimesteps - startSteps) / seconds) : 0);
    this.logger.record("time/totalTimesteps", this.numTimesteps);
    this.logger.record("time/episodes", episodes);
    this.logger.dump(this.numTimesteps);
  }

  /**
   * ε-greedy action indices, a random one with probability `random` (1 before learningStarts, as
   * in SB3; ε after). Each sub-env flips its
   * own coin (SB3 and CleanRL flip one coin for the whole batch; per-env coins give every batch the
   * same expected mix of random and greedy actions).
   */
  private chooseActions(obs: ArrayLike<number>, count: number, random: number): Int32Array {
    const actions = new Int32Array(count);
    let anyGreedy = false;
    for (let i = 0; i < count; i++) {
      if (random >= 1 || this.rng.random() < random) actions[i] = this.rng.integer(this.actionSpec.n);
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

  private greedyActions(obs: ArrayLike<number>, count: number): Int32Array {
    const best = tf.tidy(() => tf.argMax(this.qOnline(toNetworkInput(this.observationSpec, obs, count)), 1));
    try {
      return Int32Array.from(best.dataSync());
    } finally {
      best.dispose();
    }
  }

  /** Network action indices 0…n−1 as the env's actions (a Discrete space may start elsewhere). */
  private toEnvActions(indices: Int32Array): Int32Array {
    return this.actionSpec.start === 0 ? indices : indices.map((a) => a + this.actionSpec.start);
  }

  /** `gradientSteps` updates on minibatches from the replay buffer; logs their mean loss. */
  private async train(gradientSteps: number, yielder: Yielder): Promise<void> {
    const learningRate = this.learningRate(this.progress());
    // tfjs' Adam reads its learning rate on every step but declares it protected: set it for schedules.
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const batch = this.replayBuffer!.createBatch(this.config.batchSize);
    const losses: tf.Scalar[] = [];
    for (let g = 0; g < gradientSteps; g++) {
      losses.push(this.gradientStep(this.replayBuffer!.sampleInto(batch)));
      this.nUpdates += 1;
      if (yielder.due()) await yielder.pause();
    }
    // One read-back for all the steps: no round trip to the backend per update.
    const meanLoss = tf.tidy(() => tf.div(tf.addN(losses), losses.length));
    this.logger.record("train/loss", meanLoss.dataSync()[0]!);
    tf.dispose([meanLoss, ...losses]);
    this.logger.record("train/learningRate", learningRate);
    this.logger.record("train/nUpdates", this.nUpdates);
  }

  /** The batch's typed arrays as tensors (inside the caller's tidy). */
  private toTensors(batch: ReplayBatch): BatchTensors {
    const count = batch.batchSize;
    return {
      obs: toNetworkInput(this.observationSpec, batch.obs, count),
      actions: tf.tensor1d(batch.actions, "int32"),
      rewards: tf.tensor1d(batch.rewards),
      nextObs: toNetworkInput(this.observationSpec, batch.nextObs, count),
      terminated: tf.tensor1d(batch.terminated),
      discounts: tf.tensor1d(batch.discounts),
    };
  }

  /** y = r + γ^k · (1 − terminated) · max_a′ Q_target(s′, a′), for each transition of the batch. */
  private tdTarget(b: BatchTensors): tf.Tensor1D {
    const nextQTarget = this.qTarget(b.nextObs);
    // Double DQN: the online net picks a′ and the target net values it, curbing max's overestimation.
    const nextQ = this.config.doubleDqn ? pickActions(nextQTarget, tf.argMax(this.qOnline(b.nextObs), 1)) : tf.max(nextQTarget, 1);
    // terminated is 0 after a truncation (time limit): the buffer kept the true final observation as
    // nextObs, so we still bootstrap from it. Treating truncation as terminal would teach the agent
    // that the time limit is a cliff (SB3 #284). discounts is γ^k: γ, or γ^n for n-step returns.
    return tf.add(b.rewards, tf.mul(tf.mul(b.discounts, tf.sub(1, b.terminated)), nextQ)) as tf.Tensor1D;
  }

  /**
   * One DQN update (CleanRL's loop body): TD targets from the target network, the loss between
   * them and Q(s, a), one clipped Adam step on the online network. All in one tf.tidy.
   *
   * @returns The loss before the step (the caller disposes it).
   */
  gradientStep(batch: ReplayBatch): tf.Scalar {
    return tf.tidy(() => {
      const b = this.toTensors(batch);
      const tdTarget = this.tdTarget(b); // computed outside variableGrads: no gradient flows into the target
      const { value: loss, grads } = tf.variableGrads(() => {
        const qTaken = pickActions(this.qOnline(b.obs), b.actions); // Q(s, a) of the actions taken
        return this.config.loss === "huber" ? tf.losses.huberLoss(tdTarget, qTaken) : tf.losses.meanSquaredError(tdTarget, qTaken);
      }, this.trainableVariables);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, this.config.maxGradNorm));
      return loss as tf.Scalar;
    });
  }

  /**
   * The TD targets the next update would regress on, for inspection and teaching.
   *
   * @example
   * agent.computeTdTargets(agent.replayBuffer.sample(2)); //=> Float32Array(2) [1.98, 1]
   */
  computeTdTargets(batch: ReplayBatch): Float32Array {
    const target = tf.tidy(() => this.tdTarget(this.toTensors(batch)));
    try {
      return Float32Array.from(target.dataSync());
    } finally {
      target.dispose();
    }
  }

  /**
   * Copies the online network into the target network: wholesale when tau = 1 (hard update), else
   * Polyak averaging θ_target ← τ·θ + (1 − τ)·θ_target (SB3's `polyak_update`, over all weights).
   */
  updateTarget(): void {
    const tau = this.config.tau;
    if (tau === 1) {
      this.targetNetwork.setWeights(this.qNetwork.getWeights());
      return;
    }
    const online = this.qNetwork.weights;
    tf.tidy(() => this.targetNetwork.weights.forEach((w, i) => w.write(tf.add(tf.mul(tau, online[i]!.read()), tf.mul(1 - tau, w.read())))));
  }

  /**
   * Actions for observations (SB3's `predict`). `obs` holds one or more observations back to back
   * (a Discrete observation may be a plain number).
   *
   * @param options `deterministic` (default true): greedy actions; false: ε-greedy with the current ε.
   * @returns One action per observation, as the env expects them: a single env takes `predict(obs)[0]`.
   * @example
   * agent.predict(env.reset({ seed: 0 }).obs); //=> Int32Array(1) [1]
   */
  predict(obs: ArrayLike<number> | number, options: { readonly deterministic?: boolean } = {}): Int32Array {
    const batch = typeof obs === "number" ? [obs] : obs;
    const count = countObservations(this.observationSpec, batch);
    const actions = options.deterministic === false ? this.chooseActions(batch, count, this.explorationRate) : this.greedyActions(batch, count);
    return this.toEnvActions(actions);
  }

  /**
   * Q-values of the online network, `count × nActions` numbers (row i: observation i).
   *
   * @example
   * agent.qValues(obs); //=> Float32Array(2) [51.2, 52.9]
   */
  qValues(obs: ArrayLike<number> | number): Float32Array {
    const batch = typeof obs === "number" ? [obs] : obs;
    const count = countObservations(this.observationSpec, batch);
    const q = tf.tidy(() => this.qOnline(toNetworkInput(this.observationSpec, batch, count)));
    try {
      return Float32Array.from(q.dataSync());
    } finally {
      q.dispose();
    }
  }

  /** Copies the online weights into {@link DQN.bestWeights} (what EvalCallback calls on a new best). */
  keepBestWeights(): void {
    const previous = this.bestWeights;
    this.bestWeights = this.qNetwork.getWeights().map((w) => w.clone());
    if (previous) tf.dispose(previous);
  }

  /** Puts the best weights EvalCallback kept back into the online and target networks. */
  loadBestWeights(): this {
    if (this.bestWeights === undefined) throw new Error("Expected best weights kept by an EvalCallback, got none (no evaluation has run)");
    this.qNetwork.setWeights(this.bestWeights);
    this.targetNetwork.setWeights(this.bestWeights);
    return this;
  }

  /** Saves networks, optimizer state, settings and counters to a checkpoint directory (atomic). */
  save(dir: string): Promise<void> {
    return saveDqnCheckpoint(this, dir);
  }

  /** A DQN from a checkpoint written by {@link DQN.save}, on the current backend. */
  static load(dir: string, options: LoadDqnOptions = {}): Promise<DQN> {
    return loadDqnCheckpoint(dir, options);
  }

  /** Frees the networks' and the optimizer's tensors. */
  dispose(): void {
    this.qNetwork.dispose();
    this.targetNetwork.dispose();
    this.optimizer.dispose();
    if (this.bestWeights) tf.dispose(this.bestWeights);
  }
}
