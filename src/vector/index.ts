/**
 * Vector envs: `numEnvs` copies of an env stepped together, with batched typed-array results and
 * autoreset (Gymnasium's `gymnasium.vector`, SB3's VecEnv, EnvPool). Start with `makeVec`.
 */
export {
  AUTORESET_MODES,
  assertAutoresetMode,
  type AutoresetMode,
  type BatchObsOf,
  type ObsArray,
  type VectorEnv,
  type VectorInfos,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from "./types";
export { AutoresetSlot, type AutoresetStep } from "./autoreset";
export { batchLayout, type BatchLayout } from "./batch-layout";
export { buildSubEnv, parseEnvId, resolveSubEnvSpec, type SubEnvSpec } from "./sub-env-spec";
export { SyncVectorEnv, type SyncVectorEnvOptions } from "./sync-vector-env";
export { makeVec, type MakeVecOptions } from "./make-vec";
export { collectExperience, type BatchPolicy, type CollectExperienceOptions, type Experience } from "./collect-experience";
export * from "./async-vector-env";
export { measureThroughput, type ThroughputOptions, type ThroughputResult } from "./throughput";
