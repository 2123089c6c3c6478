import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import { BreakoutEnv, type BreakoutInfo, type BreakoutObsType } from "../src/envs/breakout/breakout-env";
import { compactColumn, compactRow, CompactView } from "../src/envs/breakout/compact";
import { DIGIT_GLYPHS, forEachLitCell } from "../src/envs/breakout/digits";
import { BreakoutGame } from "../src/envs/breakout/game";
import { BREAKOUT_ACTIONS } from "../src/envs/breakout/rules";
import { BreakoutRenderer } from "../src/envs/breakout/renderer";
import { BRICK_COLUMNS, BRICK_HEIGHT, BRICK_ROWS, BRICK_WIDTH, brickLeft, brickTop } from "../src/envs/breakout/layout";
import { opencvGray, paletteBytes } from "../src/envs/breakout/palette";
import "../src/envs";
import { countColour } from "./support/breakout";

const BALL_RED = [200, 72, 72];

/** Random actions from a seeded stream, FIRE among them so balls get served. */
function randomActions(seed: number): () => number {
  const rng = Rng.fromSeed(seed);
  return () => rng.integer(4);
}

/** A digest of a whole run: every observation and reward, in order. */
function runDigest(obsType: BreakoutObsType, seed: number, steps: number): { digest: string; rewards: number[] } {
  const env = new BreakoutEnv({ obsType });
  const hash = createHash("sha256");
  const rewards: number[] = [];
  hash.update(env.reset({ seed }).obs);
  const nextAction = randomActions(99);
  for (let step = 0; step < steps; step++) {
    const result = env.step(nextAction());
    hash.update(result.obs);
    rewards.push(result.reward);
    if (result.terminated) hash.update(env.reset().obs);
  }
  return { digest: hash.digest("hex"), rewards };
}

/** Mean game score of `games` games of uniformly random actions, each held for `repeat` frames. */
function randomPolicyScore(games: number, repeat: number, seed: number): number {
  const env = new BreakoutEnv({ obsType: "compact" });
  const nextAction = randomActions(seed);
  let total = 0;
  env.reset({ seed });
  for (let game = 0; game < games; game++) {
    for (let terminated = false; !terminated; ) {
      const action = nextAction();
      for (let frame = 0; frame < repeat && !terminated; frame++) {
        const result = env.step(action);
        total += result.reward;
        terminated = result.terminated;
      }
    }
    env.reset();
  }
  return total / games;
}

describe("BreakoutEnv", () => {
  it("has ALE's actions, uint8 observation spaces by obsType, 60 fps and 5 lives", () => {
    const shapes = { rgb: [210, 160, 3], grayscale: [210, 160], compact: [10, 10, 4] };
    for (const [obsType, shape] of Object.entries(shapes) as [BreakoutObsType, number[]][]) {
      const env = new BreakoutEnv({ obsType });
      assert.equal(String(env.actionSpace), "Discrete(4)");
      assert.deepEqual(env.observationSpace.shape, shape);
      assert.equal(env.observationSpace.dtype, "uint8");
      assert.equal(env.observationSpace.high[0], obsType === "compact" ? 1 : 255);
      const { obs, info } = env.reset({ seed: 0 });
      assert.ok(obs instanceof Uint8Array);
      assert.equal(obs.length, shape.reduce((a, b) => a * b, 1));
      assert.ok(env.observationSpace.contains(obs));
      for (let step = 0; step < 50; step++) assert.ok(env.observationSpace.contains(env.step(step % 4).obs), obsType);
      assert.equal((info as BreakoutInfo).lives, 5);
    }
    const env = new BreakoutEnv();
    assert.equal(env.obsType, "rgb");
    assert.equal(env.flicker, false);
    assert.deepEqual(env.getActionMeanings(), ["NOOP", "FIRE", "RIGHT", "LEFT"]);
    assert.equal(env.metadata.renderFps, 60);
    env.reset({ seed: 0 });
    assert.equal(env.lives, 5);
  });

  it("is registered as Breakout-v0 with ALE's 108,000-frame limit and passes the env checker", () => {
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      for (const obsType of ["rgb", "grayscale", "compact"] as const) {
        const env = make("Breakout-v0", { obsType });
        assert.equal(String(env), "EnvChecker<TimeLimit<BreakoutEnv<Breakout-v0>>>");
        assert.equal(env.spec.maxEpisodeSteps, 108_000);
        assert.equal(env.unwrapped.getActionMeanings()[1], "FIRE");
        env.reset({ seed: 1 });
        const nextAction = randomActions(1);
        for (let step = 0; step < 300; step++) {
          if (env.step(nextAction()).terminated) env.reset();
        }
        assert.throws(() => env.step(4), /Expected an action in Discrete\(4\)/);
      }
    } finally {
      console.warn = originalWarn;
    }
    assert.deepEqual(warnings, [], "no observation outside its space");
    assert.throws(() => make("Breakout-v0", { obsType: "ram" as BreakoutObsType }), /Expected obsType among "rgb", "grayscale", "compact", got "ram"/);
    assert.throws(() => new BreakoutEnv({ flicker: 1 as unknown as boolean }), /Expected flicker to be a boolean, got 1/);
  });

  it("reports lives and the frame's events in info on every reset and step", () => {
    const env = new BreakoutEnv({ obsType: "compact" });
    const reset = env.reset({ seed: 4 }).info as BreakoutInfo;
    assert.deepEqual(reset, { lives: 5, episodeFrameNumber: 0, events: { paddleHit: false, bricksHit: 0, wallHit: false, lifeLost: false } });
    const counts = { paddleHit: 0, bricksHit: 0, wallHit: 0, lifeLost: 0 };
    let reward = 0;
    let lives = 5;
    for (let frame = 1; ; frame++) {
      const result = env.step(1);
      const info = result.info as BreakoutInfo;
      assert.equal(info.episodeFrameNumber, frame);
      counts.paddleHit += Number(info.events.paddleHit);
      counts.bricksHit += info.events.bricksHit;
      counts.wallHit += Number(info.events.wallHit);
      counts.lifeLost += Number(info.events.lifeLost);
      lives -= Number(info.events.lifeLost);
      assert.equal(info.lives, lives);
      assert.equal(env.lives, lives);
      assert.equal(result.reward > 0, info.events.bricksHit > 0, "reward exactly on brick frames");
      reward += result.reward;
      if (result.terminated) break;
    }
    assert.equal(counts.lifeLost, 5);
    assert.equal(reward, env.game.score);
    assert.ok(counts.wallHit > 0, "a served ball that is never hit still reaches a side wall sometimes");
  });

  it("returns a fresh observation every step that later steps never change", () => {
    for (const obsType of ["rgb", "grayscale", "compact"] as const) {
      const env = new BreakoutEnv({ obsType });
      const first = env.reset({ seed: 0 }).obs;
      const kept = first.slice();
      const second = env.step(1).obs;
      for (let step = 0; step < 100; step++) env.step(step % 4);
      assert.notEqual(first.buffer, second.buffer);
      assert.equal(first.byteOffset, 0);
      assert.equal(first.buffer.byteLength, first.length, `${obsType}: the observation owns its whole buffer`);
      assert.deepEqual(first, kept, obsType);
    }
  });

  it("repeats a 2,000-step random run exactly from the same seed, and not from another seed", () => {
    for (const obsType of ["rgb", "grayscale", "compact"] as const) {
      const a = runDigest(obsType, 7, 2000);
      const b = runDigest(obsType, 7, 2000);
      const other = runDigest(obsType, 8, 2000);
      assert.equal(a.digest, b.digest, obsType);
      assert.deepEqual(a.rewards, b.rewards);
      assert.notEqual(a.digest, other.digest, `${obsType}: seeds 7 and 8 serve differently`);
    }
  });

  it("draws the ball on even frames only with flicker, so two consecutive frames always show it", () => {
    const steady = new BreakoutEnv();
    const flickering = new BreakoutEnv({ flicker: true });
    steady.reset({ seed: 5 });
    flickering.reset({ seed: 5 });
    let previous: Uint8Array | undefined;
    let checked = 0;
    for (let frame = 1; frame <= 40; frame++) {
      const action = frame === 1 ? 1 : 0;
      const steadyObs = steady.step(action).obs;
      const flickerObs = flickering.step(action).obs;
      if (!steady.game.ballInPlay || steady.game.ballY < 93 || steady.game.ballY > 180) continue;
      // Between the bricks and the paddle, the only red pixels are the ball's 2×4.
      assert.equal(countColour(steadyObs, BALL_RED, 93, 189), 8, `frame ${frame}`);
      assert.equal(countColour(flickerObs, BALL_RED, 93, 189), frame % 2 === 0 ? 8 : 0, `frame ${frame}`);
      if (previous !== undefined) {
        const maxed = flickerObs.map((value, i) => Math.max(value, previous![i]!));
        assert.ok(countColour(maxed, BALL_RED, 93, 189) >= 8, "the max of two frames shows the ball");
      }
      previous = flickerObs;
      checked++;
    }
    assert.ok(checked >= 20, `checked ${checked} frames with the ball in flight`);
  });

  it("renders the RGB frame whatever the obsType, consistent with the grayscale observation", () => {
    const gray = new BreakoutEnv({ obsType: "grayscale" });
    const rgb = new BreakoutEnv({ obsType: "rgb" });
    assert.throws(() => gray.render(), /Expected reset\(\) before render\(\)/);
    gray.reset({ seed: 2 });
    rgb.reset({ seed: 2 });
    const nextAction = randomActions(3);
    for (let step = 0; step < 400; step++) {
      const action = nextAction();
      const grayObs = gray.step(action).obs;
      const rgbObs = rgb.step(action).obs;
      if (step % 50 !== 0) continue;
      const frame = gray.render();
      assert.equal(frame.width, 160);
      assert.equal(frame.height, 210);
      assert.deepEqual(frame.data, rgbObs);
      assert.deepEqual(rgb.render().data, rgbObs);
      for (let pixel = 0; pixel < grayObs.length; pixel++) {
        const expected = opencvGray(frame.data[pixel * 3]!, frame.data[pixel * 3 + 1]!, frame.data[pixel * 3 + 2]!);
        if (grayObs[pixel] !== expected) assert.fail(`pixel ${pixel}: grey ${grayObs[pixel]}, expected ${expected}`);
      }
    }
    const compact = new BreakoutEnv({ obsType: "compact" });
    compact.reset({ seed: 2 });
    assert.equal(compact.render().data.length, 210 * 160 * 3);
  });

  it("keeps the compact view consistent with the game: paddle, ball, trail and bricks", () => {
    const env = new BreakoutEnv({ obsType: "compact" });
    const at = (obs: Uint8Array, row: number, column: number, channel: number) => obs[(row * 10 + column) * 4 + channel]!;
    env.reset({ seed: 12 });
    const nextAction = randomActions(12);
    let previousBallCell: number | undefined;
    let trailChecks = 0;
    for (let step = 0; step < 3000; step++) {
      const { obs, terminated } = env.step(nextAction());
      const game = env.game;
      // Paddle: the cells its pixels overlap, in row 9.
      for (let column = 0; column < 10; column++) {
        const covered = column >= compactColumn(game.paddleX) && column <= compactColumn(Math.min(152, game.paddleX + game.paddleWidth) - 1);
        assert.equal(at(obs, 9, column, 0), Number(covered));
      }
      // Bricks: a cell is 1 exactly when a standing brick overlaps it.
      const expectedBricks = new Uint8Array(100);
      for (let row = 0; row < BRICK_ROWS; row++) {
        for (let column = 0; column < BRICK_COLUMNS; column++) {
          if (!game.hasBrick(row, column)) continue;
          for (const y of [brickTop(row), brickTop(row) + BRICK_HEIGHT - 1]) {
            for (const x of [brickLeft(column), brickLeft(column) + BRICK_WIDTH - 1]) expectedBricks[compactRow(y) * 10 + compactColumn(x)] = 1;
          }
        }
      }
      for (let cell = 0; cell < 100; cell++) assert.equal(obs[cell * 4 + 3], expectedBricks[cell]);
      // Ball and trail: one cell each while a ball is in play; the trail is the ball's previous cell.
      const ballCells = [...Array(100).keys()].filter((cell) => obs[cell * 4 + 1] === 1);
      const trailCells = [...Array(100).keys()].filter((cell) => obs[cell * 4 + 2] === 1);
      if (!game.ballInPlay) {
        assert.deepEqual([ballCells, trailCells], [[], []]);
        previousBallCell = undefined;
      } else {
        const ballCell = compactRow(Math.floor(game.ballY) + 2) * 10 + compactColumn(Math.floor(game.ballX) + 1);
        assert.deepEqual(ballCells, [ballCell]);
        assert.equal(trailCells.length, 1);
        if (previousBallCell !== undefined && previousBallCell !== ballCell) {
          assert.equal(trailCells[0], previousBallCell, "the trail is the cell the ball just left");
          trailChecks++;
        }
        previousBallCell = ballCell;
      }
      if (terminated) {
        env.reset();
        previousBallCell = undefined;
      }
    }
    assert.ok(trailChecks > 20, `the ball changed cells ${trailChecks} times`);
  });

  it("scores about as much as ALE's random agent (≈ 1.7) under a random policy", () => {
    // Actions held for 4 frames, as a random agent acts through the usual frameskip of 4.
    const score = randomPolicyScore(20, 4, 0);
    assert.ok(score > 0.5 && score < 5, `mean score of 20 random games ${score}`);
  });

  it("gives the results its doc comments show", () => {
    const env = new BreakoutEnv({ obsType: "grayscale" });
    assert.equal((env.reset({ seed: 0 }).info as BreakoutInfo).lives, 5);
    assert.equal(env.step(1).obs.length, 33600);
    assert.equal(env.game.ballInPlay, true);

    const game = new BreakoutGame();
    game.step(BREAKOUT_ACTIONS.fire, Rng.fromSeed(0));
    assert.equal(game.ballInPlay, true);
    const fresh = new BreakoutGame();
    const grayFrame = new BreakoutRenderer("grayscale").render(fresh, true);
    assert.equal(grayFrame[20 * 160 + 80], 142);
    const compact = new CompactView().observe(fresh);
    assert.equal(compact.length, 400);
    assert.equal(compact[(1 * 10 + 0) * 4 + 3], 1);
    assert.equal(compact[(9 * 10 + 4) * 4 + 0], 1);

    assert.deepEqual([compactColumn(8), compactColumn(151), compactRow(57), compactRow(189)], [0, 9, 1, 9]);
    assert.deepEqual([brickLeft(0), brickLeft(17), brickTop(0), brickTop(5)], [8, 144, 57, 87]);
    assert.deepEqual([opencvGray(142, 142, 142), opencvGray(200, 72, 72), opencvGray(245, 51, 29)], [142, 110, 107]);
    assert.equal(Math.round(0.299 * 245 + 0.587 * 51 + 0.114 * 29), 106);
    assert.deepEqual(Array.from(paletteBytes(1).subarray(0, 3)), [0, 142, 110]);
    assert.deepEqual(DIGIT_GLYPHS[5], ["###", "#..", "###", "..#", "###"]);
    const lit: string[] = [];
    forEachLitCell(1, (column, row) => lit.push(`${column},${row}`));
    assert.deepEqual(lit, ["1,0", "1,1", "1,2", "1,3", "1,4"]);
  });
});
