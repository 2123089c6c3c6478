import { describeValue } from "../core/describe";
import { assertKnownOptions } from "../core/options";

/** The interval a classic-control env draws each start-state component from. */
export interface ResetBounds {
  readonly low: number;
  readonly high: number;
}

/**
 * Reads the optional `{ low, high }` reset options of a classic-control env (Gymnasium's
 * `utils.maybe_parse_reset_bounds`): each missing bound keeps its default.
 *
 * Unlike Gymnasium, a bound must already be a number (`"0.1"` is rejected, not parsed) and other
 * option names are rejected, so a typo such as `{ hi: 0.1 }` cannot be ignored silently.
 *
 * @param options the `options` passed to `reset`, or undefined.
 * @param defaults the bounds used when an option is missing.
 * @returns the bounds to draw the start state from.
 * @throws Error when a bound is not a finite number or `low > high`.
 * @example
 * parseResetBounds({ high: 0.1 }, { low: -0.05, high: 0.05 });  //=> { low: -0.05, high: 0.1 }
 * parseResetBounds(undefined, { low: -0.05, high: 0.05 });      //=> { low: -0.05, high: 0.05 }
 */
export function parseResetBounds(options: Readonly<Record<string, unknown>> | undefined, defaults: ResetBounds): ResetBounds {
  if (options === undefined) return defaults;
  assertKnownOptions(options, ["low", "high"], "reset({ options })");
  const low = options["low"] ?? defaults.low;
  const high = options["high"] ?? defaults.high;
  for (const [name, value] of [["low", low], ["high", high]] as const) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TypeError(`Expected options.${name} to be a finite number, got ${describeValue(value)}`);
    }
  }
  if ((low as number) > (high as number)) {
    throw new RangeError(`Expected options.low ≤ options.high, got low ${low} and high ${high}`);
  }
  return { low: low as number, high: high as number };
}
