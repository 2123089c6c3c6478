/**
 * Cost of the replay buffers' hot paths, with the vector steps recorded first so the timings are
 * the buffers' alone:
 * - ReplayBuffer: `addVectorStep` for 8 CartPole sub-envs and `sample(64)` (CleanRL's and rl-zoo's
 *   batch size for CartPole).
 * - FrameReplayBuffer against ReplayBuffer (uint8) on 84×84×4 stacks: `addVectorStep` for 8
 *   sub-envs and `sampleInto(32)` (the Atari DQN batch size).
 *
 * Usage: `npm run bench -- --only replay` (`--quick`: fewer repeats), or
 * `npx tsc -p tsconfig.test.json && node build/bench/replay-buffer.js`.
 */
import { FrameReplayBuffer } from "../src/agents/frame-replay-buffer";
import { ReplayBuffer } from "../src/agents/replay-buffer";
import type { TransitionStore } from "../src/agents/replay-types";
import { Rng } from "../src/core/rng";
import { makeVec } from "../src/vector/make-vec";
import type { AutoresetMode, ObsArray, VectorStepResult } from "../src/vector/types";
import "../src/envs";

const NUM_ENVS = 8;
const RECORDED_STEPS = 2000;

interface RecordedStep {
  obs: Float32Array | Uint8Array;
  actions: Int32Array;
  result: VectorStepResult<unknown, ObsArray>;
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

function benchCartPole(repeats: number): void {
  for (const autoreset of ["next-step", "same-step"] as const) {
    const steps = record(autoreset);
    for (const nStep of [1, 3]) {
      const buffer = new ReplayBuffer({ capacity: 100_000, obsShape: [4], numEnvs: NUM_ENVS, autoreset, nStep, seed: 0 });
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
}

/** Pixels of one 84×84 frame; frames per stack; steps before the recorded pixel stream repeats. */
const [FRAME_PIXELS, STACK, CYCLE] = [84 * 84, 4, 64];

/**
 * 8 sub-envs' stacks of 4 random 84×84 frames, as a cycle of CYCLE vector steps that can be
 * replayed without end: step t's obs is step t − 1's result.obs, and every stack is the one before
 * shifted by one frame, as FrameReplayBuffer checks. No episode ends (their cost is a few frames).
 */
function recordFrameStacks(): RecordedStep[] {
  const rng = Rng.fromSeed(1);
  const frames = Array.from({ length: NUM_ENVS * CYCLE }, () => Uint8Array.from({ length: FRAME_PIXELS }, () => rng.integer(256)));
  const batches = Array.from({ length: CYCLE }, (_, t) => {
    const batch = new Uint8Array(NUM_ENVS * FRAME_PIXELS * STACK);
    for (let env = 0; env < NUM_ENVS; env++) {
      for (let c = 0; c < STACK; c++) {
        const frame = frames[env * CYCLE + ((t - (STACK - 1 - c) + CYCLE) % CYCLE)]!;
        const base = env * FRAME_PIXELS * STACK + c;
        for (let p = 0; p < FRAME_PIXELS; p++) batch[base + p * STACK] = frame[p]!;
      }
    }
    return batch;
  });
  const zeros = { rewards: new Float64Array(NUM_ENVS), terminated: new Uint8Array(NUM_ENVS), truncated: new Uint8Array(NUM_ENVS) };
  const none = new Array<null>(NUM_ENVS).fill(null);
  return batches.map((obs, t) => ({
    obs,
    actions: new Int32Array(NUM_ENVS),
    result: { obs: batches[(t + 1) % CYCLE]!, ...zeros, infos: { perEnv: none.map(() => ({})), finalObs: none, finalInfo: none } },
  }));
}

function benchFrameStacks(repeats: number): void {
  const steps = recordFrameStacks();
  const options = { obsShape: [84, 84, STACK], numEnvs: NUM_ENVS, seed: 0 };
  // ReplayBuffer would need 5.6 GB for 100 000 such transitions: it is timed at 2 000 (113 MB).
  const buffers: [string, TransitionStore][] = [
    ["FrameReplayBuffer (capacity 100 000)", new FrameReplayBuffer({ ...options, capacity: 100_000 })],
    ["ReplayBuffer uint8 (capacity 2 000)", new ReplayBuffer({ ...options, capacity: 2_000, obsDtype: "uint8" })],
  ];
  console.log(`\n84×84×4 uint8 stacks, 8 sub-envs (best of 5 passes; under load on a shared machine)`);
  for (const [name, buffer] of buffers) {
    // The recorded cycle, replayed without a break: each step's obs is the previous step's result.obs.
    let cursor = 0;
    const addSteps = (count: number) => {
      for (let i = 0; i < count; i++, cursor++) buffer.addVectorStep(steps[cursor % CYCLE]!);
    };
    // Fill first, so adds and samples run on a full ring (and its memory is resident).
    addSteps(Math.ceil(buffer.capacity / NUM_ENVS));
    const add = microsPerCall(CYCLE * repeats, () => addSteps(CYCLE * repeats));
    const batch = buffer.createBatch(32);
    const sampleInto = microsPerCall(200, () => {
      for (let i = 0; i < 200; i++) buffer.sampleInto(batch);
    });
    console.log(
      `${name.padEnd(38)} addVectorStep ${add.toFixed(0)} µs (${(add / NUM_ENVS).toFixed(1)} µs a transition), sampleInto(32) ${(sampleInto / 1000).toFixed(2)} ms  [${(buffer.byteLength / 1e6).toFixed(0)} MB]`,
    );
  }
}

/**
 * Runs the replay buffer benchmarks: ReplayBuffer on CartPole, then both buffers on Atari-sized stacks.
 *
 * @param options `quick`: fewer repeats of the recorded steps.
 */
export function benchReplayBuffers(options: { quick?: boolean } = {}): void {
  const repeats = options.quick ? 2 : 10;
  console.log("\nReplay buffers (µs per call, best of 5 timed passes)");
  benchCartPole(repeats);
  benchFrameStacks(options.quick ? 1 : 4);
}

if (require.main === module) benchReplayBuffers({ quick: process.argv.includes("--quick") });
