import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { initBackend, tf } from "../src/backend/index";
import { relativeError, seededUniform } from "./support/numeric";

const random = seededUniform;

type Pad = "valid" | "same" | tf.backend_util.ExplicitPadding;

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  strides: [number, number];
  pad: Pad;
}

/** dL/dx and dL/dW of L = Σ conv2d(x, W) ⊙ R on the given backend, R random: so dy = R. */
async function convGradients(backend: "cpu" | "wasm", c: ConvCase, seed: number): Promise<{ dx: Float32Array; dw: Float32Array }> {
  assert.ok(await tf.setBackend(backend));
  const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(xShape, wShape, c.strides, 1, c.pad);
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor4d(random(xShape.reduce((a, b) => a * b), seed), xShape);
    const w = tf.tensor4d(random(wShape.reduce((a, b) => a * b), seed + 1), wShape);
    const dy = tf.tensor4d(random(info.outShape.reduce((a, b) => a * b), seed + 2), info.outShape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy)),
    )([x, w]);
  });
  assert.equal(tf.getBackend(), backend);
  // Read outside tidy: tidy walks whatever it returns, element by element for typed arrays.
  const result = { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  tf.dispose([dx!, dw!]);
  return result;
}

/** Asserts both conv2d gradients on wasm are within 1e-4 (relative to the cpu gradient's max) of cpu. */
async function assertWasmMatchesCpu(c: ConvCase, seed: number): Promise<void> {
  const cpu = await convGradients("cpu", c, seed);
  const wasm = await convGradients("wasm", c, seed);
  const label = `kernel ${c.kernel.join("×")}, strides ${c.strides.join("×")}, pad ${JSON.stringify(c.pad)}, batch ${c.batch}`;
  const dwError = relativeError(wasm.dw, cpu.dw);
  const dxError = relativeError(wasm.dx, cpu.dx);
  assert.ok(dwError <= 1e-4, `Expected filter gradient error ≤ 1e-4 for ${label}, got ${dwError}`);
  assert.ok(dxError <= 1e-4, `Expected input gradient error ≤ 1e-4 for ${label}, got ${dxError}`);
}

describe("conv2d gradients on the wasm backend", () => {
  before(async () => {
    const info = await initBackend({ backend: "wasm", log: false });
    assert.equal(info.name, "wasm");
    assert.ok(info.addedKernels.includes("Conv2DBackpropFilter"));
    assert.ok(info.addedKernels.includes("Conv2DBackpropInput"));
  });

  for (const batch of [1, 32]) {
    for (let k = 1; k <= 8; k++) {
      it(`match cpu for ${k}×${k} kernels at batch ${batch} with strides 1, 2 and 4 and 'valid' and 'same' padding`, async () => {
        let seed = 1000 * k + batch;
        for (const s of [1, 2, 4]) {
          for (const pad of ["valid", "same"] as const) {
            // Odd, non-square images so that strides do not divide evenly (rows the forward pass
            // skips, asymmetric 'same' padding).
            await assertWasmMatchesCpu({ batch, height: 17, width: 20, inChannels: 3, outChannels: 4, kernel: [k, k], strides: [s, s], pad }, seed++);
          }
        }
      });
    }
  }

  it("match cpu for non-square kernels and strides", async () => {
    let seed = 77;
    for (const [kernel, strides] of [
      [[3, 5], [1, 2]],
      [[5, 2], [2, 1]],
      [[8, 4], [4, 2]],
      [[2, 7], [3, 1]],
    ] as Array<[[number, number], [number, number]]>) {
      for (const pad of ["valid", "same"] as const) {
        await assertWasmMatchesCpu({ batch: 3, height: 19, width: 16, inChannels: 2, outChannels: 5, kernel, strides, pad }, seed++);
      }
    }
  });

  it("match cpu for explicit padding, including padding larger than the kernel", async () => {
    let seed = 99;
    const pads: tf.backend_util.ExplicitPadding[] = [
      [[0, 0], [1, 2], [0, 3], [0, 0]],
      [[0, 0], [0, 5], [4, 0], [0, 0]], // dy covers rows the input does not have
      [[0, 0], [2, 2], [2, 2], [0, 0]],
    ];
    for (const pad of pads) {
      for (const s of [1, 2]) {
        await assertWasmMatchesCpu({ batch: 2, height: 11, width: 13, inChannels: 3, outChannels: 2, kernel: [3, 3], strides: [s, s], pad }, seed++);
      }
    }
  });

  // (Batch 32 runs in the tests above, on smaller images: the cpu reference is slow at these sizes.)
  for (const batch of [1, 4]) {
    it(`match cpu at the Nature-CNN layer shapes (batch ${batch}, where the XNNPACK paths run)`, async () => {
      await assertWasmMatchesCpu({ batch, height: 84, width: 84, inChannels: 4, outChannels: 32, kernel: [8, 8], strides: [4, 4], pad: "valid" }, 5);
      await assertWasmMatchesCpu({ batch, height: 20, width: 20, inChannels: 32, outChannels: 64, kernel: [4, 4], strides: [2, 2], pad: "valid" }, 6);
      await assertWasmMatchesCpu({ batch, height: 9, width: 9, inChannels: 64, outChannels: 64, kernel: [3, 3], strides: [1, 1], pad: "valid" }, 7);
      await assertWasmMatchesCpu({ batch, height: 9, width: 9, inChannels: 64, outChannels: 64, kernel: [3, 3], strides: [1, 1], pad: "same" }, 8);
    });
  }

  it("leave no intermediate tensors behind on the wasm backend", async () => {
    const c: ConvCase = { batch: 2, height: 12, width: 12, inChannels: 3, outChannels: 4, kernel: [4, 4], strides: [2, 2], pad: "same" };
    await convGradients("wasm", c, 1);
    const backend = tf.backend();
    const before = backend.numDataIds();
    await convGradients("wasm", c, 2);
    assert.equal(backend.numDataIds(), before);
  });
});
