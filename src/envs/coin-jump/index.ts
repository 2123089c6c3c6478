/**
 * CoinJump: the source notes' jump-over-the-turtle, jump-for-coins exercise. The game rules
 * (game.ts, rules.ts) are apart from what the agent sees (observation.ts) and from the cartoon
 * drawn for people (renderer.ts); coin-jump.ts puts them together as an env.
 */
export { CoinJumpEnv, type CoinJumpObsType, type CoinJumpOptions } from "./coin-jump";
export { CoinJumpGame, MAX_COINS, type CoinJumpEvents, type CoinJumpOutcome } from "./game";
export { drawPixelObservation, PIXEL_LEVELS, pixelObservationSpace, vectorObservationSpace, writeVectorObservation } from "./observation";
export { COIN_JUMP_FRAME_SIZE, drawCoinJump } from "./renderer";
export { COIN_JUMP_ACTION_NAMES, COIN_JUMP_RULES, CoinJumpAction, JUMP_APEX } from "./rules";
