/** Wrappers: each changes one behaviour of the env it wraps. */
export { RecordEpisodeStatistics, type EpisodeStatistics, type RecordEpisodeStatisticsOptions } from "./record-episode-statistics";
export { TimeLimit } from "./time-limit";
export { applyWrapperSpec, registerWrapper, wrapperNames, type WrapperFactory, type WrapperSpec } from "./by-name";
