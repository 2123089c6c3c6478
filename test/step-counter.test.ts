import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { make } from "../src/core/make";
import { StepCounterEnv } from "../src/envs/step-counter";
import "../src/envs";

describe("StepCounter-v0", () => {
  it("counts steps since reset and is truncated by a TimeLimit of 3 on the third step (the ANCHORS trace)", () => {
    const env = make("StepCounter-v0", { maxEpisodeSteps: 3 });
    assert.deepEqual(Array.from(env.reset({ seed: 0 }).obs), [0]);
    const steps = [0, 1, 0].map((action) => env.step(action));
    assert.deepEqual(steps.map((step) => step.obs[0]), [1, 2, 3]);
    assert.deepEqual(steps.map((step) => step.reward), [1, 1, 1]);
    assert.deepEqual(steps.map((step) => [step.terminated, step.truncated]), [[false, false], [false, false], [false, true]]);
    assert.deepEqual(Array.from(env.reset().obs), [0]);
  });

  it("has no default time limit and never ends by itself", () => {
    const env = make("StepCounter-v0");
    assert.equal(env.spec.maxEpisodeSteps, undefined);
    env.reset();
    for (let i = 0; i < 1000; i++) {
      const step = env.step(i % 2);
      assert.equal(step.terminated || step.truncated, false);
    }
    assert.equal(env.unwrapped.count, 1000);
  });

  it("terminates when the count reaches terminateAt", () => {
    const env = make("StepCounter-v0", { terminateAt: 2 });
    env.reset();
    assert.equal(env.step(0).terminated, false);
    const last = env.step(0);
    assert.equal(last.terminated, true);
    assert.equal(last.truncated, false);
  });

  it("repeats the count obsSize times in a float32 Box observation", () => {
    const env = make("StepCounter-v0", { obsSize: 5 });
    assert.equal(String(env.observationSpace), "Box(0, Infinity, [5], float32)");
    env.reset();
    env.step(1);
    assert.deepEqual(env.step(1).obs, new Float32Array(5).fill(2));
  });

  it("throws the deliberate failure at throwAtStep", () => {
    const env = new StepCounterEnv({ throwAtStep: 2 });
    env.reset();
    env.step(0);
    assert.throws(() => env.step(0), { message: "StepCounter: deliberate failure at step 2" });
  });

  it("ends only its worker thread with exit code 3 at exitAtStep", async () => {
    const modulePath = path.join(__dirname, "../src/envs/step-counter.js");
    const source = `const { StepCounterEnv } = require(${JSON.stringify(modulePath)});
      const env = new StepCounterEnv({ exitAtStep: 2 });
      env.reset();
      env.step(0);
      env.step(0);
      throw new Error("unreachable: step 2 should have exited");`;
    const worker = new Worker(source, { eval: true });
    const [exitCode] = await once(worker, "exit");
    assert.equal(exitCode, 3);
  });

  it("spends at least stepCostMicros per step by spinning", () => {
    const env = new StepCounterEnv({ stepCostMicros: 200 });
    env.reset();
    const start = performance.now();
    for (let i = 0; i < 20; i++) env.step(0);
    assert.ok(performance.now() - start >= 20 * 0.2, "20 steps of 200 µs take at least 4 ms");
  });

  it("renders the count as a bar, 4 columns per step", () => {
    const env = new StepCounterEnv();
    env.reset();
    env.step(0);
    env.step(0);
    const frame = env.render();
    assert.deepEqual([frame.width, frame.height], [64, 8]);
    const pixel = (x: number) => frame.data[x * 3];
    assert.deepEqual([pixel(0), pixel(7), pixel(8)], [255, 255, 40]);
  });

  it("rejects invalid options and actions with Expected … got messages", () => {
    assert.throws(() => new StepCounterEnv({ obsSize: 0 }), /Expected obsSize to be a positive integer, got 0/);
    assert.throws(() => new StepCounterEnv({ stepCostMicros: -1 }), /Expected stepCostMicros to be a non-negative number, got -1/);
    assert.throws(() => make("StepCounter-v0", { terminateAfter: 3 } as never), /did you mean "terminateAt"/);
    const env = new StepCounterEnv();
    assert.throws(() => env.step(0), /Expected reset\(\) before step\(\)/);
    env.reset();
    assert.throws(() => env.step(2), /Expected an action in Discrete\(2\)/);
  });
});
