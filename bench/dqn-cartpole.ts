/**
 * DQN on CartPole-v1 with `presets.cartPole`, against the target: an evaluation mean ≥ 475 over
 * 20 episodes within 100k env steps for at least 4 of 5 seeds, median wall time ≤ 120 s (2 cores,
 * wasm backend). Plus the time of one gradient step, against PyTorch's 1.0 ms (ANCHORS.md: MLP
 * 4-128-128-2, batch 64, 2 threads).
 *
 * Run: `npm run bench -- --only dqn` (`--quick`: 2 seeds, 30k steps; `--seeds 0,1,2`).
 */
import * as os from "node:os";
import { initBackend, tf } from "../src/backend";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";
import { makeVec } from "../src/vector/make-vec";
import { DQN } from "../src/agents/dqn";
import { EvalCallback } from "../src/agents/eval-callback";
import { presets } from "../src/agents/presets";
import { mlpQNetwork } from "../src/agents/q-network";
import type { ReplayBatch } from "../src/agents/replay-buffer";
import { row } from "./row";

const PYTORCH_MLP_TRAIN_MS = 1.0;
const TARGET_RETURN = 475;
const TARGET_STEPS = 100_000;
const TARGET_MEDIAN_SECONDS = 120;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A random CartPole-like batch (observations in CartPole's range; the numbers do not matter for timing). */
function randomBatch(batchSize: number, seed: number): ReplayBatch {
  let state = seed;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return {
    batchSize,
    obs: Float32Array.from({ length: batchSize * 4 }, random),
    actions: Int32Array.from({ length: batchSize }, () => (random() > 0 ? 1 : 0)),
    rewards: new Float32Array(batchSize).fill(1),
    nextObs: Float32Array.from({ length: batchSize * 4 }, random),
    terminated: Float32Array.from({ length: batchSize }, () => (random() > 0.95 ? 1 : 0)),
    discounts: new Float32Array(batchSize).fill(0.99),
    indices: new Int32Array(batchSize),
  };
}

/** Milliseconds per DQN gradient step (TD target → loss → clipped Adam step, one tf.tidy), best of 3 runs. */
function msPerGradientStep(options: { hiddenSizes: readonly number[]; batchSize: number; readLoss: boolean; steps: number }): number {
  const { hiddenSizes, batchSize, readLoss, steps } = options;
  const spaces = { observationSpace: new Box({ low: -5, high: 5, shape: [4] }), actionSpace: new Discrete(2) };
  const agent = new DQN({ ...spaces, hiddenSizes, batchSize, learningStarts: batchSize, doubleDqn: true, seed: 0 });
  const batch = randomBatch(batchSize, 1);
  let best = Infinity;
  for (let run = -1; run < 3; run++) {
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      const loss = agent.gradientStep(batch);
      if (readLoss) loss.dataSync();
      loss.dispose();
    }
    if (run >= 0) best = Math.min(best, (performance.now() - start) / steps);
  }
  agent.dispose();
  return best;
}

/** Microseconds per greedy action choice for `count` observations: model.apply (what DQN uses) vs model.predict. */
function usPerForward(count: number, steps: number): { apply: number; predict: number } {
  const model = mlpQNetwork({ obsSize: 4, nActions: 2, hiddenSizes: [128, 128], seed: 0 });
  const obs = randomBatch(count, 2).obs;
  const time = (forward: (x: tf.Tensor) => tf.Tensor) => {
    let best = Infinity;
    for (let run = -1; run < 3; run++) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        const actions = tf.tidy(() => tf.argMax(forward(tf.tensor2d(obs, [count, 4])), 1));
        actions.dataSync();
        actions.dispose();
      }
      if (run >= 0) best = Math.min(best, ((performance.now() - start) / steps) * 1000);
    }
    return best;
  };
  const result = { apply: time((x) => model.apply(x) as tf.Tensor), predict: time((x) => model.predict(x) as tf.Tensor) };
  model.dispose();
  return result;
}

function benchGradientStep(quick: boolean): void {
  const steps = quick ? 200 : 1000;
  const preset = presets.cartPole.config;
  console.log(`\nDQN gradient step on tfjs "${tf.getBackend()}" (double DQN, Huber, clip 10, Adam; ms, best of 3 × ${steps}). PyTorch, 2 threads: ${PYTORCH_MLP_TRAIN_MS} ms for 4-128-128-2 at batch 64`);
  const widths = [24, 8, 22, 26];
  console.log(row(["network", "batch", "ms/step (vs PyTorch)", "reading the loss each step"], widths));
  const cases: [readonly number[], number][] = [
    [[128, 128], 64],
    [[128, 128], 128],
    [[64, 64], 64],
    [[256, 256], 64],
  ];
  for (const [hiddenSizes, batchSize] of cases) {
    const isPreset = batchSize === preset.batchSize && hiddenSizes.join() === preset.hiddenSizes?.join();
    const once = msPerGradientStep({ hiddenSizes, batchSize, readLoss: false, steps });
    const synced = msPerGradientStep({ hiddenSizes, batchSize, readLoss: true, steps });
    console.log(row([`4-${hiddenSizes.join("-")}-2${isPreset ? " (preset)" : ""}`, batchSize, `${once.toFixed(2)} (${(once / PYTORCH_MLP_TRAIN_MS).toFixed(1)}×)`, synced.toFixed(2)], widths));
  }
  console.log("\nGreedy action choice, 4-128-128-2 (µs per call: upload, forward, argMax, read back)");
  console.log(row(["observations", "model.apply (DQN)", "model.predict"], [14, 20, 14]));
  for (const count of [4, 20, 128]) {
    const { apply, predict } = usPerForward(count, quick ? 500 : 3000);
    console.log(row([count, apply.toFixed(0), predict.toFixed(0)], [14, 20, 14]));
  }
}

interface SeedResult {
  seed: number;
  stepsToTarget: number | undefined;
  seconds: number;
  finalEval: number;
  bestEval: number;
  updates: number;
}

async function solveCartPole(seed: number, totalSteps: number): Promise<SeedResult> {
  const { numEnvs, config } = presets.cartPole;
  const env = makeVec("CartPole-v1", { numEnvs });
  // 20 eval copies: the 20 evaluation episodes run side by side, one forward pass per step for all.
  const evalEnv = makeVec("CartPole-v1", { numEnvs: 20 });
  const evalCallback = new EvalCallback({ evalEnv, evalFreq: 5_000, nEvalEpisodes: 20, stopAtMeanReward: TARGET_RETURN, seed: 10_000 + seed * 100 });
  const start = performance.now();
  const agent = new DQN({ env, ...config, seed });
  await agent.learn({ totalSteps, callbacks: [evalCallback], logInterval: 1000 });
  const seconds = (performance.now() - start) / 1000;
  const reached = evalCallback.evaluations.find((e) => e.meanReturn >= TARGET_RETURN);
  const result = { seed, stepsToTarget: reached?.timesteps, seconds, finalEval: evalCallback.lastMeanReturn, bestEval: evalCallback.bestMeanReturn, updates: agent.nUpdates };
  agent.dispose();
  env.close();
  evalEnv.close();
  return result;
}

async function benchSolve(quick: boolean, seeds: number[]): Promise<void> {
  const totalSteps = quick ? 30_000 : TARGET_STEPS;
  const { numEnvs, config } = presets.cartPole;
  console.log(`\nDQN presets.cartPole on CartPole-v1: ${numEnvs} envs, ${JSON.stringify(config)}`);
  console.log(`Target: eval mean ≥ ${TARGET_RETURN} (20 episodes, every 5k steps) within ${totalSteps.toLocaleString()} env steps for ≥ 4 of 5 seeds, median wall ≤ ${TARGET_MEDIAN_SECONDS} s`);
  const widths = [6, 16, 10, 12, 11, 10, 14];
  console.log(row(["seed", "steps to ≥475", "wall s", "final eval", "best eval", "updates", "load (1 min)"], widths));
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const r = await solveCartPole(seed, totalSteps);
    results.push(r);
    const reached = r.stepsToTarget === undefined ? "not reached" : r.stepsToTarget.toLocaleString();
    console.log(row([seed, reached, r.seconds.toFixed(1), r.finalEval.toFixed(1), r.bestEval.toFixed(1), r.updates, os.loadavg()[0]!.toFixed(2)], widths));
  }
  const solved = results.filter((r) => r.stepsToTarget !== undefined).length;
  const wall = median(results.map((r) => r.seconds));
  console.log(`solved ${solved}/${results.length} seeds; median wall ${wall.toFixed(1)} s (target ≤ ${TARGET_MEDIAN_SECONDS} s); median steps to ≥475 among solved: ${solved > 0 ? median(results.filter((r) => r.stepsToTarget !== undefined).map((r) => r.stepsToTarget!)).toLocaleString() : "-"}`);
}

/**
 * Runs the DQN benchmark: gradient-step timing, then the 5-seed CartPole solve.
 *
 * @param options `quick`: fewer steps and 2 seeds; `seeds`: which seeds (default 0–4).
 */
export async function benchDqnCartPole(options: { quick?: boolean; seeds?: number[] } = {}): Promise<void> {
  const quick = options.quick ?? false;
  await initBackend();
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")} (1/5/15 min; other work on the machine slows every timing here)`);
  benchGradientStep(quick);
  await benchSolve(quick, options.seeds ?? (quick ? [0, 1] : [0, 1, 2, 3, 4]));
}
