import * as path from "node:path";
import type { AnyEnv } from "../core/env";
import { make } from "../core/make";
import { applyWrapperSpec, type WrapperSpec } from "../wrappers/by-name";
import "../envs"; // registers the built-in environments, also inside worker threads

/**
 * How to build one sub-environment, as plain data that can be sent to a worker thread (closures
 * cannot cross threads). `id` is a registered id such as `"CartPole-v1"`, or Gymnasium's
 * `"module:EnvId"` form: the module is loaded first (it registers `EnvId`), so user envs work in
 * workers too, e.g. `"./my-envs.js:Maze-v0"`.
 */
export interface SubEnvSpec {
  readonly id: string;
  /** Options for `make(id, options)`: the env's own options and `maxEpisodeSteps` etc. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Wrappers applied around the made env, innermost first. */
  readonly wrappers?: readonly WrapperSpec[];
}

/**
 * Splits Gymnasium's `"module:EnvId"` into the module to load and the env id. A bare id (no colon)
 * has no module. Windows drive letters (`C:\...`) are not mistaken for the separator: the LAST colon
 * separates.
 *
 * @example
 * parseEnvId("CartPole-v1")              //=> { module: undefined, envId: "CartPole-v1" }
 * parseEnvId("./envs.js:Maze-v0")        //=> { module: "./envs.js", envId: "Maze-v0" }
 */
export function parseEnvId(id: string): { module: string | undefined; envId: string } {
  if (typeof id !== "string" || id === "") throw new TypeError(`Expected an env id such as "CartPole-v1", got ${JSON.stringify(id)}`);
  const colon = id.lastIndexOf(":");
  if (colon <= 0 || colon === id.length - 1 || /^[A-Za-z]$/.test(id.slice(0, colon))) return { module: undefined, envId: id };
  return { module: id.slice(0, colon), envId: id.slice(colon + 1) };
}

/**
 * Makes a spec's module path absolute (relative to `baseDir`, default the current directory), so a
 * worker thread resolves it the same way the caller did.
 */
export function resolveSubEnvSpec(spec: SubEnvSpec, baseDir = process.cwd()): SubEnvSpec {
  const { module, envId } = parseEnvId(spec.id);
  if (module === undefined || !(module.startsWith(".") || module.startsWith("/"))) return spec;
  return { ...spec, id: `${path.resolve(baseDir, module)}:${envId}` };
}

/**
 * Builds the sub-environment a spec describes: loads its module (if any), `make`s it, wraps it.
 *
 * @throws Error naming the module when it cannot be loaded, and `make`'s errors for unknown ids.
 */
export function buildSubEnv(spec: SubEnvSpec): AnyEnv {
  const { module, envId } = parseEnvId(spec.id);
  if (module !== undefined) {
    try {
      require(module);
    } catch (error) {
      throw new Error(`Could not load module "${module}" for env "${envId}": ${(error as Error).message}`);
    }
  }
  let env: AnyEnv = make(envId, spec.options ?? {});
  for (const wrapper of spec.wrappers ?? []) env = applyWrapperSpec(env, wrapper);
  return env;
}
