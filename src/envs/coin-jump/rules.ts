/**
 * The fixed numbers of CoinJump's world. Units are world cells, one cell = one pixel of the 64×64
 * pixel observation (four of the rendered frame). x grows to the right from the left wall; heights
 * grow upwards from the ground.
 */
export const COIN_JUMP_RULES = Object.freeze({
  /** Width of the world between the two walls. */
  worldWidth: 64,
  /** Height of the world, ground included. */
  worldHeight: 64,
  /** Rows of ground at the bottom; the sky is the 56 rows above. */
  groundDepth: 8,
  agentWidth: 6,
  agentHeight: 8,
  /** Cells per step when walking (on the ground or steering in the air). */
  agentSpeed: 2,
  turtleWidth: 8,
  turtleHeight: 6,
  /** Cells per step; the turtle turns round at the walls. */
  turtleSpeed: 1,
  /**
   * Upward speed at take-off, in cells per step; gravity takes 1 off each step. Heights after the
   * jump step: 6, 11, 15, 18, 20, 21, 21, 20, 18, 15, 11, 6, then 0 (landed) on the 13th step.
   */
  jumpVelocity: 6,
  gravity: 1,
  /** Side of a coin's square hitbox. */
  coinSize: 4,
  /**
   * Height of a coin's bottom edge above the ground. Only the top of the arc (height 21, steps 6 and 7
   * of a jump, agent top at 29) reaches it: a coin is paid 5 steps after the jump is chosen.
   */
  coinBottom: 28,
  /** Coins are at least this far apart (left edge to left edge), so one step never takes two. */
  coinSpacing: 10,
  /** The turtle starts at least this far (centre to centre) from the agent. */
  turtleStartDistance: 24,
});

/** The highest point of a jump: v + (v − g) + … down to 0. */
export const COIN_JUMP_APEX = (COIN_JUMP_RULES.jumpVelocity * (COIN_JUMP_RULES.jumpVelocity + 1)) / 2;

/**
 * The actions of CoinJump, by name: walk left or right (also steering in the air), jump (only
 * from the ground; in the air it does nothing), or do nothing.
 *
 * @example
 * CoinJumpAction.jump;  //=> 3
 */
export const CoinJumpAction = Object.freeze({ noop: 0, left: 1, right: 2, jump: 3 });

/** The action names, indexed by action (for plots and animation overlays). */
export const COIN_JUMP_ACTION_NAMES: readonly string[] = Object.freeze(["noop", "left", "right", "jump"]);
