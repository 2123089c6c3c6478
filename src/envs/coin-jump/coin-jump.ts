import { BaseEnv } from "../../core/base-env";
import type { Box } from "../../core/box";
import { describeValue } from "../../core/describe";
import { Discrete } from "../../core/discrete";
import type { ResetArgs, ResetResult, StepResult } from "../../core/env";
import { createFrame, type RgbFrame } from "../../core/frame";
import { assertKnownOptions, choiceOption, integerOption } from "../../core/options";
import { COIN_JUMP_MAX_COINS, CoinJumpGame, NO_COIN_JUMP_EVENTS } from "./game";
import { drawCoinJumpPixels, coinJumpPixelSpace, coinJumpVectorSpace, writeCoinJumpVector } from "./observation";
import { COIN_JUMP_FRAME_SIZE, drawCoinJump } from "./renderer";

/** What CoinJump's observation is: a few numbers, or a small grey image. */
export type CoinJumpObsType = "vector" | "pixels";

/** Options of {@link CoinJumpEnv} (also accepted by `make("CoinJump-v0", options)`). */
export interface CoinJumpOptions {
  /** `"vector"` (default): 5 + numCoins float32 numbers. `"pixels"`: a 64×64×1 uint8 grey image. */
  readonly obsType?: CoinJumpObsType;
  /** Coins hanging in the sky at any time, 1..3 (a collected coin reappears elsewhere at once). Default 3. */
  readonly numCoins?: number;
}

const OBS_TYPES: readonly CoinJumpObsType[] = ["vector", "pixels"];

/**
 * The source notes' first exercise (§1.2, 实操1): a jumper, a poisonous turtle walking left and right,
 * and coins hanging overhead. A jump pays or hurts several steps after it is chosen: a coin is
 * reached only at the top of the arc, 5 steps after the jump, and landing on the turtle happens on
 * the 13th step. It is the delayed reward of the notes' problem 1 in a game a person can read.
 *
 * The world is 64 cells wide and 64 high (ground 8 deep); the agent is 6×8 cells, the turtle 8×6,
 * a coin 4×4 with its bottom 28 cells up. See COIN_JUMP_RULES for every number.
 *
 * ## Observation, `obsType: "vector"` (default): Box(5 + numCoins), float32
 * | index       | observation                                                  | min | max |
 * |-------------|--------------------------------------------------------------|-----|-----|
 * | 0           | agent centre x / 64 (0 left wall, 1 right wall)              | 0   | 1   |
 * | 1           | agent height / 21 (the top of a jump is 1)                   | 0   | 1   |
 * | 2           | agent vertical speed / 6 (+1 at take-off, 0 on the ground)   | −1  | 1   |
 * | 3           | turtle centre x − agent centre x, / 64                       | −1  | 1   |
 * | 4           | turtle direction: −1 walking left, +1 walking right          | −1  | 1   |
 * | 5 … 4 + n   | coin centre x − agent centre x, / 64, nearest coin first     | −1  | 1   |
 *
 * ## Observation, `obsType: "pixels"`: Box(0, 255, [64, 64, 1], uint8)
 * One pixel a world cell, flat grey levels: sky 0, ground 64, turtle 144 with its head (96) on the
 * side it walks towards, agent 200, coins 255; no score. One frame does not show whether the agent
 * is rising or falling: stack frames, as for Atari.
 *
 * ## Actions: Discrete(4)
 * 0 noop, 1 left, 2 right (2 cells a step, on the ground and steering in the air; walls stop the
 * agent), 3 jump (from the ground only: take-off at 6 cells a step, gravity 1; in the air, jump
 * does nothing). See CoinJumpAction.
 *
 * ## Reward
 * +1 for each coin the agent's box touches (only at the top of a jump: heights 21, steps 6 and 7
 * of the arc); −1 when the turtle touches the agent on the ground, whether it walked into the
 * agent or the agent landed on it. 0 otherwise. `info.events` says which happened on the step.
 *
 * ## Start state
 * Drawn from the env's seeded RNG: the agent anywhere on the ground, the turtle at least 24 cells
 * away walking either way, the coins anywhere at least 10 cells apart (and not right above the
 * agent). A collected coin reappears at once at a new random place by the same rule.
 *
 * ## Episode end
 * - terminated: when the turtle hits the agent (reward −1 on that step).
 * - truncated: never by the env itself; `make` adds a TimeLimit of 500 steps.
 *
 * ## Info
 * `info.events` ({@link CoinJumpEvents}: `jumped`, `landed`, `coins`, `hitTurtle`) and `info.score`
 * (coins collected so far), so a notebook can measure the steps from a jump to its coin or its hit.
 * A reset's info has them too (no events, score 0), so a loop over a vector env's infos can read
 * `events` on every step, autoreset steps included.
 *
 * @example
 * const env = make("CoinJump-v0");
 * env.reset({ seed: 0 }).obs;          // Float32Array(8): agent, turtle, three coins
 * const step = env.step(CoinJumpAction.jump);
 * step.info.events;                    //=> { jumped: true, landed: false, coins: 0, hitTurtle: false }
 * env.unwrapped.game.agentHeight;      //=> 6
 * env.render();                        // a 256×256 RgbFrame
 */
export class CoinJumpEnv extends BaseEnv<Float32Array | Uint8Array, number> {
  /** The option names CoinJumpEnv accepts (make rejects any other). */
  static readonly optionNames: readonly string[] = Object.freeze(["obsType", "numCoins"]);

  readonly actionSpace = new Discrete(4);
  readonly observationSpace: Box<"float32"> | Box<"uint8">;
  override readonly metadata = Object.freeze({ renderFps: 15 });
  /** A vector of positions or a grey image. */
  readonly obsType: CoinJumpObsType;
  /** Coins in the sky at any time. */
  readonly numCoins: number;
  /** The game state (positions, score): read it to inspect or draw; `reset` and `step` change it. */
  readonly game: CoinJumpGame;
  private hasReset = false;

  constructor(options: CoinJumpOptions = {}) {
    super();
    assertKnownOptions(options, CoinJumpEnv.optionNames, "CoinJumpEnv");
    const { obsType = "vector", numCoins = 3 } = options;
    this.obsType = choiceOption(obsType, "obsType", OBS_TYPES);
    this.numCoins = integerOption(numCoins, "numCoins", 1, COIN_JUMP_MAX_COINS);
    this.game = new CoinJumpGame(this.numCoins);
    this.observationSpace = this.obsType === "vector" ? coinJumpVectorSpace(this.numCoins) : coinJumpPixelSpace();
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array | Uint8Array> {
    this.seedRng(args.seed);
    this.game.reset(this.rng);
    this.hasReset = true;
    return { obs: this.observation(), info: { events: NO_COIN_JUMP_EVENTS, score: 0 } };
  }

  step(action: number): StepResult<Float32Array | Uint8Array> {
    if (!this.actionSpace.contains(action)) {
      throw new RangeError(`Expected an action in Discrete(4) — an integer 0 ≤ a < 4, got ${describeValue(action)}`);
    }
    if (!this.hasReset) throw new Error("Expected reset() before step(), got step() on a CoinJumpEnv that was never reset");
    const { reward, events } = this.game.step(action, this.rng);
    return { obs: this.observation(), reward, terminated: events.hitTurtle, truncated: false, info: { events, score: this.game.score } };
  }

  /** Draws the current state as a 256×256 cartoon (see {@link drawCoinJump}). */
  override render(): RgbFrame {
    return this.renderInto(createFrame(COIN_JUMP_FRAME_SIZE.width, COIN_JUMP_FRAME_SIZE.height));
  }

  /**
   * Draws the current state into an existing 256×256 frame, for callers that reuse one buffer.
   *
   * @returns the same frame.
   */
  renderInto(frame: RgbFrame): RgbFrame {
    if (!this.hasReset) throw new Error("Expected reset() before render(), got render() on a CoinJumpEnv that was never reset");
    drawCoinJump(frame, this.game);
    return frame;
  }

  /** A fresh observation array (the caller may keep it: replay buffers store them). */
  private observation(): Float32Array | Uint8Array {
    if (this.obsType === "vector") {
      const obs = new Float32Array(this.observationSpace.size);
      writeCoinJumpVector(this.game, obs);
      return obs;
    }
    const image = new Uint8Array(this.observationSpace.size);
    drawCoinJumpPixels(this.game, image);
    return image;
  }
}
