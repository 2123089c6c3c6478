import * as tf from "./tf";
import { disposeInfos, runWasmKernel, type WasmBackend } from "./wasm-kernel-utils";

/**
 * UnsortedSegmentSum for the wasm backend, which tfjs 4.22 lacks. tfjs needs it for the gradient of
 * `tf.gather` (e.g. picking Q(s, a) with `tf.gather(q, actions, 1, 1)` in a DQN loss, or embedding
 * lookups): the gradient scatters dy back into the gathered rows, summing rows gathered twice.
 *
 *     out[s, ...] = Σ_{i : segmentIds[i] = s} x[i, ...]      for s in [0, numSegments)
 *
 * That is precisely the wasm ScatterNd kernel with indices = segmentIds as [n, 1] (ScatterNd
 * zero-fills its output and adds duplicate indices). One difference: ScatterNd does no bounds check
 * (an out-of-range index writes outside the output buffer, corrupting the wasm heap), whereas
 * UnsortedSegmentSum must ignore ids outside [0, numSegments) (as TensorFlow and tfjs's cpu kernel
 * do). So ids are first remapped, with elementwise kernels, to an extra "discard" row numSegments,
 * which is sliced off at the end:
 *
 *     id' = min(id + [id < 0]·(numSegments − id), numSegments)
 */

/**
 * Computes UnsortedSegmentSum on the wasm backend (see the file comment).
 *
 * @param args Kernel arguments: inputs { x: [n, ...inner], segmentIds: int32 [n] }, attrs
 *   { numSegments }, and the wasm backend.
 * @returns [numSegments, ...inner] with x's dtype.
 * @throws Error `Expected segmentIds of shape [n] ..., got ...` for other shapes.
 * @example
 * ```ts
 * // Registered by registerWasmTrainingKernels(); then:
 * tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 0, 1], "int32"), 2); // [3, 3]
 * ```
 */
export function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = Number(args.attrs?.["numSegments"]);
  if (segmentIds.shape.length !== 1 || x.shape.length === 0 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(
      `Expected segmentIds of shape [${x.shape[0] ?? "n"}] (one id per row of x) for ` +
        `UnsortedSegmentSum on wasm, got [${segmentIds.shape.join(", ")}] with x of shape [${x.shape.join(", ")}]`,
    );
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`Expected numSegments to be a non-negative integer, got ${args.attrs?.["numSegments"]}`);
  }
  const n = x.shape[0]!;
  const inner = x.shape.slice(1);

  const owned: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (owned.push(t), t);
  try {
    const zero = keep(backend.makeOutput([], "int32", undefined, Int32Array.of(0)));
    const discard = keep(backend.makeOutput([], "int32", undefined, Int32Array.of(numSegments)));
    // id' = min(id + [id < 0]·(numSegments − id), numSegments): negative ids and ids ≥ numSegments
    // all land on the discard row.
    const isNegative = keep(runWasmKernel(backend, tf.Cast, { x: keep(runWasmKernel(backend, tf.Less, { a: segmentIds, b: zero })) }, { dtype: "int32" }));
    const shift = keep(runWasmKernel(backend, tf.Multiply, { a: isNegative, b: keep(runWasmKernel(backend, tf.Sub, { a: discard, b: segmentIds })) }));
    const moved = keep(runWasmKernel(backend, tf.Add, { a: segmentIds, b: shift }));
    const ids = keep(runWasmKernel(backend, tf.Minimum, { a: moved, b: discard }));
    const indices = keep(runWasmKernel(backend, tf.Reshape, { x: ids }, { shape: [n, 1] }));
    // Sum rows into numSegments + 1 rows (ScatterNd zero-fills and adds duplicates), drop the discard row.
    const summed = keep(runWasmKernel(backend, tf.ScatterNd, { indices, updates: x }, { shape: [numSegments + 1, ...inner] }));
    return runWasmKernel(backend, tf.Slice, { x: summed }, { begin: summed.shape.map(() => 0), size: [numSegments, ...inner] });
  } finally {
    disposeInfos(backend, ...owned);
  }
}

/**
 * Kernel registration record for {@link unsortedSegmentSumWasm}, ready for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * tf.registerKernel(unsortedSegmentSumWasmConfig);
 * ```
 */
export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSumWasm,
};
