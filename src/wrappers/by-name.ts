import type { AnyEnv } from "../core/env";
import { closestName } from "../core/options";
import { RecordEpisodeStatistics } from "./record-episode-statistics";
import { TimeLimit } from "./time-limit";

/** Builds a wrapper around `env` from plain, serializable options. */
export type WrapperFactory = (env: AnyEnv, options: Readonly<Record<string, unknown>>) => AnyEnv;

/**
 * A wrapper named rather than constructed: `"RecordEpisodeStatistics"` or
 * `{ name: "TimeLimit", options: { maxEpisodeSteps: 200 } }`. Worker threads cannot receive a
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
]);

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
