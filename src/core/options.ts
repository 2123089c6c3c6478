/**
 * Checking option objects at the API boundary. In Python a misspelt keyword argument raises a
 * TypeError; in JavaScript an unknown property is silently ignored, so `suttonBartoRewards: true`
 * would quietly train on the wrong reward. These helpers turn that into an Error with a suggestion.
 */

import { describeValue } from "./describe";

/**
 * The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
 * (like Python's `difflib.get_close_matches`, which Gymnasium uses for its "Did you mean" hints).
 *
 * @example
 * closestName("CartPole-v2", ["CartPole-v0", "CartPole-v1"]);  //=> "CartPole-v1"
 * closestName("Breakout", ["CartPole-v1"]);                     //=> undefined
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const wanted = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    // Ties go to the name that sorts last: for env ids, the newest version.
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate > best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Accept up to a third of the longer name changed: catches typos, rejects unrelated names.
  if (best === undefined || bestDistance > Math.max(name.length, best.length) / 3) return undefined;
  return best;
}

/**
 * Throws if `options` has a property not in `known`, naming each unknown one, the nearest known
 * name, and the full list.
 *
 * @param options the caller's option object (`undefined` is accepted as "no options").
 * @param known the option names that are understood.
 * @param where what the options are for, for the message (e.g. `make("CartPole-v1")`).
 * @example
 * assertKnownOptions({ suttonBartoRewards: true }, ["suttonBartoReward"], "CartPoleEnv");
 * //=> throws Error: Expected options of CartPoleEnv among suttonBartoReward, got unknown option
 * //   "suttonBartoRewards" (did you mean "suttonBartoReward"?)
 */
export function assertKnownOptions(options: object | undefined, known: readonly string[], where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`Expected the options of ${where} to be an object, got ${options === null ? "null" : typeof options}`);
  }
  const unknown = Object.keys(options).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const described = unknown.map((name) => {
    const suggestion = closestName(name, known);
    return suggestion === undefined ? `"${name}"` : `"${name}" (did you mean "${suggestion}"?)`;
  });
  const knownList = known.length > 0 ? known.join(", ") : "(none)";
  throw new Error(
    `Expected options of ${where} among ${knownList}, got unknown option${unknown.length > 1 ? "s" : ""} ${described.join(", ")}`,
  );
}

/**
 * Checks one integer option against its inclusive range and returns it; nothing is clamped.
 *
 * @param name the option's name, for the message.
 * @throws RangeError `Expected <name> to be an integer in <low>..<high>, got <value>`.
 * @example
 * integerOption(5, "delay", 1, 64);    //=> 5
 * integerOption(0, "delay", 1, 64);    //=> throws RangeError: Expected delay to be an integer in 1..64, got 0
 */
export function integerOption(value: unknown, name: string, low: number, high: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < low || value > high) {
    throw new RangeError(`Expected ${name} to be an integer in ${low}..${high}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks that a string option is one of the allowed values and returns it, typed as that union.
 *
 * @throws RangeError `Expected <name> to be one of "a", "b", got <value>`.
 * @example
 * choiceOption("pixels", "obsType", ["vector", "pixels"]);  //=> "pixels"
 * choiceOption("rgb", "obsType", ["vector", "pixels"]);     //=> throws RangeError: Expected obsType to be one of "vector", "pixels", got "rgb"
 */
export function choiceOption<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(`Expected ${name} to be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Levenshtein distance: the fewest single-character insertions, deletions or substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
