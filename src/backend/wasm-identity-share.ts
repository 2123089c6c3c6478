import type * as tf from "./tf";
import type { WasmBackend } from "./wasm-kernel-utils";

/**
 * Identity without a copy on the wasm backend.
 *
 * Why: while recording gradients, tfjs saves every tensor a backward pass will need by running the
 * Identity kernel on it (`Engine.saveTensorsForBackwardMode` → `Engine.clone`). tfjs-backend-wasm
 * 4.22's Identity allocates new memory and copies the values; the cpu backend instead returns the
 * same data with its reference count raised. For one Nature-CNN training step at batch 32 the wasm
 * copies move ~4M numbers (the observations, every layer's activations and weights, the 3136 × 512
 * matrix among them): a few milliseconds, plus allocator churn, for nothing.
 *
 * Sharing is safe for the same reason it is on cpu and for wasm's own Reshape: tfjs tensors are
 * immutable. No kernel writes into an input, and `Variable.assign` swaps the variable's data for the
 * new tensor's instead of overwriting it. XNNPACK operators cached on the data stay valid, and are
 * released when the last sharer is disposed. String tensors (kept in JavaScript) go to tfjs's kernel.
 */

/**
 * Wraps tfjs's wasm Identity kernel so that numeric tensors share their data (see the file comment).
 *
 * @param original The Identity kernel function tfjs-backend-wasm registered.
 * @returns A kernel function with Identity's contract: input { x }, output with x's values.
 * @example
 * ```ts
 * const original = tf.getKernel(tf.Identity, "wasm");
 * tf.unregisterKernel(tf.Identity, "wasm");
 * tf.registerKernel({ ...original, kernelFunc: withSharedIdentity(original.kernelFunc) });
 * ```
 */
export function withSharedIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs;
    if (x === undefined || x.dtype === "string") return original(args);
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
