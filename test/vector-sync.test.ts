import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import type { AutoresetMode } from "../src/vector/types";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import "../src/envs";

/** Sub-env i is StepCounter with its own ending, so the sub-envs' episodes are out of phase. */
const COUNTERS = [
  { maxEpisodeSteps: 3 }, // the ANCHORS trace: truncated on count 3
  { maxEpisodeSteps: 2 }, // truncated on count 2
  { terminateAt: 4 }, // terminated on count 4
];

function counters(autoreset: AutoresetMode): SyncVectorEnv<Float32Array, number> {
  return new SyncVectorEnv(COUNTERS.map((options) => () => make("StepCounter-v0", options)), { autoreset });
}

interface TraceRow {
  obs: number[];
  rewards: number[];
  terminated: number[];
  truncated: number[];
  finalObs: (number | null)[];
}

function trace(autoreset: AutoresetMode, steps: number): TraceRow[] {
  const envs = counters(autoreset);
  const reset = envs.reset({ seed: 0 });
  const rows: TraceRow[] = [{ obs: Array.from(reset.obs), rewards: [], terminated: [], truncated: [], finalObs: [] }];
  for (let t = 0; t < steps; t++) {
    const step = envs.step([0, 1, 0]);
    rows.push({
      obs: Array.from(step.obs),
      rewards: Array.from(step.rewards),
      terminated: Array.from(step.terminated),
      truncated: Array.from(step.truncated),
      finalObs: step.infos.finalObs.map((obs) => (obs === null ? null : obs[0])),
    });
  }
  return rows;
}

/** The column of sub-env `i` in a trace: its own sequence of one field. */
const column = (rows: TraceRow[], field: keyof TraceRow, i: number) => rows.slice(field === "obs" ? 0 : 1).map((row) => row[field][i]);

describe("SyncVectorEnv autoreset", () => {
  it("next-step: reproduces the ANCHORS trace 0; 1; 2; 3 (truncated); 0 (reward 0, flags false); 1", () => {
    const rows = trace("next-step", 5);
    assert.deepEqual(column(rows, "obs", 0), [0, 1, 2, 3, 0, 1]);
    assert.deepEqual(column(rows, "rewards", 0), [1, 1, 1, 0, 1]);
    assert.deepEqual(column(rows, "truncated", 0), [0, 0, 1, 0, 0]);
    assert.deepEqual(column(rows, "terminated", 0), [0, 0, 0, 0, 0]);
    assert.deepEqual(column(rows, "finalObs", 0), [null, null, null, null, null]);
  });

  it("same-step: reproduces the ANCHORS trace 0; 1; 2; 0 (reward 1, truncated, finalObs 3); 1", () => {
    const rows = trace("same-step", 4);
    assert.deepEqual(column(rows, "obs", 0), [0, 1, 2, 0, 1]);
    assert.deepEqual(column(rows, "rewards", 0), [1, 1, 1, 1]);
    assert.deepEqual(column(rows, "truncated", 0), [0, 0, 1, 0]);
    assert.deepEqual(column(rows, "finalObs", 0), [null, null, 3, null]);
  });

  it("next-step: resets each sub-env on its own schedule, whether truncated or terminated", () => {
    const rows = trace("next-step", 7);
    assert.deepEqual(column(rows, "obs", 1), [0, 1, 2, 0, 1, 2, 0, 1]);
    assert.deepEqual(column(rows, "rewards", 1), [1, 1, 0, 1, 1, 0, 1]);
    assert.deepEqual(column(rows, "truncated", 1), [0, 1, 0, 0, 1, 0, 0]);
    assert.deepEqual(column(rows, "obs", 2), [0, 1, 2, 3, 4, 0, 1, 2]);
    assert.deepEqual(column(rows, "rewards", 2), [1, 1, 1, 1, 0, 1, 1]);
    assert.deepEqual(column(rows, "terminated", 2), [0, 0, 0, 1, 0, 0, 0]);
    assert.deepEqual(column(rows, "truncated", 2), [0, 0, 0, 0, 0, 0, 0]);
  });

  it("same-step: puts each sub-env's true final observation in infos.finalObs only on its ending step", () => {
    const rows = trace("same-step", 7);
    assert.deepEqual(column(rows, "obs", 1), [0, 1, 0, 1, 0, 1, 0, 1]);
    assert.deepEqual(column(rows, "finalObs", 1), [null, 2, null, 2, null, 2, null]);
    assert.deepEqual(column(rows, "truncated", 1), [0, 1, 0, 1, 0, 1, 0]);
    assert.deepEqual(column(rows, "obs", 2), [0, 1, 2, 3, 0, 1, 2, 3]);
    assert.deepEqual(column(rows, "finalObs", 2), [null, null, null, 4, null, null, null]);
    assert.deepEqual(column(rows, "terminated", 2), [0, 0, 0, 1, 0, 0, 0]);
    assert.deepEqual(column(rows, "rewards", 2), [1, 1, 1, 1, 1, 1, 1]);
  });

  for (const autoreset of ["next-step", "same-step"] as const) {
    it(`${autoreset}: each CartPole sub-env follows the trajectory of a standalone env seeded with seed + i`, () => {
      const numEnvs = 4;
      const seed = 7;
      const envs = new SyncVectorEnv(Array.from({ length: numEnvs }, () => () => make("CartPole-v1")), { autoreset });
      const standalone = Array.from({ length: numEnvs }, () => make("CartPole-v1"));
      const expectedFirst = standalone.map((env, i) => env.reset({ seed: seed + i }).obs);
      assert.deepEqual(envs.reset({ seed }).obs, concat(expectedFirst));
      const pendingReset = new Array<boolean>(numEnvs).fill(false);
      const rng = Rng.fromSeed(1);
      let mixedEndings = 0;
      for (let t = 0; t < 300; t++) {
        const actions = Array.from({ length: numEnvs }, () => rng.integer(2));
        const step = envs.step(actions);
        const ended = new Set<number>();
        for (let i = 0; i < numEnvs; i++) {
          const row = step.obs.subarray(i * 4, i * 4 + 4);
          if (pendingReset[i]) {
            // next-step: the vector env resets this sub-env now and ignores its action.
            pendingReset[i] = false;
            assert.deepEqual(row, standalone[i].reset().obs);
            assert.deepEqual([step.rewards[i], step.terminated[i], step.truncated[i]], [0, 0, 0]);
            continue;
          }
          const expected = standalone[i].step(actions[i]);
          assert.equal(step.rewards[i], expected.reward);
          assert.equal(step.terminated[i], expected.terminated ? 1 : 0);
          assert.equal(step.truncated[i], expected.truncated ? 1 : 0);
          if (!(expected.terminated || expected.truncated)) {
            assert.deepEqual(row, expected.obs);
            continue;
          }
          ended.add(i);
          if (autoreset === "next-step") {
            assert.deepEqual(row, expected.obs);
            pendingReset[i] = true;
          } else {
            assert.deepEqual(step.infos.finalObs[i], expected.obs);
            assert.deepEqual(row, standalone[i].reset().obs);
          }
        }
        if (ended.size > 0 && ended.size < numEnvs) mixedEndings += 1;
      }
      assert.ok(mixedEndings > 5, `episodes should end at different times, got ${mixedEndings} mixed steps`);
    });
  }

  it("next-step: ignores the action of the step that resets a sub-env", () => {
    const makeEnvs = () => new SyncVectorEnv([0, 1].map(() => () => make("CartPole-v1")));
    const left = makeEnvs();
    const right = makeEnvs();
    left.reset({ seed: 3 });
    right.reset({ seed: 3 });
    // Step both vector envs alike until sub-env 0's pole falls.
    let step = left.step([1, 1]);
    right.step([1, 1]);
    while (step.terminated[0] === 0) {
      step = left.step([1, 1]);
      right.step([1, 1]);
    }
    // Sub-env 0 resets: actions 0 and 1 give the same observation. Sub-env 1 (if still running) does not.
    const afterLeft = left.step([0, 0]);
    const afterRight = right.step([1, 1]);
    assert.deepEqual(afterLeft.obs.subarray(0, 4), afterRight.obs.subarray(0, 4));
    assert.equal(afterLeft.rewards[0], 0);
    assert.deepEqual([step.terminated[1], step.truncated[1]], [0, 0], "with seed 3, sub-env 1 is still running");
    assert.notDeepEqual(afterLeft.obs.subarray(4, 8), afterRight.obs.subarray(4, 8), "a running sub-env's action still matters");
  });
});

describe("SyncVectorEnv seeding", () => {
  const run = (seed: number) => {
    const envs = new SyncVectorEnv(Array.from({ length: 8 }, () => () => make("CartPole-v1")));
    const observations = [Array.from(envs.reset({ seed }).obs)];
    for (let t = 0; t < 50; t++) observations.push(Array.from(envs.step(new Int32Array(8).fill(t % 2)).obs));
    return observations;
  };

  it("gives identical runs for the same seed and different runs for another", () => {
    assert.deepEqual(run(11), run(11));
    assert.notDeepEqual(run(11), run(12));
  });

  it("starts no two sub-envs from the same state (each has its own RNG stream)", () => {
    const first = run(0)[0];
    const rows = new Set(Array.from({ length: 8 }, (_, i) => first.slice(i * 4, i * 4 + 4).join(",")));
    assert.equal(rows.size, 8);
  });

  it("seeds the first reset with the constructor's seed, lets an explicit seed win, and never re-seeds later resets", () => {
    const envFns = [0, 1].map(() => () => make("CartPole-v1"));
    const seeded = new SyncVectorEnv(envFns, { seed: 5 });
    const explicit = new SyncVectorEnv(envFns);
    const first = seeded.reset().obs;
    assert.deepEqual(first, explicit.reset({ seed: 5 }).obs);
    assert.notDeepEqual(seeded.reset().obs, first, "a second reset continues the streams");
    assert.deepEqual(new SyncVectorEnv(envFns, { seed: 5 }).reset({ seed: 9 }).obs, explicit.reset({ seed: 9 }).obs);
  });
});

describe("SyncVectorEnv results", () => {
  it("copy: true returns fresh arrays that keep their values", () => {
    const envs = counters("next-step");
    envs.reset();
    const first = envs.step([0, 0, 0]);
    const second = envs.step([0, 0, 0]);
    assert.notEqual(first.obs, second.obs);
    assert.deepEqual(Array.from(first.obs), [1, 1, 1]);
    assert.notEqual(first.rewards, second.rewards);
    assert.notEqual(first.infos.perEnv, second.infos.perEnv);
  });

  it("copy: false reuses one set of arrays, so a kept result changes under you", () => {
    const envs = new SyncVectorEnv(COUNTERS.map((options) => () => make("StepCounter-v0", options)), { copy: false });
    const reset = envs.reset();
    const first = envs.step([0, 0, 0]);
    const second = envs.step([0, 0, 0]);
    assert.equal(first.obs, second.obs);
    assert.equal(reset.obs, second.obs);
    assert.equal(first.terminated, second.terminated);
    assert.deepEqual(Array.from(first.obs), [2, 2, 2], "the first result now shows the second step");
    const kept = second.obs.slice();
    envs.step([0, 0, 0]);
    assert.deepEqual(Array.from(kept), [2, 2, 2], "a copy is safe");
  });

  it("reports shapes, spaces and a readable name", () => {
    const envs = new SyncVectorEnv([0, 1].map(() => () => make("StepCounter-v0", { obsSize: 3 })));
    assert.deepEqual(envs.obsShape, [2, 3]);
    assert.equal(envs.numEnvs, 2);
    assert.equal(envs.autoreset, "next-step");
    assert.equal(String(envs.singleObservationSpace), "Box(0, Infinity, [3], float32)");
    assert.equal(String(envs.singleActionSpace), "Discrete(2)");
    assert.equal(String(envs), "SyncVectorEnv(StepCounter-v0, numEnvs=2, next-step)");
    assert.equal(envs.reset().obs.length, 6);
  });

  it("calls a method or reads a property through each sub-env's wrappers, and renders one sub-env", () => {
    const envs = new SyncVectorEnv([0, 1, 2].map(() => () => make("StepCounter-v0", { maxEpisodeSteps: 3 })));
    envs.reset();
    envs.step([0, 0, 0]);
    assert.deepEqual(envs.call("elapsedSteps"), [1, 1, 1]); // TimeLimit's counter
    assert.deepEqual(envs.call("count"), [1, 1, 1]); // the bare env's getter, found below the wrappers
    assert.deepEqual(envs.call<{ width: number }>("render").map((frame) => frame.width), [64, 64, 64]);
    const frame = envs.render(2);
    assert.deepEqual([frame.width, frame.height], [64, 8]);
    assert.throws(() => envs.render(3), /Expected a sub-env index 0 ≤ i < 3, got 3/);
    assert.throws(() => envs.call("noSuchThing"), /Expected sub-env 0 .* to have "noSuchThing", got none/);
  });
});

function concat(rows: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((length, row) => length + row.length, 0));
  let offset = 0;
  for (const row of rows) {
    out.set(row, offset);
    offset += row.length;
  }
  return out;
}
