import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { BACKEND_ENV_VAR, getBackendInfo, initBackend, parseBackendRequest, tf, WASM_THREADS_ENV_VAR } from "../src/backend/index";

const run = promisify(execFile);
/** The compiled backend module, for child processes (this file runs from build/test/). */
const backendModule = path.join(__dirname, "..", "src", "backend", "index.js");

/**
 * Runs `code` in a fresh Node process with `backend` bound to rl-workbook's backend module, and
 * returns what it printed. A fresh process is the only way to observe import-time and first-use
 * output (tfjs's banner) and the environment variable on a first initBackend() call.
 */
async function runInChild(code: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const script = `const backend = require(${JSON.stringify(backendModule)});\n(async () => {\n${code}\n})().catch((e) => { console.error("CHILD ERROR: " + e.message); process.exit(1); });`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!(BACKEND_ENV_VAR in env)) delete childEnv[BACKEND_ENV_VAR];
  if (!(WASM_THREADS_ENV_VAR in env)) delete childEnv[WASM_THREADS_ENV_VAR];
  return run(process.execPath, ["-e", script], { env: childEnv, timeout: 30_000 });
}

/** Whether @tensorflow/tfjs-node is installed (an optional dependency; it needs to download libtensorflow). */
const hasTfjsNode = (() => {
  try {
    require.resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
})();
/** Skip reason for tests that expect tfjs-node to be absent, as on machines where it cannot install. */
const needsNoTfjsNode = hasTfjsNode ? "tfjs-node is installed here" : false;

describe("backend selection", () => {
  it("picks tfjs-node when it is installed, and says so in one plain line", { skip: hasTfjsNode ? false : "tfjs-node is not installed here" }, async () => {
    const lines: string[] = [];
    const info = await initBackend({ log: (line) => lines.push(line), env: {} });
    assert.equal(info.name, "tensorflow");
    assert.equal(tf.getBackend(), "tensorflow");
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^rl-workbook: tfjs backend "tensorflow" \(tfjs-node [\d.]+ loaded\)$/);
  });

  it("picks wasm when tfjs-node is not installed, and says so in one plain line", { skip: needsNoTfjsNode }, async () => {
    const lines: string[] = [];
    const info = await initBackend({ log: (line) => lines.push(line), env: {} });
    assert.equal(info.name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.equal(info.requested, "auto");
    assert.equal(info.requestedBy, "default");
    assert.deepEqual(info.wasm, { simd: true, threads: 1 });
    assert.equal(info.versions.tfjs, "4.22.0");
    assert.deepEqual(lines, ['rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 1 thread)']);
    assert.equal(info.message, lines[0]);
    assert.ok(info.addedKernels.includes("Conv2DBackpropFilter"));
  });

  it("returns the same info without printing again when called twice", async () => {
    const first = await initBackend({ log: false });
    const lines: string[] = [];
    const second = await initBackend({ log: (line) => lines.push(line) });
    assert.equal(second, first);
    assert.equal(getBackendInfo(), first);
    assert.deepEqual(lines, []);
  });

  it("switches backend only when a different backend is passed explicitly", async () => {
    const lines: string[] = [];
    const cpu = await initBackend({ backend: "cpu", log: (line) => lines.push(line) });
    assert.equal(cpu.name, "cpu");
    assert.equal(tf.getBackend(), "cpu");
    assert.equal(cpu.requestedBy, "option");
    assert.deepEqual(lines, ['rl-workbook: tfjs backend "cpu" (forced by option backend: "cpu"; plain JavaScript kernels, slow)']);
    // Library code calling initBackend() defensively must not undo the user's choice.
    assert.equal(await initBackend(), cpu);
    assert.equal(await initBackend({ backend: "cpu" }), cpu);
    const wasm = await initBackend({ backend: "wasm", log: false });
    assert.equal(wasm.name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.match(wasm.reason, /^forced by option backend: "wasm"; wasm SIMD, 1 thread$/);
  });

  it("fails clearly when a forced backend cannot load, without changing the current one", { skip: needsNoTfjsNode }, async () => {
    await assert.rejects(initBackend({ backend: "tensorflow", log: false }), {
      message: 'Expected @tensorflow/tfjs-node to load (option backend: "tensorflow"), got: tfjs-node not installed',
    });
    assert.equal(tf.getBackend(), "wasm");
    assert.equal(getBackendInfo()?.name, "wasm");
    // The earlier choice stays in force for later calls.
    assert.equal(await initBackend({ log: false }), getBackendInfo());
  });

  it("rejects an unknown backend name, listing the accepted ones", async () => {
    await assert.rejects(initBackend({ env: { [BACKEND_ENV_VAR]: "gpu" } }), {
      message: 'Expected RL_WORKBOOK_BACKEND to be one of auto, tensorflow, wasm, cpu, got "gpu"',
    });
    assert.equal(parseBackendRequest(" CPU ", "x"), "cpu");
    assert.equal(parseBackendRequest("tfjs-node", "x"), "tensorflow");
    assert.equal(parseBackendRequest("", "x"), "auto");
  });

  it("honours RL_WORKBOOK_BACKEND=cpu in a fresh process and prints no tfjs banner", async () => {
    const { stdout, stderr } = await runInChild(
      `const info = await backend.initBackend();
       backend.tf.tidy(() => backend.tf.square(backend.tf.tensor([1, 2, 3])).dataSync());
       console.log(JSON.stringify({ name: info.name, active: backend.tf.getBackend() }));`,
      { [BACKEND_ENV_VAR]: "cpu" },
    );
    const lines = stdout.trim().split("\n");
    assert.equal(lines[0], 'rl-workbook: tfjs backend "cpu" (forced by RL_WORKBOOK_BACKEND=cpu; plain JavaScript kernels, slow)');
    assert.deepEqual(JSON.parse(lines[1]!), { name: "cpu", active: "cpu" });
    assert.equal(lines.length, 2);
    assert.equal(stderr, "");
  });

  it("prints nothing at all when tensors are used before initBackend (cpu until then)", async () => {
    const { stdout, stderr } = await runInChild(
      `const t = backend.tf.tensor([1, 2, 3]);
       console.log(backend.tf.getBackend() + " " + t.sum().dataSync()[0]);`,
    );
    assert.equal(stdout, "cpu 6\n");
    assert.equal(stderr, "");
  });

  it("picks wasm in a fresh process and prints exactly one line", { skip: needsNoTfjsNode }, async () => {
    const { stdout, stderr } = await runInChild(
      `await backend.initBackend();
       await backend.initBackend();
       backend.tf.tidy(() => backend.tf.square(backend.tf.tensor([1, 2, 3])).dataSync());`,
    );
    assert.equal(stdout, 'rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 1 thread)\n');
    assert.equal(stderr, "");
  });
});

describe("the wasm backend on several threads", { skip: needsNoTfjsNode }, () => {
  it("starts XNNPACK on 2 worker threads, says so, trains conv layers exactly as cpu, and lets the process exit", async () => {
    // A fresh process: the thread count is fixed when wasm starts. The child returning at all shows
    // that the pool's worker threads do not keep Node alive.
    const { stdout, stderr } = await runInChild(
      `const info = await backend.initBackend({ threads: 2 });
       const tf = backend.tf;
       const gradients = async (name) => {
         await tf.setBackend(name);
         return tf.tidy(() => {
           const x = tf.randomUniform([8, 44, 44, 4], 0, 1, "float32", 1);
           const w = tf.randomUniform([8, 8, 4, 32], -0.1, 0.1, "float32", 2);
           const w2 = tf.randomUniform([4, 4, 32, 64], -0.1, 0.1, "float32", 3);
           const [dx, dw, dw2] = tf.grads((a, b, c) => tf.sum(tf.square(tf.conv2d(tf.relu(tf.conv2d(a, b, 4, "valid")), c, 2, "valid"))))([x, w, w2]);
           return [dx, dw, dw2].map((t) => Array.from(t.dataSync()));
         });
       };
       const onWasm = await gradients("wasm");
       const onCpu = await gradients("cpu");
       const errors = onCpu.map((expected, i) => {
         const scale = Math.max(...expected.map(Math.abs));
         return Math.max(...expected.map((v, j) => Math.abs(onWasm[i][j] - v))) / scale;
       });
       console.log(JSON.stringify({ threads: info.wasm.threads, errors }));`,
    );
    const lines = stdout.trim().split("\n");
    assert.equal(lines[0], 'rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 2 threads)');
    const result = JSON.parse(lines[1]!) as { threads: number; errors: number[] };
    assert.equal(result.threads, 2);
    for (const error of result.errors) assert.ok(error <= 1e-4, `Expected gradients within 1e-4 of cpu, got ${error}`);
    assert.equal(stderr, "");
  });

  it("reads the thread count from RL_WORKBOOK_WASM_THREADS", async () => {
    const { stdout } = await runInChild(`await backend.initBackend();`, { [WASM_THREADS_ENV_VAR]: "3" });
    assert.equal(stdout, 'rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 3 threads)\n');
  });

  it("rejects thread counts outside 1 to 8, and another count once wasm runs", async () => {
    await assert.rejects(initBackend({ threads: 0, log: false }), { message: "Expected the threads option to be an integer from 1 to 8, got 0" });
    await assert.rejects(initBackend({ threads: 1.5, log: false }), { message: "Expected the threads option to be an integer from 1 to 8, got 1.5" });
    await assert.rejects(initBackend({ log: false, env: { [WASM_THREADS_ENV_VAR]: "many" } }), {
      message: 'Expected RL_WORKBOOK_WASM_THREADS ("many") to be an integer from 1 to 8, got NaN',
    });
    const info = await initBackend({ backend: "wasm", threads: 1, log: false });
    assert.deepEqual(info.wasm, { simd: true, threads: 1 });
    await assert.rejects(initBackend({ backend: "wasm", threads: 2, log: false }), /^Error: Expected the wasm backend to run 2 threads, got one already running 1 /);
  });
});
