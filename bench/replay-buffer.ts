/**
 * Cost of the replay buffer's hot path: `addVectorStep` for 8 CartPole sub-envs and `sample(64)`
 * (CleanRL's and rl-zoo's batch size for CartPole). The vector steps are recorded first, so the
 * timings are the buffer's alone, not CartPole's.
 *
 * Usage: `npx tsc -p tsconfig.test.json && node build/bench/replay-buffer.js`
 */
import { ReplayBuffer } from "../src/agents/replay-buffer";
import { Rng } from "../src/core/rng";
import { makeVec } from "../src/vector/make-vec";
import type { AutoresetMode, VectorStepResult } from "../src/vector/types";
import "../src/envs";

const NUM_ENVS = 8;
const RECORDED_STEPS = 2000;

interface RecordedStep {
  obs: Float32Array;
  actions: Int32Array;
  result: VectorStepResult<unknown, Float32Array>;
}

function record(autoreset: AutoresetMode): RecordedStep[] {
  const envs = makeVec("CartPole-v1", { numEnvs: NUM_ENVS, autoreset, seed: 0 });
  const rng = Rng.fromSeed(0);
  let obs = envs.reset().obs as Float32Array;
  const steps: RecordedStep[] = [];
  for (let t = 0; t < RECORDED_STEPS; t++) {
    const actions = Int32Array.from({ length: NUM_ENVS }, () => rng.integer(2));
    const result = envs.step(actions) as VectorStepResult<unknown, Float32Array>;
    steps.push({ obs, actions, result });
    obs = result.obs;
  }
  envs.close();
  return steps;
}

/** Best of 5 timed passes (after one untimed pass, so the JIT has compiled the path), in µs per call. */
function microsPerCall(calls: number, run: () => void): number {
  let best = Infinity;
  for (let r = -1; r < 5; r++) {
    const start = process.hrtime.bigint();
    run();
    const micros = Number(process.hrtime.bigint() - start) / 1000 / calls;
    if (r >= 0) best = Math.min(best, micros);
  }
  return best;
}

for (const autoreset of ["next-step", "same-step"] as const) {
  const steps = record(autoreset);
  for (const nStep of [1, 3]) {
    const buffer = new ReplayBuffer({ capacity: 100_000, obsShape: [4], numEnvs: NUM_ENVS, autoreset, nStep, seed: 0 });
    const repeats = 10;
    const add = microsPerCall(RECORDED_STEPS * repeats, () => {
      for (let r = 0; r < repeats; r++) {
        buffer.endEpisodes(); // the recording restarts: do not chain its last step to its first
        for (const step of steps) buffer.addVectorStep(step);
      }
    });
    const sample = microsPerCall(10_000, () => {
      for (let i = 0; i < 10_000; i++) buffer.sample(64);
    });
    const batch = buffer.createBatch(64);
    const sampleInto = microsPerCall(10_000, () => {
      for (let i = 0; i < 10_000; i++) buffer.sampleInto(batch);
    });
    console.log(
      `${autoreset.padEnd(9)} nStep ${nStep}: addVectorStep (8 CartPole envs) ${add.toFixed(2)} µs, ` +
        `sample(64) ${sample.toFixed(2)} µs, sampleInto(64) ${sampleInto.toFixed(2)} µs  [${String(buffer)}, ${(buffer.byteLength / 1e6).toFixed(1)} MB]`,
    );
  }
}
