/**
 * The built-in environments. Importing this module registers them, so `make("CartPole-v1")` works.
 */
import "./registrations";

export * from "./breakout";
export { CartPoleEnv, type CartPoleOptions } from "./cartpole";
export { CARTPOLE_PHYSICS, isCartPoleTerminal, stepCartPolePhysics } from "./cartpole-physics";
export { drawCartPole } from "./cartpole-renderer";
export * from "./coin-jump";
export {
  DELAYED_CHAIN_REWARD,
  DelayedChainEnv,
  DELAYED_CHAIN_MAX_DELAY,
  type DelayedChainDistractors,
  type DelayedChainEvents,
  type DelayedChainObsType,
  type DelayedChainOptions,
  type DelayedChainState,
} from "./delayed-chain";
export { delayedChainFrameSize, drawDelayedChain } from "./delayed-chain-renderer";
export { delayedChainValues, type DelayedChainLayout, type DelayedChainValueOptions, type DelayedChainValues } from "./delayed-chain-values";
export { drawNumber, type NumberStyle } from "./pixel-font";
export { fillCircle, fillConvexPolygon, fillFrame, fillRect, fillRowSpan, rgb, type PixelRect, type Point, type RgbColor } from "./raster";
export { parseResetBounds, type ResetBounds } from "./reset-bounds";
export { StepCounterEnv, type StepCounterOptions } from "./step-counter";
