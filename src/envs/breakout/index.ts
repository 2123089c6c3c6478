/**
 * An Atari-like Breakout (ALE's ROMs are not ours to ship): the rules ({@link BreakoutGame}), the
 * ALE-faithful renderer ({@link BreakoutRenderer}), a MinAtar-style compact view
 * ({@link CompactView}) and the env ({@link BreakoutEnv}, registered as `Breakout-v0`).
 */
export { BreakoutEnv, type BreakoutInfo, type BreakoutObsType, type BreakoutOptions } from "./breakout-env";
export {
  compactColumn,
  compactRow,
  CompactView,
  COMPACT_CHANNELS,
  COMPACT_COLUMN_WIDTH,
  COMPACT_GRID_SIZE,
  COMPACT_ROW_HEIGHT,
} from "./compact";
export { DIGIT_GLYPHS } from "./digits";
export { BreakoutGame } from "./game";
export { predictLandingX } from "./landing";
export { BREAKOUT_ACTION_MEANINGS, BREAKOUT_ACTIONS, BREAKOUT_RULES, type BreakoutEvents, type BreakoutFrameOutcome } from "./rules";
export * as breakoutLayout from "./layout";
export { BREAKOUT_COLORS, opencvGray } from "./palette";
export { BreakoutRenderer, type BreakoutPixelFormat } from "./renderer";
