import type { Rng } from "../../core/rng";
import { COIN_JUMP_RULES, CoinJumpAction } from "./rules";

const {
  worldWidth: WORLD_WIDTH,
  agentWidth: AGENT_WIDTH,
  agentSpeed: AGENT_SPEED,
  turtleWidth: TURTLE_WIDTH,
  turtleSpeed: TURTLE_SPEED,
  jumpVelocity: JUMP_VELOCITY,
  gravity: GRAVITY,
  agentHeight: AGENT_HEIGHT,
  turtleHeight: TURTLE_HEIGHT,
  coinSize: COIN_SIZE,
  coinBottom: COIN_BOTTOM,
  coinSpacing: COIN_SPACING,
  turtleStartDistance: TURTLE_START_DISTANCE,
} = COIN_JUMP_RULES;

/** The most coins the world holds: with 3, a free place for a new coin always exists (see `placeCoin`). */
export const COIN_JUMP_MAX_COINS = 3;
/** Marks a coin not yet placed during reset: far from every place, so spacing never rejects on it. */
const UNPLACED = -1000;

/** What happened in one step of CoinJump (`info.events`), for measuring delays between a jump and its outcome. */
export interface CoinJumpEvents {
  /** A jump started on this step (the agent was on the ground and chose jump). */
  readonly jumped: boolean;
  /** The agent came back to the ground on this step (13 steps after `jumped`). */
  readonly landed: boolean;
  /** Coins collected on this step: 0 or 1 (coins are spaced so that one step never reaches two). */
  readonly coins: number;
  /** The agent touched the turtle on the ground or landed on it; the episode terminates. */
  readonly hitTurtle: boolean;
}

/** The events of a step in which nothing happened (and of a reset). */
export const NO_COIN_JUMP_EVENTS: CoinJumpEvents = Object.freeze({ jumped: false, landed: false, coins: 0, hitTurtle: false });

/** The reward of a step and what happened in it. */
export interface CoinJumpOutcome {
  /** +1 per coin, −1 for touching the turtle. */
  readonly reward: number;
  readonly events: CoinJumpEvents;
}

/**
 * CoinJump's game state and rules, apart from observation and drawing: an agent that walks and
 * jumps, a turtle that walks wall to wall, coins hanging at the top of a jump's reach. Positions
 * are integer cells (see COIN_JUMP_RULES), so every outcome is exact and a test can script it.
 *
 * One step, in order: the agent acts (walks, or takes off) and falls or rises by its velocity; the
 * turtle walks; coins the agent's box overlaps are collected and re-placed; then, if the agent is on
 * the ground and overlaps the turtle, it is hit.
 *
 * @example
 * const game = new CoinJumpGame(3);
 * const rng = Rng.fromSeed(0);
 * game.reset(rng);
 * game.step(CoinJumpAction.jump, rng).events;  //=> { jumped: true, landed: false, coins: 0, hitTurtle: false }
 * game.agentHeight;                            //=> 6
 */
export class CoinJumpGame {
  /** Left edge of the agent, 0 … worldWidth − agentWidth. */
  agentX = 0;
  /** Height of the agent's feet above the ground (0 = standing). */
  agentHeight = 0;
  /** Vertical speed for the next step (cells per step, up is positive; 0 on the ground). */
  agentVelocity = 0;
  /** +1 facing right, −1 facing left (the last walking direction); only drawing uses it. */
  facing = 1;
  /** Left edge of the turtle. */
  turtleX = 0;
  /** +1 walking right, −1 walking left. */
  turtleDirection = 1;
  /** Left edge of each coin. */
  readonly coinX: Int32Array;
  /** Coins collected since reset. */
  score = 0;
  /** Steps since reset. */
  steps = 0;
  /** The turtle has hit the agent (the episode is over). */
  hit = false;
  private readonly candidates = new Int32Array(WORLD_WIDTH);

  /** @param numCoins coins in the world at any time, 1..COIN_JUMP_MAX_COINS. */
  constructor(readonly numCoins: number) {
    if (!Number.isSafeInteger(numCoins) || numCoins < 1 || numCoins > COIN_JUMP_MAX_COINS) {
      throw new RangeError(`Expected numCoins to be an integer in 1..${COIN_JUMP_MAX_COINS}, got ${numCoins}`);
    }
    this.coinX = new Int32Array(numCoins);
  }

  /** The agent is in the air. */
  get airborne(): boolean {
    return this.agentHeight > 0;
  }

  /**
   * Starts a new game: the agent anywhere, the turtle at least `turtleStartDistance` away walking
   * either way, the coins anywhere the spacing allows. Every choice is drawn from `rng`.
   */
  reset(rng: Rng): void {
    this.agentX = rng.integer(WORLD_WIDTH - AGENT_WIDTH + 1);
    this.agentHeight = 0;
    this.agentVelocity = 0;
    this.facing = 1;
    const agentCentre = this.agentX + AGENT_WIDTH / 2;
    let count = 0;
    for (let x = 0; x <= WORLD_WIDTH - TURTLE_WIDTH; x++) {
      if (Math.abs(x + TURTLE_WIDTH / 2 - agentCentre) >= TURTLE_START_DISTANCE) this.candidates[count++] = x;
    }
    this.turtleX = this.candidates[rng.integer(count)]!;
    this.turtleDirection = rng.integer(2) === 0 ? -1 : 1;
    this.coinX.fill(UNPLACED);
    for (let i = 0; i < this.numCoins; i++) this.placeCoin(i, rng);
    this.score = 0;
    this.steps = 0;
    this.hit = false;
  }

  /**
   * Plays one step.
   *
   * @param action 0 noop, 1 left, 2 right, 3 jump (see CoinJumpAction).
   * @param rng draws the places of new coins.
   * @returns the reward and the step's events.
   */
  step(action: number, rng: Rng): CoinJumpOutcome {
    if (this.hit) throw new Error("Expected reset() after the turtle hit the agent, got step() on a finished game");
    this.steps += 1;
    const wasAirborne = this.airborne;
    // The agent: walking (steering too, in the air), or taking off.
    let jumped = false;
    if (action === CoinJumpAction.left || action === CoinJumpAction.right) {
      const direction = action === CoinJumpAction.left ? -1 : 1;
      this.facing = direction;
      this.agentX = Math.min(WORLD_WIDTH - AGENT_WIDTH, Math.max(0, this.agentX + direction * AGENT_SPEED));
    } else if (action === CoinJumpAction.jump && !wasAirborne) {
      this.agentVelocity = JUMP_VELOCITY;
      jumped = true;
    }
    // Explicit Euler with the old velocity, as in CartPole: height first, then gravity.
    let landed = false;
    if (this.agentVelocity !== 0 || this.agentHeight > 0) {
      this.agentHeight += this.agentVelocity;
      this.agentVelocity -= GRAVITY;
      if (this.agentHeight <= 0) {
        this.agentHeight = 0;
        this.agentVelocity = 0;
        landed = true;
      }
    }
    // The turtle walks, turning round at a wall.
    const next = this.turtleX + this.turtleDirection * TURTLE_SPEED;
    if (next < 0 || next > WORLD_WIDTH - TURTLE_WIDTH) this.turtleDirection = -this.turtleDirection;
    this.turtleX = Math.min(WORLD_WIDTH - TURTLE_WIDTH, Math.max(0, next));

    let coins = 0;
    const agentTop = this.agentHeight + AGENT_HEIGHT;
    if (agentTop > COIN_BOTTOM && this.agentHeight < COIN_BOTTOM + COIN_SIZE) {
      for (let i = 0; i < this.numCoins; i++) {
        if (overlaps(this.agentX, AGENT_WIDTH, this.coinX[i]!, COIN_SIZE)) {
          coins += 1;
          this.placeCoin(i, rng);
        }
      }
    }
    this.score += coins;
    // The turtle is 6 high and the lowest airborne height is 6: only an agent on the ground touches it.
    const hitTurtle = this.agentHeight < TURTLE_HEIGHT && overlaps(this.agentX, AGENT_WIDTH, this.turtleX, TURTLE_WIDTH);
    this.hit = hitTurtle;
    return { reward: coins - (hitTurtle ? 1 : 0), events: { jumped, landed, coins, hitTurtle } };
  }

  /**
   * Puts coin `index` at a random free place: at least `coinSpacing` from every other coin and
   * not above the agent (so it is not collected again at once). Free places always exist: two
   * other coins rule out at most 2·19 of the 61 places and the agent 9.
   */
  private placeCoin(index: number, rng: Rng): void {
    let count = 0;
    for (let x = 0; x <= WORLD_WIDTH - COIN_SIZE; x++) {
      if (overlaps(x, COIN_SIZE, this.agentX, AGENT_WIDTH)) continue;
      let free = true;
      for (let j = 0; j < this.numCoins && free; j++) {
        if (j !== index && Math.abs(x - this.coinX[j]!) < COIN_SPACING) free = false;
      }
      if (free) this.candidates[count++] = x;
    }
    this.coinX[index] = this.candidates[rng.integer(count)]!;
  }
}

/** Whether [a, a + aWidth) and [b, b + bWidth) overlap. */
function overlaps(a: number, aWidth: number, b: number, bWidth: number): boolean {
  return a < b + bWidth && b < a + aWidth;
}
