/** Wrappers: each changes one behaviour of the env it wraps. */
export { RecordEpisodeStatistics, type EpisodeStatistics, type RecordEpisodeStatisticsOptions } from "./record-episode-statistics";
export { TimeLimit } from "./time-limit";
export { EventBonus, type EventBonusOptions } from "./event-bonus";
export { applyWrapperSpec, registerWrapper, wrapperNames, type WrapperFactory, type WrapperSpec } from "./by-name";
// Atari preprocessing (SB3's atari_wrappers): the wrappers one by one and the atariWrap preset.
export { NoopReset, type NoopResetOptions } from "./noop-reset";
export { FireReset } from "./fire-reset";
export { EpisodicLife } from "./episodic-life";
export { MaxAndSkip, type MaxAndSkipOptions } from "./max-and-skip";
export { ClipReward } from "./clip-reward";
export { WarpFrame, type WarpFrameOptions } from "./warp-frame";
export { FrameStack, type FrameStackOptions } from "./frame-stack";
export { atariWrap, ATARI_WRAP_DEFAULTS, type AtariEnv, type AtariWrapOptions } from "./atari-wrap";
export { AreaResize, rgbToGray, type FrameSize } from "./area-resize";
export { IncrementalAreaResize } from "./incremental-resize";
export { pixelwiseMax, type NumericArray } from "./pixel-max";
// The WebAssembly SIMD kernels behind the pixel loops; switch them off to time the JavaScript fallback.
export { pixelKernels, setPixelSimd, withPixelSimd, type PixelKernels } from "./pixel-kernels";
export type { AtariLike, FrameEnv } from "./atari-env";
