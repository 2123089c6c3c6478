import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "./tf";

/**
 * Helpers for writing wasm kernels out of other wasm kernels.
 *
 * Inside a kernel function we must not call `tf.*` ops: the engine is in the middle of running a
 * kernel (it would record nested ops on the gradient tape and track their tensors in the current
 * scope). tfjs's own wasm kernels instead call each other's kernel functions directly, passing raw
 * `TensorInfo`s (dataId + shape + dtype) and freeing intermediates with `backend.disposeData`. These
 * helpers do the same through the public kernel registry.
 */

/** The wasm backend instance handed to kernel functions (typed from @tensorflow/tfjs-backend-wasm). */
export type WasmBackend = BackendWasm;

/** Attribute values a kernel accepts (numbers, arrays, strings, booleans, ...). */
export type KernelAttrs = tf.NamedAttrMap;

/**
 * Runs one registered wasm kernel on raw tensor infos, as tfjs-backend-wasm kernels do internally.
 *
 * @param backend The wasm backend the calling kernel received.
 * @param kernelName A tfjs kernel name, e.g. `tf.Conv2D` ("Conv2D").
 * @param inputs Named inputs, e.g. `{ x, filter }`.
 * @param attrs Kernel attributes, e.g. `{ strides: 1, pad: "valid", ... }`.
 * @returns The kernel's single output. The caller owns it: free it with {@link disposeInfos} or
 *   return it from its own kernel.
 * @throws Error `Expected kernel "<name>" to be registered for backend wasm, ...` if missing, or
 *   `Expected kernel "<name>" to return one tensor, ...` for multi-output kernels.
 * @example
 * ```ts
 * const xT = runWasmKernel(backend, tf.Transpose, { x }, { perm: [3, 1, 2, 0] });
 * ```
 */
export function runWasmKernel(
  backend: WasmBackend,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: KernelAttrs = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, "wasm");
  if (kernel === undefined) {
    throw new Error(`Expected kernel "${kernelName}" to be registered for backend wasm, got none (tfjs ${tf.version.tfjs})`);
  }
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    for (const o of out) backend.disposeData(o.dataId);
    throw new Error(`Expected kernel "${kernelName}" to return one tensor, got ${out.length}`);
  }
  return out;
}

/**
 * Frees intermediate tensor infos created by {@link runWasmKernel} (decrements their reference
 * counts; kernels such as Reshape share data with their input and only bump a count).
 *
 * @param backend The wasm backend.
 * @param infos Tensor infos to free; undefined entries are skipped.
 * @example
 * ```ts
 * disposeInfos(backend, xT, dyT);
 * ```
 */
export function disposeInfos(backend: WasmBackend, ...infos: Array<tf.TensorInfo | undefined>): void {
  for (const info of infos) if (info !== undefined) backend.disposeData(info.dataId);
}

/** The attributes both Conv2D gradient kernels share (tf.Conv2DBackpropFilterAttrs / ...InputAttrs). */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}
