/**
 * The built-in environments. Importing this module registers them, so `make("CartPole-v1")` works.
 */
import "./registrations";

export * from "./breakout";
export { CartPoleEnv, type CartPoleOptions } from "./cartpole";
export { CARTPOLE_PHYSICS, isCartPoleTerminal, stepCartPolePhysics } from "./cartpole-physics";
export { drawCartPole } from "./cartpole-renderer";
export { fillCircle, fillConvexPolygon, fillFrame, fillRowSpan, rgb, type Point, type RgbColor } from "./raster";
export { parseResetBounds, type ResetBounds } from "./reset-bounds";
export { StepCounterEnv, type StepCounterOptions } from "./step-counter";
