import * as tf from "./tf";
import { conv2DBackpropFilterWasmConfig } from "./wasm-conv-filter-grad";
import { withConvInputGradFastPath } from "./wasm-conv-input-grad";
import { withFusedMatMulFix } from "./wasm-fused-matmul-fix";
import { withSharedIdentity } from "./wasm-identity-share";
import { withBatchedGatherFix } from "./wasm-gather-fix";
import { withMatMulFastPath } from "./wasm-matmul-fast-path";
import { withMaxPoolGradFix, withMaxPoolWithArgmaxFix } from "./wasm-maxpool-fix";
import { unsortedSegmentSumWasmConfig } from "./wasm-segment-sum";

/**
 * Kernels the tfjs wasm backend (4.22) lacks for training. Found by running full training steps on
 * wasm — the Nature CNN via tf.layers and via raw ops ('valid' and 'same' padding), Huber, MSE and
 * softmax-cross-entropy losses, Adam / RMSProp / SGD, gradient clipping by global norm, Q(s, a)
 * picked with tf.oneHot and with tf.gather — with a cpu fallback registered for every kernel the cpu
 * backend has and wasm has not, and recording which fallbacks ran:
 * - Conv2DBackpropFilter: the filter gradient of every conv layer;
 * - UnsortedSegmentSum: the gradient of tf.gather.
 * Every other kernel those steps use exists in tfjs-backend-wasm (Conv2DBackpropInput; Step, which
 * the ReLU gradient uses; Select, ClipByValue, ...). Still missing on wasm, as no RL model here needs
 * them: DepthwiseConv2dNativeBackpropFilter/Input (training depthwise convs), complex/FFT, ragged
 * and string kernels, and a gradient for tf.gatherND (missing on every backend).
 *
 * @example
 * ```ts
 * WASM_MISSING_KERNELS.map((k) => k.kernelName); // ["Conv2DBackpropFilter", "UnsortedSegmentSum"]
 * ```
 */
export const WASM_MISSING_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasmConfig, unsortedSegmentSumWasmConfig];

/**
 * Kernels wasm has but gets wrong; each wrapper fixes the broken case and delegates the rest.
 * - GatherV2 with batchDims > 0 (e.g. Q(s, a) = tf.gather(q, actions, 1, 1)) reads the wrong
 *   indices in tfjs-backend-wasm 4.22 (see wasm-gather-fix.ts).
 * - MaxPoolGrad and MaxPoolWithArgmax mishandle windows whose values are all ≤ 0 (their running max
 *   starts at the smallest positive float) and break ties the other way (see wasm-maxpool-fix.ts).
 * - _FusedMatMul adds the wrong bias elements to every row but the first whenever an operand is
 *   transposed or batched (see wasm-fused-matmul-fix.ts).
 *
 * @example
 * ```ts
 * WASM_FIXES.map((k) => k.kernelName); // ["GatherV2", "MaxPoolGrad", "MaxPoolWithArgmax", "_FusedMatMul"]
 * ```
 */
export const WASM_FIXES: ReadonlyArray<{ kernelName: string; wrap: (original: tf.KernelFunc) => tf.KernelFunc }> = [
  { kernelName: tf.GatherV2, wrap: withBatchedGatherFix },
  { kernelName: tf.MaxPoolGrad, wrap: withMaxPoolGradFix },
  { kernelName: tf.MaxPoolWithArgmax, wrap: withMaxPoolWithArgmaxFix },
  { kernelName: tf._FusedMatMul, wrap: withFusedMatMulFix },
];

/**
 * Kernels wasm has but runs slowly in the shapes training needs; each wrapper computes the same
 * result with XNNPACK and delegates every other case to tfjs's kernel.
 * - Conv2DBackpropInput: the input gradient of conv layers, a scalar loop in tfjs (see
 *   wasm-conv-input-grad.ts);
 * - BatchMatMul, _FusedMatMul: dense layers' products — transposed ones (the gradients) run a scalar
 *   loop in tfjs, and untransposed ones repack fresh weights every training step (see
 *   wasm-matmul-fast-path.ts);
 * - Identity: copies every tensor the gradient tape saves; ours shares the data, as the cpu
 *   backend does (see wasm-identity-share.ts).
 *
 * @example
 * ```ts
 * WASM_FAST_PATHS.map((k) => k.kernelName); // ["Conv2DBackpropInput", "BatchMatMul", "_FusedMatMul", "Identity"]
 * ```
 */
export const WASM_FAST_PATHS: ReadonlyArray<{ kernelName: string; wrap: (original: tf.KernelFunc) => tf.KernelFunc }> = [
  { kernelName: tf.Conv2DBackpropInput, wrap: withConvInputGradFastPath },
  { kernelName: tf.BatchMatMul, wrap: withMatMulFastPath },
  { kernelName: tf._FusedMatMul, wrap: withMatMulFastPath },
  { kernelName: tf.Identity, wrap: withSharedIdentity },
];

/**
 * Options of {@link registerWasmTrainingKernels}.
 *
 * @example
 * ```ts
 * registerWasmTrainingKernels({ fastPaths: false }); // only the missing kernels and the fixes
 * ```
 */
export interface WasmKernelOptions {
  /**
   * Also install the XNNPACK fast paths of {@link WASM_FAST_PATHS} (default true). With false, only
   * the missing kernels are added, and fast paths installed by an earlier call are removed again,
   * restoring tfjs's own kernels (useful to rule them out when debugging).
   */
  fastPaths?: boolean;
}

/**
 * Wrappers we installed, by "<kernel>/<fix|fast>": the config we replaced and our kernel function.
 * A kernel can carry both (the fast path wraps the fix), hence the role in the key.
 */
const installed = new Map<string, { replaced: tf.KernelConfig; kernelFunc: tf.KernelFunc }>();

/**
 * Wraps the wasm kernel `kernelName` currently registered with `wrap` (enable = true), or undoes
 * that (enable = false). Returns whether our wrapper is installed afterwards.
 */
function setWrapper(
  kernelName: string,
  role: "fix" | "fast",
  wrap: (original: tf.KernelFunc) => tf.KernelFunc,
  enable: boolean,
): boolean {
  const key = `${kernelName}/${role}`;
  const ours = installed.get(key);
  const current = tf.getKernel(kernelName, "wasm");
  if (!enable) {
    // Restore only if ours is the outermost wrapper (always true for "fast", installed last).
    if (ours !== undefined && current?.kernelFunc === ours.kernelFunc) {
      tf.unregisterKernel(kernelName, "wasm");
      tf.registerKernel(ours.replaced);
      installed.delete(key);
    }
    return installed.has(key);
  }
  if (ours !== undefined) return true;
  if (current === undefined) return false;
  // Keep tfjs's setupFunc (it binds the wasm function the original kernel calls) and disposeFunc.
  const kernelFunc = wrap(current.kernelFunc);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ ...current, kernelFunc });
  installed.set(key, { replaced: current, kernelFunc });
  return true;
}

/**
 * Makes the tfjs wasm backend fit for training: registers the kernels it lacks
 * ({@link WASM_MISSING_KERNELS}), fixes the ones it gets wrong ({@link WASM_FIXES}) and, unless
 * disabled, speeds up the slow ones ({@link WASM_FAST_PATHS}).
 *
 * Loads @tensorflow/tfjs-backend-wasm (whose import registers tfjs's wasm kernels) if not loaded yet.
 * Only fills gaps: a missing kernel some other code already registered for wasm (e.g. a newer tfjs)
 * is left alone. Idempotent and cheap; safe before or after the wasm backend is initialised.
 * `initBackend()` calls it when it picks wasm.
 *
 * @param options See {@link WasmKernelOptions}.
 * @returns Names of the wasm kernels that are now (wholly or partly) rl-workbook's, each once:
 *   ["Conv2DBackpropFilter", "UnsortedSegmentSum", "GatherV2", "MaxPoolGrad", "MaxPoolWithArgmax",
 *   "_FusedMatMul", "Conv2DBackpropInput", "BatchMatMul", "Identity"].
 * @example
 * ```ts
 * registerWasmTrainingKernels();
 * await tf.setBackend("wasm");
 * tf.grad((w: tf.Tensor4D) => tf.conv2d(x, w, 4, "valid").sum())(w); // works on wasm now
 * ```
 */
export function registerWasmTrainingKernels(options: WasmKernelOptions = {}): string[] {
  // Side effect wanted: registers the "wasm" backend factory and tfjs's wasm kernels.
  require("@tensorflow/tfjs-backend-wasm");
  const ours: string[] = [];

  for (const config of WASM_MISSING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, "wasm");
    if (existing === undefined) {
      tf.registerKernel(config);
      ours.push(config.kernelName);
    } else if (existing.kernelFunc === config.kernelFunc) {
      ours.push(config.kernelName);
    }
  }
  for (const { kernelName, wrap } of WASM_FIXES) {
    if (setWrapper(kernelName, "fix", wrap, true)) ours.push(kernelName);
  }
  for (const { kernelName, wrap } of WASM_FAST_PATHS) {
    if (setWrapper(kernelName, "fast", wrap, options.fastPaths !== false) && !ours.includes(kernelName)) ours.push(kernelName);
  }
  return ours;
}
