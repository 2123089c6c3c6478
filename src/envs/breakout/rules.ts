/**
 * Breakout's actions, the numbers of its rules, and what one frame reports: the vocabulary shared by
 * the game, the env and the tests.
 */

/** Breakout's actions in ALE's order: `getActionMeanings()[a]` names action a. */
export const BREAKOUT_ACTION_MEANINGS: readonly string[] = Object.freeze(["NOOP", "FIRE", "RIGHT", "LEFT"]);

/** Action numbers by name, as in ALE's minimal Breakout action set. */
export const BREAKOUT_ACTIONS = Object.freeze({ noop: 0, fire: 1, right: 2, left: 3 });

/**
 * The rules' numbers. Where the 2600 cartridge's own values are not documented, they are chosen to
 * play like it: the ball is slow after a serve and speeds up in steps, the paddle crosses the
 * playfield in about 34 frames (ALE moves its emulated paddle knob by a fixed amount per frame).
 */
export const BREAKOUT_RULES = Object.freeze({
  /** Balls per game; ALE's `lives()` starts at 5. */
  lives: 5,
  /** Paddle movement per frame of RIGHT or LEFT, in pixels. */
  paddleSpeed: 4,
  /** Vertical ball speed in px per frame at speed levels 0..4 (one level per speed-up earned). */
  ballSpeeds: Object.freeze([2, 2.5, 3, 3.5, 4]),
  /** Paddle hits after which the ball speeds up (the 2600 manual: the 4th and the 12th hit). */
  speedUpHits: Object.freeze([4, 12]),
  /** Horizontal speed per unit of vertical speed off the paddle's outer and inner quarters. */
  outerSlope: 1.5,
  innerSlope: 0.75,
  /** Row at which a served ball appears, heading down towards the paddle. */
  serveY: 122,
});

/** What happened during one frame: for counting what a frame-skipping agent never sees. */
export interface BreakoutEvents {
  /** The ball bounced off the paddle. */
  readonly paddleHit: boolean;
  /** Number of bricks broken (almost always 0 or 1). */
  readonly bricksHit: number;
  /** The ball bounced off a side wall or the back wall (the top bar). */
  readonly wallHit: boolean;
  /** The ball went past the paddle: one life fewer. */
  readonly lifeLost: boolean;
}

/** The outcome of one frame of {@link BreakoutGame.step}. */
export interface BreakoutFrameOutcome {
  /** Points scored this frame (7, 4 or 1 per brick by its row). */
  readonly reward: number;
  /** The game ended this frame or earlier: no lives left, or both walls cleared. */
  readonly gameOver: boolean;
  readonly events: BreakoutEvents;
}
