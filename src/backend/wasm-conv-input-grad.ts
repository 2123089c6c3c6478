import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend, type ConvGradAttrs } from "./wasm-kernel-utils";

/**
 * Fast path for Conv2DBackpropInput (the gradient of conv2d with respect to its input) on wasm.
 *
 * Why: tfjs-backend-wasm 4.22 has this kernel, but as a plain scalar loop nest
 * (Conv2DBackpropInput.cc), ~6× slower than XNNPACK's SIMD convolution. For the Nature CNN at batch
 * 32 it took ~90 ms of a ~280 ms training step. Here it becomes ONE stride-1 XNNPACK conv plus cheap
 * reshapes/transposes ("sub-pixel" or phase decomposition of the transposed convolution).
 *
 * The math. Forward (NHWC, strides sh × sw, dilation 1, top/left padding pt/pl, W: [kH, kW, C, O]):
 *     y[b, i, j, o] = Σ_{p, q, c} xpad[b, i·sh + p, j·sw + q, c] · W[p, q, c, o],   xpad[z] = x[z − pt]
 * so, per row (columns are identical), the input gradient in padded coordinates z = h + pt is
 *     dxpad[z] = Σ_{i, p : i·sh + p = z} dy[i] · W[p].
 * Split z = m·sh + r (phase r ∈ [0, sh)) and p = u·sh + r: then i = m − u and
 *     dxpad[m·sh + r] = Σ_{u=0}^{T−1} dy[m − u] · Wp[u·sh + r],    T = ⌈kH / sh⌉,
 * where Wp is W zero-padded to T·sh taps. With t = T − 1 − u this is a stride-1 correlation of dy
 * (zero-padded by T − 1 rows on top) with the filter G[t, r] = Wp[(T − 1 − t)·sh + r], i.e. the
 * phase-r taps of W, reversed. All sh·sw phases share the same dy, so they stack as output channels
 * of one conv:
 *     Y = conv2d(dy, G),  G: [T_h, T_w, O, sh·sw·C],  G[t, t', o, (r, r', c)] = Wp[(T_h−1−t)·sh + r, (T_w−1−t')·sw + r', c, o]
 * and Y[b, m, m', (r, r', c)] = dxpad[b, m·sh + r, m'·sw + r', c] is a depth-to-space away from dx:
 * reshape to [B, M, M', sh, sw, C], transpose to [B, M, sh, M', sw, C], reshape to [B, M·sh, M'·sw, C]
 * and crop rows [pt, pt + H) and columns [pl, pl + W). The conv does the minimum work (no zeros
 * are multiplied, unlike dilating dy with zeros); the filter rearrangement touches only kH·kW·C·O
 * numbers.
 *
 * The filter rearrangement (zero padding, reversal, reordering) is one JavaScript pass over wasm
 * memory: the filter is small (e.g. 37k numbers), and the equivalent chain of wasm PadV2, Reverse
 * and Transpose kernels cost ~2.5 ms a training step, mostly in Reverse's generic loop. The
 * depth-to-space runs as rank-4 reshapes/transposes (wasm's Transpose is slow for rank 5 and 6).
 *
 * Small problems (see MIN_MULTIPLY_ADDS) and cases outside this scheme (NCHW, non-float32, or
 * explicit padding so large that dy does not cover the whole input) go to tfjs's own kernel.
 */

/**
 * Below this many multiply-adds of tfjs's loop (batch · outHeight · outWidth · kH · kW · C · O) the
 * loop is as fast as the XNNPACK path, whose fixed costs (filter rearrangement, packing, kernel
 * calls) are ~20-70 µs. Measured: 58k multiply-adds with 3 → 4 channels, loop 120 µs vs 149 µs; 58k
 * with 8 → 8 channels, 80 vs 32 µs; the Nature CNN's layers at batch 1 (1.3M and 1.8M), 2.1 ms vs
 * 0.6 ms and 1.1 ms vs 0.4 ms.
 */
const MIN_MULTIPLY_ADDS = 100_000;

/** Sizes of the phase filter: W's [kH, kW, C, O], strides (sh, sw), taps per phase (Th, Tw). */
interface PhaseSizes {
  kH: number;
  kW: number;
  C: number;
  O: number;
  sh: number;
  sw: number;
  Th: number;
  Tw: number;
}

/**
 * Builds G[t, t', o, (r, r', c)] = Wp[(Th − 1 − t)·sh + r, (Tw − 1 − t')·sw + r', c, o] (zero where
 * the tap lies beyond the kernel) as a new wasm tensor, reading W in place from wasm memory.
 */
function phaseFilter(backend: WasmBackend, filter: tf.TensorInfo, z: PhaseSizes): tf.TensorInfo {
  const { kH, kW, C, O, sh, sw, Th, Tw } = z;
  const out = backend.makeOutput([Th, Tw, O, sh * sw * C], "float32");
  // Views after allocating: a heap that grew invalidates views taken earlier.
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const g = backend.typedArrayFromHeap(out) as Float32Array;
  let i = 0;
  for (let t = 0; t < Th; t++) {
    for (let u = 0; u < Tw; u++) {
      for (let o = 0; o < O; o++) {
        for (let r = 0; r < sh; r++) {
          const p = (Th - 1 - t) * sh + r;
          for (let q0 = 0; q0 < sw; q0++) {
            const q = (Tw - 1 - u) * sw + q0;
            if (p >= kH || q >= kW) {
              g.fill(0, i, i + C);
              i += C;
              continue;
            }
            const base = (p * kW + q) * C * O + o;
            for (let c = 0; c < C; c++) g[i++] = w[base + c * O]!;
          }
        }
      }
    }
  }
  return out;
}

/** Attributes of Conv2DBackpropInput (tf.Conv2DBackpropInputAttrs). */
interface InputGradAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Wraps tfjs's wasm Conv2DBackpropInput kernel function with the XNNPACK-based computation described
 * in the file comment, delegating unsupported configurations to `original`.
 *
 * @param original The kernel function tfjs-backend-wasm registered for Conv2DBackpropInput.
 * @returns A kernel function with the same contract: inputs { dy, filter }, attrs { strides, pad,
 *   dataFormat, dimRoundingMode, inputShape }, output dx of shape inputShape.
 * @example
 * ```ts
 * const original = tf.getKernel(tf.Conv2DBackpropInput, "wasm");
 * tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
 * tf.registerKernel({ ...original, kernelFunc: withConvInputGradFastPath(original.kernelFunc) });
 * ```
 */
export function withConvInputGradFastPath(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as InputGradAttrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    if (format !== "channelsLast" || dy.dtype !== "float32" || filter.dtype !== "float32") return original(args);

    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      format,
    );
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight, outWidth, outChannels: O } = info;
    const { filterHeight: kH, filterWidth: kW, strideHeight: sh, strideWidth: sw } = info;
    const { top: pt, left: pl } = info.padInfo;
    const Th = Math.ceil(kH / sh);
    const Tw = Math.ceil(kW / sw);
    // Phase rows m = 0..M−1 cover padded rows [0, M·sh) ⊇ [pt, pt + H).
    const M = Math.ceil((pt + H) / sh);
    const Mw = Math.ceil((pl + W) / sw);
    // The conv's bottom/right zero padding of dy; negative only for exotic explicit padding.
    const padBottom = M - outHeight;
    const padRight = Mw - outWidth;
    if (padBottom < 0 || padRight < 0) return original(args);
    // Small problems stay on tfjs's loop (see MIN_MULTIPLY_ADDS).
    if (B * outHeight * outWidth * kH * kW * C * O < MIN_MULTIPLY_ADDS) return original(args);

    const backend = args.backend as WasmBackend;
    const owned: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo) => (owned.push(t), t);
    try {
      // G: [Th, Tw, O, sh·sw·C] from W: [kH, kW, C, O] (see the file comment).
      const g = keep(phaseFilter(backend, filter, { kH, kW, C, O, sh, sw, Th, Tw }));

      // Y[b, m, m', (r, r', c)] = dxpad[b, m·sh + r, m'·sw + r', c]
      const y = keep(
        runWasmKernel(
          backend,
          tf.Conv2D,
          { x: dy, filter: g },
          {
            strides: [1, 1],
            dilations: [1, 1],
            pad: [
              [0, 0],
              [Th - 1, padBottom],
              [Tw - 1, padRight],
              [0, 0],
            ],
            dataFormat: "NHWC",
          },
        ),
      );
      // Depth to space: [B·M, Mw, sh, sw·C] → [B·M, sh, Mw, sw·C] (rank 4, see above) → [B, M·sh, Mw·sw, C].
      let dxpad = y;
      if (sh !== 1 || sw !== 1) {
        const y4 = keep(runWasmKernel(backend, tf.Reshape, { x: y }, { shape: [B * M, Mw, sh, sw * C] }));
        const interleaved = keep(runWasmKernel(backend, tf.Transpose, { x: y4 }, { perm: [0, 2, 1, 3] }));
        dxpad = keep(runWasmKernel(backend, tf.Reshape, { x: interleaved }, { shape: [B, M * sh, Mw * sw, C] }));
      }
      return runWasmKernel(backend, tf.Slice, { x: dxpad }, { begin: [0, pt, pl, 0], size: [B, H, W, C] });
    } finally {
      disposeInfos(backend, ...owned);
    }
  };
}
