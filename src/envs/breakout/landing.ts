import type { BreakoutGame } from "./game";
import { BALL_HEIGHT, BALL_WIDTH, PADDLE_TOP, PLAY_LEFT, PLAY_RIGHT, PLAY_TOP } from "./layout";

/**
 * Where the ball's centre will be, in pixel columns, when its bottom edge reaches the paddle's top
 * row: the straight path folded at the side walls (and, for a ball going up, at the back wall).
 * Bricks are ignored, so for a ball going up through the wall the answer is where it would land if
 * it met none. `undefined` when no ball is in play.
 *
 * This is the "perfect information" a scripted player uses to place the paddle. A learning agent has
 * to infer it from pixels, which is why it needs to see motion (a frame stack, or the compact view's
 * trail channel) and not just one frame.
 *
 * @param game the game to read (not changed).
 * @returns the ball centre's predicted column at the paddle row, in [PLAY_LEFT + 1, PLAY_RIGHT − 1].
 * @example
 * const game = new BreakoutGame();
 * game.step(BREAKOUT_ACTIONS.fire, Rng.fromSeed(0));   // serve: the ball heads down
 * Object.assign(game, { ballX: 80, ballY: 125, directionX: 1, directionY: 1, slope: 0.75 });
 * predictLandingX(game);   //=> 126   (81 + 0.75 × (185 − 125))
 */
export function predictLandingX(game: BreakoutGame): number | undefined {
  if (!game.ballInPlay) return undefined;
  const landingTop = PADDLE_TOP - BALL_HEIGHT;
  // Vertical distance still to travel: straight down, or up to the back wall and all the way down.
  const vertical = game.directionY > 0 ? landingTop - game.ballY : game.ballY - PLAY_TOP + (landingTop - PLAY_TOP);
  const unfolded = game.ballX - PLAY_LEFT + game.directionX * game.slope * Math.max(0, vertical);
  // The ball's left edge moves in [PLAY_LEFT, PLAY_RIGHT − BALL_WIDTH] and bounces at both ends:
  // fold the straight path back into that range (a triangle wave of period twice its width).
  const span = PLAY_RIGHT - BALL_WIDTH - PLAY_LEFT;
  const folded = ((unfolded % (2 * span)) + 2 * span) % (2 * span);
  const left = PLAY_LEFT + (folded <= span ? folded : 2 * span - folded);
  return left + BALL_WIDTH / 2;
}
