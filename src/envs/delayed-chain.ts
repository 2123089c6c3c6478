import { BaseEnv } from "../core/base-env";
import { Box } from "../core/box";
import { describeValue } from "../core/describe";
import { Discrete } from "../core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../core/env";
import { createFrame, type RgbFrame } from "../core/frame";
import { assertKnownOptions, choiceOption, integerOption } from "../core/options";
import { delayedChainFrameSize, drawDelayedChain } from "./delayed-chain-renderer";

/** What the agent sees of its own distractor actions (see {@link DelayedChainEnv}). */
export type DelayedChainDistractors = "hidden" | "observed";

/** How a chain state is encoded: a one-hot Float32Array (for networks) or its index (for tables). */
export type DelayedChainObsType = "onehot" | "index";

/** Options of {@link DelayedChainEnv} (also accepted by `make("DelayedChain-v0", options)`). */
export interface DelayedChainOptions {
  /** k: the key action's reward comes back exactly k steps after it (1..64). Default 5 (the notes' Breakout hit at t−5). */
  readonly delay?: number;
  /** Number of actions (2..16); one is the key action, every action in the waiting steps is a distractor. Default 2. */
  readonly numActions?: number;
  /** Which action is the key one (0 ≤ keyAction < numActions). Default 0. */
  readonly keyAction?: number;
  /**
   * `"hidden"` (default): the observation shows only the chain state, so every distractor action
   * leads to the same next observation. `"observed"`: it also shows the last action taken, the way
   * Breakout's frame shows every useless paddle move: more distinct states, the same values.
   */
  readonly distractors?: DelayedChainDistractors;
  /** Standard deviation of zero-mean Gaussian noise added to every reward (≥ 0). Default 0. */
  readonly rewardNoise?: number;
  /**
   * `false` (default): an episode is one decision and its k waiting steps, k + 1 steps in all, and
   * terminates. `true`: after the waiting steps the agent is back at the decision, forever; only
   * the time limit cuts the episode (truncation, so a learner must bootstrap through it).
   */
  readonly continuing?: boolean;
  /** `"onehot"` (default): Box of 0/1 float32. `"index"`: Discrete, the state's number (for tabular Q-learning). */
  readonly obsType?: DelayedChainObsType;
}

/** Which part of the chain a state index belongs to (see {@link DelayedChainEnv.describeState}). */
export interface DelayedChainState {
  /** `"decision"` (the key action can be taken), `"key"` / `"other"` (waiting after the key / another action), `"end"` (terminal). */
  readonly kind: "decision" | "key" | "other" | "end";
  /** Steps since the decision: 0 at the decision, 1..k while waiting, k + 1 at the end. */
  readonly position: number;
}

/** What happened in one step: `info.events`. */
export interface DelayedChainEvents {
  /** The key action was taken at the decision on this step. */
  readonly keyAction: boolean;
  /** This step paid the key action's reward (k steps after `keyAction`). */
  readonly payout: boolean;
}

/** The reward the key action earns, k steps later. */
export const DELAYED_CHAIN_REWARD = 1;
/** The largest `delay` the env accepts. */
export const DELAYED_CHAIN_MAX_DELAY = 64;
const MAX_ACTIONS = 16;
const NO_EVENTS: DelayedChainEvents = Object.freeze({ keyAction: false, payout: false });
const DISTRACTOR_KINDS: readonly DelayedChainDistractors[] = ["hidden", "observed"];
const OBS_TYPES: readonly DelayedChainObsType[] = ["onehot", "index"];

/**
 * A clean lab for credit assignment (the source notes' problem 1: a Breakout hit at t − 5 is paid
 * at t, and the actions in between share the credit). One decision, then k steps of waiting in
 * which the actions are distractors: whatever the agent does, the key action's reward arrives
 * exactly `delay` = k steps after it. A learner has to carry that reward back k steps by TD
 * updates (one step per update in the tabular case), so how learning slows with k is measurable.
 *
 * ## States (index = the one-hot position, the row of {@link delayedChainValues})
 * | index        | state                                              |
 * |--------------|----------------------------------------------------|
 * | 0            | decision: the key action leads to the key chain    |
 * | p (1..k)     | key chain, p steps after the key action            |
 * | k + p (1..k) | other chain, p steps after another action          |
 * | 2k + 1       | end (terminal; episodic mode only)                 |
 * `numStates` = 2k + 2. `env.describeState(i)` names a state; `env.observationOf(i)` is its observation.
 *
 * ## Observation
 * - `obsType: "onehot"` (default): Box(0, 1, [2k + 2], float32), 1 at the state index. With
 *   `distractors: "observed"`, `numActions` more entries one-hot the last action (all 0 right after reset).
 * - `obsType: "index"`: Discrete(2k + 2), the state index; with `"observed"`,
 *   Discrete((2k + 2)·(numActions + 1)), index + (2k + 2)·(last action + 1) (last action −1 after reset).
 *
 * ## Actions: Discrete(numActions)
 * At the decision, `keyAction` (default 0) enters the key chain and any other action the other
 * chain. In every waiting state all actions do the same thing: step one place along the chain.
 *
 * ## Reward
 * +1 on the step taken in key-chain state k, which is exactly k steps after the key action; 0 on
 * every other step. With `rewardNoise` σ > 0, N(0, σ²) noise is added to every reward: the
 * expected values (and so the closed-form values) do not change.
 *
 * ## Optimal policy and its value
 * Take the key action at the decision; nothing else matters. For discount γ, the optimal return
 * from the start is γ^k (episodic) or γ^k / (1 − γ^(k+1)) (continuing); in the key chain
 * V*(p) = γ^(k−p) (+ γ^(k−p+1)·V*(0) when continuing). {@link delayedChainValues} gives the whole
 * table, for the optimal and for ε-greedy policies.
 *
 * ## Start state
 * Always the decision (index 0); nothing is random unless `rewardNoise` > 0.
 *
 * ## Episode end
 * - terminated: episodic mode, on the step that leaves chain state k (the (k + 1)-th step, with or
 *   without the reward); the final observation is the end state.
 * - truncated: never by the env itself; `make` adds a TimeLimit of 200 steps, which in episodic
 *   mode (at most 65 steps) never cuts, and in continuing mode ends every episode.
 *
 * ## Info
 * `info.state` (the state index after the step) and `info.events` ({@link DelayedChainEvents}); a
 * reset's info has both too (state 0, no events).
 *
 * @example
 * const env = new DelayedChainEnv({ delay: 3 });
 * env.reset({ seed: 0 }).obs;          //=> Float32Array(8) [1, 0, 0, 0, 0, 0, 0, 0]
 * env.step(0).info;                    //=> { state: 1, events: { keyAction: true, payout: false } }
 * env.step(1).reward;                  //=> 0   (a distractor)
 * env.step(0).reward;                  //=> 0   (another one)
 * env.step(1);                         //=> { obs: Float32Array(8) [0, 0, 0, 0, 0, 0, 0, 1], reward: 1,
 *                                      //     terminated: true, truncated: false,
 *                                      //     info: { state: 7, events: { keyAction: false, payout: true } } }
 */
export class DelayedChainEnv extends BaseEnv<Float32Array | number, number> {
  /** The option names DelayedChainEnv accepts (make rejects any other). */
  static readonly optionNames: readonly string[] = Object.freeze([
    "delay",
    "numActions",
    "keyAction",
    "distractors",
    "rewardNoise",
    "continuing",
    "obsType",
  ]);

  readonly actionSpace: Discrete;
  readonly observationSpace: Box | Discrete;
  override readonly metadata = Object.freeze({ renderFps: 4 });
  /** k: steps from the key action to its reward. */
  readonly delay: number;
  /** Actions at every state; one of them is the key action at the decision. */
  readonly numActions: number;
  /** The action that, taken at the decision, earns the reward k steps later. */
  readonly keyAction: number;
  /** Whether the observation shows the last (distractor) action. */
  readonly distractors: DelayedChainDistractors;
  /** Standard deviation of the zero-mean noise on every reward. */
  readonly rewardNoise: number;
  /** Back to the decision after each payout (true) or one decision an episode (false). */
  readonly continuing: boolean;
  /** One-hot Box or index Discrete observations. */
  readonly obsType: DelayedChainObsType;
  /** 2k + 2: decision, two chains of k, end. */
  readonly numStates: number;
  private currentState = -1;

  constructor(options: DelayedChainOptions = {}) {
    super();
    assertKnownOptions(options, DelayedChainEnv.optionNames, "DelayedChainEnv");
    const { delay = 5, numActions = 2, keyAction = 0, distractors = "hidden", rewardNoise = 0, continuing = false, obsType = "onehot" } = options;
    this.delay = integerOption(delay, "delay", 1, DELAYED_CHAIN_MAX_DELAY);
    this.numActions = integerOption(numActions, "numActions", 2, MAX_ACTIONS);
    this.keyAction = integerOption(keyAction, "keyAction", 0, this.numActions - 1);
    this.distractors = choiceOption(distractors, "distractors", DISTRACTOR_KINDS);
    this.obsType = choiceOption(obsType, "obsType", OBS_TYPES);
    if (typeof rewardNoise !== "number" || !(rewardNoise >= 0 && rewardNoise < Infinity)) {
      throw new RangeError(`Expected rewardNoise to be a finite number ≥ 0 (a standard deviation), got ${describeValue(rewardNoise)}`);
    }
    this.rewardNoise = rewardNoise;
    if (typeof continuing !== "boolean") throw new TypeError(`Expected continuing to be a boolean, got ${describeValue(continuing)}`);
    this.continuing = continuing;
    this.numStates = 2 * this.delay + 2;
    this.actionSpace = new Discrete(this.numActions);
    const observed = this.distractors === "observed";
    this.observationSpace =
      this.obsType === "index"
        ? new Discrete(observed ? this.numStates * (this.numActions + 1) : this.numStates)
        : new Box({ low: 0, high: 1, shape: [observed ? this.numStates + this.numActions : this.numStates], dtype: "float32" });
  }

  /** The current state index (−1 before the first reset). */
  get state(): number {
    return this.currentState;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array | number> {
    this.seedRng(args.seed);
    this.currentState = 0;
    return { obs: this.observationOf(0), info: { state: 0, events: NO_EVENTS } };
  }

  step(action: number): StepResult<Float32Array | number> {
    if (!this.actionSpace.contains(action)) {
      throw new RangeError(`Expected an action in ${String(this.actionSpace)} — ${this.actionSpace.describeMember("a")}, got ${describeValue(action)}`);
    }
    const k = this.delay;
    const state = this.currentState;
    if (state < 0) throw new Error("Expected reset() before step(), got step() on a DelayedChainEnv that was never reset");
    if (state === 2 * k + 1) throw new Error("Expected reset() after the episode terminated, got step() in the end state");
    const keyAction = state === 0 && action === this.keyAction;
    // The key chain's last state pays, whatever the action: the reward belongs to the key action k steps back.
    const payout = state === k;
    let next: number;
    if (state === 0) next = keyAction ? 1 : k + 1;
    else if (state === k || state === 2 * k) next = this.continuing ? 0 : 2 * k + 1;
    else next = state + 1;
    this.currentState = next;
    let reward = payout ? DELAYED_CHAIN_REWARD : 0;
    // Drawn only when asked for, so noiseless runs consume no randomness.
    if (this.rewardNoise > 0) reward += this.rewardNoise * this.rng.normal();
    const events: DelayedChainEvents = { keyAction, payout };
    return { obs: this.observationOf(next, action), reward, terminated: next === 2 * k + 1, truncated: false, info: { state: next, events } };
  }

  /** Draws the chain as a diagram with the agent in its current state (see {@link drawDelayedChain}). */
  override render(): RgbFrame {
    if (this.currentState < 0) throw new Error("Expected reset() before render(), got render() on a DelayedChainEnv that was never reset");
    const { width, height } = delayedChainFrameSize(this.delay);
    const frame = createFrame(width, height);
    drawDelayedChain(frame, { delay: this.delay, state: this.currentState });
    return frame;
  }

  /**
   * The observation the agent gets in chain state `state` (after `lastAction`, −1 for none): what to
   * feed a Q-network to read its values along the chain.
   *
   * @example
   * new DelayedChainEnv({ delay: 2 }).observationOf(1);  //=> Float32Array(6) [0, 1, 0, 0, 0, 0]
   * new DelayedChainEnv({ delay: 2, obsType: "index", distractors: "observed" }).observationOf(1, 0);  //=> 7
   */
  observationOf(state: number, lastAction = -1): Float32Array | number {
    integerOption(state, "state", 0, this.numStates - 1);
    integerOption(lastAction, "lastAction", -1, this.numActions - 1);
    const observed = this.distractors === "observed";
    if (this.obsType === "index") return observed ? state + this.numStates * (lastAction + 1) : state;
    const obs = new Float32Array(observed ? this.numStates + this.numActions : this.numStates);
    obs[state] = 1;
    if (observed && lastAction >= 0) obs[this.numStates + lastAction] = 1;
    return obs;
  }

  /**
   * Names a state index: which chain, and how many steps after the decision.
   *
   * @example
   * const env = new DelayedChainEnv({ delay: 3 });
   * env.describeState(2);  //=> { kind: "key", position: 2 }
   * env.describeState(5);  //=> { kind: "other", position: 2 }
   */
  describeState(state: number): DelayedChainState {
    const k = this.delay;
    integerOption(state, "state", 0, this.numStates - 1);
    if (state === 0) return { kind: "decision", position: 0 };
    if (state <= k) return { kind: "key", position: state };
    if (state <= 2 * k) return { kind: "other", position: state - k };
    return { kind: "end", position: k + 1 };
  }
}
