import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/core/rng";
import { CoinJumpGame, type CoinJumpOutcome } from "../src/envs/coin-jump/game";
import { COIN_JUMP_RULES as RULES, CoinJumpAction, COIN_JUMP_APEX } from "../src/envs/coin-jump/rules";

const { noop, left, right, jump } = CoinJumpAction;

/** A game in a scripted position: the agent at `agentX`, the turtle far away unless placed, coins where given. */
function scriptedGame(setup: { agentX: number; turtleX?: number; turtleDirection?: number; coinX?: number[] }): { game: CoinJumpGame; rng: Rng } {
  const coins = setup.coinX ?? [60];
  const game = new CoinJumpGame(coins.length);
  const rng = Rng.fromSeed(0);
  game.reset(rng);
  game.agentX = setup.agentX;
  game.turtleX = setup.turtleX ?? (setup.agentX < 28 ? 56 : 0);
  game.turtleDirection = setup.turtleDirection ?? 1;
  game.coinX.set(coins);
  return { game, rng };
}

function play(game: CoinJumpGame, rng: Rng, actions: readonly number[]): CoinJumpOutcome[] {
  return actions.map((action) => game.step(action, rng));
}

describe("CoinJumpGame", () => {
  it("flies a jump as the documented arc: up 6, gravity 1, apex 21, landing on the 13th step", () => {
    const { game, rng } = scriptedGame({ agentX: 20, turtleX: 56, turtleDirection: 1 });
    const heights: number[] = [];
    const outcomes = [game.step(jump, rng)];
    heights.push(game.agentHeight);
    for (let t = 1; t < 13; t++) {
      outcomes.push(game.step(noop, rng));
      heights.push(game.agentHeight);
    }
    assert.deepEqual(heights, [6, 11, 15, 18, 20, 21, 21, 20, 18, 15, 11, 6, 0]);
    assert.equal(Math.max(...heights), COIN_JUMP_APEX);
    assert.deepEqual(outcomes.map((o) => o.events.jumped), [true, ...Array(12).fill(false)]);
    assert.deepEqual(outcomes.map((o) => o.events.landed), [...Array(12).fill(false), true]);
    assert.equal(game.agentX, 20, "a jump alone does not move sideways");
    assert.equal(game.agentVelocity, 0);
  });

  it("ignores jump in the air and lets left and right steer there", () => {
    const { game, rng } = scriptedGame({ agentX: 20 });
    play(game, rng, [jump, jump, right, right, left]);
    assert.deepEqual([game.agentHeight, game.agentX], [20, 22]);
    play(game, rng, Array(8).fill(noop));
    assert.equal(game.agentHeight, 0);
  });

  it("stops the agent at the walls and turns the turtle round there", () => {
    const { game, rng } = scriptedGame({ agentX: 2, turtleX: 54, turtleDirection: 1 });
    const turtle: number[] = [];
    for (const action of [left, left, left, right]) {
      game.step(action, rng);
      turtle.push(game.turtleX);
    }
    assert.equal(game.agentX, 2, "0 after two steps left, then 2 after one right");
    assert.deepEqual(turtle, [55, 56, 56, 55]);
    assert.equal(game.turtleDirection, -1);
    const { game: other, rng: otherRng } = scriptedGame({ agentX: 56, turtleX: 1, turtleDirection: -1 });
    play(other, otherRng, [right, right]);
    assert.equal(other.agentX, RULES.worldWidth - RULES.agentWidth);
    assert.deepEqual([other.turtleX, other.turtleDirection], [0, 1]);
  });

  it("pays a coin only at the top of the arc, 5 steps after the jump, and puts it somewhere else", () => {
    const { game, rng } = scriptedGame({ agentX: 30, coinX: [31, 5, 50] });
    // Walking under the coin pays nothing.
    assert.deepEqual(play(game, rng, [noop, noop]).map((o) => o.reward), [0, 0]);
    const outcomes = play(game, rng, [jump, ...Array(12).fill(noop)]);
    assert.deepEqual(outcomes.map((o) => o.reward), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(outcomes[5]!.events.coins, 1);
    assert.equal(game.score, 1);
    const moved = game.coinX[0]!;
    assert.notEqual(moved, 31);
    assert.ok(moved + RULES.coinSize <= 30 || moved >= 30 + RULES.agentWidth, `the new coin at ${moved} is not above the agent`);
    assert.ok(Math.abs(moved - 5) >= RULES.coinSpacing && Math.abs(moved - 50) >= RULES.coinSpacing, `spaced from the others: ${moved}`);
  });

  it("lets a jump reach a coin beside it by steering at the top", () => {
    const { game, rng } = scriptedGame({ agentX: 20, coinX: [28] });
    const outcomes = play(game, rng, [jump, noop, noop, noop, right, right]);
    assert.deepEqual(outcomes.map((o) => o.events.coins), [0, 0, 0, 0, 0, 1]);
  });

  it("ends the game when the turtle walks into an agent on the ground: −1 on the first touching step", () => {
    const { game, rng } = scriptedGame({ agentX: 20, turtleX: 30, turtleDirection: -1 });
    // Turtle [30, 38) walks left into the agent [20, 26): it touches when its left edge is at 25.
    const outcomes: CoinJumpOutcome[] = [];
    while (!game.hit) outcomes.push(game.step(noop, rng));
    assert.equal(outcomes.length, 5);
    assert.equal(game.turtleX, 25);
    assert.deepEqual(outcomes.map((o) => o.reward), [0, 0, 0, 0, -1]);
    assert.deepEqual(outcomes[4]!.events, { jumped: false, landed: false, coins: 0, hitTurtle: true });
    assert.throws(() => game.step(noop, rng), /Expected reset\(\) after the turtle hit the agent/);
  });

  it("punishes landing on the turtle 12 steps after the jump, but not a jump that steers over it", () => {
    // Jumping straight up with the turtle 13 cells away walking in: it is right below at landing.
    const landing = scriptedGame({ agentX: 20, turtleX: 33, turtleDirection: -1 });
    const outcomes = play(landing.game, landing.rng, [jump, ...Array(12).fill(noop)]);
    assert.deepEqual(outcomes.map((o) => o.reward), [...Array(12).fill(0), -1]);
    assert.deepEqual(outcomes[12]!.events, { jumped: false, landed: true, coins: 0, hitTurtle: true });
    // The same turtle, jumped over by steering towards it: lands on the far side, safe.
    const over = scriptedGame({ agentX: 20, turtleX: 33, turtleDirection: -1 });
    const cleared = play(over.game, over.rng, [jump, ...Array(12).fill(right)]);
    assert.equal(cleared[12]!.events.landed, true);
    assert.ok(cleared.every((o) => o.reward === 0 && !o.events.hitTurtle));
    assert.ok(over.game.agentX > over.game.turtleX + RULES.turtleWidth, "the agent is past the turtle");
  });

  it("never lets the turtle touch an agent in the air", () => {
    const { game, rng } = scriptedGame({ agentX: 30, turtleX: 40, turtleDirection: -1 });
    game.step(jump, rng);
    for (let t = 0; t < 11; t++) {
      const outcome = game.step(noop, rng);
      assert.equal(outcome.events.hitTurtle, false, `airborne step ${t + 2}, height ${game.agentHeight}, turtle at ${game.turtleX}`);
    }
  });

  it("starts from the seed: turtle at least 24 cells away, coins spaced and not above the agent", () => {
    const starts = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const game = new CoinJumpGame(3);
      game.reset(Rng.fromSeed(seed));
      const again = new CoinJumpGame(3);
      again.reset(Rng.fromSeed(seed));
      assert.deepEqual([again.agentX, again.turtleX, again.turtleDirection, ...again.coinX], [game.agentX, game.turtleX, game.turtleDirection, ...game.coinX]);
      starts.add(String([game.agentX, game.turtleX, game.turtleDirection, ...game.coinX]));
      const agentCentre = game.agentX + RULES.agentWidth / 2;
      assert.ok(Math.abs(game.turtleX + RULES.turtleWidth / 2 - agentCentre) >= RULES.turtleStartDistance);
      assert.ok(game.agentHeight === 0 && game.score === 0 && !game.hit);
      assertCoinsValid(game);
      for (const x of game.coinX) assert.ok(x + RULES.coinSize <= game.agentX || x >= game.agentX + RULES.agentWidth, `coin at ${x} above the agent at ${game.agentX}`);
    }
    assert.ok(starts.size > 190, `${starts.size} distinct starts of 200`);
    const directions = new Set(Array.from({ length: 20 }, (_, seed) => {
      const game = new CoinJumpGame(1);
      game.reset(Rng.fromSeed(seed));
      return game.turtleDirection;
    }));
    assert.deepEqual([...directions].sort(), [-1, 1]);
  });

  it("keeps every coin in the world and spaced through long random play, one coin a step at most", () => {
    const rng = Rng.fromSeed(4);
    let collected = 0;
    for (const numCoins of [1, 2, 3]) {
      const game = new CoinJumpGame(numCoins);
      game.reset(rng);
      for (let t = 0; t < 20_000; t++) {
        // Mostly jumps and steering: many coins, and many hits.
        const outcome = game.step([jump, left, right, jump, noop][rng.integer(5)]!, rng);
        assert.ok(outcome.events.coins <= 1);
        collected += outcome.events.coins;
        if (outcome.events.coins > 0) assertCoinsValid(game);
        if (game.hit) game.reset(rng);
      }
    }
    assert.ok(collected > 100, `${collected} coins collected`);
  });

  it("rejects a number of coins outside 1..3", () => {
    assert.throws(() => new CoinJumpGame(4), /Expected numCoins to be an integer in 1\.\.3, got 4/);
    assert.throws(() => new CoinJumpGame(0), /got 0/);
  });
});

function assertCoinsValid(game: CoinJumpGame): void {
  const coins = Array.from(game.coinX);
  for (const [i, x] of coins.entries()) {
    assert.ok(x >= 0 && x <= RULES.worldWidth - RULES.coinSize, `coin ${i} at ${x}`);
    for (const [j, other] of coins.entries()) {
      if (j !== i) assert.ok(Math.abs(x - other) >= RULES.coinSpacing, `coins ${i} and ${j} at ${x} and ${other}`);
    }
  }
}
