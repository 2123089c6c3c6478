import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ActionOf, AnyEnv, Env, ObsOf, StepResult, StepWithoutObsResult } from "../src/core/env";
import { EnvChecker } from "../src/core/env-checker";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import { Wrapper } from "../src/core/wrapper";
import "../src/envs";
import { BreakoutEnv } from "../src/envs/breakout/breakout-env";
import { atariWrap } from "../src/wrappers/atari-wrap";
import { MaxAndSkip } from "../src/wrappers/max-and-skip";
import { NoopReset } from "../src/wrappers/noop-reset";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { TimeLimit } from "../src/wrappers/time-limit";
import { FakeAtariEnv, type FakeAtariOptions } from "./support/fake-atari";

/** Hides `stepWithoutObs` from the wrappers above: every frame is stepped (and drawn) in full. */
class AlwaysDraw<E extends AnyEnv> extends Wrapper<E> {
  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    return super.step(action);
  }
}

/** A scripted env that can skip drawing, and counts the frames it drew. */
class SkippingFake extends FakeAtariEnv {
  drawn = 0;
  skipped = 0;
  constructor(options: FakeAtariOptions = {}) {
    super({ height: 6, width: 8, reuseBuffer: false, ...options });
  }
  override step(action: number): StepResult<Uint8Array> {
    this.drawn++;
    return super.step(action);
  }
  stepWithoutObs(action: number): StepWithoutObsResult<Uint8Array> {
    const result = super.step(action);
    const ended = result.terminated || result.truncated;
    if (ended) this.drawn++;
    else this.skipped++;
    return { ...result, obs: ended ? result.obs : undefined };
  }
}

/** Doubles every reward: a wrapper that overrides only `step`. */
class DoubleReward<E extends AnyEnv> extends Wrapper<E> {
  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    return { ...result, reward: 2 * result.reward };
  }
}

/** An info without the wall-clock duration of its episode, which differs from run to run. */
function withoutDuration(info: unknown): unknown {
  const { episode, ...rest } = info as { episode?: { durationSeconds: number } };
  return episode === undefined ? rest : { ...rest, episode: { ...episode, durationSeconds: 0 } };
}

function play(env: Env<Uint8Array, number>, steps: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const log: { obs: Uint8Array; reward: number; terminated: boolean; truncated: boolean; info: unknown }[] = [];
  env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const result = env.step(rng.integer(4));
    log.push(result);
    if (result.terminated || result.truncated) env.reset();
  }
  return log;
}

describe("Env.stepWithoutObs: frames whose picture nobody needs are not drawn", () => {
  it("Breakout-v0 advances exactly as step does, without drawing the frame unless the game ends", () => {
    const drawing = new BreakoutEnv({ obsType: "grayscale" });
    const skipping = new BreakoutEnv({ obsType: "grayscale" });
    drawing.reset({ seed: 3 });
    skipping.reset({ seed: 3 });
    const rng = Rng.fromSeed(3);
    let ends = 0;
    for (let t = 0; t < 20_000; t++) {
      const action = rng.integer(4);
      const full = drawing.step(action);
      const quiet = t % 3 === 2 ? skipping.step(action) : skipping.stepWithoutObs(action);
      assert.equal(quiet.reward, full.reward);
      assert.equal(quiet.terminated, full.terminated);
      assert.deepEqual(quiet.info, full.info);
      if (quiet.obs !== undefined) assert.deepEqual(quiet.obs, full.obs, `frame ${t}: a drawn frame is the same frame`);
      else assert.ok(t % 3 !== 2 && !full.terminated);
      if (full.terminated) {
        ends++;
        assert.ok(quiet.obs !== undefined, "the frame that ends the game is drawn");
        drawing.reset();
        skipping.reset();
      }
    }
    assert.ok(ends >= 3, `several games ended (${ends})`);
  });

  it("the compact view sees every frame (its trail channel follows the ball), so it always gives the observation", () => {
    const drawing = new BreakoutEnv({ obsType: "compact" });
    const skipping = new BreakoutEnv({ obsType: "compact" });
    drawing.reset({ seed: 1 });
    skipping.reset({ seed: 1 });
    for (let t = 0; t < 500; t++) {
      const full = drawing.step(t % 7 === 0 ? 1 : 2 + (t % 2));
      const quiet = skipping.stepWithoutObs(t % 7 === 0 ? 1 : 2 + (t % 2));
      assert.deepEqual(quiet.obs, full.obs);
      if (full.terminated) break;
    }
  });

  it("MaxAndSkip(4) draws 2 of 4 frames and gives the same steps as drawing all four", () => {
    const source = new SkippingFake({ lifeLossFrames: [900, 1800, 2700, 3600, 4500] });
    const skipping = play(new MaxAndSkip(source, { skip: 4 }), 1000, 0);
    const drawingSource = new SkippingFake({ lifeLossFrames: [900, 1800, 2700, 3600, 4500] });
    const drawing = play(new MaxAndSkip(new AlwaysDraw(drawingSource), { skip: 4 }), 1000, 0);
    assert.equal(drawingSource.skipped, 0);
    // The first few steps verify that the env returns fresh arrays, drawing every frame; then half.
    assert.ok(source.skipped > 0.45 * 4000 && source.skipped <= 0.5 * 4000, `skipped ${source.skipped} of 4000 frames`);
    assert.equal(skipping.length, drawing.length);
    skipping.forEach((step, t) => {
      assert.equal(step.reward, drawing[t]!.reward);
      assert.equal(step.terminated, drawing[t]!.terminated);
      assert.deepEqual(step.obs, drawing[t]!.obs, `step ${t}`);
    });
  });

  it("MaxAndSkip: an episode that ends on a frame whose predecessor was not drawn returns the final frame alone", () => {
    // Frames 1..3 verify fresh arrays... after 8 checked frames (2 steps) skipping starts; the game
    // ends on frame 4·5 + 2 = 22: the 2nd frame of step 6, after one skipped frame.
    const source = new SkippingFake({ terminateAtFrame: 22 });
    const env = new MaxAndSkip(source, { skip: 4 });
    env.reset({ seed: 0 });
    for (let t = 0; t < 5; t++) assert.equal(env.step(0).terminated, false);
    const skippedBefore = source.skipped;
    const last = env.step(0);
    assert.equal(last.terminated, true);
    assert.equal(source.skipped, skippedBefore + 1, "frame 21 was skipped");
    assert.equal(last.reward, 21 + 22, "the rewards of both frames are summed");
    const final = new FakeAtariEnv({ height: 6, width: 8 });
    final.reset();
    let frame22!: Uint8Array;
    for (let f = 1; f <= 22; f++) frame22 = final.step(0).obs.slice();
    assert.deepEqual(last.obs, frame22);
  });

  it("a wrapper that overrides only step still sees every frame (its rewards are not bypassed)", () => {
    const source = new SkippingFake();
    const env = new MaxAndSkip(new DoubleReward(source), { skip: 4 });
    env.reset({ seed: 0 });
    let frame = 0;
    for (let t = 0; t < 10; t++) {
      const { reward } = env.step(0);
      const expected = 2 * ((frame + 1) + (frame + 2) + (frame + 3) + (frame + 4));
      assert.equal(reward, expected, `step ${t}`);
      frame += 4;
    }
    assert.equal(source.skipped, 0, "DoubleReward overrides step, so frames below it are drawn");
  });

  it("TimeLimit, RecordEpisodeStatistics and the env checker pass it down and still count and check every frame", () => {
    const source = new SkippingFake();
    // In make's order: the checker outside the time limit, so it sees the truncation.
    const stats = new RecordEpisodeStatistics(new EnvChecker(new TimeLimit(source, 50)));
    const env = new MaxAndSkip(stats, { skip: 4 });
    env.reset({ seed: 0 });
    let last!: StepResult<Uint8Array>;
    for (let t = 0; t < 13; t++) last = env.step(0);
    assert.equal(last.truncated, true, "the 50th frame is the 2nd of step 13");
    assert.ok(source.skipped > 0);
    assert.equal(last.info.episode?.length, 50);
    assert.equal(last.info.episode?.return, (50 * 51) / 2);
    assert.equal(last.obs.length, 6 * 8 * 3, "the truncating frame was drawn");
    assert.throws(() => env.step(0), /Expected env\.reset\(\) before env\.step\(\)/, "the checker saw the end");
  });

  it("the env checker rejects an env that leaves out the final observation", () => {
    class Broken extends SkippingFake {
      override stepWithoutObs(action: number): StepWithoutObsResult<Uint8Array> {
        return { ...super.stepWithoutObs(action), obs: undefined };
      }
    }
    const env = new EnvChecker(new Broken({ terminateAtFrame: 2 }));
    env.reset();
    env.stepWithoutObs(0);
    assert.throws(() => env.stepWithoutObs(0), /to return the final observation on the step that ends the episode, got undefined/);
  });

  it("the whole atariWrap chain on Breakout gives the same agent steps with and without skipped drawing", () => {
    for (const obsType of ["grayscale", "rgb"] as const) {
      const skipping = play(atariWrap(make("Breakout-v0", { obsType })), 1500, 7);
      const drawing = play(atariWrap(new AlwaysDraw(make("Breakout-v0", { obsType }))), 1500, 7);
      let gameOvers = 0;
      skipping.forEach((step, t) => {
        const other = drawing[t]!;
        assert.equal(step.reward, other.reward);
        assert.equal(step.terminated, other.terminated);
        assert.deepEqual(withoutDuration(step.info), withoutDuration(other.info));
        // A game that ends on an early frame of a step may differ (the final frame alone); every
        // other observation is the same.
        if ((step.info as { gameOver?: boolean }).gameOver === false || !step.terminated) assert.deepEqual(step.obs, other.obs, `${obsType}, step ${t}`);
        else gameOvers++;
      });
      assert.ok(gameOvers >= 1, `${obsType}: games ended (${gameOvers})`);
    }
  });

  it("atariWrap gives the same observations from the grayscale env as from the RGB one (grey drawn directly)", () => {
    const fromRgb = play(atariWrap(make("Breakout-v0", { obsType: "rgb" })), 600, 11);
    const fromGray = play(atariWrap(make("Breakout-v0", { obsType: "grayscale" })), 600, 11);
    fromRgb.forEach((step, t) => assert.deepEqual(step.obs, fromGray[t]!.obs, `step ${t}`));
  });

  it("NoopReset draws only the last of its no-ops, and returns the same observation as drawing them all", () => {
    for (const seed of [0, 1, 2]) {
      const source = new SkippingFake();
      const env = new NoopReset(source, { noopMax: 30 });
      const { obs } = env.reset({ seed });
      assert.equal(source.drawn, 1, "the last no-op's frame only (reset frames are not counted)");
      assert.equal(source.skipped, env.lastNoops - 1);
      const drawing = new NoopReset(new AlwaysDraw(new SkippingFake()), { noopMax: 30 });
      assert.deepEqual(obs, drawing.reset({ seed }).obs);
      assert.equal(drawing.lastNoops, env.lastNoops);
    }
  });
});
