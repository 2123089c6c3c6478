import * as tfjs from "@tensorflow/tfjs";

/**
 * Where the "Hi, looks like you are running TensorFlow.js in Node.js" banner comes from, and why we
 * silence it this way.
 *
 * The banner is NOT printed on import. It lives in `MathBackendCPU.write()` of
 * `@tensorflow/tfjs-backend-cpu` (dist/tf-backend-cpu.node.js): the cpu backend instance carries a
 * one-shot `firstUse` flag, and the first time any tensor is written to it while
 * `env().get('IS_NODE')` is true, it calls `backend_util.warn()` with the banner and clears the flag.
 *
 * Alternatives we rejected:
 * - setting the `PROD` or `IS_TEST` flag: `backend_util.warn` checks them, but they also silence
 *   every other tfjs warning (shape deprecations, kernel re-registration, ...), which users need;
 * - flipping `IS_NODE` to false: changes platform detection (file IO, fetch, wasm loading);
 * - filtering `console.warn` for that text: the banner fires lazily (on first cpu write, possibly
 *   long after import), so the filter would have to stay installed forever on a global.
 *
 * Instead we clear exactly that one flag, on every cpu backend instance: the one that already exists
 * (if someone used the cpu backend before us) and every one the engine creates later (by wrapping
 * the registered cpu backend factory; the engine creates backends lazily and re-creates them after
 * `tf.removeBackend`/`tf.registerBackend`). Nothing else about the cpu backend changes. rl-workbook
 * states which backend it chose in one plain line instead (see `initBackend`).
 */

/** Marks a factory we already wrapped, so that calling {@link silenceCpuBackendBanner} twice is a no-op. */
const WRAPPED = Symbol.for("rl-workbook.silenceCpuBackendBanner.wrapped");

/** The part of `MathBackendCPU` this file touches: its one-shot banner flag. */
interface HasFirstUse {
  firstUse?: boolean;
}

/** Clears the banner flag of a cpu backend instance (no-op on anything without the flag). */
function markAsUsed(backend: unknown): void {
  if (typeof backend === "object" && backend !== null && "firstUse" in backend) {
    (backend as HasFirstUse).firstUse = false;
  }
}

/**
 * Stops tfjs's cpu backend from printing its "install tfjs-node to speed things up" banner to stderr,
 * without touching any other tfjs warning.
 *
 * Runs automatically when `src/backend/tf.ts` is first imported; calling it again is a cheap no-op.
 *
 * @returns true if a cpu backend factory was found (and is now wrapped), false if no cpu backend is
 *   registered at all (nothing to silence).
 * @example
 * ```ts
 * import { silenceCpuBackendBanner } from "./cpu-banner";
 * silenceCpuBackendBanner();
 * await tf.setBackend("cpu");
 * tf.tensor([1, 2, 3]); // no banner on stderr
 * ```
 */
export function silenceCpuBackendBanner(): boolean {
  const engine = tfjs.engine();
  // A cpu backend that is already instantiated (its factory ran before we got here).
  markAsUsed(engine.registry["cpu"]);

  const entry = engine.registryFactory["cpu"];
  if (entry === undefined) return false;
  const original = entry.factory as typeof entry.factory & { [WRAPPED]?: true };
  if (original[WRAPPED]) return true;

  const wrapped = Object.assign(
    () => {
      const backend = original();
      // The cpu factory is synchronous, but the registry type allows promises; handle both.
      if (backend instanceof Promise) {
        return backend.then((b) => {
          markAsUsed(b);
          return b;
        });
      }
      markAsUsed(backend);
      return backend;
    },
    { [WRAPPED]: true as const },
  );
  entry.factory = wrapped;
  return true;
}
