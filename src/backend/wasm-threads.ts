import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "./tf";

/**
 * The multi-threaded wasm backend in Node: XNNPACK's thread pool on worker threads.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build (tfjs-backend-wasm-threaded-simd.wasm, emscripten
 * pthreads) but never loads it in Node: its flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false
 * there (tfjs issue #3830), and its loader hands emscripten the pthread worker script and the main
 * script as Blob URLs, which Node's worker_threads cannot run. The build itself supports Node
 * (emscripten's runtime uses worker_threads there), so this module loads it with what Node needs:
 * - the worker script as a real file (wasm-pthread-worker.js beside this one), and the main script
 *   by its path (emscripten's default once it is loaded with `require`);
 * - a thread count that survives the C++ side: backend.cc caps the pool at
 *   `emscripten_num_logical_cores() / 2` (it assumes two hyper-threads a core), which is 1 on a
 *   2-core machine whatever is asked. We answer that import with 2 × the requested threads, so the
 *   cap is exactly the request;
 * - worker threads that do not keep Node alive: emscripten `ref()`s a worker while its pthread runs,
 *   and XNNPACK's pool threads run forever, so a script would never exit. We `unref()` them (they end
 *   with the process) and terminate the idle ones of emscripten's fixed pool of 8.
 * Threads cannot appear during a computation: the main thread blocks (Atomics.wait) while XNNPACK
 * runs, and a worker created then would wait for the main thread's event loop to start. So the pool
 * is capped at the 8 workers emscripten creates and loads before the module resolves.
 *
 * Only XNNPACK's operators (convolutions, fully connected products, some element-wise ops) use the
 * pool; tfjs's own scalar kernels (transposes, slices, reductions) stay on the calling thread.
 */

/** Most threads the threaded build can run: emscripten's pthread pool has 8 workers (PTHREAD_POOL_SIZE). */
export const MAX_WASM_THREADS = 8;

/** The emscripten module of the threaded build, as far as this file uses it. */
interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => unknown;
  PThread: { unusedWorkers: Worker[]; runningWorkers: Worker[] };
  tfjs?: unknown;
}

/** WebAssembly's JS API, typed here (this project's lib has no DOM types). */
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
}

/** Imports emscripten passes to `instantiateWasm`; "env" holds the JS functions the C++ calls. */
interface WasmImports {
  env: Record<string, unknown>;
}

/** Config of an emscripten module factory (the subset used here). */
interface FactoryConfig {
  locateFile(file: string, prefix: string): string;
  instantiateWasm(imports: WasmImports, receiveInstance: (instance: object, module: object) => void): object;
}

/** A backend factory as tfjs's engine registers it. */
type BackendFactory = { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number };

/** tfjs's own (single-threaded) "wasm" factory, saved the first time {@link useWasmThreads} replaces it. */
let tfjsWasmFactory: BackendFactory | undefined;

/**
 * Validates a requested thread count.
 *
 * @param threads The requested number of XNNPACK threads.
 * @param source What the number came from, for the message (e.g. "the threads option").
 * @returns `threads`, unchanged.
 * @throws Error `Expected <source> to be an integer from 1 to 8, got <threads>`.
 * @example
 * ```ts
 * checkWasmThreads(2, "the threads option"); // 2
 * ```
 */
export function checkWasmThreads(threads: number, source: string): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`Expected ${source} to be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`);
  }
  return threads;
}

/**
 * Loads the threaded SIMD build with a pool of `threads` threads and wraps it in tfjs's BackendWasm.
 * tfjs's wasm kernels (and rl-workbook's) then run on it unchanged: they are registered by backend
 * name, and their setup binds to whichever module the backend holds.
 */
async function createThreadedWasmBackend(threads: number): Promise<BackendWasm> {
  const wasmPackage = await import("@tensorflow/tfjs-backend-wasm");
  const mainScript = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const folder = path.dirname(mainScript);
  const factory = require(mainScript) as (config: FactoryConfig) => Promise<ThreadedWasmModule>;
  const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  // emscripten cannot be told that our instantiation failed; without this its promise would never settle.
  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => (failInstantiation = reject));
  const module = await Promise.race([
    factory({
      locateFile: (file) => (file.endsWith(".worker.js") ? path.join(__dirname, "wasm-pthread-worker.js") : path.join(folder, file)),
      instantiateWasm: (imports, receiveInstance) => {
        // backend.cc halves the logical core count and caps the pool there (see the file comment).
        imports.env["emscripten_num_logical_cores"] = () => 2 * threads;
        const bytes = readFileSync(path.join(folder, "tfjs-backend-wasm-threaded-simd.wasm"));
        webAssembly.instantiate(bytes, imports).then(({ instance, module: compiled }) => receiveInstance(instance, compiled), failInstantiation);
        return {};
      },
    }),
    instantiationFailed,
  ]);
  // The same C entry points tfjs's own loader binds (backend_wasm.ts, init()).
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  wasmPackage.setThreadsCount(threads);
  // The constructor creates XNNPACK's pool: pthreads start on the pre-loaded workers.
  const backend = new wasmPackage.BackendWasm(module as unknown as ConstructorParameters<typeof wasmPackage.BackendWasm>[0]);
  for (const worker of module.PThread.runningWorkers) worker.unref();
  for (const worker of module.PThread.unusedWorkers) void worker.terminate();
  module.PThread.unusedWorkers = [];
  const started = wasmPackage.getThreadsCount();
  if (started !== threads) {
    backend.dispose();
    throw new Error(`Expected the threaded wasm build to start ${threads} threads, got ${started}`);
  }
  return backend;
}

/**
 * Makes tfjs's next initialisation of the "wasm" backend load the multi-threaded SIMD build with a
 * pool of `threads` XNNPACK threads (see the file comment for what that takes in Node). With
 * `threads` 1 it puts tfjs's own single-threaded loader back. Must run before the wasm backend is
 * initialised: a running backend keeps its thread pool (its tensors live in its memory).
 *
 * `initBackend({ threads })` calls this (the library does not export it).
 *
 * @param threads XNNPACK threads, 1 to {@link MAX_WASM_THREADS}.
 * @returns Nothing; the choice takes effect at `tf.setBackend("wasm")`.
 * @throws Error `Expected ... an integer from 1 to 8, got ...`, or
 *   `Expected the wasm backend not to be initialised yet ...` if it is.
 * @example
 * ```ts
 * useWasmThreads(2);
 * await tf.setBackend("wasm");
 * wasm.getThreadsCount(); // 2
 * ```
 */
export function useWasmThreads(threads: number): void {
  checkWasmThreads(threads, "threads");
  // Side effect wanted: registers tfjs's "wasm" backend factory and kernels.
  require("@tensorflow/tfjs-backend-wasm");
  if (tf.engine().registry["wasm"] !== undefined) {
    throw new Error(`Expected the wasm backend not to be initialised yet when choosing ${threads} thread(s), got it running`);
  }
  const registry = tf.engine().registryFactory as Record<string, BackendFactory | undefined>;
  const current = registry["wasm"];
  if (current === undefined) throw new Error("Expected @tensorflow/tfjs-backend-wasm to register the wasm backend, got none");
  tfjsWasmFactory ??= current;
  tf.removeBackend("wasm");
  if (threads === 1) {
    tf.registerBackend("wasm", tfjsWasmFactory.factory, tfjsWasmFactory.priority);
  } else {
    tf.registerBackend("wasm", () => createThreadedWasmBackend(threads), tfjsWasmFactory.priority);
  }
}
