/**
 * The quick Breakout configuration (`presets.breakoutCompact`, notebook 05) against its target: in
 * ≤ 15 minutes on this 2-core machine, a mean game score clearly above a random policy's, measured
 * over 20 whole games, for 3 of 3 seeds.
 *
 * Scores are raw game points of whole games (all 5 lives; RecordEpisodeStatistics below EpisodicLife),
 * played with ε = 0.02 (the preset's final exploration rate, as Atari evaluations keep a small ε so a
 * policy cannot stall); the random policy plays the same preprocessed game (FIRE after each lost life
 * included, by FireReset).
 *
 * Run: `npm run bench -- --only breakout-dqn` (`--quick`: 1 seed, 30k steps; `--seeds 0,1,2`).
 */
import { initBackend } from "../src/backend";
import "../src/envs";
import { DQN } from "../src/agents/dqn";
import { evaluatePolicy } from "../src/agents/evaluate";
import { presetEnv, presets, presetVecEnv } from "../src/agents/presets";
import { Rng } from "../src/core/rng";
import { row } from "./row";

const TARGET_MINUTES = 15;
const GAMES = 20;

export async function benchDqnBreakout(options: { quick: boolean; seeds?: number[] }): Promise<void> {
  await initBackend({ log: false });
  const preset = presets.breakoutCompact;
  const seeds = options.seeds ?? (options.quick ? [0] : [0, 1, 2]);
  const totalSteps = options.quick ? 30_000 : preset.totalSteps;
  console.log(`\nDQN on Breakout's compact view (presets.breakoutCompact, ${totalSteps.toLocaleString("en-US")} env steps, ${GAMES} games per score, ε = 0.02)`);
  const widths = [10, 12, 22, 12];
  console.log(row(["seed", "train time", `mean score (${GAMES} games)`, "random"], widths));
  for (const seed of seeds) {
    const rng = Rng.fromSeed(seed + 7);
    const random = evaluatePolicy((_obs, n) => Array.from({ length: n }, () => rng.integer(4)), presetEnv(preset), { nEpisodes: GAMES, seed: seed + 999 });
    const env = presetVecEnv(preset, { seed });
    const agent = new DQN({ env, policy: preset.policy!, ...preset.config, seed });
    const start = performance.now();
    await agent.learn({ totalSteps });
    const minutes = (performance.now() - start) / 60_000;
    const score = evaluatePolicy(agent, presetEnv(preset), { nEpisodes: GAMES, deterministic: false, seed: seed + 2000 });
    // "Clearly above": more than two standard errors of the difference of the two means.
    const standardError = Math.sqrt((score.stdReturn ** 2 + random.stdReturn ** 2) / GAMES);
    const verdict = minutes <= TARGET_MINUTES && score.meanReturn - random.meanReturn > 2 * standardError ? "" : "  (misses the target)";
    console.log(row([seed, `${minutes.toFixed(1)} min`, `${score.meanReturn.toFixed(2)} ± ${score.stdReturn.toFixed(2)}`, `${random.meanReturn.toFixed(2)} ± ${random.stdReturn.toFixed(2)}`], widths) + verdict);
    agent.dispose();
    env.close();
  }
}
