import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend, type ConvGradAttrs } from "./wasm-kernel-utils";

/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none, so training any conv net on wasm
 * fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 *
 * The math. A forward NHWC conv with strides (sh, sw), dilation 1 and top/left padding (pt, pl) is
 *
 *     y[b, i, j, o] = Σ_{p, q, c} x[b, i·sh + p − pt, j·sw + q − pl, c] · W[p, q, c, o]
 *
 * (x reads outside the image are zero). Its gradient with respect to the filter is
 *
 *     dW[p, q, c, o] = Σ_{b, i, j} x[b, i·sh + p − pt, j·sw + q − pl, c] · dy[b, i, j, o]
 *
 * i.e. for every filter tap (p, q) we slide dy over x and correlate: dy plays the role of a filter
 * whose taps are spaced sh × sw pixels apart. That is exactly an ordinary conv2d with
 *   - "images"   x' = transpose(x,  [3, 1, 2, 0]) : [C, H, W, B]        (batch ← input channel c,
 *                                                                        channels ← batch b)
 *   - "filter"   f' = transpose(dy, [1, 2, 0, 3]) : [outH, outW, B, O]  (taps ← (i, j),
 *                                                                        in ← b, out ← o)
 *   - stride 1, dilation (sh, sw) and the forward pass's padding,
 * because conv2d(x', f')[c, p, q, o] = Σ_{i, j, b} x'[c, p + i·sh − pt, q + j·sw − pl, b] · f'[i, j, b, o]
 * is the sum above with the reduction over (b, i, j) done by the conv's (in-channel, tap) loops. The
 * result [C, kH, kW, O] is transposed to the filter layout [kH, kW, C, O].
 *
 * So the whole gradient is two transposes, one conv and one transpose, all run by the wasm
 * backend's own kernels; the conv is XNNPACK's SIMD convolution, the same fast path as inference.
 * No JavaScript loop touches tensor elements.
 *
 * Output size check: the dilated conv yields (H + pt + pb − ((outH − 1)·sh + 1)) + 1 rows, and we
 * need kH, so the bottom padding must be pb = (outH − 1)·sh + kH − pt − H. It is negative when the
 * forward pass never read the last rows of x ('valid' padding whose stride does not divide evenly);
 * those rows contribute nothing to the gradient, so we crop them off instead of padding.
 */

/** Inputs of the Conv2DBackpropFilter kernel, as tfjs's conv2d gradient passes them. */
interface FilterGradInputs {
  /** The forward input, [B, H, W, C] (NHWC). */
  x: tf.TensorInfo;
  /** The upstream gradient of the forward output, [B, outH, outW, O]. */
  dy: tf.TensorInfo;
}

/** Attributes of Conv2DBackpropFilter (tf.Conv2DBackpropFilterAttrs). */
interface FilterGradAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Computes the Conv2D filter gradient on the wasm backend as a dilated conv of transposed x with
 * transposed dy (see the file comment for the derivation).
 *
 * @param args The kernel arguments tfjs passes: inputs { x, dy }, attrs { strides, pad, dataFormat,
 *   dimRoundingMode, filterShape }, and the wasm backend.
 * @returns dW with shape filterShape, [kH, kW, C, O], float32.
 * @throws Error `Expected dataFormat NHWC ..., got NCHW` (the wasm Conv2D is NHWC-only).
 * @example
 * ```ts
 * // Registered by registerWasmTrainingKernels(); then gradients of conv2d just work on wasm:
 * const dW = tf.grad((w: tf.Tensor4D) => tf.conv2d(x, w, 2, "same").sum())(w);
 * ```
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as unknown as FilterGradInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as FilterGradAttrs;

  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== "channelsLast") {
    throw new Error(`Expected dataFormat NHWC for Conv2DBackpropFilter on wasm, got ${dataFormat}`);
  }
  // The same geometry the forward conv used, including 'same'/explicit pad amounts and output size.
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  if (dy.shape.join() !== [batchSize, outHeight, outWidth, outChannels].join()) {
    throw new Error(
      `Expected dy of shape [${[batchSize, outHeight, outWidth, outChannels].join(", ")}] for ` +
        `Conv2DBackpropFilter, got [${dy.shape.join(", ")}]`,
    );
  }

  // Extent of input rows/columns the forward pass read (in padded coordinates), and the bottom/right
  // padding that makes the dilated conv produce exactly kH × kW outputs (may be negative: crop).
  const bottom = (outHeight - 1) * strideHeight + filterHeight - top - inHeight;
  const right = (outWidth - 1) * strideWidth + filterWidth - left - inWidth;
  const usedHeight = inHeight + Math.min(0, bottom);
  const usedWidth = inWidth + Math.min(0, right);

  const owned: tf.TensorInfo[] = [];
  try {
    let xUsed = x;
    if (usedHeight !== inHeight || usedWidth !== inWidth) {
      xUsed = runWasmKernel(backend, tf.Slice, { x }, { begin: [0, 0, 0, 0], size: [batchSize, usedHeight, usedWidth, inChannels] });
      owned.push(xUsed);
    }
    // x' : [C, H, W, B] — input channels become the batch, the batch becomes the channels.
    const xT = runWasmKernel(backend, tf.Transpose, { x: xUsed }, { perm: [3, 1, 2, 0] });
    owned.push(xT);
    // f' : [outH, outW, B, O] — dy as a filter whose taps are the output positions.
    const dyT = runWasmKernel(backend, tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    owned.push(dyT);
    // One conv does the whole reduction over (b, i, j): [C, kH, kW, O].
    const grad = runWasmKernel(
      backend,
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [strideHeight, strideWidth],
        pad: [
          [0, 0],
          [top, Math.max(0, bottom)],
          [left, Math.max(0, right)],
          [0, 0],
        ],
        dataFormat: "NHWC",
      },
    );
    owned.push(grad);
    // [C, kH, kW, O] → [kH, kW, C, O]
    return runWasmKernel(backend, tf.Transpose, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    // Free intermediates. This also drops XNNPACK's cached operator for f': the wasm Conv2D caches
    // one packed operator per filter tensor and releases it when that tensor is disposed.
    disposeInfos(backend, ...owned);
  }
}

/**
 * Kernel registration record for {@link conv2DBackpropFilterWasm}, ready for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * tf.registerKernel(conv2DBackpropFilterWasmConfig);
 * ```
 */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilterWasm,
};
