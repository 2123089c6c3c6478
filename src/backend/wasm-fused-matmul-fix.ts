import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend } from "./wasm-kernel-utils";

/**
 * Correctness fix for _FusedMatMul (matMul + bias + activation, as tf.fused.matMul and dense layers
 * emit) on the wasm backend.
 *
 * The bug (tfjs-backend-wasm 4.22, batch_mat_mul_impl.cc `slow_batch_matmul`): when the product does
 * not go to XNNPACK (an operand is transposed, or there is more than one matrix per operand), the
 * bias element for output (i, j) is read at `min(i·N + j, biasSize − 1)` instead of `j`, so every
 * row after the first gets the LAST bias value in every column. E.g. a = [[1, 2], [3, 4], [5, 6]],
 * b = [[1, −1], [2, 0.5], [3, 1]]ᵀ-style shapes with bias [0.5, −0.5] gives 27.5 where cpu gives 28.5.
 * The untransposed single-matrix case (XNNPACK) is correct.
 *
 * The fix: in the cases that take that path and carry a bias or an activation, run the product
 * unfused (tfjs's own kernel, no bias), then add the bias and apply the activation with the wasm
 * Add / Relu / Relu6 / Elu / Sigmoid / LeakyRelu / Prelu kernels. Other calls go to tfjs's kernel.
 */

/** Inputs of _FusedMatMul. */
interface FusedInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
}

/**
 * Whether tfjs-backend-wasm computes this product in `slow_batch_matmul` (the buggy path): any
 * transposed operand, or more than one matrix in either operand.
 */
function takesSlowPath(a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.NamedAttrMap): boolean {
  const count = (t: tf.TensorInfo) => t.shape.slice(0, -2).reduce((n, d) => n * d, 1);
  return attrs["transposeA"] === true || attrs["transposeB"] === true || count(a) !== 1 || count(b) !== 1;
}

/** Applies a fused activation with the corresponding wasm kernel; returns x itself for "linear". */
function activate(backend: WasmBackend, x: tf.TensorInfo, attrs: tf.NamedAttrMap, inputs: FusedInputs): tf.TensorInfo {
  const activation = (attrs["activation"] as string | undefined) ?? "linear";
  switch (activation) {
    case "linear":
      return x;
    case "relu":
      return runWasmKernel(backend, tf.Relu, { x });
    case "relu6":
      return runWasmKernel(backend, tf.Relu6, { x });
    case "elu":
      return runWasmKernel(backend, tf.Elu, { x });
    case "sigmoid":
      return runWasmKernel(backend, tf.Sigmoid, { x });
    case "leakyrelu":
      return runWasmKernel(backend, tf.LeakyRelu, { x }, { alpha: (attrs["leakyreluAlpha"] as number | undefined) ?? 0.2 });
    case "prelu":
      if (inputs.preluActivationWeights === undefined) {
        throw new Error("Expected preluActivationWeights for a prelu-fused matMul, got none");
      }
      return runWasmKernel(backend, tf.Prelu, { x, alpha: inputs.preluActivationWeights });
    default:
      throw new Error(`Expected a fused activation of linear, relu, relu6, elu, sigmoid, leakyrelu or prelu, got ${activation}`);
  }
}

/**
 * Wraps tfjs's wasm _FusedMatMul kernel so that bias and activation are applied correctly when the
 * product takes tfjs's non-XNNPACK path (see the file comment).
 *
 * @param original tfjs-backend-wasm's _FusedMatMul kernel function.
 * @returns A kernel function with _FusedMatMul's contract.
 * @example
 * ```ts
 * const config = tf.getKernel(tf._FusedMatMul, "wasm");
 * tf.unregisterKernel(tf._FusedMatMul, "wasm");
 * tf.registerKernel({ ...config, kernelFunc: withFusedMatMulFix(config.kernelFunc) });
 * ```
 */
export function withFusedMatMulFix(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as FusedInputs;
    const attrs = args.attrs ?? {};
    const activation = (attrs["activation"] as string | undefined) ?? "linear";
    if (!takesSlowPath(inputs.a, inputs.b, attrs) || (inputs.bias === undefined && activation === "linear")) {
      return original(args);
    }
    const backend = args.backend as WasmBackend;
    const owned: tf.TensorInfo[] = [];
    try {
      let out = original({ ...args, inputs: { a: inputs.a, b: inputs.b }, attrs: { ...attrs, activation: "linear" } });
      if (Array.isArray(out)) throw new Error(`Expected _FusedMatMul to return one tensor, got ${out.length}`);
      if (inputs.bias !== undefined) {
        owned.push(out);
        out = runWasmKernel(backend, tf.Add, { a: out, b: inputs.bias });
      }
      const activated = activate(backend, out, attrs, inputs);
      if (activated !== out) owned.push(out);
      return activated;
    } finally {
      disposeInfos(backend, ...owned);
    }
  };
}
