import type * as tf from "../backend/tf";
import type { Rng } from "../core/rng";
import type { Agent } from "./callbacks";
import type { DQNPolicy } from "./dqn-policy";
import type { Logger } from "./logger";

/**
 * What every Q-learning agent offers once it has a policy, whatever its learning rule: predict,
 * Q-values, the best weights an EvalCallback kept, and its counters (SB3's `BaseAlgorithm.predict`
 * and friends). DQN extends it with learning; its whole training loop lives in dqn.ts.
 */
export abstract class QAgent implements Agent {
  /** The networks and how they choose actions (SB3's `model.policy`). */
  readonly policy: DQNPolicy;
  /** The agent's metrics: `agent.logger.records` is the history a notebook plots. */
  readonly logger: Logger;
  /** Env steps taken, summed over sub-envs (SB3's `num_timesteps`). */
  numTimesteps = 0;
  /** Gradient steps taken (SB3's `_n_updates`). */
  nUpdates = 0;
  /** ε: the probability of a random action, from the exploration schedule. */
  explorationRate: number;
  /** The stream of ε-greedy coins and random actions. */
  protected readonly rng: Rng;

  protected constructor(parts: { readonly policy: DQNPolicy; readonly logger: Logger; readonly rng: Rng; readonly explorationRate: number }) {
    this.policy = parts.policy;
    this.logger = parts.logger;
    this.rng = parts.rng;
    this.explorationRate = parts.explorationRate;
  }

  /** Saves the agent to a checkpoint directory. */
  abstract save(dir: string): Promise<void>;

  /** The online Q-network (SB3's `q_net`). */
  get qNetwork(): tf.LayersModel {
    return this.policy.qNetwork;
  }

  /** The target network (SB3's `q_net_target`). */
  get targetNetwork(): tf.LayersModel {
    return this.policy.targetNetwork;
  }

  /** The online weights an EvalCallback kept as the best, or undefined. */
  get bestWeights(): readonly tf.Tensor[] | undefined {
    return this.policy.bestWeights;
  }

  /**
   * Actions for observations (SB3's `predict`). `obs` holds one or more observations back to back
   * (a Discrete observation may be a plain number).
   *
   * @param options `deterministic` (default true): greedy actions; false: ε-greedy with the current ε.
   * @returns One action per observation, as the env expects them: a single env takes `predict(obs)[0]`.
   * @example
   * const env = make("CartPole-v1");
   * const agent = new DQN({ env, seed: 0 });          // untrained
   * agent.predict(env.reset({ seed: 0 }).obs);        //=> Int32Array(1) [1]
   * env.step(agent.predict(obs)[0]);                  // a single env takes one action
   */
  predict(obs: ArrayLike<number> | number, options: { readonly deterministic?: boolean } = {}): Int32Array {
    const { batch, count } = this.policy.count(obs);
    const epsilon = options.deterministic === false ? this.explorationRate : 0;
    return this.policy.toEnvActions(this.policy.epsilonGreedyActions(batch, { count, epsilon, rng: this.rng }));
  }

  /**
   * Q-values of the online network, `count × nActions` numbers (row i: observation i).
   *
   * @example
   * const agent = new DQN({ env: make("CartPole-v1"), seed: 0 });   // untrained: Q ≈ 0
   * agent.qValues(make("CartPole-v1").reset({ seed: 0 }).obs);     //=> Float32Array(2) [-0.00058, 0.00342]
   */
  qValues(obs: ArrayLike<number> | number): Float32Array {
    return this.policy.qValues(obs);
  }

  /** Copies the online weights into {@link QAgent.bestWeights} (what EvalCallback calls on a new best). */
  keepBestWeights(): void {
    this.policy.keepBestWeights();
  }

  /** Puts the best weights EvalCallback kept back into the online and target networks. */
  loadBestWeights(): this {
    this.policy.loadBestWeights();
    return this;
  }
}
