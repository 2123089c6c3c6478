/**
 * The environment API: the Env protocol, spaces, the seeded RNG, the registry with `make`, the
 * env checker and the Wrapper base class. Built-in envs register themselves in `src/envs`.
 */
export { BaseEnv } from "./base-env";
export { Box, type BoxDType, type BoxOptions, type TypedArrayByDType } from "./box";
export { describeValue, formatNumber } from "./describe";
export { Discrete, type DiscreteOptions } from "./discrete";
export type { ActionOf, AnyEnv, Env, EnvMetadata, Info, ObsOf, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "./env";
export { EnvChecker } from "./env-checker";
export { assertRgbFrame, createFrame, type RgbFrame } from "./frame";
export { make, type MadeEnv, type MakeOptions } from "./make";
export { assertKnownOptions, choiceOption, closestName, integerOption } from "./options";
export { register, registry, spec, type EnvCreator, type EnvSpec, type RegisterArgs, type RegisteredEnvs } from "./registry";
export { assertSeed, Rng } from "./rng";
export { Space } from "./space";
export { passStepWithoutObs, Wrapper } from "./wrapper";
