import * as tf from "./tf";
import type { WasmBackend } from "./wasm-kernel-utils";

/**
 * Correctness fix for MaxPoolGrad and MaxPoolWithArgmax on the wasm backend.
 *
 * The bug (tfjs-backend-wasm 4.22, MaxPoolGrad.cc / MaxPoolWithArgmax.cc): the running maximum of a
 * pooling window starts at `std::numeric_limits<float>::min()`, which is the smallest POSITIVE float
 * (1.2e-38), not the lowest one, at position 0. So in any window whose values are all ≤ 1.2e-38
 * (all negative, or all zero as after a ReLU) the "max" stays 1.2e-38 at position 0: MaxPoolGrad
 * sends that window's gradient to the wrong pixel, and MaxPoolWithArgmax returns 1.2e-38 and index 0.
 * Ties also go to the last maximal pixel instead of the first (tfjs cpu and TensorFlow pick the
 * first, in row-major window order). MaxPool itself (XNNPACK) is correct. This matters for conv nets
 * with max pooling, e.g. the IMPALA CNN (3×3 stride-2 'same' max pool).
 *
 * The fix: the first maximal pixel of every window is found by one pass of plain JavaScript over the
 * tensors' memory in the wasm heap, exactly as tfjs's cpu kernel does (strict ">" starting from
 * -Infinity, windows scanned in row-major order, padding skipped), and the gradient is accumulated
 * there too. This is the one place in rl-workbook where JS loops over tensor elements on purpose: no
 * correct wasm kernel computes a first-argmax (the two that should are the buggy ones), and composing
 * one from other kernels (NaN padding, a strided slice per window tap, equality masks, select,
 * scatter) was measured ~30× slower, because wasm's StridedSlice and 6-D Transpose kernels are generic
 * scalar loops. The loop is O(outputs · window) with the channel index innermost, so it walks NHWC
 * memory contiguously.
 */

/** Attributes shared by MaxPoolGrad and MaxPoolWithArgmax. */
interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
  includeBatchInIndex?: boolean;
}

/** Pooling geometry as tfjs's own pooling kernels compute it. */
function poolInfo(x: tf.TensorInfo, attrs: PoolAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/**
 * For every pooling window and channel, the flat NHWC index into x of the window's first maximal
 * pixel (row-major window order, padding excluded, strict ">" from -Infinity: tfjs cpu semantics),
 * or -1 if there is none (all NaN).
 *
 * @param x The input values, NHWC, length B·H·W·C.
 * @param info Pooling geometry from `computePool2DInfo`.
 * @param visit Called once per (window, channel), in output order, with the output's flat index and
 *   the argmax (or -1).
 */
function forEachFirstArgmax(x: Float32Array, info: tf.backend_util.Conv2DInfo, visit: (out: number, argmax: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: kH, effectiveFilterWidth: kW } = info;
  const { top: pt, left: pl } = info.padInfo;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  let out = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < oH; i++) {
      const r0 = Math.max(0, i * sh - pt);
      const r1 = Math.min(H, i * sh - pt + kH);
      for (let j = 0; j < oW; j++) {
        const c0 = Math.max(0, j * sw - pl);
        const c1 = Math.min(W, j * sw - pl + kW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const pixel = ((b * H + r) * W + col) * C;
            for (let c = 0; c < C; c++) {
              const v = x[pixel + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = pixel + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) visit(out++, where[c]!);
      }
    }
  }
}

/**
 * MaxPoolGrad for wasm that routes each window's gradient to its first maximal pixel, like tfjs's cpu
 * kernel (see the file comment for the bug it replaces and the method).
 *
 * @param args Kernel arguments: inputs { dy, input, output }, attrs { filterSize, strides, pad,
 *   dimRoundingMode }, and the wasm backend.
 * @returns dx with input's shape, float32.
 * @example
 * ```ts
 * // Registered by registerWasmTrainingKernels(); then:
 * tf.grad((x: tf.Tensor4D) => tf.maxPool(x, 3, 2, "same").sum())(x); // same as on cpu
 * ```
 */
export function maxPoolGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const info = poolInfo(input, args.attrs as unknown as PoolAttrs);
  // Allocate before taking heap views: an allocation may grow (and so detach) the wasm memory.
  const dx = backend.makeOutput(input.shape, "float32");
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  dxValues.fill(0);
  forEachFirstArgmax(backend.typedArrayFromHeap(input) as Float32Array, info, (out, argmax) => {
    if (argmax >= 0) dxValues[argmax] += dyValues[out]!;
  });
  return dx;
}

/**
 * MaxPoolWithArgmax for wasm: each window's maximum and the index of its first maximal pixel, as
 * tfjs's cpu kernel computes them (see the file comment).
 *
 * @param args Kernel arguments: inputs { x }, attrs { filterSize, strides, pad, includeBatchInIndex },
 *   and the wasm backend.
 * @returns [maxima (float32), indexes (int32)], both [B, outH, outW, C].
 * @example
 * ```ts
 * const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, "valid", true);
 * ```
 */
export function maxPoolWithArgmaxWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const attrs = args.attrs as unknown as PoolAttrs;
  const info = poolInfo(x, attrs);
  const perBatch = info.inHeight * info.inWidth * info.inChannels;
  // Allocate before taking heap views (see maxPoolGradWasm).
  const maxima = backend.makeOutput(info.outShape, "float32");
  const indexes = backend.makeOutput(info.outShape, "int32");
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const maxValues = backend.typedArrayFromHeap(maxima) as Float32Array;
  const indexValues = backend.typedArrayFromHeap(indexes) as Int32Array;
  forEachFirstArgmax(xValues, info, (out, argmax) => {
    maxValues[out] = argmax >= 0 ? xValues[argmax]! : -Infinity;
    indexValues[out] = argmax < 0 || attrs.includeBatchInIndex === true ? argmax : argmax % perBatch;
  });
  return [maxima, indexes];
}

/**
 * Wraps tfjs's wasm MaxPoolGrad kernel with {@link maxPoolGradWasm} for float32 inputs.
 *
 * @param original tfjs-backend-wasm's MaxPoolGrad kernel function (used for other dtypes).
 * @returns The replacement kernel function.
 * @example
 * ```ts
 * tf.registerKernel({ ...config, kernelFunc: withMaxPoolGradFix(config.kernelFunc) });
 * ```
 */
export function withMaxPoolGradFix(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => (args.inputs["input"]?.dtype === "float32" ? maxPoolGradWasm(args) : original(args));
}

/**
 * Wraps tfjs's wasm MaxPoolWithArgmax kernel with {@link maxPoolWithArgmaxWasm} for float32 inputs.
 *
 * @param original tfjs-backend-wasm's MaxPoolWithArgmax kernel function (used for other dtypes).
 * @returns The replacement kernel function.
 * @example
 * ```ts
 * tf.registerKernel({ ...config, kernelFunc: withMaxPoolWithArgmaxFix(config.kernelFunc) });
 * ```
 */
export function withMaxPoolWithArgmaxFix(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => (args.inputs["x"]?.dtype === "float32" ? maxPoolWithArgmaxWasm(args) : original(args));
}
