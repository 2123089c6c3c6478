import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { Rng } from "../src/core/rng";
import { AsyncVectorEnv, type AsyncVectorEnvOptions } from "../src/vector/async-vector-env";
import { buildSubEnv, type SubEnvSpec } from "../src/vector/sub-env-spec";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import type { AutoresetMode, VectorEnv } from "../src/vector/types";
import "../src/envs";
import { writeUserEnvModule } from "./support/user-env-module";

// Lock-step AsyncVectorEnv: the same results as SyncVectorEnv, bit for bit.

/** Every test's vector envs are closed when the file ends, even when an assertion failed. */
function open<Obs = Float32Array, Action = number>(options: AsyncVectorEnvOptions): AsyncVectorEnv<Obs, Action> {
  const envs = new AsyncVectorEnv<Obs, Action>(options);
  after(() => envs.close());
  return envs;
}

interface Row {
  obs: number[];
  rewards: number[];
  terminated: number[];
  truncated: number[];
  finalObs: (number | null)[];
}

function row(step: ReturnType<VectorEnv<Float32Array, number>["step"]>): Row {
  return {
    obs: Array.from(step.obs),
    rewards: Array.from(step.rewards),
    terminated: Array.from(step.terminated),
    truncated: Array.from(step.truncated),
    finalObs: step.infos.finalObs.map((obs) => (obs === null ? null : obs[0]!)),
  };
}

describe("AsyncVectorEnv in lock-step (reset/step)", () => {
  it("reproduces the ANCHORS next-step trace (StepCounter, TimeLimit 3) in every sub-env", () => {
    const envs = open({ spec: { id: "StepCounter-v0", options: { maxEpisodeSteps: 3 } }, numEnvs: 3, numWorkers: 2, autoreset: "next-step" });
    assert.deepEqual(Array.from(envs.reset({ seed: 0 }).obs), [0, 0, 0]);
    const rows = Array.from({ length: 5 }, () => row(envs.step([0, 1, 0])));
    const all = (value: number): number[] => [value, value, value];
    assert.deepEqual(rows.map((r) => r.obs), [all(1), all(2), all(3), all(0), all(1)]);
    assert.deepEqual(rows.map((r) => r.rewards), [all(1), all(1), all(1), all(0), all(1)]);
    assert.deepEqual(rows.map((r) => r.truncated), [all(0), all(0), all(1), all(0), all(0)]);
    assert.deepEqual(rows.map((r) => r.terminated), [all(0), all(0), all(0), all(0), all(0)]);
    assert.ok(rows.every((r) => r.finalObs.every((obs) => obs === null)), "next-step mode never has finalObs");
  });

  it("reproduces the ANCHORS same-step trace, with the final observation in infos.finalObs (also with useMainThread)", () => {
    for (const useMainThread of [false, true]) {
      const envs = open({ spec: { id: "StepCounter-v0", options: { maxEpisodeSteps: 3 } }, numEnvs: 3, numWorkers: useMainThread ? 1 : 2, useMainThread, autoreset: "same-step" });
      envs.reset({ seed: 0 });
      const rows = Array.from({ length: 4 }, () => row(envs.step([1, 1, 1])));
      const all = (value: number | null): (number | null)[] => [value, value, value];
      assert.deepEqual(rows.map((r) => r.obs), [all(1), all(2), all(0), all(1)]);
      assert.deepEqual(rows.map((r) => r.rewards), [all(1), all(1), all(1), all(1)]);
      assert.deepEqual(rows.map((r) => r.truncated), [all(0), all(0), all(1), all(0)]);
      assert.deepEqual(rows.map((r) => r.finalObs), [all(null), all(null), all(3), all(null)]);
    }
  });

  for (const [autoreset, useMainThread] of [["next-step", false], ["same-step", false], ["next-step", true], ["same-step", true]] as [AutoresetMode, boolean][]) {
    it(`gives bit-identical CartPole trajectories to SyncVectorEnv over 1000 steps (${autoreset}${useMainThread ? ", useMainThread" : ""})`, () => {
      const spec: SubEnvSpec = { id: "CartPole-v1", options: { maxEpisodeSteps: 60 }, wrappers: ["RecordEpisodeStatistics"] };
      const numEnvs = 5;
      const sync = new SyncVectorEnv(Array.from({ length: numEnvs }, () => () => buildSubEnv(spec)), { autoreset });
      const async = open({ spec, numEnvs, numWorkers: useMainThread ? 1 : 2, useMainThread, autoreset });
      const a = async.reset({ seed: 123 });
      const s = sync.reset({ seed: 123 });
      assert.deepEqual(a.obs, s.obs);
      const rng = Rng.fromSeed(7);
      let episodes = 0;
      for (let t = 0; t < 1000; t++) {
        const actions = Int32Array.from({ length: numEnvs }, () => rng.integer(2));
        const x = async.step(actions);
        const y = sync.step(actions);
        assert.deepEqual(x.obs, y.obs, `obs at step ${t}`);
        assert.deepEqual(x.rewards, y.rewards, `rewards at step ${t}`);
        assert.deepEqual(x.terminated, y.terminated, `terminated at step ${t}`);
        assert.deepEqual(x.truncated, y.truncated, `truncated at step ${t}`);
        assert.deepEqual(x.infos.finalObs, y.infos.finalObs, `finalObs at step ${t}`);
        const summary = (info: { episode?: { return: number; length: number } } | null) => (info?.episode === undefined ? null : [info.episode.return, info.episode.length]);
        assert.deepEqual(x.infos.perEnv.map(summary), y.infos.perEnv.map(summary), `episode infos at step ${t}`);
        assert.deepEqual(x.infos.finalInfo.map(summary), y.infos.finalInfo.map(summary), `final infos at step ${t}`);
        episodes += x.infos.perEnv.filter((info) => info.episode !== undefined).length + x.infos.finalInfo.filter((info) => info?.episode !== undefined).length;
      }
      assert.ok(episodes > 50, `episodes ended along the way (${episodes}), so autoresets were compared too`);
      sync.close();
    });
  }

  it("gives each sub-env its own stream: no two sub-envs see the same observations", () => {
    for (const seed of [0, undefined]) {
      const envs = open({ spec: { id: "CartPole-v1" }, numEnvs: 8, numWorkers: 2 });
      const sequences: string[][] = Array.from({ length: 8 }, () => []);
      const record = (obs: Float32Array): void => sequences.forEach((sequence, i) => sequence.push(obs.slice(i * 4, i * 4 + 4).join(",")));
      record(envs.reset(seed === undefined ? {} : { seed }).obs);
      for (let t = 0; t < 20; t++) record(envs.step(new Int32Array(8).fill(t % 2)).obs);
      const firsts = new Set(sequences.map((sequence) => sequence[0]));
      assert.equal(firsts.size, 8, `distinct first observations (seed ${seed})`);
      assert.equal(new Set(sequences.map((sequence) => sequence.join(";"))).size, 8);
      envs.close();
    }
  });

  it("seeds the first reset with the constructor's seed, like reset({ seed })", () => {
    const seeded = open({ spec: { id: "CartPole-v1" }, numEnvs: 3, numWorkers: 2, seed: 42 });
    const explicit = open({ spec: { id: "CartPole-v1" }, numEnvs: 3, numWorkers: 1 });
    assert.deepEqual(seeded.reset().obs, explicit.reset({ seed: 42 }).obs);
    const single = buildSubEnv({ id: "CartPole-v1" });
    assert.deepEqual(seeded.reset({ seed: 42 }).obs.slice(4, 8), single.reset({ seed: 43 }).obs, "sub-env 1 gets seed + 1");
  });

  it("returns fresh arrays by default, and views of the shared buffers with copy: false", () => {
    const copied = open({ spec: { id: "StepCounter-v0" }, numEnvs: 2, numWorkers: 2 });
    copied.reset();
    const first = copied.step([0, 0]);
    const second = copied.step([0, 0]);
    assert.notEqual(first.obs, second.obs);
    assert.deepEqual(Array.from(first.obs), [1, 1], "an earlier result keeps its values");
    assert.ok(!(first.obs.buffer instanceof SharedArrayBuffer));

    const viewed = open({ spec: { id: "StepCounter-v0" }, numEnvs: 2, numWorkers: 2, copy: false });
    viewed.reset();
    const previous = viewed.step([0, 0]);
    const next = viewed.step([0, 0]);
    assert.equal(previous.obs, next.obs, "the same shared array, overwritten in place");
    assert.equal(previous.rewards, next.rewards);
    assert.equal(previous.infos.perEnv, next.infos.perEnv);
    assert.deepEqual(Array.from(previous.obs), [2, 2], "the earlier result now shows the newer observations");
    assert.ok(next.obs.buffer instanceof SharedArrayBuffer);
  });

  it("answers promptly after its workers went idle, and passes reset options to every sub-env", async () => {
    const envs = open({ spec: { id: "CartPole-v1" }, numEnvs: 3, numWorkers: 2 });
    envs.reset({ seed: 1 });
    await new Promise((resolve) => setTimeout(resolve, 60)); // the workers switch to an asynchronous wait
    const started = performance.now();
    envs.step([0, 1, 0]);
    assert.ok(performance.now() - started < 50, "woken from their asynchronous wait");
    const { obs } = envs.reset({ seed: 1, options: { low: 0.2, high: 0.2 } });
    assert.ok(Array.from(obs).every((x) => Math.abs(x - 0.2) < 1e-6), `every sub-env starts at 0.2: ${Array.from(obs)}`);
    assert.throws(() => envs.reset({ options: { f: () => 1 } }), /could not be cloned/);
    assert.deepEqual(envs.step([0, 0, 0]).rewards, new Float64Array([1, 1, 1]), "a rejected reset touched nothing");
  });

  it("rejects a wrong number of actions and invalid Discrete actions before any sub-env moves", () => {
    const envs = open({ spec: { id: "StepCounter-v0" }, numEnvs: 2, numWorkers: 2 });
    assert.throws(() => envs.step([0, 0]), /Expected reset\(\) or asyncReset\(\) before step\(\)/);
    envs.reset();
    assert.throws(() => envs.step([0]), /Expected 2 actions \(one per sub-env\), got 1/);
    assert.throws(() => envs.step([0, 1.5]), /Expected an action for env 1 in Discrete\(2\), got 1.5/);
    assert.deepEqual(Array.from(envs.step([1, 1]).obs), [1, 1], "the rejected calls moved nothing");
  });

  it("validates its options with Expected ... got messages", () => {
    const spec = { id: "CartPole-v1" };
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 0 }), /Expected numEnvs to be a positive integer, got 0/);
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 2, numWorkers: 3 }), /Expected numWorkers to be an integer from 1 to numEnvs = 2, got 3/);
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 2, numWorkers: 2, useMainThread: true }), /Expected numWorkers to be an integer from 0 to numEnvs − 1 = 1 \(useMainThread steps one group\), got 2/);
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 2, batchSize: 0 }), /Expected batchSize to be an integer from 1 to numEnvs = 2, got 0/);
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 2, autoreset: "next_step" as never }), /Expected autoreset to be "next-step" or "same-step", got "next_step"/);
    assert.throws(() => new AsyncVectorEnv({ spec: { id: "CartPole-v9" }, numEnvs: 2 }), /Expected a registered env id, got "CartPole-v9"/);
    assert.throws(() => new AsyncVectorEnv({ spec, numEnvs: 2, numWorker: 1 } as never), /numWorker/);
  });

  it("builds sub-envs from a user module (\"module:EnvId\") inside the workers", () => {
    const relative = writeUserEnvModule("AsyncUserCounter-v0");
    const envs = open({ spec: { id: `${relative}:AsyncUserCounter-v0` }, numEnvs: 2, numWorkers: 2 });
    assert.ok(path.isAbsolute(envs.spec.id.split(":")[0]!), "the module path was made absolute for the workers");
    envs.reset();
    envs.step([0, 0]);
    assert.deepEqual(Array.from(envs.step([0, 0]).terminated), [1, 1]);
  });

  it("calls methods and reads properties of the sub-envs in their workers, and renders one", () => {
    const envs = open({ spec: { id: "StepCounter-v0", options: { maxEpisodeSteps: 5 } }, numEnvs: 3, numWorkers: 2 });
    envs.reset({ seed: 0 });
    envs.step([0, 0, 0]);
    assert.deepEqual(envs.call<number>("elapsedSteps"), [1, 1, 1]);
    assert.deepEqual(envs.call<number>("count"), [1, 1, 1], "found through the wrapper stack");
    const frame = envs.render(2);
    assert.deepEqual([frame.width, frame.height, frame.data.length], [64, 8, 64 * 8 * 3]);
    assert.throws(() => envs.call("noSuchMember"), /Sub-env 0 \("StepCounter-v0"\) threw in call\("noSuchMember"\)/);
    assert.deepEqual(Array.from(envs.step([0, 0, 0]).obs), [2, 2, 2], "a failed call leaves the sub-envs as they were");
    assert.equal(String(envs), "AsyncVectorEnv(StepCounter-v0, numEnvs=3, numWorkers=2, next-step)");
  });

  it("with useMainThread steps the first group on the main thread, answering calls and renders the same way", () => {
    const envs = open({ spec: { id: "StepCounter-v0", options: { maxEpisodeSteps: 5 } }, numEnvs: 3, numWorkers: 1, useMainThread: true });
    assert.equal(envs.workers.length, 1);
    envs.reset({ seed: 0 });
    assert.deepEqual(Array.from(envs.step([0, 0, 0]).obs), [1, 1, 1]);
    assert.deepEqual(envs.call<number>("elapsedSteps"), [1, 1, 1]);
    assert.equal(envs.render(0).width, 64);
    assert.equal(String(envs), "AsyncVectorEnv(StepCounter-v0, numEnvs=3, numWorkers=1 + main thread, next-step)");
  });
});
