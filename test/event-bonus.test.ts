import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import { applyWrapperSpec } from "../src/wrappers/by-name";
import { ClipReward } from "../src/wrappers/clip-reward";
import { EventBonus } from "../src/wrappers/event-bonus";
import { MaxAndSkip } from "../src/wrappers/max-and-skip";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { CoinJumpAction } from "../src/envs/coin-jump/rules";
import { BreakoutEnv } from "../src/envs/breakout/breakout-env";
import type { EpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import "../src/envs";

describe("EventBonus", () => {
  it("adds the bonus on the step of the event and leaves the score below it untouched", () => {
    const env = new EventBonus(new RecordEpisodeStatistics(make("DelayedChain-v0", { delay: 2 })), { event: "keyAction", bonus: 0.5 });
    env.reset({ seed: 0 });
    const steps = [env.step(0), env.step(1), env.step(1)];
    assert.deepEqual(steps.map((s) => s.reward), [0.5, 0, 1]);
    assert.equal(steps[2]!.terminated, true);
    assert.equal((steps[2]!.info["episode"] as EpisodeStatistics).return, 1);
    assert.equal(env.episodeEvents, 1);
    env.reset();
    assert.equal(env.episodeEvents, 0);
    // Another action at the decision: no event, no bonus, and the same result object as the env's.
    assert.deepEqual([env.step(1), env.step(0), env.step(0)].map((s) => s.reward), [0, 0, 0]);
    assert.equal(env.episodeEvents, 0);
  });

  it("pays a count event (Breakout's bricksHit) once per occurrence, and a negative bonus is a penalty", () => {
    const env = make("CoinJump-v0");
    const penalised = new EventBonus(env, { event: "jumped", bonus: -0.25 });
    penalised.reset({ seed: 3 });
    const jump = penalised.step(CoinJumpAction.jump);
    assert.equal(jump.reward, -0.25);
    assert.equal(penalised.episodeEvents, 1);
    // In the air, jump does nothing: no new event.
    assert.equal(penalised.step(CoinJumpAction.jump).reward, 0);
    assert.equal(penalised.episodeEvents, 1);

    const breakout = new BreakoutEnv();
    const counted = new EventBonus(breakout, { event: "bricksHit", bonus: 0.5 });
    counted.reset({ seed: 0 });
    counted.step(1);
    let bricks = 0;
    for (let t = 0; t < 3000; t++) {
      const scoreBefore = breakout.game.score;
      const step = counted.step(t % 60 < 30 ? 2 : 3);
      const hit = (step.info["events"] as { bricksHit: number }).bricksHit;
      bricks += hit;
      // The game's points for the step, plus 0.5 for each brick broken on it.
      assert.equal(step.reward, breakout.game.score - scoreBefore + 0.5 * hit);
      if (step.terminated) break;
      if ((step.info["events"] as { lifeLost: boolean }).lifeLost) counted.step(1);
    }
    assert.ok(bricks > 0, "the scripted paddle breaks some bricks");
    assert.equal(counted.episodeEvents, bricks);
  });

  it("sees every paddle hit below a frame skip, where the skip's info would show only the last frame's", () => {
    const base = new BreakoutEnv({ obsType: "compact" });
    const shaped = new EventBonus(new ClipReward(new RecordEpisodeStatistics(base)), { event: "paddleHit", bonus: 0.1 });
    const skipped = new MaxAndSkip(shaped, { skip: 4 });
    skipped.reset({ seed: 1 });
    skipped.step(1);
    let hitsSeenAbove = 0;
    let shapedReturn = 0;
    let episode: EpisodeStatistics | undefined;
    for (let t = 0; t < 5000 && episode === undefined; t++) {
      // Follow the ball with the paddle: many hits.
      const game = base.game;
      const step = skipped.step(!game.ballInPlay ? 1 : game.ballX > game.paddleX + game.paddleWidth / 2 ? 2 : game.ballX + 2 < game.paddleX + game.paddleWidth / 2 ? 3 : 0);
      if ((step.info["events"] as { paddleHit: boolean }).paddleHit) hitsSeenAbove += 1;
      shapedReturn += step.reward;
      episode = step.info["episode"] as EpisodeStatistics | undefined;
    }
    assert.ok(episode !== undefined, "the game ends within 5000 agent steps");
    const hits = shaped.episodeEvents;
    assert.ok(hits >= 5, `${hits} paddle hits`);
    assert.ok(hitsSeenAbove < hits, `above the skip only ${hitsSeenAbove} of ${hits} hits show in info`);
    // The shaped return is the clipped game reward (one per scoring frame) plus 0.1 per hit;
    // info.episode, recorded below the bonus and the clipping, has the raw game score.
    const clippedReturn = shapedReturn - 0.1 * hits;
    assert.ok(Math.abs(clippedReturn - Math.round(clippedReturn)) < 1e-6, `clipped return ${clippedReturn}`);
    assert.ok(clippedReturn >= 1 && clippedReturn <= episode!.return, `clipped ${clippedReturn}, raw score ${episode!.return}`);
    assert.equal(episode!.return, base.game.score);
  });

  it("is built by name for vector envs, and rejects a missing event or a bonus that is not finite", () => {
    const env = applyWrapperSpec(make("DelayedChain-v0", { delay: 1 }), { name: "EventBonus", options: { event: "keyAction", bonus: 2 } });
    env.reset({ seed: 0 });
    assert.equal(env.step(0).reward, 2);
    const chain = make("DelayedChain-v0");
    assert.throws(() => new EventBonus(chain, { event: "", bonus: 1 }), /Expected event to be the name of an info.events key, got ""/);
    assert.throws(() => new EventBonus(chain, { event: "keyAction", bonus: NaN }), /Expected bonus to be a finite number, got NaN/);
    assert.throws(() => new EventBonus(chain, { event: "keyAction", bonus: 1, bonuss: 2 } as never), /did you mean "bonus"/);
  });
});
