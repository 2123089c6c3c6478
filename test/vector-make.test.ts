import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import { AsyncVectorEnv } from "../src/vector/async-vector-env";
import { makeVec } from "../src/vector/make-vec";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import "../src/envs";
import { writeUserEnvModule } from "./support/user-env-module";

describe("makeVec", () => {
  it("makes a SyncVectorEnv of make(id, envOptions) copies by default", () => {
    const envs = makeVec("StepCounter-v0", { numEnvs: 3, envOptions: { maxEpisodeSteps: 3, obsSize: 2 } });
    assert.ok(envs instanceof SyncVectorEnv);
    assert.deepEqual(envs.obsShape, [3, 2]);
    assert.equal(String(envs.envs[0]), "EnvChecker<TimeLimit<StepCounterEnv<StepCounter-v0>>>");
    assert.equal(envs.autoreset, "next-step");
    assert.equal(envs.copy, true);
  });

  it("passes autoreset and copy through", () => {
    const envs = makeVec("CartPole-v1", { numEnvs: 2, autoreset: "same-step", copy: false });
    assert.equal(envs.autoreset, "same-step");
    assert.equal(envs.copy, false);
  });

  it("seeds the first reset() like reset({ seed }) would (EnvPool's seed argument)", () => {
    const seeded = makeVec("CartPole-v1", { numEnvs: 4, seed: 42 });
    const expected = makeVec("CartPole-v1", { numEnvs: 4 }).reset({ seed: 42 }).obs;
    assert.deepEqual(seeded.reset().obs, expected);
    // Sub-env 0 starts like a single env reset with the seed itself.
    assert.deepEqual(expected.subarray(0, 4), make("CartPole-v1").reset({ seed: 42 }).obs);
  });

  it("next-step: RecordEpisodeStatistics via wrappers reports each episode in infos.perEnv[i] on its ending step", () => {
    const envs = makeVec("StepCounter-v0", { numEnvs: 2, envOptions: { maxEpisodeSteps: 3 }, wrappers: ["RecordEpisodeStatistics"] });
    envs.reset({ seed: 0 });
    envs.step([0, 0]);
    const second = envs.step([0, 0]);
    assert.equal(second.infos.perEnv[0].episode, undefined);
    const third = envs.step([0, 0]);
    for (const info of third.infos.perEnv) assert.deepEqual([info.episode?.return, info.episode?.length], [3, 3]);
    assert.deepEqual(third.infos.finalInfo, [null, null]);
    assert.equal(envs.step([0, 0]).infos.perEnv[1].episode, undefined, "the reset step carries no episode");
  });

  it("same-step: RecordEpisodeStatistics' report is in infos.finalInfo[i], beside finalObs", () => {
    const envs = makeVec("StepCounter-v0", {
      numEnvs: 2,
      autoreset: "same-step",
      envOptions: { maxEpisodeSteps: 3 },
      wrappers: [{ name: "RecordEpisodeStatistics", options: { historyLength: 5 } }],
    });
    envs.reset({ seed: 0 });
    envs.step([0, 0]);
    envs.step([0, 0]);
    const third = envs.step([1, 1]);
    assert.deepEqual(Array.from(third.obs), [0, 0]);
    for (let i = 0; i < 2; i++) {
      assert.equal(third.infos.perEnv[i].episode, undefined, "perEnv holds the new episode's reset info");
      assert.deepEqual([third.infos.finalInfo[i]?.episode?.return, third.infos.finalInfo[i]?.episode?.length], [3, 3]);
      assert.deepEqual(third.infos.finalObs[i], new Float32Array([3]));
    }
  });

  it("loads a user module for a \"module:EnvId\" id, resolving a relative path", () => {
    const relative = writeUserEnvModule("UserCounter-v0");
    const envs = makeVec(`${relative}:UserCounter-v0`, { numEnvs: 2 });
    envs.reset();
    envs.step([0, 0]);
    assert.deepEqual(Array.from(envs.step([0, 0]).terminated), [1, 1]);
    assert.throws(() => makeVec("./no-such-module.js:Nothing-v0", { numEnvs: 1 }), /Could not load module ".*no-such-module.js" for env "Nothing-v0"/);
  });

  it("rejects unknown options (with a suggestion), bad numEnvs and async-only options in sync mode", () => {
    assert.throws(() => makeVec("CartPole-v1", { numEnvs: 2, numEnv: 3 } as never), /got unknown option "numEnv" \(did you mean "numEnvs"\?\)/);
    for (const numEnvs of [0, 1.5, -2, "2"]) {
      assert.throws(() => makeVec("CartPole-v1", { numEnvs } as never), /Expected numEnvs to be a positive integer, got/);
    }
    assert.throws(() => makeVec("CartPole-v1", {} as never), { message: "Expected numEnvs to be a positive integer, got undefined" });
    assert.throws(() => makeVec("CartPole-v1", { numEnvs: 2, numWorkers: 2 }), {
      message: 'Expected numWorkers only with mode "async" (they configure worker threads), got mode "sync"',
    });
    assert.throws(() => makeVec("CartPole-v1", { numEnvs: 2, mode: "parallel" as never }), /Expected mode "sync" or "async", got "parallel"/);
    assert.throws(() => makeVec("CartPole-v2", { numEnvs: 2 }), /did you mean "CartPole-v1"/);
    assert.throws(() => makeVec("CartPole-v1", { numEnvs: 2, envOptions: { maxEpisodeStep: 10 } }), /did you mean "maxEpisodeSteps"/);
    assert.throws(() => makeVec("CartPole-v1", { numEnvs: 2, wrappers: ["RecordEpisodeStats"] }), /did you mean "RecordEpisodeStatistics"/);
  });
});

describe("makeVec with mode \"async\"", () => {
  it("makes an AsyncVectorEnv whose trajectories equal the SyncVectorEnv's for the same seed", () => {
    const options = { numEnvs: 4, seed: 3, autoreset: "same-step", envOptions: { maxEpisodeSteps: 20 } } as const;
    const asyncEnvs = makeVec("CartPole-v1", { ...options, mode: "async", numWorkers: 2 });
    const syncEnvs = makeVec("CartPole-v1", options);
    try {
      assert.ok(asyncEnvs instanceof AsyncVectorEnv);
      assert.equal(asyncEnvs.numWorkers, 2);
      assert.deepEqual(asyncEnvs.reset().obs, syncEnvs.reset().obs);
      for (let t = 0; t < 30; t++) {
        const actions = [t % 2, 1, 0, (t >> 1) % 2];
        const [a, s] = [asyncEnvs.step(actions), syncEnvs.step(actions)];
        assert.deepEqual([a.obs, a.rewards, a.terminated, a.truncated], [s.obs, s.rewards, s.terminated, s.truncated]);
        assert.deepEqual(a.infos.finalObs, s.infos.finalObs);
      }
    } finally {
      asyncEnvs.close();
      syncEnvs.close();
    }
  });
});
