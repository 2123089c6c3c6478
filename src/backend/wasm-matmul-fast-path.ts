import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend } from "./wasm-kernel-utils";

/**
 * Fast path for single matrix products on the wasm backend (BatchMatMul and _FusedMatMul).
 *
 * Two costs of tfjs-backend-wasm 4.22 (batch_mat_mul_impl.cc) dominate a dense layer's training:
 * - A transposed operand sends the product to a blocked scalar triple loop (`slow_batch_matmul`,
 *   ~1 ns per multiply-add) instead of XNNPACK's SIMD fully-connected operator (~0.1 ns).
 *   Backpropagation through y = x·W needs exactly those: dW = xᵀ·dy and dx = dy·Wᵀ.
 * - XNNPACK first packs b (the "weights", K·N numbers) into its blocked layout, reading it
 *   transposed: ~5 ns a number, measured. tfjs caches the packed operator per b tensor, which pays
 *   off in inference, but in training every weight matrix is new after each optimizer step. For the
 *   Nature CNN's 3136 × 512 layer that packing (~9 ms) costs more than the product (~3 ms).
 *
 * Both go away by choosing which operand XNNPACK packs. C = op(A)·op(B) (M × N, inner size K) can be
 * computed directly, packing op(B) (K·N numbers), or as Cᵀ = op(B)ᵀ·op(A)ᵀ, packing op(A)ᵀ (K·M
 * numbers) and transposing the M × N result back. Transposes are plain copies by the wasm Transpose
 * kernel (~1.5 ns a number). For each product we estimate the time of
 *   - tfjs's own kernel (scalar loop if transposed; XNNPACK with packing otherwise),
 *   - direct: materialise transposed operands, XNNPACK packs op(B),
 *   - swapped: XNNPACK packs op(A)ᵀ, plus the transposes that needs,
 * and run the cheapest. E.g. at batch 32: forward x·W swaps (packs x, 100k numbers, not W, 1.6M);
 * dx = dy·Wᵀ swaps too (W is then already in the layout XNNPACK reads, and only dy is packed);
 * dW = xᵀ·dy goes direct (packs dy).
 *
 * Weights that come back (inference with fixed weights, a target network) are worth packing once:
 * tfjs keeps the packed operator until b is disposed. So an untransposed b is treated as "packed
 * already" from its second use on, and the product then goes to tfjs's kernel unchanged.
 *
 * Batched products (more than one matrix per operand) keep tfjs's own code: XNNPACK is not used for
 * them either way. _FusedMatMul calls with a bias or activation take the swapped form never (the bias
 * would have to be added along the other axis), only direct or tfjs.
 */

/** Estimated nanoseconds per unit of work on the wasm backend (SIMD, one thread), measured. */
const COST_NS = {
  /** One multiply-add in tfjs's scalar loop. */
  loopMultiplyAdd: 1,
  /** One multiply-add in XNNPACK's fully-connected operator. */
  xnnMultiplyAdd: 0.1,
  /** One number moved by the wasm Transpose kernel. */
  transpose: 1.5,
  /** One number of the weight matrix packed by XNNPACK when its operator is created. */
  pack: 5,
  /** Fixed cost of one extra kernel call (allocation, call overhead). */
  call: 2000,
} as const;

/**
 * Data ids that have been the untransposed b of a product before. From its second use on, a weight
 * matrix is treated as packed (tfjs packs it on that use and keeps it until the tensor is disposed).
 */
const seenWeights = new WeakSet<object>();

/** Swaps the last two axes of a rank-≥2 tensor with the wasm Transpose kernel. */
function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runWasmKernel(backend, tf.Transpose, { x }, { perm });
}

/** Number of matrices in a batched-matmul operand (product of all but the last two axes). */
function batchCount(x: tf.TensorInfo): number {
  return x.shape.slice(0, -2).reduce((n, d) => n * d, 1);
}

/** How a product is computed; see the file comment. */
type MatMulPlan = "tfjs" | "direct" | "swapped";

/** Sizes and layout of C = op(A)·op(B) that the plan depends on. */
interface ProductShape {
  rows: number;
  inner: number;
  cols: number;
  transposeA: boolean;
  transposeB: boolean;
  /** XNNPACK holds b packed, or will from now on (an untransposed b used before). */
  bPacked: boolean;
  /** A bias or activation is fused in (rules out the swapped form). */
  fused: boolean;
}

/**
 * The cheapest way to compute a product by the cost estimates in {@link COST_NS}.
 *
 * @param p The product's sizes and layout.
 * @returns "tfjs" (its own kernel), "direct" or "swapped".
 * @example
 * ```ts
 * // Forward pass of a 3136 → 512 dense layer at batch 32 with fresh weights:
 * chooseMatMulPlan({ rows: 32, inner: 3136, cols: 512, transposeA: false, transposeB: false, bPacked: false, fused: false });
 * // "swapped"
 * ```
 */
export function chooseMatMulPlan(p: ProductShape): MatMulPlan {
  const { rows: m, inner: k, cols: n, transposeA, transposeB } = p;
  const c = COST_NS;
  const multiplyAdds = m * k * n;
  const xnn = c.xnnMultiplyAdd * multiplyAdds;
  const packB = p.bPacked ? 0 : c.pack * k * n;
  const costs: Array<[MatMulPlan, number]> = [];
  // tfjs: the untransposed case is XNNPACK already, the transposed one its scalar loop.
  costs.push(["tfjs", transposeA || transposeB ? c.loopMultiplyAdd * multiplyAdds : xnn + packB]);
  if (transposeA || transposeB) {
    const moved = (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
    costs.push(["direct", xnn + c.pack * k * n + c.transpose * moved + c.call * ((transposeA ? 1 : 0) + (transposeB ? 1 : 0))]);
  }
  if (!p.fused) {
    // op(B)ᵀ is B itself when transposeB, op(A)ᵀ is A itself when transposeA; the result is transposed back.
    const moved = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n;
    const calls = (transposeB ? 0 : 1) + (transposeA ? 0 : 1) + 1;
    costs.push(["swapped", xnn + c.pack * k * m + c.transpose * moved + c.call * calls]);
  }
  return costs.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

/**
 * Wraps tfjs's wasm BatchMatMul or _FusedMatMul kernel function so that single float32 products
 * run in the cheapest of the forms in the file comment. Batched products and other dtypes go to
 * `original` unchanged; so do the untransposed products of the direct form, so bias, fused
 * activation and shape checks stay tfjs's own.
 *
 * @param original The kernel function tfjs-backend-wasm registered (BatchMatMul or _FusedMatMul).
 * @returns A kernel function with the same contract.
 * @example
 * ```ts
 * const original = tf.getKernel(tf.BatchMatMul, "wasm");
 * tf.unregisterKernel(tf.BatchMatMul, "wasm");
 * tf.registerKernel({ ...original, kernelFunc: withMatMulFastPath(original.kernelFunc) });
 * ```
 */
export function withMatMulFastPath(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs ?? {};
    const transposeA = attrs["transposeA"] === true;
    const transposeB = attrs["transposeB"] === true;
    if (a === undefined || b === undefined || a.dtype !== "float32" || b.dtype !== "float32" || batchCount(a) !== 1 || batchCount(b) !== 1) {
      return original(args);
    }
    const activation = (attrs["activation"] as string | undefined) ?? "linear";
    const fused = bias !== undefined || preluActivationWeights !== undefined || activation !== "linear";
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const shape: ProductShape = {
      rows: transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!,
      inner: transposeA ? a.shape[rankA - 2]! : a.shape[rankA - 1]!,
      cols: transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!,
      transposeA,
      transposeB,
      bPacked: !transposeB && seenWeights.has(b.dataId),
      fused,
    };
    if (!transposeB) seenWeights.add(b.dataId);
    const plan = chooseMatMulPlan(shape);
    const backend = args.backend as WasmBackend;
    if (plan === "tfjs") return original(args);
    const owned: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo) => (owned.push(t), t);
    try {
      if (plan === "direct") {
        const aPlain = transposeA ? keep(transposeLastTwo(backend, a)) : a;
        const bPlain = transposeB ? keep(transposeLastTwo(backend, b)) : b;
        return original({ ...args, inputs: { ...args.inputs, a: aPlain, b: bPlain }, attrs: { ...attrs, transposeA: false, transposeB: false } });
      }
      // Swapped: Cᵀ = op(B)ᵀ · op(A)ᵀ, where op(B)ᵀ = B if transposeB, op(A)ᵀ = A if transposeA.
      const left = transposeB ? b : keep(transposeLastTwo(backend, b));
      const right = transposeA ? a : keep(transposeLastTwo(backend, a));
      const productT = original({ ...args, inputs: { a: left, b: right }, attrs: { ...attrs, transposeA: false, transposeB: false } });
      if (Array.isArray(productT)) throw new Error(`Expected a matMul kernel to return one tensor, got ${productT.length}`);
      keep(productT);
      return transposeLastTwo(backend, productT);
    } finally {
      // Disposing a packed copy also releases the XNNPACK operator tfjs cached for it.
      disposeInfos(backend, ...owned);
    }
  };
}
