import { BaseEnv } from "../core/base-env";
import { Box } from "../core/box";
import { describeValue } from "../core/describe";
import { Discrete } from "../core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../core/env";
import { createFrame, type RgbFrame } from "../core/frame";
import { assertKnownOptions } from "../core/options";
import { CARTPOLE_PHYSICS, isCartPoleTerminal, stepCartPolePhysics } from "./cartpole-physics";
import { drawCartPole } from "./cartpole-renderer";
import { parseResetBounds } from "./reset-bounds";

/** Options of {@link CartPoleEnv} (also accepted by `make("CartPole-v1", options)`). */
export interface CartPoleOptions {
  /**
   * Sutton & Barto's original reward: 0 on every non-terminal step and −1 on termination (and on
   * any step after it), instead of +1 on every step. Default false.
   */
  readonly suttonBartoReward?: boolean;
}

const { forceMag: FORCE_MAG, xThreshold: X_THRESHOLD, thetaThresholdRadians: THETA_THRESHOLD_RADIANS } = CARTPOLE_PHYSICS;

/** Reset bounds of each state component, as in Gymnasium. */
const DEFAULT_RESET_BOUNDS = Object.freeze({ low: -0.05, high: 0.05 });

/**
 * CartPole-v1 as in Gymnasium 1.3.0: a pole hinged on a cart that moves along a frictionless track;
 * push the cart left or right to keep the pole upright.
 *
 * ## Observation: Box(4), float32 (a Float32Array copy of the float64 state)
 * | index | observation           | min                 | max               |
 * |-------|-----------------------|---------------------|-------------------|
 * | 0     | cart position x (m)   | −4.8                | 4.8               |
 * | 1     | cart velocity ẋ (m/s) | −Infinity           | Infinity          |
 * | 2     | pole angle θ (rad)    | ≈ −0.418 (−24°)     | ≈ 0.418 (24°)     |
 * | 3     | pole angular velocity | −Infinity           | Infinity          |
 * The bounds are twice the termination thresholds, so the final observation is still in the space.
 *
 * ## Actions: Discrete(2)
 * 0 pushes the cart left, 1 pushes it right, with a fixed force of 10 N. How much that changes the
 * velocity depends on the pole's angle.
 *
 * ## Reward
 * +1 for every step, including the terminating one (so an episode's return is its length). With
 * `suttonBartoReward: true`: 0 per non-terminal step, −1 on termination.
 *
 * ## Start state
 * Each of x, ẋ, θ, θ̇ uniform in (−0.05, 0.05), drawn from the env's seeded RNG; change the bounds
 * with `reset({ options: { low, high } })`.
 *
 * ## Episode end
 * - terminated: x < −2.4 or x > 2.4 (the cart left the track) or θ < −12° or θ > 12° (the pole
 *   fell). The inequalities are strict: exactly 2.4 is still alive, as in Gymnasium.
 * - truncated: never by the env itself; `make` adds a TimeLimit of 500 steps (CartPole-v0: 200).
 *   Both can be true on step 500.
 *
 * ## State
 * `env.unwrapped.state` is the float64 state `[x, ẋ, θ, θ̇]`. It is float64 (not the float32 of
 * the observation) because the dynamics amplify rounding: on the reference trajectories a
 * float32 state is off by more than 1e-3 after about 170 steps and by 0.1 after about 230,
 * while float64 stays within 1e-16 of Gymnasium per step. Writing it (in place, or assigning an array of 4 numbers)
 * changes what the next step starts from.
 *
 * Stepping after termination without reset (possible with `disableEnvChecker: true`) warns once and
 * returns reward 0 (Sutton–Barto: −1), as Gymnasium does.
 *
 * @example
 * const env = new CartPoleEnv();
 * env.reset({ seed: 42 }).obs;  //=> Float32Array(4) [-0.022041677, -0.022244507, 0.033815857, 0.036102984]
 * env.step(1);  //=> { obs: Float32Array(4) [-0.022486567, 0.1723766, 0.034537915, -0.24572183],
 *               //     reward: 1, terminated: false, truncated: false, info: {} }
 * env.state[1];            //=> 0.17237661030352708  (float64; the observation is its float32 rounding)
 */
export class CartPoleEnv extends BaseEnv<Float32Array, number> {
  /** The option names CartPoleEnv accepts (make rejects any other). */
  static readonly optionNames: readonly string[] = Object.freeze(["suttonBartoReward"]);

  readonly actionSpace = new Discrete(2);
  readonly observationSpace = new Box({
    low: [-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD_RADIANS * 2, -Infinity],
    high: [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity],
    dtype: "float32",
  });
  override readonly metadata = Object.freeze({ renderFps: 50 });
  /** Whether the Sutton–Barto reward is used (see {@link CartPoleOptions}). */
  readonly suttonBartoReward: boolean;

  private readonly currentState = new Float64Array(4);
  private hasState = false;
  /** Steps taken after the one that terminated (Gymnasium's `steps_beyond_terminated`). */
  private stepsBeyondTerminated: number | undefined = undefined;

  constructor(options: CartPoleOptions = {}) {
    super();
    assertKnownOptions(options, CartPoleEnv.optionNames, "CartPoleEnv");
    const { suttonBartoReward = false } = options;
    if (typeof suttonBartoReward !== "boolean") {
      throw new TypeError(`Expected suttonBartoReward to be a boolean, got ${describeValue(suttonBartoReward)}`);
    }
    this.suttonBartoReward = suttonBartoReward;
  }

  /** The float64 physical state `[x, ẋ, θ, θ̇]`; all zeros before the first reset. */
  get state(): Float64Array {
    return this.currentState;
  }

  /** Sets the physical state the next step starts from (the values are copied). */
  set state(state: ArrayLike<number>) {
    if (state === null || typeof state !== "object" || state.length !== 4) {
      throw new TypeError(`Expected state to be 4 numbers [x, ẋ, θ, θ̇], got ${describeValue(state)}`);
    }
    for (let i = 0; i < 4; i++) {
      if (typeof state[i] !== "number") {
        throw new TypeError(`Expected state to be 4 numbers [x, ẋ, θ, θ̇], got ${describeValue(state)}`);
      }
    }
    this.currentState.set(state);
    this.hasState = true;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    const { low, high } = parseResetBounds(args.options, DEFAULT_RESET_BOUNDS);
    const rng = this.rng;
    const state = this.currentState;
    for (let i = 0; i < 4; i++) state[i] = rng.uniform(low, high);
    this.hasState = true;
    this.stepsBeyondTerminated = undefined;
    return { obs: this.observation(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) {
      throw new RangeError(`Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got ${describeValue(action)}`);
    }
    if (!this.hasState) throw new Error("Expected reset() before step(), got step() on a CartPoleEnv that was never reset");
    const state = this.currentState;
    stepCartPolePhysics(state, action === 1 ? FORCE_MAG : -FORCE_MAG);
    const terminated = isCartPoleTerminal(state);
    return { obs: this.observation(), reward: this.reward(terminated), terminated, truncated: false, info: {} };
  }

  /** Draws the current state as a 600×400 image laid out like Gymnasium's rgb_array. */
  override render(): RgbFrame {
    return this.renderInto(createFrame(600, 400));
  }

  /**
   * Draws the current state into an existing 600×400 frame, for callers that reuse one buffer
   * (recording many frames without allocating each).
   *
   * @returns the same frame.
   */
  renderInto(frame: RgbFrame): RgbFrame {
    if (!this.hasState) throw new Error("Expected reset() before render(), got render() on a CartPoleEnv that was never reset");
    drawCartPole(frame, this.currentState);
    return frame;
  }

  private reward(terminated: boolean): number {
    if (!terminated) return this.suttonBartoReward ? 0 : 1;
    if (this.stepsBeyondTerminated === undefined) {
      // The pole just fell: this step still counts.
      this.stepsBeyondTerminated = 0;
      return this.suttonBartoReward ? -1 : 1;
    }
    if (this.stepsBeyondTerminated === 0) {
      console.warn(
        "CartPoleEnv: step() was called after an episode had already returned terminated = true. " +
          "Call reset() once an episode terminates; any further steps are undefined behaviour.",
      );
    }
    this.stepsBeyondTerminated += 1;
    return this.suttonBartoReward ? -1 : 0;
  }

  /** A float32 copy of the state: the agent sees float32, as Gymnasium's observation does. */
  private observation(): Float32Array {
    const state = this.currentState;
    const obs = new Float32Array(4);
    obs[0] = state[0];
    obs[1] = state[1];
    obs[2] = state[2];
    obs[3] = state[3];
    return obs;
  }
}
