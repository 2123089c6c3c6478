import * as tf from "../backend/tf";
import type { Env } from "../core/env";
import { Rng } from "../core/rng";
import type { ObsArray, VectorEnv } from "../vector/types";
import { CallbackList, type CallbackContext, type FinishedEpisode } from "./callbacks";
import { loadDqnCheckpoint, saveDqnCheckpoint, type LoadDqnOptions } from "./dqn-checkpoint";
import { resolveDqnConfig, resolveLearnOptions, type DQNConfig, type DQNOptions, type LearnOptions } from "./dqn-config";
import { DQNPolicy } from "./dqn-policy";
import { EpisodeTracker } from "./episode-tracker";
import { asVectorEnv } from "./evaluate";
import { Logger, recordTimeMetrics } from "./logger";
import { actionSpec, observationSpec } from "./observation-input";
import type { ReplayBatch, TransitionStore } from "./replay-types";
import { QAgent } from "./q-agent";
import { asSchedule, linearSchedule, type Schedule } from "./schedules";
import { Yielder, clipByGlobalNorm, createReplayBuffer, pickActions, type BatchTensors } from "./dqn-support";

/**
 * Deep Q-Network (Mnih et al. 2015), Stable-Baselines3's API, CleanRL's loop: an online Q-network
 * learns Q(s, a) from minibatches of a replay buffer, regressing on TD targets from a slowly
 * updated target network, while ε-greedy actions collect experience from a vector env.
 *
 * @example
 * // SB3's three lines: new DQN("MlpPolicy", env).learn(n), here with the CartPole preset.
 * const { envId, numEnvs, config } = presets.cartPole;
 * const evalCallback = new EvalCallback({ evalEnv: makeVec(envId, { numEnvs: 20 }), evalFreq: 5_000, nEvalEpisodes: 20, stopAtMeanReward: 475, seed: 10_000 });
 * const agent = await new DQN({ env: makeVec(envId, { numEnvs }), policy: "MlpPolicy", ...config, seed: 0 }).learn({ totalSteps: 100_000, callbacks: [evalCallback] });
 * evalCallback.evaluations.map((e) => e.meanReturn);   //=> [377.45, 500]   (stopped at 475; wasm backend)
 * String(agent);                                        //=> "DQN(MlpPolicy [128, 128], 10,000 steps, 4,512 updates, ε 0.02)"
 * evaluatePolicy(agent, make("CartPole-v1"), { nEpisodes: 20, seed: 1 }).meanReturn;   //=> 500
 */
export class DQN extends QAgent {
  /** The complete, validated settings. */
  readonly config: DQNConfig;
  readonly optimizer: tf.Optimizer;
  /** The policy it was built with ("custom" for a model passed in; a loaded agent keeps the saved name). */
  policyName: "MlpPolicy" | "CnnPolicy" | "SmallCnnPolicy" | "custom";
  /** The vector env it learns from (a single Env is wrapped). */
  env: VectorEnv<unknown, unknown> | undefined;
  /** Where the transitions go: a ReplayBuffer or a FrameReplayBuffer (see `replayBufferClass`). Not saved by `save`. */
  replayBuffer: TransitionStore | undefined;
  private readonly normalizeImages: boolean;
  private readonly bufferSeed: number;
  private readonly exploration: Schedule;
  private readonly learningRate: Schedule;
  private episodes: EpisodeTracker | undefined;
  private obs: ObsArray | undefined;
  private totalTimesteps = 0;
  private vectorSteps = 0;
  private seedPending: boolean;

  constructor(options: DQNOptions) {
    const { env, observationSpace, actionSpace, policy = "MlpPolicy", normalizeImages = true, onRecord, ...settings } = options ?? ({} as DQNOptions);
    const config = resolveDqnConfig(settings, []);
    const envs = env === undefined ? undefined : asVectorEnv(env);
    const obsSpace = envs?.singleObservationSpace ?? observationSpace;
    const actSpace = envs?.singleActionSpace ?? actionSpace;
    if (obsSpace === undefined || actSpace === undefined) throw new Error("Expected an env (or observationSpace and actionSpace), got neither");
    // One seed, split into independent streams: actions, replay sampling, weight initialisation.
    const [actionRng, bufferRng, initRng] = Rng.from(config.seed).spawn(3) as [Rng, Rng, Rng];
    const { hiddenSizes, activation, explorationInitialEps: initial, explorationFinalEps: final, explorationFraction: fraction } = config;
    const exploration = config.exploration ?? linearSchedule({ initial, final, fraction });
    super({
      policy: new DQNPolicy({ observationSpace: obsSpace, actionSpace: actSpace, policy, normalizeImages, hiddenSizes, activation, seed: initRng.nextUint32() >>> 1 }),
      logger: new Logger(onRecord ? { onRecord } : {}),
      rng: actionRng,
      explorationRate: exploration({ numTimesteps: 0, progress: 0 }),
    });
    this.config = config;
    this.exploration = exploration;
    this.normalizeImages = normalizeImages;
    this.bufferSeed = bufferRng.nextUint32();
    this.seedPending = config.seed !== undefined;
    this.policyName = typeof policy === "string" ? policy : "custom";
    this.learningRate = asSchedule(config.learningRate, "learningRate");
    // Adam with PyTorch's ε = 1e-8 (SB3's optimizer); tfjs' default would be 1e-7.
    this.optimizer = tf.train.adam(this.learningRate({ numTimesteps: 0, progress: 0 }), 0.9, 0.999, 1e-8);
    if (envs !== undefined) this.setEnv(envs);
  }

  /**
   * Sets the env to learn from (SB3's `set_env`). Its spaces must match the agent's. The replay
   * buffer is kept if the number of sub-envs and the autoreset mode are unchanged, else replaced.
   */
  setEnv(env: Env<unknown, unknown> | VectorEnv<unknown, unknown>): void {
    const envs = asVectorEnv(env);
    const { observationSpec: mine, actionSpec: actions } = this.policy;
    const theirs = JSON.stringify(observationSpec(envs.singleObservationSpace, this.normalizeImages));
    if (theirs !== JSON.stringify(mine) || JSON.stringify(actionSpec(envs.singleActionSpace)) !== JSON.stringify(actions)) {
      throw new Error(`Expected an env with the agent's spaces (observation ${JSON.stringify(mine)}, actions ${JSON.stringify(actions)}), got observation ${theirs}`);
    }
    const buffer = this.replayBuffer;
    if (buffer === undefined || buffer.numEnvs !== envs.numEnvs || buffer.autoreset !== envs.autoreset) {
      this.replayBuffer = createReplayBuffer({ config: this.config, observation: mine, envs, seed: this.bufferSeed });
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
    const { totalSteps, callbacks, logInterval, resetNumTimesteps } = resolveLearnOptions(options);
    const { env: envs, replayBuffer: buffer, episodes } = this;
    if (envs === undefined || buffer === undefined || episodes === undefined) throw new Error("Expected an env to learn from, got none: pass env to new DQN({ env }) or DQN.load(dir, { env }), or call setEnv(env)");
    if (resetNumTimesteps) this.numTimesteps = 0;
    if (resetNumTimesteps || this.obs === undefined) {
      this.obs = envs.reset(this.seedPending ? { seed: this.config.seed! } : {}).obs.slice();
      this.seedPending = false;
      buffer.endEpisodes();
      episodes.restartEpisodes();
    }
    this.totalTimesteps = this.numTimesteps + totalSteps;
    const callback = new CallbackList(callbacks);
    const run = { startTime: performance.now(), startSteps: this.numTimesteps, episodesAtLastLog: episodes.episodes };
    const yielder = new Yielder();
    let context: CallbackContext = { agent: this, numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps };
    let proceed = true;
    await callback.onTrainingStart(context);
    const { trainFreq, learningStarts, batchSize } = this.config;
    while (proceed && this.numTimesteps < this.totalTimesteps) {
      // 1. Rollout: trainFreq vector steps with ε-greedy actions, each stored in the replay buffer.
      let collected = 0;
      for (let k = 0; k < trainFreq && this.numTimesteps < this.totalTimesteps; k++) {
        const obs = this.obs!;
        // SB3: uniformly random actions until learningStarts, ε-greedy after.
        const epsilon = this.numTimesteps < learningStarts ? 1 : this.explorationRate;
        const actions = this.policy.epsilonGreedyActions(obs, { count: envs.numEnvs, epsilon, rng: this.rng });
        const envActions = this.policy.toEnvActions(actions);
        const result = envs.step(envActions);
        this.numTimesteps += envs.numEnvs;
        collected += envs.numEnvs;
        this.vectorSteps += 1;
        buffer.addVectorStep({ obs, actions, result });
        const finished = episodes.observe(result);
        obs.set(result.obs); // easy to overlook: the next step starts from this step's observation
        this.afterVectorStep(finished, episodes);
        context = { agent: this, numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps, step: { actions: envActions, ...result, episodes: finished } };
        if (episodes.episodes - run.episodesAtLastLog >= logInterval) {
          run.episodesAtLastLog = episodes.episodes;
          this.dumpLogs(run);
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
    this.dumpLogs(run);
    await callback.onTrainingEnd(context);
    return this;
  }

  /** Per vector step, like SB3's `_on_step`: target update every targetUpdateInterval env steps, ε, metrics. */
  private afterVectorStep(finished: readonly FinishedEpisode[], episodes: EpisodeTracker): void {
    const numEnvs = this.env!.numEnvs;
    if (this.vectorSteps % Math.max(Math.floor(this.config.targetUpdateInterval / numEnvs), 1) === 0) this.updateTarget();
    this.explorationRate = this.exploration(this.progress());
    this.logger.record("rollout/explorationRate", this.explorationRate);
    if (finished.length > 0) episodes.recordTo(this.logger);
  }

  /** Fraction of the current learn() done (SB3's 1 − progress_remaining). */
  private progress(): { numTimesteps: number; progress: number } {
    const progress = this.totalTimesteps > 0 ? Math.min(1, this.numTimesteps / this.totalTimesteps) : 0;
    return { numTimesteps: this.numTimesteps, progress };
  }

  private dumpLogs(run: { readonly startTime: number; readonly startSteps: number }): void {
    recordTimeMetrics(this.logger, { ...run, numTimesteps: this.numTimesteps, episodes: this.episodes!.episodes });
    this.logger.dump(this.numTimesteps);
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

  /** y = r + γ^k · (1 − terminated) · max_a′ Q_target(s′, a′), for each transition of the batch. */
  private tdTarget(b: BatchTensors): tf.Tensor1D {
    const { qOnline, qTarget } = this.policy;
    const nextQTarget = qTarget(b.nextObs);
    // Double DQN: the online net picks a′ and the target net values it, curbing max's overestimation.
    const nextQ = this.config.doubleDqn ? pickActions(nextQTarget, tf.argMax(qOnline(b.nextObs), 1)) : tf.max(nextQTarget, 1);
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
      const b = this.policy.batchTensors(batch);
      const tdTarget = this.tdTarget(b); // computed outside variableGrads: no gradient flows into the target
      const { value: loss, grads } = tf.variableGrads(() => {
        const qTaken = pickActions(this.policy.qOnline(b.obs, { training: true }), b.actions); // Q(s, a) of the actions taken
        return this.config.loss === "huber" ? tf.losses.huberLoss(tdTarget, qTaken) : tf.losses.meanSquaredError(tdTarget, qTaken);
      }, this.policy.trainableVariables);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, this.config.maxGradNorm));
      return loss as tf.Scalar;
    });
  }

  /**
   * The TD targets the next update would regress on, for inspection and teaching.
   *
   * @example
   * // Target net with Q_target(s′) = [1, 2]; rewards [1, 0.5]; the second transition terminal; γ = 0.99.
   * agent.computeTdTargets(batch); //=> Float32Array(2) [2.98, 0.5]   (1 + 0.99 · 2, and 0.5 alone)
   * // (test/dqn-update.test.ts builds exactly this batch.)
   */
  computeTdTargets(batch: ReplayBatch): Float32Array {
    const target = tf.tidy(() => this.tdTarget(this.policy.batchTensors(batch)));
    try {
      return Float32Array.from(target.dataSync());
    } finally {
      target.dispose();
    }
  }

  /** Target update with the configured tau: a copy (tau = 1) or Polyak averaging (see DQNPolicy.updateTarget). */
  updateTarget(): void {
    this.policy.updateTarget(this.config.tau);
  }

  /**
   * A one-line summary, e.g. `DQN(MlpPolicy [64, 64], 100,000 steps, 49,152 updates, ε 0.04)`.
   * Notebooks print a cell's last value: without this, `await agent.learn(...)` would print every
   * tensor and buffer the agent holds.
   */
  override toString(): string {
    const hidden = this.policyName === "MlpPolicy" ? ` [${this.config.hiddenSizes.join(", ")}]` : "";
    return `DQN(${this.policyName}${hidden}, ${this.numTimesteps.toLocaleString("en-US")} steps, ${this.nUpdates.toLocaleString("en-US")} updates, ε ${this.explorationRate.toFixed(2)})`;
  }

  /** Node's `util.inspect` (and so tslab and the REPL) shows the summary instead of the internals. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
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
    this.policy.dispose();
    this.optimizer.dispose();
  }
}
