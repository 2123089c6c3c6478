/**
 * rl-workbook: reinforcement learning with pixel inputs and parallel environments, in TypeScript.
 *
 * The public API, by concept (data flows one way: env → wrappers → agent → notebook display):
 * - core: the Env protocol, spaces, seeded RNG, `make` and the registry, the env checker;
 * - envs: built-in environments (importing the library registers them: `make("CartPole-v1")`);
 * - wrappers: one behaviour each (TimeLimit, RecordEpisodeStatistics, ...);
 * - agents: DQN (SB3's API, CleanRL's loop), replay buffers (FrameReplayBuffer keeps stacked
 *   frames once), Q-networks, schedules, callbacks, evaluation and checkpoints;
 * - backend: the tfjs backend choice (`initBackend`) and the one shared `tf` namespace;
 * - notebook: frames, animations, plots, tables and live progress for tslab notebooks.
 *
 * @example
 * import { make, showFrame } from "rl-workbook";
 * const env = make("CartPole-v1");
 * env.reset({ seed: 42 });
 * showFrame(env.render());
 */
export * from "./core";
export * from "./envs";
export * from "./wrappers";
export * from "./vector";
export * from "./agents";
export * from "./backend";
export * from "./notebook";
export { assetPath } from "./assets";
export { checkSetup, type SetupReport } from "./setup-check";
export { VERSION } from "./version";
