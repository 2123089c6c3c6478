import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AsyncVectorEnv, SubEnvError, WorkerDiedError, type AsyncVectorEnvOptions } from "../src/vector/async-vector-env";
import "../src/envs";

// Faults inside workers: a throwing sub-env (the pool stays usable), a dying worker (the pool
// closes, nothing hangs), and a step that takes too long.

/**
 * "Flaky-v0": StepCounter that misbehaves only in the sub-env seeded `badSeed` (so with reset
 * seed 0, only sub-env `badSeed` does): it throws, exits the thread, or throws asynchronously when
 * its count would reach `atStep`.
 */
const flakyId = ((): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rl-workbook-faults-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "flaky.js");
  fs.writeFileSync(
    file,
    `const { register, registry } = require(${JSON.stringify(path.join(__dirname, "../src/core/registry.js"))});
     const { StepCounterEnv } = require(${JSON.stringify(path.join(__dirname, "../src/envs/step-counter.js"))});
     class FlakyEnv extends StepCounterEnv {
       constructor({ badSeed, atStep, how }) { super(); Object.assign(this, { badSeed, atStep, how }); }
       reset(args = {}) { if (args.seed !== undefined) this.seed = args.seed; return super.reset(args); }
       step(action) {
         if (this.seed === this.badSeed && this.count + 1 === this.atStep) {
           if (this.how === "throw") throw new Error("Flaky: deliberate failure at step " + this.atStep);
           if (this.how === "exit") process.exit(3);
           if (this.how === "async") setTimeout(() => { throw new Error("Flaky: asynchronous failure"); }, 0);
         }
         return super.step(action);
       }
     }
     if (!registry.has("Flaky-v0")) register({ id: "Flaky-v0", entryPoint: (options) => new FlakyEnv(options), optionNames: ["badSeed", "atStep", "how"] });`,
  );
  return `${file}:Flaky-v0`;
})();

function flaky(how: string, extra: Partial<AsyncVectorEnvOptions> = {}): AsyncVectorEnv<Float32Array, number> {
  const envs = new AsyncVectorEnv<Float32Array, number>({ spec: { id: flakyId, options: { badSeed: 3, atStep: 2, how } }, numEnvs: 4, numWorkers: 2, ...extra });
  after(() => envs.closeAsync());
  return envs;
}

describe("AsyncVectorEnv faults", () => {
  it("throws an Error naming the sub-env and its message, then steps a rebuilt sub-env (exactly what the caller sees)", () => {
    const envs = flaky("throw");
    envs.reset({ seed: 0 });
    assert.deepEqual(Array.from(envs.step([0, 0, 0, 0]).obs), [1, 1, 1, 1]);
    let caught: unknown;
    try {
      envs.step([0, 0, 0, 0]);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof SubEnvError);
    assert.equal(caught.message, 'Sub-env 3 ("Flaky-v0") threw in step(): Flaky: deliberate failure at step 2');
    assert.equal(caught.envIndex, 3);
    assert.equal(caught.method, "step");
    assert.match(String((caught.cause as Error).stack), /FlakyEnv\.step/, "the worker's stack travels as the cause");
    // The next step: sub-envs 0–2 continue (they did step during the failed call), sub-env 3 is a
    // fresh env whose first observation comes back with reward 0 and both flags false.
    const next = envs.step([0, 0, 0, 0]);
    assert.deepEqual(Array.from(next.obs), [3, 3, 3, 0]);
    assert.deepEqual(Array.from(next.rewards), [1, 1, 1, 0]);
    assert.deepEqual([...next.terminated, ...next.truncated], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(next.infos.perEnv[3]!["restartedAfterError"], "Flaky: deliberate failure at step 2");
    assert.deepEqual(Array.from(envs.step([0, 0, 0, 0]).obs), [4, 4, 4, 1], "the rebuilt sub-env (unseeded) steps on");
  });

  it("handles a throw in the main thread's group (useMainThread) the same way", () => {
    const envs = new AsyncVectorEnv<Float32Array, number>({ spec: { id: flakyId, options: { badSeed: 0, atStep: 1, how: "throw" } }, numEnvs: 3, numWorkers: 1, useMainThread: true });
    after(() => envs.closeAsync());
    envs.reset({ seed: 0 });
    assert.throws(() => envs.step([0, 0, 0]), /^SubEnvError: Sub-env 0 \("Flaky-v0"\) threw in step\(\): Flaky: deliberate failure at step 1$/);
    const next = envs.step([0, 0, 0]);
    assert.deepEqual(Array.from(next.obs), [0, 2, 2]);
    assert.equal(next.infos.perEnv[0]!["restartedAfterError"], "Flaky: deliberate failure at step 1");
  });

  it("in send/recv mode throws from recv, then returns the others and the restarted sub-env", () => {
    const envs = flaky("throw", { batchSize: 2 });
    envs.reset({ seed: 0 });
    envs.send([0, 0, 0, 0], [0, 1, 2, 3]);
    let caught: unknown;
    const seen = new Map<number, number[]>();
    const enough = (): boolean => (seen.get(3)?.length ?? 0) >= 3 && [0, 1, 2].every((env) => (seen.get(env)?.length ?? 0) >= 4);
    for (let round = 0; round < 5000 && !enough(); round++) {
      let batch: ReturnType<typeof envs.recv>;
      try {
        batch = envs.recv();
      } catch (error) {
        caught = error;
        continue;
      }
      batch.envIds.forEach((env, j) => seen.set(env, [...(seen.get(env) ?? []), batch.obs[j]!]));
      const restarted = batch.infos.perEnv.findIndex((info) => info["restartedAfterError"] !== undefined);
      if (restarted >= 0) {
        assert.equal(batch.envIds[restarted], 3);
        assert.equal(batch.obs[restarted], 0);
        assert.equal(batch.rewards[restarted], 0);
      }
      envs.send(new Int32Array(2));
    }
    assert.ok(caught instanceof SubEnvError && caught.envIndex === 3, `recv threw sub-env 3's error, got ${String(caught)}`);
    assert.deepEqual(seen.get(3)!.slice(0, 3), [1, 0, 1], "sub-env 3: step 1, then the rebuilt env's reset, then its step 1");
    for (const env of [0, 1, 2]) assert.deepEqual(seen.get(env)!.slice(0, 4), [1, 2, 3, 4], `sub-env ${env} lost no step`);
  });

  it("reports a worker that calls process.exit, naming it and its sub-envs, and closes the vector env", async () => {
    const envs = flaky("exit");
    envs.reset({ seed: 0 });
    envs.step([0, 0, 0, 0]);
    assert.throws(() => envs.step([0, 0, 0, 0]), (error: unknown) => {
      assert.ok(error instanceof WorkerDiedError);
      assert.match(error.message, /^Worker 1 \(sub-envs 2–3 of "Flaky-v0"\) died during step\(\): exit code 3; the vector env is closed/);
      assert.deepEqual(error.where, { workerIndex: 1, firstEnv: 2, envCount: 2 });
      return true;
    });
    assert.equal(envs.isClosed, true);
    assert.throws(() => envs.step([0, 0, 0, 0]), /Expected an open vector env, got step\(\) after it was closed: Worker 1/);
    await envs.closeAsync(); // every worker thread has exited
  });

  it("notices a worker terminated from outside instead of waiting for it forever", async () => {
    const envs = flaky("none");
    envs.reset({ seed: 0 });
    void envs.workers[0]!.terminate();
    assert.throws(() => envs.step([0, 0, 0, 0]), /Worker 0 \(sub-envs 0–1 of "Flaky-v0"\) died during step\(\): terminated by worker\.terminate\(\)/);
    await envs.closeAsync();
  });

  it("reports an uncaught asynchronous error in env code as a dead worker, with its message", async () => {
    const envs = flaky("async");
    envs.reset({ seed: 0 });
    envs.step([0, 0, 0, 0]);
    envs.step([0, 0, 0, 0]); // schedules the failure; it fires once the idle worker runs its event loop
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.throws(() => envs.step([0, 0, 0, 0]), /Worker 1 \(sub-envs 2–3 of "Flaky-v0"\) died during step\(\): Flaky: asynchronous failure/);
    await envs.closeAsync();
  });

  it("gives up after stepTimeoutMs instead of hanging, and closes the vector env", async () => {
    // 1.5 s, not less: the first reset also waits for the workers to load the library, which takes
    // over 300 ms on a machine busy with other jobs.
    const envs = new AsyncVectorEnv({ spec: { id: "StepCounter-v0", options: { stepCostMicros: 10_000_000 } }, numEnvs: 2, numWorkers: 2, stepTimeoutMs: 1500 });
    after(() => envs.closeAsync());
    envs.reset();
    const started = performance.now();
    assert.throws(() => envs.step([0, 0]), /Expected step\(\) to finish within stepTimeoutMs = 1500 ms, got no answer after \d+ ms from Worker 0 .* and Worker 1 .*; the vector env is closed/);
    assert.ok(performance.now() - started < 5000, "gave up well before the 10 s step would have finished");
    await envs.closeAsync(); // terminate() interrupts the busy env
  });
});
