/**
 * Raw Breakout-v0 frames per second for each obsType, random actions (FIRE among them, so a ball is
 * in play most of the time), against ALE's 9.5k raw frames/s for Breakout (ANCHORS.md, 2-core
 * machine). The project target is raw env + full Atari preprocessing ≥ 19k agent-steps/s
 * (~76k raw frames/s at frameskip 4), so the bare grayscale env should reach ≥ 100k frames/s.
 *
 * Run: `npm run bench -- --only breakout` (`--quick`: fewer frames).
 */
import { make } from "../src/core/make";
import { Rng } from "../src/core/rng";
import { BreakoutEnv, type BreakoutObsType } from "../src/envs/breakout/breakout-env";
import "../src/envs";
import { measureThroughput } from "../src/vector/throughput";
import { atariWrap } from "../src/wrappers/atari-wrap";
import { row } from "./row";

const ALE_BREAKOUT_FRAMES_PER_S = 9_500;
/** ALE Breakout + Gymnasium's AtariPreprocessing (skip 4, 84×84), one env (ANCHORS.md). */
const ALE_PREPROCESSED_AGENT_STEPS_PER_S = 1_900;
/** The same under Gymnasium's AsyncVectorEnv (subprocesses), n = 2 or 4 (ANCHORS.md). */
const ALE_PREPROCESSED_ASYNC_AGENT_STEPS_PER_S = 1_600;

interface FrameStepper {
  reset(args?: { seed?: number }): unknown;
  step(action: number): { obs: Uint8Array; terminated: boolean; truncated: boolean };
}


/**
 * Frames per second over `frames` random-action frames, resetting at episode ends; best of 3 timed
 * runs after one untimed run, so the JIT has compiled the step path before the clock starts.
 */
function framesPerSecond(env: FrameStepper, frames: number): number {
  const rng = Rng.fromSeed(0);
  let best = 0;
  let sink = 0;
  env.reset({ seed: 0 });
  for (let run = -1; run < 3; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < frames; i++) {
      const result = env.step(rng.integer(4));
      sink += result.obs[i % result.obs.length]!;
      if (result.terminated || result.truncated) env.reset();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run >= 0) best = Math.max(best, frames / seconds);
  }
  if (sink < 0) console.log("unreachable: keeps the observation read from being optimised away");
  return best;
}

/**
 * Prints raw frames/s of Breakout-v0 per obsType, bare and through `make` (checker + TimeLimit), then
 * agent steps/s of the env under the whole Atari preprocessing (`atariWrap`: 4 frames per step,
 * max-pool, 84×84 grey, frame stack 4) against ALE + AtariPreprocessing's 1.9k (target ≥ 10×).
 */
export function benchBreakout(options: { quick: boolean }): void {
  const frames = options.quick ? 20_000 : 200_000;
  const widths = [12, 44, 14, 18];
  console.log(`\nBreakout-v0 raw frames, random actions incl. FIRE (${frames.toLocaleString()} frames, best of 3)`);
  console.log(row(["obsType", "setup", "frames/s", "vs ALE 9.5k/s"], widths));
  for (const obsType of ["rgb", "grayscale", "compact"] as const satisfies readonly BreakoutObsType[]) {
    const cases: [string, () => FrameStepper][] = [
      ["new BreakoutEnv()", () => new BreakoutEnv({ obsType })],
      ['make("Breakout-v0") (checker + TimeLimit)', () => make("Breakout-v0", { obsType })],
    ];
    for (const [name, create] of cases) {
      const rate = framesPerSecond(create(), frames);
      console.log(row([obsType, name, Math.round(rate).toLocaleString(), `${(rate / ALE_BREAKOUT_FRAMES_PER_S).toFixed(1)}×`], widths));
    }
  }
  const agentSteps = frames / 4;
  console.log(`\nBreakout-v0 + atariWrap (the whole chain: agent steps of 4 frames, ${agentSteps.toLocaleString()} steps, best of 3)`);
  console.log(row(["obsType", "setup", "agent-steps/s", "vs ALE+Atari 1.9k/s"], widths));
  // The reference is Gymnasium's AtariPreprocessing (no-ops, skip 4 with max, grey 84×84) WITHOUT
  // episodes per life, FIRE on reset or a frame stack; SB3's full chain adds those. Under random
  // actions a life lasts ~10 agent steps, and every episodic-life reset costs 2 more agent steps
  // (a NOOP and FIRE + RIGHT) that the rate does not count, so both settings are shown.
  const settings: [string, Parameters<typeof atariWrap>[1]][] = [
    ["AtariPreprocessing's stages", { terminalOnLifeLoss: false, clipReward: false, frameStack: 1 }],
    ["atariWrap defaults (SB3 + stack 4)", {}],
  ];
  for (const obsType of ["rgb", "grayscale"] as const) {
    for (const [name, options] of settings) {
      const rate = framesPerSecond(atariWrap(make("Breakout-v0", { obsType }), options), agentSteps);
      console.log(row([obsType, name, Math.round(rate).toLocaleString(), `${(rate / ALE_PREPROCESSED_AGENT_STEPS_PER_S).toFixed(1)}×`], widths));
    }
  }
  const seconds = options.quick ? 0.3 : 2;
  console.log(`\nBreakout-v0 (grayscale) + AtariWrapper in vector envs: agent steps/s summed over sub-envs (${seconds} s a point)`);
  console.log(row(["n", "mode", "agent-steps/s", "vs ALE+Atari async 1.6k/s"], widths));
  for (const numEnvs of [1, 2, 4]) {
    for (const mode of ["sync", "async"] as const) {
      const { envStepsPerSecond } = measureThroughput({ id: "Breakout-v0", envOptions: { obsType: "grayscale" }, wrappers: ["AtariWrapper"], numEnvs, mode, seconds });
      console.log(row([numEnvs, mode, Math.round(envStepsPerSecond).toLocaleString(), `${(envStepsPerSecond / ALE_PREPROCESSED_ASYNC_AGENT_STEPS_PER_S).toFixed(1)}×`], widths));
    }
  }
}
