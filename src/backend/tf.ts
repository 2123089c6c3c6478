/**
 * The one TensorFlow.js namespace every rl-workbook module uses.
 *
 * Import it as `import * as tf from "../backend/tf"` (never `@tensorflow/tfjs` directly) so that
 * (1) all modules share one tfjs engine and therefore one backend, chosen by `initBackend()`, and
 * (2) the cpu backend's "install tfjs-node" banner is silenced before any tensor exists (see
 * `cpu-banner.ts`).
 *
 * tfjs-node, when installed, registers its "tensorflow" backend into this same engine (tfjs keeps the
 * engine and the kernel registry on `globalThis`), so ops from this namespace run natively then.
 *
 * @example
 * ```ts
 * import * as tf from "../backend/tf";
 * const y = tf.tidy(() => tf.relu(tf.tensor([-1, 2])));
 * ```
 */
import { silenceCpuBackendBanner } from "./cpu-banner";

silenceCpuBackendBanner();

export * from "@tensorflow/tfjs";
