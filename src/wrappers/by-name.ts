import type { AnyEnv } from "../core/env";
import { assertKnownOptions, closestName } from "../core/options";
import { atariWrap, type AtariWrapOptions } from "./atari-wrap";
import type { FrameEnv } from "./atari-env";
import { ClipReward } from "./clip-reward";
import { EpisodicLife } from "./episodic-life";
import { EventBonus, type EventBonusOptions } from "./event-bonus";
import { FireReset } from "./fire-reset";
import { FrameStack } from "./frame-stack";
import { MaxAndSkip } from "./max-and-skip";
import { NoopReset } from "./noop-reset";
import { RecordEpisodeStatistics } from "./record-episode-statistics";
import { TimeLimit } from "./time-limit";
import { WarpFrame } from "./warp-frame";

/** Builds a wrapper around `env` from plain, serializable options. */
export type WrapperFactory = (env: AnyEnv, options: Readonly<Record<string, unknown>>) => AnyEnv;

/**
 * A wrapper named rather than constructed: `"RecordEpisodeStatistics"`,
 * `{ name: "TimeLimit", options: { maxEpisodeSteps: 200 } }` or
 * `{ name: "AtariWrapper", options: { frameStack: 4 } }`. Worker threads cannot receive a
 * function, so vector envs that run sub-envs in workers take wrappers in this form and rebuild them
 * on the other side.
 */
export type WrapperSpec = string | { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };

const factories = new Map<string, WrapperFactory>([
  ["TimeLimit", (env, options) => new TimeLimit(env, options["maxEpisodeSteps"] as number)],
  [
    "RecordEpisodeStatistics",
    (env, options) =>
      new RecordEpisodeStatistics(env, options["historyLength"] === undefined ? {} : { historyLength: options["historyLength"] as number }),
  ],
  // The Atari preprocessing (SB3's atari_wrappers), one by one and as the whole AtariWrapper
  // preset: `{ name: "AtariWrapper", options: { frameStack: 4 } }`. Each constructor checks its
  // options (names and values), so the plain data from a spec is passed on as it is.
  ["NoopReset", (env, options) => new NoopReset(env as FrameEnv, options)],
  ["FireReset", (env, options) => withoutOptions(options, "FireReset", () => new FireReset(env as FrameEnv))],
  ["EpisodicLife", (env, options) => withoutOptions(options, "EpisodicLife", () => new EpisodicLife(env as FrameEnv))],
  ["MaxAndSkip", (env, options) => new MaxAndSkip(env as FrameEnv, options)],
  ["ClipReward", (env, options) => withoutOptions(options, "ClipReward", () => new ClipReward(env))],
  // Reward shaping: `{ name: "EventBonus", options: { event: "paddleHit", bonus: 0.1 } }`.
  ["EventBonus", (env, options) => new EventBonus(env, options as unknown as EventBonusOptions)],
  ["WarpFrame", (env, options) => new WarpFrame(env as FrameEnv, options)],
  ["FrameStack", (env, options) => new FrameStack(env as FrameEnv, options)],
  ["AtariWrapper", (env, options) => atariWrap(env as FrameEnv, options as AtariWrapOptions)],
]);

/** Builds a wrapper that takes no options, rejecting any that a spec gives. */
function withoutOptions(options: Readonly<Record<string, unknown>>, name: string, create: () => AnyEnv): AnyEnv {
  assertKnownOptions(options, [], name);
  return create();
}

/**
 * Makes a wrapper available by name (for {@link WrapperSpec}). To use it in worker threads, register
 * it in a module that the workers load too (see `makeVec`'s `"module:EnvId"` ids).
 *
 * @example
 * registerWrapper("ScaleReward", (env, { factor }) => new ScaleReward(env, factor as number));
 */
export function registerWrapper(name: string, factory: WrapperFactory): void {
  if (typeof name !== "string" || name === "") throw new TypeError(`Expected a wrapper name, got ${String(name)}`);
  if (typeof factory !== "function") throw new TypeError(`Expected a factory function for wrapper "${name}", got ${typeof factory}`);
  factories.set(name, factory);
}

/** The names {@link applyWrapperSpec} understands. */
export function wrapperNames(): string[] {
  return [...factories.keys()].sort();
}

/**
 * Wraps `env` as `spec` names.
 *
 * @throws Error naming the unknown wrapper, the known ones and the closest match.
 * @example
 * applyWrapperSpec(make("CartPole-v1"), "RecordEpisodeStatistics") //=> RecordEpisodeStatistics<...>
 */
export function applyWrapperSpec(env: AnyEnv, spec: WrapperSpec): AnyEnv {
  const { name, options } = typeof spec === "string" ? { name: spec, options: {} } : { name: spec.name, options: spec.options ?? {} };
  const factory = factories.get(name);
  if (factory === undefined) {
    const known = wrapperNames();
    const guess = closestName(name, known);
    throw new Error(`Expected a registered wrapper name (${known.join(", ")}), got "${name}"${guess ? `; did you mean "${guess}"?` : ""}`);
  }
  return factory(env, options);
}
