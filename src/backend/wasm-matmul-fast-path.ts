import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend } from "./wasm-kernel-utils";

/**
 * Fast path for transposed matrix products on the wasm backend (BatchMatMul and _FusedMatMul).
 *
 * Why: tfjs-backend-wasm 4.22 sends a matmul to XNNPACK's SIMD fully-connected operator only when
 * neither operand is transposed and there is a single batch (batch_mat_mul_impl.cc, `xnn_matmul`);
 * every other case runs a blocked scalar triple loop (`slow_batch_matmul`) several times slower.
 * Backpropagation through a dense layer y = x·W needs exactly the transposed cases:
 *   dW = xᵀ·dy  (transposeA)   and   dx = dy·Wᵀ  (transposeB).
 * For the Nature CNN's 3136 → 512 layer at batch 32 those two took ~115 ms of a ~280 ms training
 * step. Materialising the transpose with the wasm Transpose kernel (a memory copy) and then running
 * the untransposed product on XNNPACK gives the same numbers far faster.
 *
 * Batched products (more than one matrix per operand) keep tfjs's own code path: XNNPACK is not
 * used for them either way, so transposing first would only add a copy. So do small products, where
 * moving the data costs more than the loop saves (see the cost estimate in the wrapper).
 */

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

/**
 * Wraps tfjs's wasm BatchMatMul or _FusedMatMul kernel function so that transposed single-batch
 * float32 products run on XNNPACK (see the file comment). Everything else goes to `original`
 * unchanged, as does the transposed product itself after the explicit transpose, so bias, fused
 * activation and shape checks stay tfjs's own.
 *
 * @param original The kernel function tfjs-backend-wasm registered (BatchMatMul or _FusedMatMul).
 * @returns A kernel function with the same contract.
 * @example
 * ```ts
 * const original = tf.getKernel(tf.BatchMatMul, "wasm");
 * tf.unregisterKernel(tf.BatchMatMul, "wasm");
 * tf.registerKernel({ ...original, kernelFunc: withTransposedMatMulFastPath(original.kernelFunc) });
 * ```
 */
export function withTransposedMatMulFastPath(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const attrs = args.attrs ?? {};
    const transposeA = attrs["transposeA"] === true;
    const transposeB = attrs["transposeB"] === true;
    if (
      a === undefined ||
      b === undefined ||
      !(transposeA || transposeB) ||
      a.dtype !== "float32" ||
      b.dtype !== "float32" ||
      batchCount(a) !== 1 ||
      batchCount(b) !== 1
    ) {
      return original(args);
    }
    // Worth it only when the product is large next to the data the fast path must move: the
    // explicit transposes, plus XNNPACK packing b (K·N) on every call (b is a fresh tensor in
    // training: a gradient, a transposed copy, or a weight just updated by the optimizer). Measured:
    // the loop costs ~1 ns per multiply-add, the fast path ~0.1 ns plus ~3-4 ns per moved element.
    // E.g. dx = dy·Wᵀ for a 3136×512 W loses below 8 rows of dy and wins 4.5× at 32.
    const rank = a.shape.length;
    const rows = transposeA ? a.shape[rank - 1]! : a.shape[rank - 2]!;
    const inner = transposeA ? a.shape[rank - 2]! : a.shape[rank - 1]!;
    const cols = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
    const moved = (transposeA ? rows * inner : 0) + (transposeB ? 2 : 1) * inner * cols;
    if (rows * inner * cols < 3 * moved) return original(args);

    const backend = args.backend as WasmBackend;
    const owned: tf.TensorInfo[] = [];
    try {
      const aPlain = transposeA ? transposeLastTwo(backend, a) : a;
      if (transposeA) owned.push(aPlain);
      const bPlain = transposeB ? transposeLastTwo(backend, b) : b;
      if (transposeB) owned.push(bPlain);
      return original({
        ...args,
        inputs: { ...args.inputs, a: aPlain, b: bPlain },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      // Disposing the transposed copy also releases the XNNPACK operator tfjs cached for it.
      disposeInfos(backend, ...owned);
    }
  };
}
