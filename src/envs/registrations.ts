import { register } from "../core/registry";
import { CartPoleEnv, type CartPoleOptions } from "./cartpole";

// Registers the built-in envs with the ids, time limits and reward thresholds of Gymnasium 1.3.0.
// Imported for its side effect by src/envs/index.ts.

declare module "../core/registry" {
  interface RegisteredEnvs {
    "CartPole-v0": { env: CartPoleEnv; options: CartPoleOptions };
    "CartPole-v1": { env: CartPoleEnv; options: CartPoleOptions };
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
