/**
 * Trains the Breakout agent shipped in `assets/breakout-compact-dqn/`: `presets.breakoutCompact`
 * (MinAtar's small CNN on the compact view, through the Atari preprocessing) for longer than the
 * notebook's quick run, keeping the model with the best evaluation score. Writes
 *
 *   <out>/best_model/          the DQN checkpoint (load with `DQN.load`)
 *   <out>/training-log.json    every logger row (rollout/*, train/*, time/*, eval/*) and the evaluations
 *   <out>/README.md            the command, the machine, the time taken and the scores
 *
 * Run: `npm run train:breakout [-- --steps 1500000 --seed 0 --out assets/breakout-compact-dqn]`.
 * Evaluations play whole games (all 5 lives) with ε = 0.02, as Atari evaluations use a small ε so a
 * policy cannot stall forever; scores are raw game points.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend } from "../src/backend";
import { Rng } from "../src/core/rng";
import "../src/envs";
import { DQN } from "../src/agents/dqn";
import { EvalCallback } from "../src/agents/eval-callback";
import { evaluatePolicy } from "../src/agents/evaluate";
import { presetEnv, presets, presetVecEnv } from "../src/agents/presets";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const totalSteps = Number(option("steps", "1500000"));
const seed = Number(option("seed", "0"));
const out = path.resolve(option("out", "assets/breakout-compact-dqn"));
if (!(Number.isSafeInteger(totalSteps) && totalSteps > 0)) throw new RangeError(`Expected --steps to be a positive integer, got ${option("steps", "")}`);
if (!Number.isSafeInteger(seed)) throw new RangeError(`Expected --seed to be an integer, got ${option("seed", "")}`);

async function main(): Promise<void> {
  const backend = await initBackend();
  const preset = presets.breakoutCompact;
  const started = Date.now();
  const rng = Rng.fromSeed(seed + 7);
  const random = evaluatePolicy((_obs, n) => Array.from({ length: n }, () => rng.integer(4)), presetEnv(preset), { nEpisodes: 20, seed: seed + 999 });
  const env = presetVecEnv(preset, { seed });
  // A longer run explores over its first 10 % (the quick run's 25 % of 200k is 50k steps; here 150k).
  const config = { ...preset.config, explorationFraction: 0.1 };
  const agent = new DQN({ env, policy: preset.policy!, ...config, seed });
  fs.mkdirSync(out, { recursive: true });
  const evaluation = new EvalCallback({ evalEnv: presetEnv(preset), evalFreq: 50_000, nEvalEpisodes: 10, deterministic: false, seed: seed + 1000, bestModelSavePath: out });
  let lastPrint = 0;
  await agent.learn({
    totalSteps,
    callbacks: [
      evaluation,
      (ctx) => {
        if (Date.now() - lastPrint < 60_000) return;
        lastPrint = Date.now();
        const row = agent.logger.records.at(-1);
        console.log(`${ctx.numTimesteps} steps, ${((Date.now() - started) / 60_000).toFixed(1)} min, game score (last 100) ${row?.["rollout/episodeReturnMean"]?.toFixed(2) ?? "-"}, best eval ${evaluation.bestMeanReturn.toFixed(2)}`);
      },
    ],
  });
  const minutes = (Date.now() - started) / 60_000;
  const best = await DQN.load(path.join(out, "best_model"), { env: presetEnv(preset) });
  const final = evaluatePolicy(best, presetEnv(preset), { nEpisodes: 20, deterministic: false, seed: seed + 2000 });
  fs.writeFileSync(path.join(out, "training-log.json"), JSON.stringify({ records: agent.logger.records, evaluations: evaluation.evaluations }) + "\n");
  const readme = [
    "# Breakout (compact view) DQN checkpoint",
    "",
    "Trained by `tools/train-breakout-checkpoint.ts`; reproduce with",
    "",
    "```",
    `npm run train:breakout -- --steps ${totalSteps} --seed ${seed} --out assets/breakout-compact-dqn`,
    "```",
    "",
    `- Settings: \`presets.breakoutCompact\` (${preset.notes}), explorationFraction 0.1, ${totalSteps.toLocaleString("en-US")} env steps, seed ${seed}.`,
    `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), node ${process.version}, tfjs backend "${backend.name}" (${backend.reason}); ${minutes.toFixed(1)} minutes.`,
    `- \`best_model/\`: the weights of the best evaluation (10 games, ε = 0.02, every 50k steps): mean ${evaluation.bestMeanReturn.toFixed(2)} at ${evaluation.bestModel?.timesteps.toLocaleString("en-US") ?? "?"} steps.`,
    `- That model over 20 fresh games (ε = 0.02): mean score ${final.meanReturn.toFixed(2)} ± ${final.stdReturn.toFixed(2)} (scores ${final.returns.join(", ")}).`,
    `- A random policy over 20 games: ${random.meanReturn.toFixed(2)} ± ${random.stdReturn.toFixed(2)}.`,
    "- `training-log.json`: every logger row (`rollout/episodeReturnMean` is the mean raw game score of the last 100 games) and every evaluation.",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(out, "README.md"), readme);
  console.log(readme);
  agent.dispose();
  best.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
