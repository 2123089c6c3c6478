import { describeValue } from "../core/describe";
import { DELAYED_CHAIN_REWARD, type DelayedChainEnv } from "./delayed-chain";

/** The settings of a DelayedChain that its values depend on (a `DelayedChainEnv` has them all). */
export type DelayedChainLayout = Pick<DelayedChainEnv, "delay" | "numActions" | "keyAction" | "continuing">;

/** Options of {@link delayedChainValues}. */
export interface DelayedChainValueOptions {
  /** Discount factor γ in [0, 1]; below 1 for a continuing chain (its return is an infinite sum). */
  readonly gamma: number;
  /**
   * ε of the ε-greedy policy whose values to compute: at the decision it takes the key action with
   * probability 1 − ε + ε/numActions. 0 (default) gives the optimal values V* and Q*; 1 gives the
   * uniformly random policy's.
   */
  readonly epsilon?: number;
}

/** The exact values of a policy on a DelayedChain, indexed by state (see DelayedChainEnv's state table). */
export interface DelayedChainValues {
  readonly gamma: number;
  readonly epsilon: number;
  /** V(s) for each of the 2k + 2 states. */
  readonly stateValues: Float64Array;
  /** Q(s, a), row-major: `actionValues[s * numActions + a]`. In waiting states all actions are equal. */
  readonly actionValues: Float64Array;
  /** V at the start state (the decision): the expected discounted return of an episode. */
  readonly startValue: number;
}

/**
 * The values of the optimal (or an ε-greedy) policy on a DelayedChain in closed form, for plotting
 * learned Q-values along the delay against the truth. With R = 1 the reward, k the delay and
 * p = 1 − ε + ε/n the chance of the key action at the decision, the start value is
 *
 *   V(0) = p·γ^k·R / (1 − c·γ^(k+1)),   c = 1 if continuing, else 0,
 *
 * because the reward comes k steps after the decision and (continuing) the next decision k + 1
 * steps after it. Along the chains, p steps after the decision:
 *
 *   key chain:   V = γ^(k−p)·R + c·γ^(k−p+1)·V(0)      other chain:   V = c·γ^(k−p+1)·V(0)
 *
 * and Q(0, key) = γ·V(key, 1), Q(0, other) = γ·V(other, 1). Reward noise has mean 0 and changes
 * none of these. The "observed" distractor variant has the same values (the last action shown in
 * the observation does not change what follows).
 *
 * @param chain the env (or its delay, numActions, keyAction, continuing).
 * @param options γ and ε.
 * @returns V and Q for every state, and V at the start.
 * @example
 * const values = delayedChainValues(new DelayedChainEnv({ delay: 5 }), { gamma: 0.9 });
 * values.startValue;           //=> 0.5904900000000001   (γ^5)
 * values.stateValues[3];       //=> 0.81                 (key chain, 3 steps in: γ^2)
 * delayedChainValues(new DelayedChainEnv({ delay: 5, continuing: true }), { gamma: 0.9 }).startValue;  //=> 1.2602254998836862
 * delayedChainValues(new DelayedChainEnv({ delay: 5 }), { gamma: 0.9, epsilon: 1 }).startValue;      //=> 0.29524500000000004  (random policy)
 */
export function delayedChainValues(chain: DelayedChainLayout, options: DelayedChainValueOptions): DelayedChainValues {
  const { gamma, epsilon = 0 } = options;
  const { delay: k, numActions, keyAction, continuing } = chain;
  if (typeof gamma !== "number" || !(gamma >= 0 && gamma <= 1)) throw new RangeError(`Expected gamma in [0, 1], got ${describeValue(gamma)}`);
  if (continuing && gamma === 1) throw new RangeError("Expected gamma < 1 for a continuing chain (its undiscounted return is infinite), got gamma 1");
  if (typeof epsilon !== "number" || !(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`Expected epsilon in [0, 1], got ${describeValue(epsilon)}`);
  const R = DELAYED_CHAIN_REWARD;
  const c = continuing ? 1 : 0;
  const keyProbability = 1 - epsilon + epsilon / numActions;
  const startValue = (keyProbability * gamma ** k * R) / (1 - c * gamma ** (k + 1));
  const numStates = 2 * k + 2;
  const stateValues = new Float64Array(numStates);
  const actionValues = new Float64Array(numStates * numActions);
  for (let p = 1; p <= k; p++) {
    const continuation = c * gamma ** (k - p + 1) * startValue;
    stateValues[p] = gamma ** (k - p) * R + continuation;
    stateValues[k + p] = continuation;
  }
  // Waiting states (and the end, all zero): every action leads to the same place.
  for (let s = 1; s < numStates; s++) actionValues.fill(stateValues[s]!, s * numActions, (s + 1) * numActions);
  actionValues.fill(gamma * stateValues[k + 1]!, 0, numActions);
  actionValues[keyAction] = gamma * stateValues[1]!;
  stateValues[0] = startValue;
  return { gamma, epsilon, stateValues, actionValues, startValue };
}
