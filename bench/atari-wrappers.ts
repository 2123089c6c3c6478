/**
 * `npm run bench -- --only atari`: what the Atari preprocessing costs per agent step, over fake
 * frame sources that cost almost nothing, so what is measured is the wrappers. The project's
 * target: raw Breakout + the full chain ≥ 19k agent-steps/s on one core (≤ 52 µs per agent step),
 * so the chain itself should cost well under 30 µs per agent step for grayscale frames.
 *
 * Timing: the machine is shared, so every figure is the fastest of many short batches (a batch
 * that other processes interrupted is simply slower): the closest we get to an unloaded core.
 */
import type { Env, StepResult } from "../src/core/env";
import { Rng } from "../src/core/rng";
import { Wrapper } from "../src/core/wrapper";
import { atariWrap } from "../src/wrappers/atari-wrap";
import { FrameStack } from "../src/wrappers/frame-stack";
import { MaxAndSkip } from "../src/wrappers/max-and-skip";
import { withPixelSimd } from "../src/wrappers/pixel-kernels";
import { WarpFrame } from "../src/wrappers/warp-frame";
import { FakeAtariEnv, type FakeAtariOptions } from "../test/support/fake-atari";

/** A fake env that returns the same prepared frame every step: a frame source that costs nothing. */
function stillSource(options: FakeAtariOptions): FakeAtariEnv {
  const rng = Rng.fromSeed(0);
  let painted = false;
  return new FakeAtariEnv({
    ...options,
    paint: (_frame, out) => {
      if (!painted) for (let i = 0; i < out.length; i++) out[i] = rng.integer(256);
      painted = true;
    },
  });
}

/**
 * A fake Atari game: 8 prepared random frames shown in turn (one memcpy a frame), 5 lives lost
 * every 2000 frames, 4 points every 50 frames.
 */
function gameSource(obsType: "rgb" | "grayscale"): FakeAtariEnv {
  const size = 210 * 160 * (obsType === "rgb" ? 3 : 1);
  const rng = Rng.fromSeed(0);
  const frames = Array.from({ length: 8 }, () => Uint8Array.from({ length: size }, () => rng.integer(256)));
  return new FakeAtariEnv({
    obsType,
    lives: 5,
    lifeLossFrames: [2000, 4000, 6000, 8000, 10000],
    reward: (frame) => (frame % 50 === 0 ? 4 : 0),
    paint: (frame, out) => out.set(frames[frame & 7]!),
  });
}

/**
 * Microseconds per agent step of `env` with random actions (resetting when an episode ends): the
 * fastest of `batches` batches of `batchSize` steps, after a warm-up.
 */
function microsPerStep(env: Env<Uint8Array, number>, batches: number, batchSize = 50): number {
  const rng = Rng.fromSeed(1);
  env.reset({ seed: 0 });
  let best = Infinity;
  let sink = 0;
  for (let batch = -5; batch < batches; batch++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batchSize; i++) {
      const step = env.step(rng.integer(4));
      sink += step.obs[0]!;
      if (step.terminated || step.truncated) env.reset();
    }
    const micros = Number(process.hrtime.bigint() - start) / 1000 / batchSize;
    if (batch >= 0) best = Math.min(best, micros);
  }
  if (Number.isNaN(sink)) console.log("unreachable: keeps the observation read from being optimised away");
  return best;
}

/** Steps the bare source 4 times per agent step: what the game costs the chain's measurement. */
class FourFramesAStep extends Wrapper<FakeAtariEnv> {
  override step(action: number): StepResult<Uint8Array> {
    let step = super.step(action);
    for (let frame = 1; frame < 4 && !step.terminated; frame++) step = super.step(action);
    return step;
  }
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, i) => String(cell).padEnd(widths[i]!)).join("  ");
}

/** `measure()` with the WebAssembly SIMD kernels on, then with the JavaScript loops. */
function simdAndJs(measure: () => number): [number, number] {
  return [withPixelSimd(true, measure), withPixelSimd(false, measure)];
}

/**
 * Prints each wrapper's cost per agent step and the whole chain's rate, for gray and RGB frames,
 * with the pixel loops in WebAssembly SIMD (the default) and in JavaScript (the fallback where
 * SIMD is missing), which measures what the kernels of `pixel-kernels.wat` buy.
 */
export function benchAtariWrappers({ quick }: { quick: boolean }): void {
  const batches = quick ? 40 : 300;
  console.log(`\nAtari preprocessing, µs per agent step (fastest of ${batches} batches; shared machine, under load)`);
  const widths = [64, 10, 10, 10, 10];
  console.log(row(["wrapper over a source that costs nothing", "gray SIMD", "gray JS", "RGB SIMD", "RGB JS"], widths));
  const own: [string, (obsType: "rgb" | "grayscale") => Env<Uint8Array, number>][] = [
    [
      "MaxAndSkip(4): 4 frames, 4 frame copies, max of the last two",
      (obsType) => new MaxAndSkip(stillSource({ obsType })) as Env<Uint8Array, number>,
    ],
    ["WarpFrame(84): (RGB → gray,) area resize 210×160 → 84×84", (obsType) => new WarpFrame(stillSource({ obsType }))],
    ["FrameStack(4): 84×84 frame into the ring, interleave 4 frames", () => new FrameStack(stillSource({ obsType: "grayscale", height: 84, width: 84 })) as Env<Uint8Array, number>],
  ];
  const sums = [0, 0, 0, 0];
  for (const [name, create] of own) {
    const gray = simdAndJs(() => microsPerStep(create("grayscale"), batches));
    const rgb = name.startsWith("FrameStack") ? gray : simdAndJs(() => microsPerStep(create("rgb"), batches));
    const cells = [...gray, ...rgb];
    cells.forEach((micros, i) => (sums[i]! += micros));
    console.log(row([name, ...cells.map((micros) => micros.toFixed(1))], widths));
  }
  console.log(row(["sum of the three", ...sums.map((micros) => micros.toFixed(1))], widths));

  console.log(`\nFull atariWrap chain over a fake game (8 prepared frames, lives, rewards)`);
  const chainWidths = [12, 8, 14, 14, 40];
  console.log(row(["input", "loops", "µs/agent step", "agent-steps/s", "chain alone (− the source's 4 frames)"], chainWidths));
  for (const obsType of ["grayscale", "rgb"] as const) {
    const sourceMicros = microsPerStep(new FourFramesAStep(gameSource(obsType)), batches);
    const chains = simdAndJs(() => microsPerStep(atariWrap(gameSource(obsType)), batches));
    chains.forEach((chain, i) => {
      console.log(row([obsType, i === 0 ? "SIMD" : "JS", chain.toFixed(1), Math.round(1e6 / chain).toLocaleString(), `${(chain - sourceMicros).toFixed(1)} µs`], chainWidths));
    });
  }
}
