import { register } from "../core/registry";
import { BreakoutEnv, type BreakoutOptions } from "./breakout/breakout-env";
import { CartPoleEnv, type CartPoleOptions } from "./cartpole";
import { StepCounterEnv, type StepCounterOptions } from "./step-counter";

// Registers the built-in envs with the ids, time limits and reward thresholds of Gymnasium 1.3.0.
// Imported for its side effect by src/envs/index.ts.

declare module "../core/registry" {
  interface RegisteredEnvs {
    "Breakout-v0": { env: BreakoutEnv; options: BreakoutOptions };
    "CartPole-v0": { env: CartPoleEnv; options: CartPoleOptions };
    "CartPole-v1": { env: CartPoleEnv; options: CartPoleOptions };
    "StepCounter-v0": { env: StepCounterEnv; options: StepCounterOptions };
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

// Atari-like Breakout, one frame per step (ALE's BreakoutNoFrameskip-v4: no frameskip, no sticky
// actions), with ALE's 30-minute cap of 108,000 frames.
register({
  id: "Breakout-v0",
  entryPoint: (options) => new BreakoutEnv(options as BreakoutOptions),
  maxEpisodeSteps: 108_000,
  optionNames: BreakoutEnv.optionNames,
});
