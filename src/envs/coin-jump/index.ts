/**
 * CoinJump: the source notes' jump-over-the-turtle, jump-for-coins exercise. The game rules
 * (game.ts, rules.ts) are apart from what the agent sees (observation.ts) and from the cartoon
 * drawn for people (renderer.ts); coin-jump.ts puts them together as an env.
 */
export { CoinJumpEnv, type CoinJumpObsType, type CoinJumpOptions } from "./coin-jump";
export { COIN_JUMP_MAX_COINS, CoinJumpGame, NO_COIN_JUMP_EVENTS, type CoinJumpEvents, type CoinJumpOutcome } from "./game";
export { COIN_JUMP_PIXEL_LEVELS, coinJumpPixelSpace, coinJumpVectorSpace, drawCoinJumpPixels, writeCoinJumpVector } from "./observation";
export { COIN_JUMP_FRAME_SIZE, drawCoinJump } from "./renderer";
export { COIN_JUMP_ACTION_NAMES, COIN_JUMP_RULES, CoinJumpAction, COIN_JUMP_APEX } from "./rules";
