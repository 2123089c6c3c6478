/**
 * Learning agents and what they learn from: the replay buffer (and, appended by their authors,
 * q-networks, DQN, schedules, callbacks, checkpoints).
 */
export * from "./replay-buffer";
export * from "./checkpoint";
export * from "./schedules";
export * from "./q-network";
export * from "./logger";
