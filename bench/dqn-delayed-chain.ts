/**
 * How DQN's learning slows with the reward delay (the source notes' problem 1): DQN (MLP [64]) on
 * DelayedChain-v0 for k = 1, 2, 4, 8, 16, reporting the env steps until the greedy action at the
 * decision is the key one and Q(s, key) is within 0.1 of the closed-form Q* at every state from the
 * decision along the key chain, checked every 100 steps.
 *
 * Run: `npm run bench -- --only chain` (`--quick`: k = 1, 4, 16 with one seed).
 */
import * as os from "node:os";
import { initBackend } from "../src/backend";
import { DQN } from "../src/agents/dqn";
import { make } from "../src/core/make";
import { DelayedChainEnv } from "../src/envs/delayed-chain";
import { delayedChainValues } from "../src/envs/delayed-chain-values";
import "../src/envs";
import { row } from "./row";

const GAMMA = 0.9;
const TOLERANCE = 0.1;
const CHECK_EVERY = 100;
const MAX_STEPS = 10_000;

/** Env steps until DQN has learned the chain of delay k, or undefined within MAX_STEPS. */
async function stepsToLearn(delay: number, seed: number): Promise<{ steps: number | undefined; cpuSeconds: number }> {
  const probe = new DelayedChainEnv({ delay });
  const truth = delayedChainValues(probe, { gamma: GAMMA }).actionValues;
  const agent = new DQN({
    env: make("DelayedChain-v0", { delay }),
    hiddenSizes: [64],
    learningRate: 3e-3,
    gamma: GAMMA,
    learningStarts: 100,
    batchSize: 32,
    trainFreq: 1,
    targetUpdateInterval: 50,
    bufferSize: 10_000,
    explorationFraction: 0.1,
    explorationFinalEps: 0.1,
    seed,
  });
  let learnedAt: number | undefined;
  const cpuStart = process.cpuUsage();
  await agent.learn({
    totalSteps: MAX_STEPS,
    callbacks: [
      ({ numTimesteps }) => {
        if (numTimesteps % CHECK_EVERY !== 0) return true;
        const atDecision = agent.qValues(probe.observationOf(0));
        if (atDecision[probe.keyAction]! <= Math.max(...Array.from(atDecision).filter((_, a) => a !== probe.keyAction))) return true;
        for (let state = 0; state <= delay; state++) {
          const q = agent.qValues(probe.observationOf(state))[probe.keyAction]!;
          if (Math.abs(q - truth[state * probe.numActions + probe.keyAction]!) >= TOLERANCE) return true;
        }
        learnedAt = numTimesteps;
        return false;
      },
    ],
    logInterval: 1_000_000,
  });
  const cpu = process.cpuUsage(cpuStart);
  agent.dispose();
  return { steps: learnedAt, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Runs the delay sweep and prints one row per delay.
 *
 * @param options `quick`: fewer delays and one seed.
 */
export async function benchDqnDelayedChain(options: { quick?: boolean } = {}): Promise<void> {
  await initBackend();
  const delays = options.quick ? [1, 4, 16] : [1, 2, 4, 8, 16];
  const seeds = options.quick ? [0] : [0, 1, 2];
  console.log(`\nDQN on DelayedChain-v0 (γ ${GAMMA}, MLP [64], one update a step): env steps until greedy = key and |Q − Q*| < ${TOLERANCE} along the key chain`);
  const widths = [6, 30, 22, 8];
  console.log(row(["delay", `steps to learn (seeds ${seeds.join(", ")})`, "cpu s (each seed)", "load"], widths));
  for (const delay of delays) {
    const results = [];
    for (const seed of seeds) results.push(await stepsToLearn(delay, seed));
    const steps = results.map((r) => (r.steps === undefined ? `>${MAX_STEPS}` : String(r.steps))).join(", ");
    const cpu = results.map((r) => r.cpuSeconds.toFixed(1)).join(", ");
    console.log(row([delay, steps, cpu, os.loadavg()[0]!.toFixed(1)], widths));
  }
}
