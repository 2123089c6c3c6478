/**
 * rl-workbook's TensorFlow.js backend layer: one shared `tf` namespace, run-time backend selection
 * (tfjs-node → wasm → cpu) reported in one plain line, the extra wasm kernels needed to train
 * conv nets on wasm, and wasm's multi-threaded build in Node (`initBackend({ threads: 2 })`).
 *
 * @example
 * ```ts
 * import { initBackend, tf } from "./backend";
 * const info = await initBackend(); // rl-workbook: tfjs backend "wasm" (tfjs-node not installed; wasm SIMD, 1 thread)
 * tf.tidy(() => tf.conv2d(x, w, 4, "valid"));
 * ```
 */
export * as tf from "./tf";
export {
  BACKEND_ENV_VAR,
  WASM_THREADS_ENV_VAR,
  getBackendInfo,
  initBackend,
  parseBackendRequest,
  type BackendInfo,
  type BackendName,
  type BackendRequest,
  type InitBackendOptions,
} from "./select";
export { registerWasmTrainingKernels, WASM_FAST_PATHS, WASM_FIXES, WASM_MISSING_KERNELS, type WasmKernelOptions } from "./wasm-kernels";
export { MAX_WASM_THREADS } from "./wasm-threads";
export { silenceCpuBackendBanner } from "./cpu-banner";
export {
  benchmarkNatureCnnStep,
  type NatureCnnBenchOptions,
  type NatureCnnBenchResult,
} from "./bench-cnn";
export {
  buildNatureCnn,
  natureCnnTrainStep,
  qLossAndGrads,
  type NatureCnnOptions,
  type QBatch,
  type QStepOptions,
} from "./nature-cnn";
