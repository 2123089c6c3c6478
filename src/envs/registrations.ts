import { register } from "../core/registry";
import { BreakoutEnv, type BreakoutOptions } from "./breakout/breakout-env";
import { CartPoleEnv, type CartPoleOptions } from "./cartpole";
import { CoinJumpEnv, type CoinJumpOptions } from "./coin-jump/coin-jump";
import { DelayedChainEnv, type DelayedChainOptions } from "./delayed-chain";
import { StepCounterEnv, type StepCounterOptions } from "./step-counter";

// Registers the built-in envs with the ids, time limits and reward thresholds of Gymnasium 1.3.0.
// Imported for its side effect by src/envs/index.ts.

declare module "../core/registry" {
  interface RegisteredEnvs {
    "Breakout-v0": { env: BreakoutEnv; options: BreakoutOptions };
    "CartPole-v0": { env: CartPoleEnv; options: CartPoleOptions };
    "CartPole-v1": { env: CartPoleEnv; options: CartPoleOptions };
    "StepCounter-v0": { env: StepCounterEnv; options: StepCounterOptions };
    "DelayedChain-v0": { env: DelayedChainEnv; options: DelayedChainOptions };
    "CoinJump-v0": { env: CoinJumpEnv; options: CoinJumpOptions };
  }
}

const createCartPole = (options: Readonly<Record<string, unknown>>): CartPoleEnv => new CartPoleEnv(options as CartPoleOptions);

register({
  id: "CartPole-v0",
  entryPoint: createCartPole,
  maxEpisodeSteps: 200,
  rewardThreshold: 195,
  optionNames: CartPoleEnv.optionNames,
});

register({
  id: "CartPole-v1",
  entryPoint: createCartPole,
  maxEpisodeSteps: 500,
  rewardThreshold: 475,
  optionNames: CartPoleEnv.optionNames,
});

// A test and teaching env: no default time limit (it never ends by itself), so a test states the
// limit it wants, e.g. make("StepCounter-v0", { maxEpisodeSteps: 3 }) for the ANCHORS.md trace.
register({
  id: "StepCounter-v0",
  entryPoint: (options) => new StepCounterEnv(options as StepCounterOptions),
  optionNames: StepCounterEnv.optionNames,
});

// The credit-assignment lab. An episodic chain lasts delay + 1 ≤ 65 steps, so the limit of 200 cuts
// only continuing chains ({ continuing: true }), where truncation is the only end.
register({
  id: "DelayedChain-v0",
  entryPoint: (options) => new DelayedChainEnv(options as DelayedChainOptions),
  maxEpisodeSteps: 200,
  optionNames: DelayedChainEnv.optionNames,
});

// The notes' Mario exercise. 500 steps is long enough for a trained agent to jump the turtle
// several times (it crosses the world in 56 steps) and short enough for quick evaluations.
register({
  id: "CoinJump-v0",
  entryPoint: (options) => new CoinJumpEnv(options as CoinJumpOptions),
  maxEpisodeSteps: 500,
  optionNames: CoinJumpEnv.optionNames,
});

// Atari-like Breakout, one frame per step (ALE's BreakoutNoFrameskip-v4: no frameskip, no sticky
// actions), with ALE's 30-minute cap of 108,000 frames.
register({
  id: "Breakout-v0",
  entryPoint: (options) => new BreakoutEnv(options as BreakoutOptions),
  maxEpisodeSteps: 108_000,
  optionNames: BreakoutEnv.optionNames,
});
