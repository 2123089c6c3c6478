/**
 * DQN on CoinJump-v0 (vector observation) with `presets.coinJump`, against a uniformly random
 * policy: the mean return of 50 evaluation episodes after training, the evaluations on the way,
 * and the CPU time the run took (the target: a couple of minutes on 2 cores, well under 5).
 *
 * Run: `npm run bench -- --only coinjump` (`--quick`: 1 seed, 20k steps).
 */
import * as os from "node:os";
import { initBackend } from "../src/backend";
import { DQN } from "../src/agents/dqn";
import { EvalCallback } from "../src/agents/eval-callback";
import { evaluatePolicy } from "../src/agents/evaluate";
import { presets } from "../src/agents/presets";
import { Rng } from "../src/core/rng";
import { makeVec } from "../src/vector/make-vec";
import "../src/envs";
import { row } from "./row";

const EVAL_EPISODES = 50;

/** Mean return of a uniformly random policy over the evaluation episodes. */
function randomPolicyReturn(envId: string): { mean: number; meanLength: number } {
  const evalEnv = makeVec(envId, { numEnvs: 10 });
  const rng = Rng.fromSeed(9);
  const numEnvs = evalEnv.numEnvs;
  const result = evaluatePolicy(() => Int32Array.from({ length: numEnvs }, () => rng.integer(4)), evalEnv, { nEpisodes: EVAL_EPISODES, seed: 3_000 });
  evalEnv.close();
  return { mean: result.meanReturn, meanLength: result.lengths.reduce((a, b) => a + b, 0) / result.lengths.length };
}

/**
 * Trains one DQN per seed with the CoinJump preset and prints its evaluations against random play.
 *
 * @param options `quick`: one seed, 20k steps; `seeds`: which seeds (default 0, 1, 2).
 */
export async function benchDqnCoinJump(options: { quick?: boolean; seeds?: number[] } = {}): Promise<void> {
  const quick = options.quick ?? false;
  await initBackend();
  const { envId, numEnvs, config } = presets.coinJump;
  const totalSteps = quick ? 20_000 : presets.coinJump.totalSteps;
  const random = randomPolicyReturn(envId);
  console.log(`\nDQN presets.coinJump on ${envId} (vector observation): ${numEnvs} envs, ${totalSteps.toLocaleString()} env steps, ${JSON.stringify(config)}`);
  console.log(`random policy: mean return ${random.mean.toFixed(2)} over ${EVAL_EPISODES} episodes (mean length ${random.meanLength.toFixed(0)} steps)`);
  const widths = [6, 40, 18, 14, 8, 8, 8];
  console.log(row(["seed", "eval every 10k steps (20 episodes)", "final (50 ep.)", "mean length", "cpu s", "wall s", "load"], widths));
  for (const seed of options.seeds ?? (quick ? [0] : [0, 1, 2])) {
    const env = makeVec(envId, { numEnvs });
    const evalEnv = makeVec(envId, { numEnvs: 10 });
    const evalCallback = new EvalCallback({ evalEnv, evalFreq: 10_000, nEvalEpisodes: 20, seed: 2_000 });
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const agent = new DQN({ env, ...config, seed });
    await agent.learn({ totalSteps, callbacks: [evalCallback], logInterval: 1_000_000 });
    const cpu = process.cpuUsage(cpuStart);
    const wall = (performance.now() - wallStart) / 1000;
    const final = evaluatePolicy(agent, evalEnv, { nEpisodes: EVAL_EPISODES, seed: 3_000 });
    const meanLength = final.lengths.reduce((a, b) => a + b, 0) / final.lengths.length;
    const evaluations = evalCallback.evaluations.map((e) => e.meanReturn.toFixed(1)).join(" ");
    console.log(
      row([seed, evaluations, `${final.meanReturn.toFixed(2)} ± ${final.stdReturn.toFixed(2)}`, meanLength.toFixed(0), ((cpu.user + cpu.system) / 1e6).toFixed(0), wall.toFixed(0), os.loadavg()[0]!.toFixed(1)], widths),
    );
    agent.dispose();
    env.close();
    evalEnv.close();
  }
}
