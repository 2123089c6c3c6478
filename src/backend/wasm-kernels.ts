import * as tf from "./tf";
import { conv2DBackpropFilterWasmConfig } from "./wasm-conv-filter-grad";

/**
 * The kernels rl-workbook adds to the wasm backend, so that training conv nets (and DQN-style
 * losses) works there. Found by running a full Nature-CNN training step on wasm (tf.layers and raw
 * ops; Huber and MSE losses; Adam, RMSProp, SGD; gradient clipping by global norm; Q(s, a) picked
 * with tf.gather or tf.oneHot) and listing every "Kernel X not registered for backend wasm". Every
 * other kernel those steps use (Conv2DBackpropInput, Step for the ReLU gradient, ...) exists in
 * tfjs-backend-wasm 4.22.
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasmConfig];

/**
 * Registers the kernels the tfjs wasm backend lacks for training (see {@link WASM_TRAINING_KERNELS}).
 *
 * Only fills gaps: a kernel already registered for wasm (by a newer tfjs, or by an earlier call) is
 * left alone, so calling this twice is cheap and never triggers tfjs's "already registered" warning.
 * Safe before or after the wasm backend is initialised. `initBackend()` calls it when it picks wasm.
 *
 * @returns Names of the kernels that are ours (registered now or by an earlier call), e.g.
 *   ["Conv2DBackpropFilter"].
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * registerWasmTrainingKernels();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  const ours: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, "wasm");
    if (existing === undefined) {
      tf.registerKernel(config);
      ours.push(config.kernelName);
    } else if (existing.kernelFunc === config.kernelFunc) {
      ours.push(config.kernelName);
    }
  }
  return ours;
}
