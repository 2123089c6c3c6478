import * as tf from "./tf";
import { buildNatureCnn, natureCnnTrainStep, type QBatch } from "./nature-cnn";
import { initBackend, type BackendName } from "./select";

/** Options of {@link benchmarkNatureCnnStep}. */
export interface NatureCnnBenchOptions {
  /** Minibatch size. Default 32. */
  batchSize?: number;
  /** Timed training steps (and forward passes). Default 5. The cpu backend needs ~seconds each. */
  iterations?: number;
  /** Untimed steps first (XNNPACK packs weights and tfjs warms caches on first use). Default 1. */
  warmup?: number;
  /** Number of actions of the Q-head. Default 6. */
  nActions?: number;
}

/** Result of {@link benchmarkNatureCnnStep}; times are milliseconds, averaged over the iterations. */
export interface NatureCnnBenchResult {
  /** Backend the benchmark ran on. */
  backend: BackendName;
  batchSize: number;
  iterations: number;
  /** One full DQN step: forward, Huber loss, backward, global-norm clip, Adam update. */
  trainStepMs: number;
  /**
   * CPU time of the process per training step, all threads together. On a machine shared with other
   * jobs the wall time above includes waiting for a core; with one thread this does not, so it is
   * close to what the step takes on an idle machine.
   */
  trainStepCpuMs: number;
  /** Forward pass only (model.predict), including reading the Q-values back. */
  forwardMs: number;
}

/**
 * Times the Nature CNN (84×84×4 input) on the current tfjs backend: a full training step and a
 * forward pass. Calls `initBackend()` first (a no-op if already initialised), so it measures
 * whatever backend the user chose. Used by `npm run bench`.
 *
 * @param options See {@link NatureCnnBenchOptions}.
 * @returns Mean milliseconds per training step and per forward pass.
 * @throws Error `Expected batchSize to be a positive integer, got ...` (same for iterations, warmup).
 * @example
 * ```ts
 * await initBackend({ backend: "wasm" });
 * const r = await benchmarkNatureCnnStep({ batchSize: 32, iterations: 3 });
 * console.log(`${r.backend}: ${r.trainStepMs.toFixed(0)} ms/step`);
 * ```
 */
export async function benchmarkNatureCnnStep(options: NatureCnnBenchOptions = {}): Promise<NatureCnnBenchResult> {
  const batchSize = options.batchSize ?? 32;
  const iterations = options.iterations ?? 5;
  const warmup = options.warmup ?? 1;
  const nActions = options.nActions ?? 6;
  for (const [name, value, min] of [["batchSize", batchSize, 1], ["iterations", iterations, 1], ["warmup", warmup, 0], ["nActions", nActions, 1]] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`Expected ${name} to be an integer >= ${min}, got ${value}`);
    }
  }
  const info = await initBackend();

  const model = buildNatureCnn({ nActions, seed: 1 });
  const optimizer = tf.train.adam(1e-4);
  const batch: QBatch = {
    obs: tf.randomUniform([batchSize, 84, 84, 4], 0, 1, "float32", 2) as tf.Tensor4D,
    actions: tf.randomUniform([batchSize], 0, nActions, "int32", 3) as tf.Tensor1D,
    targets: tf.randomNormal([batchSize], 0, 1, "float32", 4) as tf.Tensor1D,
  };
  const forward = () => {
    const q = model.predict(batch.obs) as tf.Tensor;
    q.dataSync();
    q.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) {
      natureCnnTrainStep(model, optimizer, batch);
      forward();
    }
    let t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) natureCnnTrainStep(model, optimizer, batch);
    const trainStepMs = (performance.now() - t0) / iterations;
    const cpu = process.cpuUsage(cpu0);
    const trainStepCpuMs = (cpu.user + cpu.system) / 1000 / iterations;
    t0 = performance.now();
    for (let i = 0; i < iterations; i++) forward();
    const forwardMs = (performance.now() - t0) / iterations;
    return { backend: info.name, batchSize, iterations, trainStepMs, trainStepCpuMs, forwardMs };
  } finally {
    tf.dispose([batch.obs, batch.actions, batch.targets]);
    optimizer.dispose();
    model.dispose();
  }
}
