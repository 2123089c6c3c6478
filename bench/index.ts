/**
 * `npm run bench`: the speed figures rl-workbook claims, measured on this machine and set against the
 * reference figures in shared/reference/ANCHORS.md (Gymnasium, PyTorch; measured on a 2-core machine
 * of the same kind). Kept out of the test suite: timings are evidence, not pass/fail assertions.
 *
 * Usage: `npm run bench [-- --only cartpole|breakout|atari|vector|cnn|replay|dqn|breakout-dqn|chain|coinjump] [-- --quick] [-- --threads N]`
 * (`--threads`: XNNPACK threads of the wasm backend, as `initBackend({ threads })`; default 1).
 */
import { make, RecordEpisodeStatistics } from "../src";
import { CartPoleEnv } from "../src/envs";
import { benchmarkNatureCnnStep, initBackend } from "../src/backend";
import { Rng } from "../src/core";
import { measureThroughput } from "../src/vector/throughput";
import { benchAtariWrappers } from "./atari-wrappers";
import { benchBreakout } from "./breakout";
import { benchDqnBreakout } from "./dqn-breakout";
import { benchDqnCartPole } from "./dqn-cartpole";
import { benchDqnCoinJump } from "./dqn-coin-jump";
import { benchDqnDelayedChain } from "./dqn-delayed-chain";
import { benchReplayBuffers } from "./replay-buffer";
import { row } from "./row";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const quick = args.includes("--quick");
const threads = args.includes("--threads") ? Number(args[args.indexOf("--threads") + 1]) : undefined;

/** Reference figures (ANCHORS.md). */
const GYMNASIUM_CARTPOLE_STEPS_PER_S = 125_000;
const GYMNASIUM_SYNC_VECTOR_N8 = 121_000;
const GYMNASIUM_ASYNC_VECTOR_N8 = 12_800;
const PYTORCH_CNN_TRAIN_MS = 50;
const PYTORCH_CNN_FORWARD_MS = 5;

interface Steppable {
  reset(args?: { seed?: number }): unknown;
  step(action: number): { terminated: boolean; truncated: boolean; obs: Float32Array };
}

/**
 * Random-action steps per second, resetting at episode ends; best of `repeats` timed runs after one
 * untimed run, so the JIT has compiled the step path before the clock starts.
 */
function stepsPerSecond(env: Steppable, steps: number, repeats = 3): number {
  const rng = Rng.fromSeed(0);
  let best = 0;
  let sink = 0;
  env.reset({ seed: 0 });
  for (let r = -1; r < repeats; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) {
      const result = env.step(rng.integer(2));
      sink += result.obs[0]!;
      if (result.terminated || result.truncated) env.reset();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r >= 0) best = Math.max(best, steps / seconds);
  }
  if (Number.isNaN(sink)) console.log("unreachable: keeps the observation read from being optimised away");
  return best;
}

function benchCartPole(): void {
  const steps = quick ? 200_000 : 2_000_000;
  const widths = [50, 14, 22];
  console.log(`\nCartPole-v1, random actions (${steps.toLocaleString()} steps, best of 3)`);
  console.log(row(["setup", "steps/s", "vs Gymnasium 125k/s"], widths));
  const cases: [string, () => Steppable][] = [
    ["new CartPoleEnv() (bare physics)", () => new CartPoleEnv() as unknown as Steppable],
    ['make("CartPole-v1") (checker + TimeLimit)', () => make("CartPole-v1") as unknown as Steppable],
    ['make("CartPole-v1", { disableEnvChecker: true })', () => make("CartPole-v1", { disableEnvChecker: true }) as unknown as Steppable],
    ["RecordEpisodeStatistics(make(...))", () => new RecordEpisodeStatistics(make("CartPole-v1")) as unknown as Steppable],
  ];
  for (const [name, create] of cases) {
    const rate = stepsPerSecond(create(), steps);
    console.log(row([name, Math.round(rate).toLocaleString(), `${(rate / GYMNASIUM_CARTPOLE_STEPS_PER_S).toFixed(1)}×`], widths));
  }
}

async function benchCnn(): Promise<void> {
  const info = await initBackend();
  const iterations = quick ? 2 : info.name === "cpu" ? 1 : 5;
  const pool = info.wasm === undefined ? "" : `, ${info.wasm.threads} thread${info.wasm.threads === 1 ? "" : "s"}`;
  console.log(`\nNature CNN 84×84×4 on tfjs "${info.name}"${pool} (${iterations} timed iterations)`);
  const widths = [10, 16, 18, 14, 26];
  console.log(row(["batch", "train step ms", "train step CPU ms", "forward ms", "PyTorch 2 threads (ANCHORS)"], widths));
  for (const batchSize of [32, 1]) {
    const result = await benchmarkNatureCnnStep({ batchSize, iterations });
    const reference = batchSize === 32 ? `${PYTORCH_CNN_TRAIN_MS} ms / ${PYTORCH_CNN_FORWARD_MS} ms` : "forward 0.8 ms";
    console.log(row([batchSize, result.trainStepMs.toFixed(1), result.trainStepCpuMs.toFixed(1), result.forwardMs.toFixed(2), reference], widths));
  }
  console.log("  (CPU ms: process CPU time per step, all threads; on a busy machine the wall time also counts waiting for a core)");
}

/**
 * Env-steps/s of SyncVectorEnv and AsyncVectorEnv for n = 1..16, on CartPole (a step costs well under
 * a microsecond) and on StepCounter with a 50 µs busy step (about an Atari step with preprocessing).
 */
function benchVector(): void {
  const seconds = quick ? 0.2 : 1;
  const counts = [1, 2, 4, 8, 16];
  for (const [title, id, envOptions] of [
    ["CartPole-v1", "CartPole-v1", {}],
    ["StepCounter-v0 with a 50 µs step", "StepCounter-v0", { stepCostMicros: 50 }],
  ] as const) {
    console.log(`\nVector envs, ${title}: env-steps/s (${seconds} s a point, random actions)`);
    const widths = [8, 14, 14, 12];
    console.log(row(["n", "sync", "async", "async/sync"], widths));
    for (const numEnvs of counts) {
      const sync = measureThroughput({ id, envOptions, numEnvs, mode: "sync", seconds });
      const async = measureThroughput({ id, envOptions, numEnvs, mode: "async", seconds });
      console.log(
        row([numEnvs, Math.round(sync.envStepsPerSecond).toLocaleString(), Math.round(async.envStepsPerSecond).toLocaleString(), `${(async.envStepsPerSecond / sync.envStepsPerSecond).toFixed(2)}×`], widths),
      );
      if (id === "CartPole-v1" && numEnvs === 8) {
        console.log(
          `  n=8 vs Gymnasium: sync ${(sync.envStepsPerSecond / GYMNASIUM_SYNC_VECTOR_N8).toFixed(1)}× its SyncVectorEnv (121k), ` +
            `async ${(async.envStepsPerSecond / GYMNASIUM_ASYNC_VECTOR_N8).toFixed(1)}× its AsyncVectorEnv (12.8k)`,
        );
      }
    }
  }
}

async function main(): Promise<void> {
  console.log(`rl-workbook benchmarks — node ${process.version}, ${require("node:os").cpus().length} cores`);
  // Before any benchmark initialises the backend with the default thread count.
  if (threads !== undefined) await initBackend({ threads });
  if (!only || only === "cartpole") benchCartPole();
  if (!only || only === "breakout") benchBreakout({ quick });
  if (!only || only === "vector") benchVector();
  if (!only || only === "cnn") await benchCnn();
  if (!only || only === "atari") benchAtariWrappers({ quick });
  if (!only || only === "replay") benchReplayBuffers({ quick });
  if (!only || only === "dqn") await benchDqnCartPole({ quick });
  if (!only || only === "breakout-dqn") await benchDqnBreakout({ quick });
  if (!only || only === "chain") await benchDqnDelayedChain({ quick });
  if (!only || only === "coinjump") await benchDqnCoinJump({ quick });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
