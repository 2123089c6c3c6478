/**
 * Tiny envs for the DQN tests: a chain to walk, a two-armed bandit, and a scripted env whose
 * episodes have known lengths and returns. Not a test file (node's runner picks up *.test.js only).
 */
import { BaseEnv } from "../../src/core/base-env";
import { Box } from "../../src/core/box";
import { Discrete } from "../../src/core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../../src/core/env";

/**
 * A corridor of `length` cells, observed one-hot. Action 1 moves right, 0 moves left (walls hold).
 * Reaching the last cell pays +1 and terminates; every other step pays 0. Truncated after
 * `maxSteps`. The optimal policy always goes right; Q*(s, right) = γ^(steps to go − 1).
 */
export class ChainEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace: Box;
  readonly actionSpace = new Discrete(2);
  private position = 0;
  private steps = 0;

  constructor(readonly length = 5, readonly maxSteps = 20) {
    super();
    this.observationSpace = new Box({ low: 0, high: 1, shape: [length] });
  }

  private observe(): Float32Array {
    const obs = new Float32Array(this.length);
    obs[this.position] = 1;
    return obs;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.position = 0;
    this.steps = 0;
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.steps += 1;
    this.position = Math.max(0, Math.min(this.length - 1, this.position + (action === 1 ? 1 : -1)));
    const terminated = this.position === this.length - 1;
    return { obs: this.observe(), reward: terminated ? 1 : 0, terminated, truncated: !terminated && this.steps >= this.maxSteps, info: {} };
  }
}

/**
 * One-step episodes: the second arm pays 1, the first 0. Observation: a constant Discrete(1) state.
 * Arms are numbered from `start` (a Discrete action space need not start at 0).
 */
export class TwoArmedBanditEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(1);
  readonly actionSpace: Discrete;

  constructor(readonly start = 0) {
    super();
    this.actionSpace = new Discrete(2, { start });
  }

  reset(args: ResetArgs = {}): ResetResult<number> {
    this.seedRng(args.seed);
    return { obs: 0, info: {} };
  }

  step(action: number): StepResult<number> {
    if (action !== this.start && action !== this.start + 1) throw new RangeError(`Expected arm ${this.start} or ${this.start + 1}, got ${action}`);
    return { obs: 0, reward: action === this.start + 1 ? 1 : 0, terminated: true, truncated: false, info: {} };
  }
}

/**
 * Episodes of scripted lengths (cycled), reward = the action + 1 each step, observation = step
 * count; the last step of an episode is truncated when `truncate` is set, else terminated.
 */
export class ScriptedEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1000, shape: [1] });
  readonly actionSpace = new Discrete(2);
  private episode = -1;
  private steps = 0;

  constructor(readonly lengths: readonly number[], readonly truncate = false) {
    super();
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.episode += 1;
    this.steps = 0;
    return { obs: Float32Array.of(0), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.steps += 1;
    const ended = this.steps >= this.lengths[this.episode % this.lengths.length]!;
    return { obs: Float32Array.of(this.steps), reward: action + 1, terminated: ended && !this.truncate, truncated: ended && this.truncate, info: {} };
  }
}

/** uint8 images [36, 36, 1] (the smallest the Nature CNN takes), random each step; 5-step episodes, reward 1 for action 1. */
export class PixelEnv extends BaseEnv<Uint8Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 255, shape: [36, 36, 1], dtype: "uint8" });
  readonly actionSpace = new Discrete(2);
  private steps = 0;

  private observe(): Uint8Array {
    return Uint8Array.from({ length: 36 * 36 }, () => this.rng.integer(256));
  }

  reset(args: ResetArgs = {}): ResetResult<Uint8Array> {
    this.seedRng(args.seed);
    this.steps = 0;
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<Uint8Array> {
    this.steps += 1;
    return { obs: this.observe(), reward: action, terminated: false, truncated: this.steps >= 5, info: {} };
  }
}
