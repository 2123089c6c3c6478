import * as tf from "./tf";
import { registerWasmTrainingKernels } from "./wasm-kernels";
import { checkWasmThreads, MAX_WASM_THREADS, useWasmThreads } from "./wasm-threads";

/** The tfjs backends rl-workbook knows how to pick, fastest first. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** What the user may ask for: a specific backend, or "auto" (fastest one that loads). */
export type BackendRequest = BackendName | "auto";

/** Name of the environment variable that forces a backend: `RL_WORKBOOK_BACKEND=cpu|wasm|tensorflow|auto`. */
export const BACKEND_ENV_VAR = "RL_WORKBOOK_BACKEND";

/** Name of the environment variable that sets the wasm backend's threads: `RL_WORKBOOK_WASM_THREADS=2`. */
export const WASM_THREADS_ENV_VAR = "RL_WORKBOOK_WASM_THREADS";

/**
 * Which tfjs backend rl-workbook runs on, and why.
 *
 * @example
 * ```ts
 * const info = await initBackend();
 * info.name;    // "wasm"
 * info.message; // 'rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 1 thread)'
 * ```
 */
export interface BackendInfo {
  /** The active tfjs backend: "tensorflow" (tfjs-node, native), "wasm" (XNNPACK) or "cpu" (plain JS). */
  readonly name: BackendName;
  /** What was asked for: "auto", or the backend forced by option or environment variable. */
  readonly requested: BackendRequest;
  /** Where the request came from: the `backend` option, the environment variable, or the default. */
  readonly requestedBy: "option" | "env" | "default";
  /** Human-readable reason, e.g. "tfjs-node not installed; wasm SIMD, 1 thread". */
  readonly reason: string;
  /** The one line printed at initialisation: `rl-workbook: tfjs backend "<name>" (<reason>)`. */
  readonly message: string;
  /** Version of @tensorflow/tfjs (and of tfjs-node when that backend is active). */
  readonly versions: { readonly tfjs: string; readonly tfjsNode?: string };
  /** For the wasm backend: whether the SIMD binary is used and how many threads XNNPACK runs. */
  readonly wasm?: { readonly simd: boolean; readonly threads: number };
  /** Kernels rl-workbook added to the wasm backend so training works there (empty elsewhere). */
  readonly addedKernels: readonly string[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Force a backend instead of picking the fastest one that loads. Overrides the
   * `RL_WORKBOOK_BACKEND` environment variable. A forced backend that cannot load is an error (no
   * silent fallback). Default: the environment variable, else "auto".
   */
  backend?: BackendRequest;
  /**
   * Where the one-line report goes: a function receiving the line, or false for silence.
   * Default: `console.log` (stdout; Jupyter shows stderr in red, and this is not an error).
   */
  log?: ((line: string) => void) | false;
  /**
   * Threads XNNPACK runs on when the backend is wasm, 1 to 8. More than 1 loads tfjs's multi-threaded
   * SIMD build on Node worker threads (see wasm-threads.ts): convolutions and large matrix products
   * split across cores, the rest of tfjs's kernels stay on one. Fixed once the wasm backend has
   * started (asking for another count then is an error; restart the kernel to change it). Overrides
   * `RL_WORKBOOK_WASM_THREADS`. Default: the environment variable, else 1 — the wasm backend's own
   * default in Node, and the safe choice on a machine whose cores are busy with environments or other
   * jobs, where a second thread can wait for a core and slow every step.
   */
  threads?: number;
  /** Environment to read `RL_WORKBOOK_BACKEND` and `RL_WORKBOOK_WASM_THREADS` from. Default: `process.env`. Mainly for tests. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The last successful (or in-flight) initialisation; shared by concurrent and repeated calls. */
let current: { request: BackendRequest; promise: Promise<BackendInfo> } | undefined;
/** The settled result of `current`, for the synchronous {@link getBackendInfo}. */
let settled: BackendInfo | undefined;

/**
 * Parses a backend request such as the value of `RL_WORKBOOK_BACKEND`.
 *
 * Case-insensitive; accepts "node" and "tfjs-node" as aliases of "tensorflow", and "" as "auto".
 *
 * @param value The raw string, e.g. "wasm".
 * @param source Where the string came from, for the error message.
 * @returns The normalised request.
 * @throws Error `Expected <source> to be one of auto, tensorflow, wasm, cpu, got "<value>"`.
 * @example
 * ```ts
 * parseBackendRequest("CPU", "RL_WORKBOOK_BACKEND"); // "cpu"
 * ```
 */
export function parseBackendRequest(value: string, source: string): BackendRequest {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (v === "tensorflow" || v === "node" || v === "tfjs-node") return "tensorflow";
  if (v === "wasm" || v === "cpu") return v;
  throw new Error(`Expected ${source} to be one of auto, tensorflow, wasm, cpu, got ${JSON.stringify(value)}`);
}

/**
 * Picks the tfjs backend and says which in one plain line.
 *
 * "auto" (the default) tries, in order: tfjs-node (`require("@tensorflow/tfjs-node")`, native
 * TensorFlow, fastest), then wasm (XNNPACK; rl-workbook adds the kernels wasm lacks for training
 * conv nets, see {@link registerWasmTrainingKernels}), then cpu (plain JavaScript, slow). Force one
 * with `options.backend` or `RL_WORKBOOK_BACKEND=cpu|wasm|tensorflow`. On wasm, XNNPACK runs on
 * `options.threads` threads (or `RL_WORKBOOK_WASM_THREADS`; default 1), and the line says how many.
 *
 * Idempotent: later calls return the same info without printing again, unless they pass a different
 * `backend` option, which switches backend (tensors created earlier move lazily).
 *
 * @param options See {@link InitBackendOptions}.
 * @returns What was chosen and why.
 * @throws Error if a forced backend cannot be initialised, an environment variable is invalid, the
 *   thread count is outside 1..8, or differs from that of a wasm backend already running.
 * @example
 * ```ts
 * import { initBackend, tf } from "rl-workbook";
 * await initBackend();                    // rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 1 thread)
 * await initBackend({ backend: "cpu" });  // switch explicitly
 * // In a fresh process: XNNPACK on two cores.
 * await initBackend({ threads: 2 });      // rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 2 threads)
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const envValue = env[BACKEND_ENV_VAR];
  let request: BackendRequest;
  let requestedBy: BackendInfo["requestedBy"];
  if (options.backend !== undefined) {
    request = parseBackendRequest(options.backend, "the backend option");
    requestedBy = "option";
  } else if (envValue !== undefined && envValue.trim() !== "") {
    request = parseBackendRequest(envValue, BACKEND_ENV_VAR);
    requestedBy = "env";
  } else {
    request = "auto";
    requestedBy = "default";
  }

  const threadsValue = env[WASM_THREADS_ENV_VAR];
  let threads = 1;
  if (options.threads !== undefined) {
    threads = checkWasmThreads(options.threads, "the threads option");
  } else if (threadsValue !== undefined && threadsValue.trim() !== "") {
    threads = checkWasmThreads(Number(threadsValue), `${WASM_THREADS_ENV_VAR} (${JSON.stringify(threadsValue)})`);
  }

  // Repeated calls are cheap. A call without an explicit option never switches away from what an
  // earlier call chose: library code may call initBackend() defensively, and must not undo a
  // backend the user forced in the notebook.
  if (current !== undefined && (options.backend === undefined || request === current.request)) {
    if (options.threads !== undefined && settled?.wasm !== undefined && settled.wasm.threads !== threads) {
      throw runningThreadsError(settled.wasm.threads, threads);
    }
    return current.promise;
  }
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  const previous = current;
  const attempt = { request, promise: selectOrRestore({ request, requestedBy, threads }, log, settled) };
  current = attempt;
  attempt.promise.then(
    (info) => {
      if (current === attempt) settled = info;
    },
    () => {
      // A failed switch leaves the earlier choice in force (selectOrRestore re-selected it), so
      // later calls keep returning it; a failed first call is forgotten so the next call retries.
      if (current === attempt) current = previous;
    },
  );
  return attempt.promise;
}

/** The error for asking a running wasm backend for another thread count. */
function runningThreadsError(running: number, requested: number): Error {
  return new Error(
    `Expected the wasm backend to run ${requested} thread${requested === 1 ? "" : "s"}, got one already running ${running} ` +
      `(its tensors live in that instance; restart the kernel, or the process, to change the thread count)`,
  );
}

/** What one initialisation asks for. */
interface Selection {
  request: BackendRequest;
  requestedBy: BackendInfo["requestedBy"];
  /** XNNPACK threads if the choice is wasm. */
  threads: number;
}

/**
 * {@link select}, but if it fails after an earlier successful initialisation, re-selects the earlier
 * backend (a failed `tf.setBackend` leaves tfjs without a usable backend) before rethrowing.
 */
async function selectOrRestore(
  selection: Selection,
  log: ((line: string) => void) | false,
  previous: BackendInfo | undefined,
): Promise<BackendInfo> {
  try {
    return await select(selection, log);
  } catch (err) {
    if (previous !== undefined && tf.getBackend() !== previous.name) await tf.setBackend(previous.name);
    throw err;
  }
}

/**
 * The backend chosen by the last completed {@link initBackend}, or undefined before that.
 *
 * @returns The same object `initBackend` resolved to.
 * @example
 * ```ts
 * getBackendInfo()?.name; // "wasm"
 * ```
 */
export function getBackendInfo(): BackendInfo | undefined {
  return settled;
}

/** Outcome of trying one backend: success, or a short reason why not (for the report line). */
type Attempt = { ok: true; tfjsNode?: string } | { ok: false; why: string };

/** Runs the selection for one request and reports it. */
async function select({ request, requestedBy, threads }: Selection, log: ((line: string) => void) | false): Promise<BackendInfo> {
  const forcedBy = requestedBy === "env" ? `${BACKEND_ENV_VAR}=${request}` : `option backend: "${request}"`;
  const notes: string[] = [];
  let name: BackendName | undefined;
  let tfjsNode: string | undefined;

  if (request === "auto" || request === "tensorflow") {
    const node = await tryTfjsNode();
    if (node.ok) {
      name = "tensorflow";
      tfjsNode = node.tfjsNode;
      notes.push(node.tfjsNode === undefined ? "tfjs-node loaded" : `tfjs-node ${node.tfjsNode} loaded`);
    } else if (request === "tensorflow") {
      throw new Error(`Expected @tensorflow/tfjs-node to load (${forcedBy}), got: ${node.why}`);
    } else {
      notes.push(node.why);
    }
  }
  if (name === undefined && (request === "auto" || request === "wasm")) {
    const wasm = await tryWasm(threads);
    if (wasm.ok) {
      name = "wasm";
    } else if (request === "wasm") {
      throw new Error(`Expected the wasm backend to initialise (${forcedBy}), got: ${wasm.why}`);
    } else {
      notes.push(wasm.why);
    }
  }
  if (name === undefined) {
    if (!(await tf.setBackend("cpu"))) {
      throw new Error(`Expected the cpu backend to initialise, got failure (${notes.join("; ")})`);
    }
    name = "cpu";
    notes.push("plain JavaScript kernels, slow");
  }

  let wasmInfo: BackendInfo["wasm"];
  let addedKernels: string[] = [];
  if (name === "wasm") {
    addedKernels = registerWasmTrainingKernels();
    wasmInfo = await describeWasm();
    notes.push(`wasm ${wasmInfo.simd ? "SIMD" : "without SIMD"}, ${wasmInfo.threads} thread${wasmInfo.threads === 1 ? "" : "s"}`);
  }
  if (requestedBy !== "default" && request !== "auto") notes.unshift(`forced by ${forcedBy}`);

  const reason = notes.join("; ");
  const message = `rl-workbook: tfjs backend "${name}" (${reason})`;
  if (log !== false) log(message);
  return Object.freeze({
    name,
    requested: request,
    requestedBy,
    reason,
    message,
    versions: Object.freeze(tfjsNode === undefined ? { tfjs: tf.version.tfjs } : { tfjs: tf.version.tfjs, tfjsNode }),
    ...(wasmInfo === undefined ? {} : { wasm: Object.freeze(wasmInfo) }),
    addedKernels: Object.freeze(addedKernels),
  });
}

/**
 * Loads tfjs-node, which registers the native "tensorflow" backend into our shared engine (and makes
 * it current), then selects it explicitly: another backend may have been set since, e.g. when
 * switching back from a forced one.
 */
async function tryTfjsNode(): Promise<Attempt> {
  // TensorFlow's C++ runtime logs CPU-feature notices to stderr when it loads; keep it to warnings
  // and errors unless the user chose a level.
  process.env["TF_CPP_MIN_LOG_LEVEL"] ??= "2";
  let mod: unknown;
  try {
    // Plain require on purpose: tfjs-node is optional, so there are no types to import, and it must
    // be resolved at run time from the user's node_modules.
    mod = require("@tensorflow/tfjs-node");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message = String(e?.message ?? err).split("\n")[0] ?? "";
    if (e?.code === "MODULE_NOT_FOUND" && message.includes("'@tensorflow/tfjs-node'")) {
      return { ok: false, why: "tfjs-node not installed" };
    }
    return { ok: false, why: `tfjs-node failed to load: ${message}` };
  }
  if (tf.findBackend("tensorflow") === null || !(await tf.setBackend("tensorflow"))) {
    return { ok: false, why: 'tfjs-node loaded but its "tensorflow" backend did not initialise' };
  }
  const version = (mod as { version?: Record<string, string> } | null)?.version?.["tfjs-node"];
  return version === undefined ? { ok: true } : { ok: true, tfjsNode: version };
}

/**
 * Loads the wasm backend package (lazily: importing it makes tfjs refuse sync ops until wasm is
 * ready) and starts the backend with `threads` XNNPACK threads, or reuses the running one if it has
 * that many. A failed multi-threaded start is an error, not a fallback: the user asked for threads.
 */
async function tryWasm(threads: number): Promise<Attempt> {
  let wasm: typeof import("@tensorflow/tfjs-backend-wasm");
  try {
    wasm = await import("@tensorflow/tfjs-backend-wasm");
  } catch (err) {
    return { ok: false, why: `tfjs-backend-wasm failed to load: ${String((err as Error)?.message ?? err).split("\n")[0]}` };
  }
  if (tf.engine().registry["wasm"] !== undefined) {
    const running = wasm.getThreadsCount();
    if (running !== threads) throw runningThreadsError(running, threads);
  } else {
    useWasmThreads(threads);
  }
  // setBackend resolves false (after tfjs logs the cause) if the .wasm binary fails to instantiate.
  if (!(await tf.setBackend("wasm"))) {
    if (threads === 1) return { ok: false, why: "wasm failed to initialise" };
    useWasmThreads(1);
    throw new Error(`Expected the wasm backend to start with ${threads} threads (of at most ${MAX_WASM_THREADS}), got a failure (see the warning above)`);
  }
  return { ok: true };
}

/** SIMD and thread count of the initialised wasm backend. */
async function describeWasm(): Promise<{ simd: boolean; threads: number }> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  return { simd, threads: wasm.getThreadsCount() };
}
