import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import "../src/envs";
import { EpisodicLife } from "../src/wrappers/episodic-life";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { FakeAtariEnv, paintFake, type FakeAtariOptions } from "./support/fake-atari";

function smallFake(options: FakeAtariOptions = {}): FakeAtariEnv {
  return new FakeAtariEnv({ obsType: "grayscale", height: 4, width: 4, ...options });
}

/** Steps until the wrapped env reports an episode end; returns the flags of every step. */
function playEpisode(env: EpisodicLife<FakeAtariEnv>): { terminated: boolean; truncated: boolean }[] {
  const flags: { terminated: boolean; truncated: boolean }[] = [];
  for (;;) {
    const { terminated, truncated } = env.step(3);
    flags.push({ terminated, truncated });
    if (terminated || truncated) return flags;
  }
}

describe("EpisodicLife", () => {
  it("ends the episode at each lost life and continues the game with a NOOP step instead of a reset", () => {
    // 3 lives, lost on frames 3, 6 and 8; the last loss ends the game.
    const env = smallFake({ lives: 3, lifeLossFrames: [3, 6, 8] });
    const wrapped = new EpisodicLife(env);
    wrapped.reset({ seed: 0 });
    assert.equal(playEpisode(wrapped).length, 3, "first life: frames 1-3");
    assert.equal(env.lives, 2);

    const secondLife = wrapped.reset();
    assert.deepEqual(env.calls, ["reset", 3, 3, 3, 0], "the reset was a NOOP step, not a real reset");
    assert.deepEqual(secondLife.info, { lives: 2, frame: 4 });
    assert.equal(playEpisode(wrapped).length, 2, "second life: frames 5-6");

    wrapped.reset();
    const last = wrapped.step(3);
    assert.deepEqual([last.terminated, env.lives, wrapped.gameOver], [true, 0, true], "frame 8: the game is over");

    const newGame = wrapped.reset();
    assert.deepEqual(env.calls.slice(-2), [3, "reset"], "after game over the reset is real");
    assert.deepEqual(newGame.info, { lives: 3, frame: 0 });
  });

  it("passes rewards, observations and infos of a lost life through, marking the info gameOver: false", () => {
    const env = smallFake({ lives: 2, lifeLossFrames: [2] });
    const wrapped = new EpisodicLife(env);
    wrapped.reset();
    wrapped.step(2);
    const lost = wrapped.step(2);
    assert.deepEqual([lost.reward, lost.terminated, lost.truncated, lost.info], [2, true, false, { lives: 1, frame: 2, gameOver: false }]);
    const expected = new Uint8Array(16);
    paintFake(2, expected);
    assert.deepEqual(lost.obs, expected);
  });

  it("resets for real when the fake reset's NOOP step itself ends the game", () => {
    const env = smallFake({ lives: 2, lifeLossFrames: [2, 3] });
    const wrapped = new EpisodicLife(env);
    wrapped.reset();
    assert.equal(playEpisode(wrapped).length, 2);
    const { info } = wrapped.reset();
    assert.deepEqual(env.calls, ["reset", 3, 3, 0, "reset"]);
    assert.deepEqual(info, { lives: 2, frame: 0 });
  });

  it("treats a truncation as the real end of the game", () => {
    const env = smallFake({ lives: 3, lifeLossFrames: [2], truncateAtFrame: 4 });
    const wrapped = new EpisodicLife(env);
    wrapped.reset();
    assert.deepEqual(playEpisode(wrapped).at(-1), { terminated: true, truncated: false });
    wrapped.reset();
    assert.deepEqual(playEpisode(wrapped).at(-1), { terminated: false, truncated: true });
    wrapped.reset();
    assert.equal(env.calls.at(-1), "reset");
  });

  it("always resets for real when given a seed, even right after a lost life", () => {
    const env = smallFake({ lives: 3, lifeLossFrames: [1] });
    const wrapped = new EpisodicLife(env);
    wrapped.reset({ seed: 1 });
    assert.equal(wrapped.step(0).terminated, true);
    wrapped.reset({ seed: 2 });
    assert.deepEqual(env.resetSeeds, [1, 2]);
    assert.equal(env.lives, 3);
  });

  it("makes a RecordEpisodeStatistics above it count lives, and one below it count whole games (the pitfall)", () => {
    const script = { lives: 3, lifeLossFrames: [2, 4, 6], reward: () => 1 };
    const above = new RecordEpisodeStatistics(new EpisodicLife(smallFake(script)));
    const below = new EpisodicLife(new RecordEpisodeStatistics(smallFake(script)));
    for (const env of [above, below]) {
      env.reset({ seed: 0 });
      for (let life = 0; life < 3; life++) {
        while (!env.step(0).terminated);
        env.reset();
      }
    }
    assert.deepEqual(above.returnQueue.slice(0, 3), [2, 1, 1], "per life (the fake resets' NOOP frames are not counted)");
    assert.deepEqual(below.env.returnQueue, [6], "the whole game's score");
  });

  it("rejects an env without lives", () => {
    assert.throws(() => new EpisodicLife(make("CartPole-v1")), /Expected EpisodicLife's env to have a number unwrapped.lives \(an Atari-like env\), got undefined/);
  });
});
