import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend } from "./wasm-kernel-utils";

/**
 * Correctness fix for GatherV2 with batchDims > 0 on the wasm backend.
 *
 * The bug (tfjs-backend-wasm 4.22, Gather.cc): for output element (batch b, index position i) the
 * C++ kernel reads `indices[b * batch_size + i]`, i.e. it strides through the indices by the NUMBER
 * OF BATCHES instead of the number of indices per batch. With batchDims = 0 there is one batch and
 * the result is right; with batchDims ≥ 1 it silently returns wrong values (or reads past the end of
 * the indices). Example: the DQN idiom Q(s, a) = tf.gather(q, actions, 1, 1) with q [[1,2,3],
 * [4,5,6], [7,8,9]] and actions [[1], [2], [0]] gives [2, 0, 0] on wasm instead of [2, 6, 7].
 *
 * The fix turns a batched gather into an ordinary one, which wasm computes correctly: view x as
 * [outer, batch · dim, slice] (batch-major within the gathered axis) and shift each batch's indices
 * by batch · dim, so index k of batch b selects row b·dim + k:
 *     x   [batch, outer, dim, slice] → transpose → [outer, batch, dim, slice] → reshape [outer, batch·dim, slice]
 *     idx [batch, n] + [[0], [dim], [2·dim], ...] → reshape [batch·n]
 *     gather(x', idx', axis 1) = [outer, batch·n, slice] → [outer, batch, n, slice] → transpose → output
 * (The transposes are skipped when outer = 1, e.g. for Q(s, a).) Indices are range-checked per batch
 * first, as tfjs does, because after the shift an index too large for its own batch would silently
 * read the next batch's row.
 */

/**
 * Wraps tfjs's wasm GatherV2 kernel function so that batched gathers (batchDims > 0) are computed
 * correctly (see the file comment); batchDims = 0 calls go straight to `original`.
 *
 * @param original The kernel function tfjs-backend-wasm registered for GatherV2.
 * @returns A kernel function with GatherV2's contract (inputs { x, indices }, attrs { axis, batchDims }).
 * @throws Error `Expected gather indices in [0, <dim - 1>], got <index>` for out-of-range indices.
 * @example
 * ```ts
 * const original = tf.getKernel(tf.GatherV2, "wasm");
 * tf.unregisterKernel(tf.GatherV2, "wasm");
 * tf.registerKernel({ ...original, kernelFunc: withBatchedGatherFix(original.kernelFunc) });
 * ```
 */
export function withBatchedGatherFix(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const attrs = args.attrs ?? {};
    const batchDims = Number(attrs["batchDims"] ?? 0);
    const axis = tf.util.parseAxisParam(attrs["axis"] as number, x.shape)[0]!;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.TensorInfo as tf.Tensor,
      indices as tf.TensorInfo as tf.Tensor,
      axis,
      batchDims,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
    if (batchDims === 0 || batchSize <= 1 || tf.util.sizeFromShape(x.shape) === 0) return original(args);

    const backend = args.backend as WasmBackend;
    const n = tf.util.sizeFromShape(indices.shape) / batchSize;
    const values = backend.readSync(indices.dataId) as Int32Array;
    for (const index of values) {
      if (!(index >= 0 && index < dimSize)) throw new Error(`Expected gather indices in [0, ${dimSize - 1}], got ${index}`);
    }

    const owned: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo) => (owned.push(t), t);
    try {
      // x' : [outer, batch·dim, slice]
      let xb = keep(runWasmKernel(backend, tf.Reshape, { x }, { shape: [batchSize, outerSize, dimSize, sliceSize] }));
      if (outerSize !== 1) xb = keep(runWasmKernel(backend, tf.Transpose, { x: xb }, { perm: [1, 0, 2, 3] }));
      const xFlat = keep(runWasmKernel(backend, tf.Reshape, { x: xb }, { shape: [outerSize, batchSize * dimSize, sliceSize] }));
      // idx' = idx + b·dim, flattened. One offset per batch (not per element).
      const offsets = keep(backend.makeOutput([batchSize, 1], "int32", undefined, Int32Array.from({ length: batchSize }, (_, b) => b * dimSize)));
      const idx2 = keep(runWasmKernel(backend, tf.Reshape, { x: indices }, { shape: [batchSize, n] }));
      const shifted = keep(runWasmKernel(backend, tf.Add, { a: idx2, b: offsets }));
      const flatIdx = keep(runWasmKernel(backend, tf.Reshape, { x: shifted }, { shape: [batchSize * n] }));
      // Ordinary gather (batchDims 0), which wasm computes correctly: [outer, batch·n, slice].
      const gathered = original({ ...args, inputs: { x: xFlat, indices: flatIdx }, attrs: { ...attrs, axis: 1, batchDims: 0 } });
      if (Array.isArray(gathered)) throw new Error(`Expected GatherV2 to return one tensor, got ${gathered.length}`);
      keep(gathered);
      let out = keep(runWasmKernel(backend, tf.Reshape, { x: gathered }, { shape: [outerSize, batchSize, n, sliceSize] }));
      if (outerSize !== 1) out = keep(runWasmKernel(backend, tf.Transpose, { x: out }, { perm: [1, 0, 2, 3] }));
      // The result must be a tensor of its own (not one of `owned`): reshape shares data and bumps
      // the reference count, so disposing `owned` afterwards leaves it alive.
      return runWasmKernel(backend, tf.Reshape, { x: out }, { shape: outputShape });
    } finally {
      disposeInfos(backend, ...owned);
    }
  };
}
