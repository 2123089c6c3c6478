import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend, registerWasmTrainingKernels, tf, WASM_FAST_PATHS, WASM_FIXES, WASM_MISSING_KERNELS } from "../src/backend/index";
import { chooseMatMulPlan } from "../src/backend/wasm-matmul-fast-path";
import { relativeError, seededUniform } from "./support/numeric";

const random = seededUniform;

/** Runs `f` on cpu and on wasm (fresh tensors each time) and returns both results' data. */
async function onBothBackends(f: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (backend: "cpu" | "wasm") => {
    assert.ok(await tf.setBackend(backend));
    const out = tf.tidy(f);
    const outs = Array.isArray(out) ? out : [out];
    // Read outside tidy: tidy walks whatever it returns, element by element for typed arrays.
    const data = outs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outs);
    return data;
  };
  return { cpu: await run("cpu"), wasm: await run("wasm") };
}

function assertClose(results: { cpu: Float32Array[]; wasm: Float32Array[] }, label: string): void {
  results.cpu.forEach((expected, i) => {
    const error = relativeError(results.wasm[i]!, expected);
    assert.ok(error <= 1e-5, `Expected wasm to match cpu within 1e-5 for ${label} (output ${i}), got ${error}`);
  });
}

describe("registerWasmTrainingKernels", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("reports the kernels it added and is idempotent", () => {
    const expected = [...new Set([...WASM_MISSING_KERNELS, ...WASM_FIXES, ...WASM_FAST_PATHS].map((k) => k.kernelName))];
    assert.deepEqual(expected, ["Conv2DBackpropFilter", "UnsortedSegmentSum", "GatherV2", "MaxPoolGrad", "MaxPoolWithArgmax", "_FusedMatMul", "Conv2DBackpropInput", "BatchMatMul", "Identity"]);
    assert.deepEqual(registerWasmTrainingKernels(), expected);
    assert.deepEqual(registerWasmTrainingKernels(), expected);
  });

  it("can remove the fast paths again, restoring tfjs's own kernels", () => {
    const wrapped = tf.getKernel(tf.BatchMatMul, "wasm").kernelFunc;
    assert.deepEqual(registerWasmTrainingKernels({ fastPaths: false }), [...WASM_MISSING_KERNELS, ...WASM_FIXES].map((k) => k.kernelName));
    const restored = tf.getKernel(tf.BatchMatMul, "wasm").kernelFunc;
    assert.notEqual(restored, wrapped);
    // tfjs's kernel still works (its setupFunc binding survived the round trip).
    assert.deepEqual(Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()), [11]);
    registerWasmTrainingKernels();
    assert.notEqual(tf.getKernel(tf.BatchMatMul, "wasm").kernelFunc, restored);
  });
});

describe("matrix products on the wasm backend", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("match cpu for every combination of transposed operands", async () => {
    const [m, k, n] = [7, 33, 5];
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const results = await onBothBackends(() => {
          const a = tf.tensor2d(random(m * k, 1), transposeA ? [k, m] : [m, k]);
          const b = tf.tensor2d(random(k * n, 2), transposeB ? [n, k] : [k, n]);
          return tf.matMul(a, b, transposeA, transposeB);
        });
        assertClose(results, `matMul transposeA=${transposeA} transposeB=${transposeB}`);
      }
    }
  });

  it("match cpu for batched and fused products with every bias and activation combination", async () => {
    const batched = await onBothBackends(() =>
      tf.matMul(tf.tensor3d(random(3 * 4 * 6, 3), [3, 6, 4]), tf.tensor3d(random(3 * 6 * 2, 4), [3, 2, 6]), true, true),
    );
    assertClose(batched, "batched matMul with both operands transposed");
    // Small and large products: tfjs's own kernel takes the small ones, the fast path the large ones.
    for (const [m, k, n] of [[8, 5, 3], [64, 48, 40]] as const) {
      for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const) {
          const fused = await onBothBackends(() =>
            tf.fused.matMul({
              a: tf.tensor2d(random(m * k, 5), transposeA ? [k, m] : [m, k]),
              b: tf.tensor2d(random(k * n, 6), transposeB ? [n, k] : [k, n]),
              transposeA,
              transposeB,
              bias: tf.tensor1d(random(n, 7)),
              activation,
              preluActivationWeights: activation === "prelu" ? tf.tensor1d(random(n, 8)) : undefined,
              leakyreluAlpha: 0.3,
            }),
          );
          assertClose(fused, `fused matMul ${m}×${k}×${n} transposeA=${transposeA} transposeB=${transposeB} ${activation}`);
        }
      }
    }
    const batchedFused = await onBothBackends(() =>
      tf.fused.matMul({ a: tf.tensor3d(random(2 * 3 * 4, 9), [2, 3, 4]), b: tf.tensor3d(random(2 * 4 * 5, 10), [2, 4, 5]), bias: tf.tensor1d(random(5, 11)), activation: "relu" }),
    );
    assertClose(batchedFused, "batched fused matMul with bias");
  });

  it("pick the form that packs the smaller operand for the Nature CNN's 3136 → 512 layer at batch 32", () => {
    const layer = { bPacked: false, fused: false };
    // forward x·W and dx = dy·Wᵀ swap (XNNPACK packs x or dy, not W); dW = xᵀ·dy goes direct (packs dy).
    assert.equal(chooseMatMulPlan({ ...layer, rows: 32, inner: 3136, cols: 512, transposeA: false, transposeB: false }), "swapped");
    assert.equal(chooseMatMulPlan({ ...layer, rows: 32, inner: 512, cols: 3136, transposeA: false, transposeB: true }), "swapped");
    assert.equal(chooseMatMulPlan({ ...layer, rows: 3136, inner: 32, cols: 512, transposeA: true, transposeB: false }), "direct");
    // Weights used before are packed already; fused bias/activation never swaps; tiny products stay tfjs's.
    assert.equal(chooseMatMulPlan({ ...layer, bPacked: true, rows: 32, inner: 3136, cols: 512, transposeA: false, transposeB: false }), "tfjs");
    assert.equal(chooseMatMulPlan({ ...layer, fused: true, rows: 32, inner: 512, cols: 3136, transposeA: false, transposeB: true }), "direct");
    assert.equal(chooseMatMulPlan({ ...layer, rows: 4, inner: 3, cols: 5, transposeA: true, transposeB: true }), "tfjs");
  });

  it("match cpu in all three forms (tfjs, direct, swapped), for rank 2 and 3 operands and for weights used twice", async () => {
    const plans = new Set<string>();
    for (const [m, k, n] of [[8, 300, 200], [300, 8, 200]] as const) {
      for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const plan = chooseMatMulPlan({ rows: m, inner: k, cols: n, transposeA, transposeB, bPacked: false, fused: false });
        plans.add(plan);
        for (const rank of [2, 3] as const) {
          const shapeOf = (rows: number, cols: number) => (rank === 2 ? [rows, cols] : [1, rows, cols]);
          const results = await onBothBackends(() => {
            const a = tf.tensor(random(m * k, 14), shapeOf(transposeA ? k : m, transposeA ? m : k));
            const b = tf.tensor(random(k * n, 15), shapeOf(transposeB ? n : k, transposeB ? k : n));
            // The second product reuses b: from then on tfjs's kernel runs it with b packed once.
            return [tf.matMul(a, b, transposeA, transposeB), tf.matMul(tf.mul(a, 2), b, transposeA, transposeB)];
          });
          assertClose(results, `${plan} matMul ${m}×${k}×${n} rank ${rank} transposeA=${transposeA} transposeB=${transposeB}`);
        }
      }
    }
    assert.deepEqual([...plans].sort(), ["direct", "swapped", "tfjs"]);
  });

  it("give dense-layer gradients that match cpu", async () => {
    const results = await onBothBackends(() => {
      const x = tf.tensor2d(random(32 * 50, 7), [32, 50]);
      const w = tf.tensor2d(random(50 * 20, 8), [50, 20]);
      const dy = tf.tensor2d(random(32 * 20, 9), [32, 20]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.matMul(a, b)), dy)))([x, w]);
    });
    assertClose(results, "matMul gradients");
  });
});

describe("tf.gather on the wasm backend", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("picks Q(s, a) per row with batchDims 1 (tfjs-backend-wasm 4.22 gets this wrong)", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const q = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const actions = tf.tensor2d([[1], [2], [0]], [3, 1], "int32");
    assert.deepEqual(Array.from(tf.gather(q, actions, 1, 1).dataSync()), [2, 6, 7]);
  });

  it("matches cpu for batched gathers with outer and inner dimensions", async () => {
    const cases: Array<{ xShape: number[]; indicesShape: number[]; axis: number; batchDims: number; dim: number }> = [
      { xShape: [4, 5], indicesShape: [4, 3], axis: 1, batchDims: 1, dim: 5 },
      { xShape: [3, 2, 6, 4], indicesShape: [3, 5], axis: 2, batchDims: 1, dim: 6 },
      { xShape: [2, 3, 4, 2], indicesShape: [2, 3, 2], axis: 2, batchDims: 2, dim: 4 },
      { xShape: [5, 7], indicesShape: [4], axis: 1, batchDims: 0, dim: 7 },
    ];
    let seed = 20;
    for (const c of cases) {
      const size = c.indicesShape.reduce((a, b) => a * b, 1);
      const idx = Int32Array.from(random(size, seed++), (v) => Math.floor(((v + 1) / 2) * c.dim));
      const results = await onBothBackends(() =>
        tf.gather(tf.tensor(random(c.xShape.reduce((a, b) => a * b, 1), seed), c.xShape), tf.tensor(idx, c.indicesShape, "int32"), c.axis, c.batchDims),
      );
      assertClose(results, `gather ${JSON.stringify(c)}`);
    }
  });

  it("rejects an index that is out of range for its own batch", async () => {
    assert.ok(await tf.setBackend("wasm"));
    assert.throws(() => tf.gather(tf.zeros([2, 3]), tf.tensor2d([[0], [3]], [2, 1], "int32"), 1, 1), /Expected gather indices in \[0, 2\], got 3/);
  });
});

describe("max pooling on the wasm backend", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  /** Values with all-negative windows, all-zero windows (as after a ReLU) and ties. */
  const tricky = [-3, -1, -2, -5, -4, -0.5, -7, -8, 0, 0, 0, 0, 1, 1, 2, 2];

  it("sends gradients of all-negative, all-zero and tied windows to the first maximal pixel, as on cpu", async () => {
    for (const [filter, stride, pad] of [[2, 2, "valid"], [3, 2, "same"], [3, 1, "same"], [2, 1, "valid"]] as const) {
      const results = await onBothBackends(() => {
        const x = tf.tensor4d(tricky, [1, 4, 4, 1]);
        const shape = tf.maxPool(x, filter, stride, pad).shape;
        const dy = tf.tensor(random(shape.reduce((a, b) => a * b, 1), 40), shape);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, filter, stride, pad), dy)))(x);
      });
      assertClose(results, `maxPool gradient ${filter}/${stride}/${pad}`);
    }
  });

  it("gives maxPool gradients that match cpu on random batches with 'same' padding", async () => {
    const results = await onBothBackends(() => {
      const x = tf.tensor4d(random(4 * 11 * 9 * 3, 31), [4, 11, 9, 3]);
      const dy = tf.tensor4d(random(4 * 6 * 5 * 3, 32), [4, 6, 5, 3]);
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(v) as tf.Tensor4D, 3, 2, "same"), dy)))(x);
    });
    assertClose(results, "maxPool gradient after relu");
  });

  it("returns the true maxima and first-argmax indices from maxPoolWithArgmax", async () => {
    for (const includeBatchInIndex of [false, true]) {
      const results = await onBothBackends(() => {
        const x = tf.tensor4d([...tricky, ...tricky.map((v) => -v)], [2, 4, 4, 1]);
        const { result, indexes } = tf.maxPoolWithArgmax(x, 3, 2, "same", includeBatchInIndex);
        return [result, tf.cast(indexes, "float32")];
      });
      assertClose(results, `maxPoolWithArgmax includeBatchInIndex=${includeBatchInIndex}`);
    }
  });
});

describe("UnsortedSegmentSum on the wasm backend", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("sums rows with repeated ids and ignores ids outside [0, numSegments)", async () => {
    const results = await onBothBackends(() =>
      tf.unsortedSegmentSum(tf.tensor2d(random(6 * 3, 10), [6, 3]), tf.tensor1d([2, 0, 2, -1, 4, 1], "int32"), 4),
    );
    assertClose(results, "unsortedSegmentSum");
  });

  it("keeps int32 values exact", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const out = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], "int32"), tf.tensor1d([1, 1, 0, 7], "int32"), 3);
    assert.equal(out.dtype, "int32");
    assert.deepEqual(Array.from(out.dataSync()), [3, 3, 0]);
  });

  it("makes gradients of tf.gather (Q(s, a) selection) match cpu", async () => {
    const results = await onBothBackends(() => {
      const q = tf.tensor2d(random(8 * 6, 11), [8, 6]);
      const actions = tf.tensor2d([[1], [5], [0], [1], [2], [2], [3], [4]], [8, 1], "int32");
      const targets = tf.tensor1d(random(8, 12));
      return tf.grad((qs: tf.Tensor) => tf.losses.huberLoss(targets, tf.squeeze(tf.gather(qs, actions, 1, 1), [1])))(q);
    });
    assertClose(results, "gather gradient");
    const rows = await onBothBackends(() => {
      const table = tf.tensor2d(random(5 * 4, 13), [5, 4]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([3, 3, 0, 4, 3], "int32")), 2)))(table);
    });
    assertClose(rows, "gather gradient with repeated rows");
  });
});

describe("Identity on the wasm backend", () => {
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
  });

  it("shares the data of a clone instead of copying it, and frees it with the last sharer", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const backend = tf.backend();
    const start = backend.numDataIds();
    const original = tf.tensor2d([[1, -2], [3, 4.5]]);
    const copy = tf.clone(original); // the kernel the gradient tape uses to save tensors
    assert.equal(backend.numDataIds(), start + 1);
    original.dispose();
    assert.deepEqual(Array.from(copy.dataSync()), [1, -2, 3, 4.5]);
    copy.dispose();
    assert.equal(backend.numDataIds(), start);
    // Strings stay tfjs's own kernel.
    assert.deepEqual(tf.clone(tf.tensor1d(["a", "b"], "string")).arraySync(), ["a", "b"]);
  });

  it("keeps a variable's saved value intact when the optimizer assigns a new one", async () => {
    assert.ok(await tf.setBackend("wasm"));
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const x = tf.tensor1d([2, 2, 2]);
    // The tape saves w (an Identity of it); assigning w afterwards must not change that copy.
    const grads = tf.variableGrads(() => {
      const loss = tf.sum(tf.mul(tf.mul(w, w), x));
      w.assign(tf.tensor1d([10, 20, 30]));
      return loss as tf.Scalar;
    }, [w]);
    assert.deepEqual(Array.from(grads.grads[w.name]!.dataSync()), [4, 8, 12]);
  });
});
