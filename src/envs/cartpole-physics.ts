/**
 * The cart-pole system's physics, shared by the CartPole env, its renderer and any vectorised
 * version: constants, the one-step dynamics, and the termination test.
 */

// Physical constants of Gymnasium 1.3.0's CartPole (after Barto, Sutton & Anderson 1983). Derived
// values are computed the way Gymnasium computes them so that every float64 rounding matches.
const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Half the pole's length: the distance from the pivot to the pole's centre of mass. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates: 50 steps per simulated second. */
const TAU = 0.02;
/** The pole has fallen beyond 12°. */
const THETA_THRESHOLD_RADIANS = (12 * 2 * Math.PI) / 360;
/** The cart's centre has left the track (the edge of the rendered view). */
const X_THRESHOLD = 2.4;

/**
 * CartPole's physical constants, for code that reuses the dynamics (a vectorised CartPole, a
 * plot of the termination region) instead of copying the numbers.
 */
export const CARTPOLE_PHYSICS = Object.freeze({
  gravity: GRAVITY,
  massCart: MASS_CART,
  massPole: MASS_POLE,
  totalMass: TOTAL_MASS,
  length: LENGTH,
  poleMassLength: POLE_MASS_LENGTH,
  forceMag: FORCE_MAG,
  tau: TAU,
  thetaThresholdRadians: THETA_THRESHOLD_RADIANS,
  xThreshold: X_THRESHOLD,
});

/**
 * Advances a cart-pole state by one step of 0.02 s in place, with the equations and explicit
 * Euler update of Gymnasium 1.3.0 (Florian 2007, "Correct equations for the dynamics of the
 * cart-pole system"). Every update uses the old velocities: x' = x + τẋ, ẋ' = ẋ + τẍ, θ' = θ + τθ̇,
 * θ̇' = θ̇ + τθ̈. The operations are in Gymnasium's order so results agree to the last bit or two.
 *
 * @param state `[x, ẋ, θ, θ̇]` in float64, overwritten with the next state.
 * @param force the horizontal force on the cart in newtons (+10 pushes right).
 * @example
 * const state = new Float64Array([0, 0, 0, 0]);
 * stepCartPolePhysics(state, 10);
 * state;  //=> Float64Array(4) [0, 0.1951219512195122, 0, -0.2926829268292683]
 */
export function stepCartPolePhysics(state: Float64Array, force: number): void {
  const x = state[0];
  const xDot = state[1];
  const theta = state[2];
  const thetaDot = state[3];
  const cosTheta = Math.cos(theta);
  const sinTheta = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
  const thetaAcc =
    (GRAVITY * sinTheta - cosTheta * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cosTheta * cosTheta)) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
  state[0] = x + TAU * xDot;
  state[1] = xDot + TAU * xAcc;
  state[2] = theta + TAU * thetaDot;
  state[3] = thetaDot + TAU * thetaAcc;
}

/**
 * Whether a cart-pole state is terminal: the cart's centre beyond ±2.4 m or the pole beyond ±12°.
 * The inequalities are strict, as in Gymnasium: a state exactly on a threshold is still alive.
 *
 * @example
 * isCartPoleTerminal(new Float64Array([2.4, 0, 0, 0]));   //=> false
 * isCartPoleTerminal(new Float64Array([2.41, 0, 0, 0]));  //=> true
 */
export function isCartPoleTerminal(state: Float64Array): boolean {
  const x = state[0];
  const theta = state[2];
  return x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
}
