import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ResetResult, StepResult } from "../src/core/env";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import { CoinJumpEnv } from "../src/envs/coin-jump/coin-jump";
import type { CoinJumpEvents } from "../src/envs/coin-jump/game";
import { COIN_JUMP_PIXEL_LEVELS } from "../src/envs/coin-jump/observation";
import { CoinJumpAction } from "../src/envs/coin-jump/rules";
import "../src/envs";

/** Runs `steps` steps of a seeded random policy (resetting at episode ends) and returns what each step gave. */
function randomRun(env: CoinJumpEnv, seed: number, steps: number) {
  const rng = Rng.fromSeed(seed);
  const results: (ResetResult<Float32Array | Uint8Array> | StepResult<Float32Array | Uint8Array>)[] = [env.reset({ seed })];
  for (let t = 0; t < steps; t++) {
    const result = env.step(rng.integer(4));
    results.push(result);
    if (result.terminated) results.push(env.reset());
  }
  return results;
}

describe("CoinJumpEnv", () => {
  it("has Discrete(4) actions, a 5 + numCoins float32 vector or a 64×64×1 uint8 image", () => {
    assert.equal(String(new CoinJumpEnv().actionSpace), "Discrete(4)");
    assert.equal(String(new CoinJumpEnv().observationSpace), "Box([0, 0, -1, -1, -1, -1, -1, -1], 1, [8], float32)");
    assert.deepEqual(new CoinJumpEnv({ numCoins: 1 }).observationSpace.shape, [6]);
    assert.equal(String(new CoinJumpEnv({ obsType: "pixels" }).observationSpace), "Box(0, 255, [64, 64, 1], uint8)");
    const vector = new CoinJumpEnv().reset({ seed: 0 }).obs;
    assert.ok(vector instanceof Float32Array && vector.length === 8);
    const pixels = new CoinJumpEnv({ obsType: "pixels" }).reset({ seed: 0 }).obs;
    assert.ok(pixels instanceof Uint8Array && pixels.length === 64 * 64);
  });

  it("observes the game as the vector table says, coins nearest first", () => {
    const env = new CoinJumpEnv();
    env.reset({ seed: 0 });
    const game = env.game;
    game.agentX = 20;
    game.turtleX = 50;
    game.turtleDirection = -1;
    game.coinX.set([0, 30, 14]);
    const { obs } = env.step(CoinJumpAction.jump);
    // After the step: agent centre 23, height 6, speed 5; turtle centre 53; coin centres 2, 32, 16.
    const expected = [23 / 64, 6 / 21, 5 / 6, (53 - 23) / 64, -1, (16 - 23) / 64, (32 - 23) / 64, (2 - 23) / 64];
    assert.deepEqual(Array.from(obs), expected.map(Math.fround));
  });

  it("draws the pixel observation one cell a pixel with the documented grey levels", () => {
    const env = new CoinJumpEnv({ obsType: "pixels", numCoins: 1 });
    env.reset({ seed: 0 });
    const game = env.game;
    game.agentX = 10;
    game.turtleX = 40;
    game.turtleDirection = 1;
    game.coinX[0] = 30;
    const image = env.step(CoinJumpAction.noop).obs as Uint8Array;
    const at = (x: number, row: number) => image[row * 64 + x];
    assert.equal(at(0, 0), COIN_JUMP_PIXEL_LEVELS.sky);
    assert.equal(at(0, 63), COIN_JUMP_PIXEL_LEVELS.ground);
    assert.equal(at(10, 55), COIN_JUMP_PIXEL_LEVELS.agent); // feet on the ground row above 56
    assert.equal(at(15, 48), COIN_JUMP_PIXEL_LEVELS.agent); // head: 8 rows tall
    assert.equal(at(15, 47), COIN_JUMP_PIXEL_LEVELS.sky);
    assert.equal(at(41, 50), COIN_JUMP_PIXEL_LEVELS.turtle); // the turtle walked to 41
    assert.equal(at(47, 52), COIN_JUMP_PIXEL_LEVELS.turtleHead); // head on the right: walking right
    assert.equal(at(30, 24), COIN_JUMP_PIXEL_LEVELS.coin); // coin rows 56 − 32 … 56 − 29
    assert.equal(at(33, 27), COIN_JUMP_PIXEL_LEVELS.coin);
    assert.equal(at(30, 28), COIN_JUMP_PIXEL_LEVELS.sky);
    const levels = new Set(image);
    assert.deepEqual([...levels].sort((a, b) => a - b), Object.values(COIN_JUMP_PIXEL_LEVELS).sort((a, b) => a - b));
  });

  it("keeps both kinds of observation inside their spaces through random play", () => {
    for (const obsType of ["vector", "pixels"] as const) {
      const env = new CoinJumpEnv({ obsType });
      for (const result of randomRun(env, 1, obsType === "vector" ? 5000 : 500)) {
        assert.ok(env.observationSpace.contains(result.obs), env.observationSpace.whyNotContained(result.obs));
      }
    }
  });

  it("repeats a whole run from the same seed and differs for another", () => {
    const summary = (seed: number) =>
      randomRun(new CoinJumpEnv(), seed, 800).map((r) => ("reward" in r ? [Array.from(r.obs), r.reward, r.terminated] : [Array.from(r.obs)]));
    assert.deepEqual(summary(3), summary(3));
    assert.notDeepEqual(summary(3), summary(4));
    const pixelSummary = (seed: number) => randomRun(new CoinJumpEnv({ obsType: "pixels" }), seed, 100).map((r) => Array.from(r.obs));
    assert.deepEqual(pixelSummary(5), pixelSummary(5));
  });

  it("reports each step's events and the score in info, and terminates exactly on a hit", () => {
    const env = new CoinJumpEnv();
    let coins = 0;
    let hits = 0;
    let jumps = 0;
    for (const result of randomRun(env, 2, 3000)) {
      if (!("reward" in result)) {
        assert.deepEqual(result.info, { events: { jumped: false, landed: false, coins: 0, hitTurtle: false }, score: 0 });
        coins = 0;
        continue;
      }
      const events = result.info["events"] as CoinJumpEvents;
      assert.deepEqual(Object.keys(events), ["jumped", "landed", "coins", "hitTurtle"]);
      assert.equal(result.reward, events.coins - (events.hitTurtle ? 1 : 0));
      assert.equal(result.terminated, events.hitTurtle);
      assert.equal(result.truncated, false);
      coins += events.coins;
      assert.equal(result.info["score"], coins);
      hits += events.hitTurtle ? 1 : 0;
      jumps += events.jumped ? 1 : 0;
    }
    assert.ok(hits > 10 && jumps > 100, `${hits} hits, ${jumps} jumps`);
  });

  it("is registered as CoinJump-v0 with a 500-step limit and passes the env checker without warnings", (context) => {
    const warn = context.mock.method(console, "warn", () => {});
    for (const obsType of ["vector", "pixels"] as const) {
      const env = make("CoinJump-v0", { obsType });
      assert.equal(String(env), "EnvChecker<TimeLimit<CoinJumpEnv<CoinJump-v0>>>");
      assert.equal(env.spec.maxEpisodeSteps, 500);
      env.actionSpace.seed(0);
      env.reset({ seed: 0 });
      for (let t = 0; t < 600; t++) {
        const result = env.step(env.actionSpace.sample());
        if (result.terminated || result.truncated) env.reset();
      }
      env.render();
    }
    assert.equal(warn.mock.callCount(), 0);
  });

  it("is truncated by the time limit when the agent survives: standing still, away from a turtle walled in", () => {
    const env = make("CoinJump-v0", { maxEpisodeSteps: 40 });
    env.reset({ seed: 0 });
    const game = env.unwrapped.game;
    game.agentX = 0;
    game.turtleX = 40;
    game.turtleDirection = 1;
    let result;
    let steps = 0;
    do {
      result = env.step(CoinJumpAction.noop);
      steps += 1;
    } while (!result.terminated && !result.truncated);
    assert.deepEqual([steps, result.truncated, result.terminated], [40, true, false]);
  });

  it("rejects unknown options, bad values, bad actions and steps before reset", () => {
    assert.throws(() => new CoinJumpEnv({ obsType: "rgb" as never }), /Expected obsType to be one of "vector", "pixels", got "rgb"/);
    assert.throws(() => new CoinJumpEnv({ numCoins: 4 }), /Expected numCoins to be an integer in 1\.\.3, got 4/);
    assert.throws(() => new CoinJumpEnv({ numCoin: 2 } as never), /did you mean "numCoins"/);
    const env = new CoinJumpEnv();
    assert.throws(() => env.step(0), /Expected reset\(\) before step\(\)/);
    assert.throws(() => env.render(), /Expected reset\(\) before render\(\)/);
    env.reset({ seed: 0 });
    assert.throws(() => env.step(4), /Expected an action in Discrete\(4\) — an integer 0 ≤ a < 4, got 4/);
  });
});
