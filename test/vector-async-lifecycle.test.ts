import { describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { AsyncVectorEnv } from "../src/vector/async-vector-env";
import "../src/envs";

// The lifetime of worker threads: close(), closeAll(), garbage collection, and never keeping the
// process alive (a notebook kernel must be able to restart; a test process must exit by itself).

const spec = { id: "CartPole-v1" };

/** Waits until `condition()` holds, polling the event loop (worker 'exit' events and finalizers run there). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`Expected ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("AsyncVectorEnv lifetime", () => {
  it("warns once when more than 4 vector envs are open at the same time, naming closeAll()", async () => {
    const warn = mock.method(console, "warn", () => undefined);
    try {
      const pools = Array.from({ length: 6 }, () => new AsyncVectorEnv({ spec, numEnvs: 1 }));
      assert.equal(warn.mock.callCount(), 1);
      assert.match(String(warn.mock.calls[0]!.arguments[0]), /5 worker-thread vector envs are open at the same time.*AsyncVectorEnv\.closeAll\(\)/);
      await Promise.all(pools.map((pool) => pool.closeAsync()));
    } finally {
      warn.mock.restore();
    }
  });

  it("close() ends every worker (their 'exit' events fire), is idempotent, and later calls throw", async () => {
    const before = AsyncVectorEnv.liveWorkers();
    const envs = new AsyncVectorEnv({ spec, numEnvs: 4, numWorkers: 2 });
    assert.equal(AsyncVectorEnv.liveWorkers(), before + 2);
    envs.reset({ seed: 0 });
    const exits = envs.workers.map((worker) => once(worker, "exit"));
    envs.close();
    envs.close();
    assert.equal(envs.isClosed, true);
    await Promise.all(exits);
    assert.equal(AsyncVectorEnv.liveWorkers(), before);
    assert.throws(() => envs.step([0, 0, 0, 0]), /Expected an open vector env, got step\(\) after close\(\)/);
    assert.throws(() => envs.reset(), /Expected an open vector env, got reset\(\) after close\(\)/);
  });

  it("lists the open vector envs in openPools() and closes them all with closeAll()", async () => {
    AsyncVectorEnv.closeAll();
    const pools = [1, 2, 3].map((numEnvs) => new AsyncVectorEnv({ spec, numEnvs, numWorkers: 1 }));
    assert.deepEqual(new Set(AsyncVectorEnv.openPools()), new Set(pools));
    pools[0]!.close();
    assert.deepEqual(new Set(AsyncVectorEnv.openPools()), new Set(pools.slice(1)));
    assert.equal(AsyncVectorEnv.closeAll(), 2);
    assert.deepEqual(AsyncVectorEnv.openPools(), []);
    assert.ok(pools.every((pool) => pool.isClosed));
    await Promise.all(pools.map((pool) => pool.closeAsync()));
  });

  it("does not accumulate workers when a loop re-creates a vector env and closes the old one", async () => {
    const before = AsyncVectorEnv.liveWorkers();
    let envs: AsyncVectorEnv | undefined;
    for (let run = 0; run < 6; run++) {
      envs?.close();
      envs = new AsyncVectorEnv({ spec, numEnvs: 2, numWorkers: 2 });
      envs.reset();
    }
    await envs!.closeAsync();
    await eventually(() => AsyncVectorEnv.liveWorkers() === before, "every worker to exit");
  });

  it("ends the workers of vector envs that were dropped without close() once they are garbage-collected", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    AsyncVectorEnv.closeAll();
    await eventually(() => AsyncVectorEnv.liveWorkers() === 0, "no workers before the test");
    const warn = mock.method(console, "warn", () => undefined);
    try {
      for (let run = 0; run < 6; run++) new AsyncVectorEnv({ spec, numEnvs: 1 }).reset({ seed: run }); // and dropped
    } finally {
      warn.mock.restore();
    }
    assert.equal(AsyncVectorEnv.liveWorkers(), 6);
    await eventually(() => {
      gc();
      return AsyncVectorEnv.openPools().length === 0 && AsyncVectorEnv.liveWorkers() === 0;
    }, "the dropped vector envs to be collected and their workers to exit");
  });

  it("never keeps the process alive: a script that forgets close() still exits", () => {
    const library = path.join(__dirname, "../src/vector/async-vector-env.js");
    const script = `
      const { AsyncVectorEnv } = require(${JSON.stringify(library)});
      require(${JSON.stringify(path.join(__dirname, "../src/envs/index.js"))});
      const envs = new AsyncVectorEnv({ spec: { id: "CartPole-v1" }, numEnvs: 2, numWorkers: 2 });
      envs.reset({ seed: 0 });
      envs.step([0, 1]);
      console.log("stepped");`;
    const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 10_000 });
    assert.equal(child.error, undefined, "the child exited before the timeout");
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), "stepped");
  });
});
