import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import "../src/envs";
import { makeVec } from "../src/vector/make-vec";
import { evaluatePolicy } from "../src/agents/evaluate";
import { ATARI_WRAP_DEFAULTS, atariWrap } from "../src/wrappers/atari-wrap";
import { applyWrapperSpec, wrapperNames } from "../src/wrappers/by-name";
import { MaxAndSkip } from "../src/wrappers/max-and-skip";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { FAKE_ATARI_MODULE, FakeAtariEnv, type FakeAtariOptions } from "./support/fake-atari";

const FULL_CHAIN = "FrameStack<ClipReward<WarpFrame<FireReset<EpisodicLife<MaxAndSkip<NoopReset<RecordEpisodeStatistics<FakeAtariEnv>>>>>>>>";

/** A game of 3 lives lost on frames 60, 130 and `lastFrame`; every 7th frame scores 7 points. */
function game(lastFrame: number): FakeAtariOptions {
  return { obsType: "grayscale", lives: 3, lifeLossFrames: [60, 130, lastFrame], reward: (frame) => (frame % 7 === 0 ? 7 : 0) };
}

describe("atariWrap", () => {
  it("applies SB3's AtariWrapper order, then FrameStack, with RecordEpisodeStatistics innermost", () => {
    const env = atariWrap(new FakeAtariEnv());
    assert.equal(String(env), FULL_CHAIN);
    assert.equal(String(env.observationSpace), "Box(0, 255, [84, 84, 4], uint8)");
    assert.ok(env.unwrapped instanceof FakeAtariEnv);
    assert.equal(env.reset({ seed: 0 }).obs.length, 84 * 84 * 4);
    assert.deepEqual(ATARI_WRAP_DEFAULTS, {
      noopMax: 30,
      frameSkip: 4,
      screenSize: 84,
      terminalOnLifeLoss: true,
      clipReward: true,
      frameStack: 4,
      recordEpisodeStatistics: true,
    });
  });

  it("leaves out FireReset for a game without FIRE, and each optional wrapper when switched off", () => {
    assert.equal(
      String(atariWrap(new FakeAtariEnv({ actionMeanings: ["NOOP", "UP", "DOWN"] }))),
      "FrameStack<ClipReward<WarpFrame<EpisodicLife<MaxAndSkip<NoopReset<RecordEpisodeStatistics<FakeAtariEnv>>>>>>>",
    );
    const minimal = atariWrap(new FakeAtariEnv(), {
      noopMax: 0,
      frameSkip: 1,
      terminalOnLifeLoss: false,
      clipReward: false,
      frameStack: 1,
      recordEpisodeStatistics: false,
      screenSize: 42,
    });
    assert.equal(String(minimal), "WarpFrame<FireReset<FakeAtariEnv>>");
    assert.equal(String(minimal.observationSpace), "Box(0, 255, [42, 42, 1], uint8)");
  });

  it("keeps already-small frames as they are with screenSize null: Breakout's compact view", () => {
    const env = atariWrap(make("Breakout-v0", { obsType: "compact" }), { screenSize: null, frameStack: 1 });
    assert.equal(String(env.observationSpace), "Box(0, 1, [10, 10, 4], uint8)");
    assert.ok(!String(env).includes("WarpFrame"));
    const { obs } = env.reset({ seed: 0 });
    assert.equal(obs.length, 400);
    const result = env.step(2);
    assert.equal(result.obs.length, 400);
    assert.ok(result.obs.every((v) => v === 0 || v === 1), "max-pooling 0/1 grids keeps them 0/1");
  });

  it("plays a game through: per-life episodes, clipped rewards, and info.episode with the whole game's raw score", () => {
    let endedMidSkip = 0;
    for (const [seed, lastFrame] of [[0, 201], [1, 202], [2, 203], [3, 204]] as const) {
      const env = atariWrap(new FakeAtariEnv(game(lastFrame)));
      const bare = env.unwrapped;
      const rng = Rng.fromSeed(seed);
      env.reset({ seed });
      let lifeEnds = 0;
      for (;;) {
        const framesBefore = bare.frame;
        const step = env.step(rng.integer(4));
        assert.ok([0, 1].includes(step.reward), `clipped reward, got ${step.reward}`);
        if (!step.terminated && !step.truncated) continue;
        if (step.info.episode === undefined) {
          lifeEnds += 1;
          env.reset();
          continue;
        }
        // The game ended: its statistics cover every frame since the real reset, unclipped.
        let score = 0;
        for (let frame = 1; frame <= lastFrame; frame++) score += frame % 7 === 0 ? 7 : 0;
        assert.equal(bare.frame, lastFrame);
        assert.deepEqual([step.info.episode.return, step.info.episode.length], [score, lastFrame]);
        assert.equal(step.info["lives"], 0);
        assert.equal(lifeEnds, 2, "two lost lives ended the agent's episode before the game ended");
        if (bare.frame - framesBefore < ATARI_WRAP_DEFAULTS.frameSkip) endedMidSkip += 1;
        break;
      }
      assert.equal(bare.calls.filter((call) => call === "reset").length, 1, "one real reset per game");
    }
    assert.ok(endedMidSkip > 0, "at least one game ended on a frame inside MaxAndSkip's skip");
  });

  it("is evaluated in whole games: evaluatePolicy counts games, not lives, and reports their raw score", () => {
    let score = 0;
    for (let frame = 1; frame <= 201; frame++) score += frame % 7 === 0 ? 7 : 0;
    const result = evaluatePolicy(() => [2], atariWrap(new FakeAtariEnv(game(201))), { nEpisodes: 2, seed: 0 });
    assert.deepEqual(result.returns, [score, score]);
    assert.deepEqual(result.lengths, [201, 201], "info.episode lengths count the game's frames");
  });

  it("reports info.episode through MaxAndSkip when the game ends on a skipped frame", () => {
    const env = new MaxAndSkip(new RecordEpisodeStatistics(new FakeAtariEnv({ obsType: "grayscale", terminateAtFrame: 6 })));
    env.reset();
    assert.equal(env.step(0).info.episode, undefined);
    const last = env.step(0);
    assert.deepEqual([last.terminated, last.info.episode?.return, last.info.episode?.length], [true, 1 + 2 + 3 + 4 + 5 + 6, 6]);
  });

  it("rejects unknown options with a suggestion, and bad values", () => {
    assert.throws(() => atariWrap(new FakeAtariEnv(), { frameSkips: 4 } as never), /got unknown option "frameSkips" \(did you mean "frameSkip"\?\)/);
    assert.throws(() => atariWrap(new FakeAtariEnv(), { clipReward: 1 } as never), /Expected clipReward to be a boolean, got 1/);
    assert.throws(() => atariWrap(new FakeAtariEnv(), { frameStack: 0 }), /Expected frameStack to be a positive integer \(1: none\), got 0/);
    assert.throws(() => atariWrap(new FakeAtariEnv(), { noopMax: -1 }), /Expected noopMax to be a non-negative integer \(0: no no-ops\), got -1/);
    assert.throws(() => atariWrap(make("CartPole-v1") as never), /Expected atariWrap's env to have unwrapped.getActionMeanings\(\)|Expected NoopReset's env/);
  });
});

describe("Atari wrappers by name", () => {
  it("registers each wrapper and the AtariWrapper preset, with options", () => {
    for (const name of ["NoopReset", "FireReset", "EpisodicLife", "MaxAndSkip", "ClipReward", "WarpFrame", "FrameStack", "AtariWrapper"]) {
      assert.ok(wrapperNames().includes(name), name);
    }
    const env = applyWrapperSpec(new FakeAtariEnv(), { name: "AtariWrapper", options: { frameStack: 2, screenSize: 64 } });
    assert.equal(String(env.observationSpace), "Box(0, 255, [64, 64, 2], uint8)");
    const stacked = applyWrapperSpec(applyWrapperSpec(new FakeAtariEnv(), "WarpFrame"), { name: "FrameStack", options: { stackSize: 3 } });
    assert.equal(String(stacked.observationSpace), "Box(0, 255, [84, 84, 3], uint8)");
    assert.throws(() => applyWrapperSpec(new FakeAtariEnv(), { name: "ClipReward", options: { low: -1 } }), /Expected options of ClipReward among \(none\), got unknown option "low"/);
    assert.throws(() => applyWrapperSpec(new FakeAtariEnv(), { name: "AtariWrapper", options: { framestack: 4 } }), /did you mean "frameStack"/);
  });

  it("makes sync and async vector envs of the preprocessed game that agree step for step", () => {
    const options = { numEnvs: 2, seed: 5, wrappers: ["AtariWrapper"], envOptions: { obsType: "grayscale", lifeLossFrames: [30, 60, 90, 120, 150] } };
    const syncEnvs = makeVec("FakeAtari-v0", options);
    const asyncEnvs = makeVec(`${FAKE_ATARI_MODULE}:FakeAtari-v0`, { ...options, mode: "async", numWorkers: 1 });
    try {
      assert.deepEqual(syncEnvs.singleObservationSpace.shape, [84, 84, 4]);
      const first = syncEnvs.reset().obs;
      assert.equal(first.length, 2 * 84 * 84 * 4);
      assert.deepEqual(asyncEnvs.reset().obs, first);
      const games: { return: number; length: number }[] = [];
      for (let t = 0; t < 50; t++) {
        const actions = [t % 4, (t + 1) % 4];
        const [s, a] = [syncEnvs.step(actions), asyncEnvs.step(actions)];
        assert.deepEqual([a.obs, a.rewards, a.terminated, a.truncated], [s.obs, s.rewards, s.terminated, s.truncated]);
        for (const info of s.infos.perEnv) if (info.episode) games.push({ return: info.episode.return, length: info.episode.length });
        assert.deepEqual(
          a.infos.perEnv.map((info) => info.episode?.return),
          s.infos.perEnv.map((info) => info.episode?.return),
        );
      }
      // The fake's reward is the frame number: a whole game of 150 frames scores 1 + 2 + ... + 150.
      assert.ok(games.length >= 2, `games finished: ${games.length}`);
      for (const finished of games) assert.deepEqual(finished, { return: (150 * 151) / 2, length: 150 });
    } finally {
      syncEnvs.close();
      asyncEnvs.close();
    }
  });
});
