/**
 * Learning agents and what they learn from: the replay buffer (and, appended by their authors,
 * q-networks, DQN, schedules, callbacks, checkpoints).
 */
export * from "./replay-buffer";
export * from "./frame-replay-buffer";
export * from "./checkpoint";
export * from "./schedules";
export * from "./q-network";
export * from "./logger";
export * from "./dqn-config";
export * from "./dqn";
export * from "./callbacks";
export * from "./eval-callback";
export * from "./checkpoint-callback";
export * from "./progress-callback";
export * from "./evaluate";
export { EpisodeTracker } from "./episode-tracker";
export type { ObservationSpec, ActionSpec } from "./observation-input";
export type { LoadDqnOptions } from "./dqn-checkpoint";
export * from "./presets";
export { QAgent } from "./q-agent";
export { DQNPolicy, type DQNPolicyOptions } from "./dqn-policy";
