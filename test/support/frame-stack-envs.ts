/**
 * Envs with stacked-frame observations for the FrameReplayBuffer tests: every frame carries which
 * sub-env, episode and step produced it, so a stack the buffer rebuilds can be checked against
 * the one the env really produced. Not a test file.
 */
import { BaseEnv } from "../../src/core/base-env";
import { Box } from "../../src/core/box";
import { Discrete } from "../../src/core/discrete";
import type { Env, ResetArgs, ResetResult, StepResult } from "../../src/core/env";
import { Rng } from "../../src/core/rng";
import { Wrapper } from "../../src/core/wrapper";

/** How an episode of {@link TaggedFramesEnv} ends. */
export type EpisodeEnd = "terminated" | "truncated" | "both";

/**
 * The frame of sub-env `tag`'s episode `episode` at step `t`: pixels 0–3 say (tag, episode low
 * byte, t, episode high byte), the rest are drawn from a seed made of those three numbers.
 */
export function taggedFrame(id: { tag: number; episode: number; t: number }, pixels: number): Uint8Array {
  const { tag, episode, t } = id;
  const frame = new Uint8Array(pixels);
  const rng = Rng.fromSeed(tag * 1e9 + episode * 1e3 + t);
  for (let p = 0; p < pixels; p++) frame[p] = rng.integer(256);
  frame.set([tag, episode & 255, t, episode >> 8].slice(0, pixels));
  return frame;
}

/** Reads back what {@link taggedFrame} wrote into a frame (channel `channel` of a stack). */
export function readTag(stack: ArrayLike<number>, layout: { stack: number; channel: number }): { tag: number; episode: number; t: number } {
  const at = (p: number) => stack[p * layout.stack + layout.channel]!;
  return { tag: at(0), episode: at(1) + 256 * at(3), t: at(2) };
}

/**
 * Frames of `height × width` (≥ 4 pixels), one channel, tagged with {@link taggedFrame}. Episode
 * lengths are drawn uniformly from 1…maxLength at each reset, and so is how the episode ends:
 * terminated, truncated, or both (a TimeLimit on the terminal step). Reward: t + action / 2.
 * `episodes` records each episode's length and end, for the tests to check against.
 */
export class TaggedFramesEnv extends BaseEnv<Uint8Array, number> {
  readonly observationSpace: Box<"uint8">;
  readonly actionSpace = new Discrete(2);
  readonly episodes: { length: number; end: EpisodeEnd }[] = [];
  private t = 0;

  constructor(readonly options: { readonly tag: number; readonly maxLength: number; readonly height?: number; readonly width?: number }) {
    super();
    const { height = 2, width = 2 } = options;
    this.observationSpace = new Box({ low: 0, high: 255, shape: [height, width, 1], dtype: "uint8" });
  }

  private frame(): Uint8Array {
    return taggedFrame({ tag: this.options.tag, episode: this.episodes.length - 1, t: this.t }, this.observationSpace.size);
  }

  reset(args: ResetArgs = {}): ResetResult<Uint8Array> {
    this.seedRng(args.seed);
    const end = (["terminated", "truncated", "both"] as const)[this.rng.integer(3)]!;
    this.episodes.push({ length: 1 + this.rng.integer(this.options.maxLength), end });
    this.t = 0;
    return { obs: this.frame(), info: {} };
  }

  step(action: number): StepResult<Uint8Array> {
    this.t += 1;
    const { length, end } = this.episodes[this.episodes.length - 1]!;
    const ended = this.t >= length;
    return { obs: this.frame(), reward: this.t + action / 2, terminated: ended && end !== "truncated", truncated: ended && end !== "terminated", info: {} };
  }
}

/** Options of {@link StackFrames}. */
export interface StackFramesOptions {
  readonly stack: number;
  /** "reset" (default, Gymnasium's): the first frame repeated; "zero": zero frames before it. */
  readonly padding?: "reset" | "zero";
  /** "oldest-first" (default, Gymnasium's): the newest frame in the last channel. */
  readonly order?: "oldest-first" | "newest-first";
}

/**
 * Stacks the last `stack` frames of a one-channel image env channels-last, `[h, w, 1]` →
 * `[h, w, stack]`, like Gymnasium's FrameStackObservation; with `order: "newest-first"` it stacks
 * the wrong way round, which FrameReplayBuffer must reject.
 */
export class StackFrames extends Wrapper<Env<Uint8Array, number>> {
  private readonly stackedSpace: Box<"uint8">;
  private readonly frames: Uint8Array[] = [];
  private readonly pixels: number;

  constructor(
    env: Env<Uint8Array, number>,
    readonly options: StackFramesOptions,
  ) {
    super(env);
    const [height, width] = (env.observationSpace as Box<"uint8">).shape as [number, number, number];
    this.pixels = height * width;
    this.stackedSpace = new Box({ low: 0, high: 255, shape: [height, width, options.stack], dtype: "uint8" });
  }

  override get observationSpace(): Box<"uint8"> {
    return this.stackedSpace;
  }

  override reset(args?: ResetArgs): ResetResult<Uint8Array> {
    const { obs, info } = this.env.reset(args);
    const padding = this.options.padding === "zero" ? new Uint8Array(this.pixels) : obs;
    this.frames.length = 0;
    for (let c = 0; c < this.options.stack - 1; c++) this.frames.push(padding);
    this.frames.push(obs);
    return { obs: this.stacked(), info };
  }

  override step(action: number): StepResult<Uint8Array> {
    const result = this.env.step(action);
    this.frames.shift();
    this.frames.push(result.obs);
    return { ...result, obs: this.stacked() };
  }

  private stacked(): Uint8Array {
    const k = this.options.stack;
    const out = new Uint8Array(this.pixels * k);
    this.frames.forEach((frame, c) => {
      const channel = this.options.order === "newest-first" ? k - 1 - c : c;
      for (let p = 0; p < this.pixels; p++) out[p * k + channel] = frame[p]!;
    });
    return out;
  }
}

/**
 * The stack sub-env `tag` showed at step `t` of `episode`, rebuilt from the tags alone (reset or
 * zero padding): what a replay buffer must give back.
 */
export function expectedStack(id: { tag: number; episode: number; t: number }, layout: { pixels: number; stack: number; padding?: "reset" | "zero" }): Float32Array {
  const { pixels, stack } = layout;
  const out = new Float32Array(pixels * stack);
  for (let c = 0; c < stack; c++) {
    const t = id.t - (stack - 1 - c);
    if (t < 0 && layout.padding === "zero") continue;
    const frame = taggedFrame({ ...id, t: Math.max(0, t) }, pixels);
    for (let p = 0; p < pixels; p++) out[p * stack + c] = frame[p]!;
  }
  return out;
}
