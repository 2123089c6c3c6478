/**
 * Summarising one curve per seed into a mean and an uncertainty band, the way RL papers report a
 * learning curve (Henderson et al. 2018, "Deep RL that matters": never a single seed).
 */

/** Which band {@link summarizeSeeds} draws around the mean. */
export type SeedInterval = "ci95" | "std" | "minmax";

/** Options of {@link summarizeSeeds}. */
export interface SeedSummaryOptions {
  /**
   * `"ci95"` (default): the 95 % confidence interval of the mean, mean ± t·s/√n with Student's t for
   * n − 1 degrees of freedom (with 5 seeds t = 2.78, not 1.96: few seeds, wide band);
   * `"std"`: mean ± one standard deviation (the spread of single runs);
   * `"minmax"`: from the worst to the best seed.
   */
  readonly interval?: SeedInterval;
}

/** Per index of the curves: the mean over seeds, the band, and how many seeds had a value there. */
export interface SeedSummary {
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
  /** Seeds with a finite value at that index (curves may differ in length, e.g. episodes that end). */
  readonly count: number[];
}

// Student's t quantile t(0.975, df) for df = 1…30; beyond 30 the normal 1.96 is within 2 %.
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df), the multiplier of the standard error in a 95 % confidence interval. */
export function studentT975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`Expected degrees of freedom to be a positive integer, got ${df}`);
  return df <= T_975.length ? T_975[df - 1]! : 1.96;
}

/**
 * The mean over seeds at each index, with a band. Curves may have different lengths or hold
 * non-finite values (NaN for "no value here"): each index uses the seeds that have a finite value
 * there. With one value the band collapses to the mean (a single run says nothing about spread).
 *
 * @param curves one array of values per seed.
 * @returns mean, lower, upper and count per index, as long as the longest curve.
 * @example
 * summarizeSeeds([[1, 2], [3, 4]], { interval: "minmax" }) //=> { mean: [2, 3], lower: [1, 2], upper: [3, 4], count: [2, 2] }
 */
export function summarizeSeeds(curves: readonly ArrayLike<number>[], options: SeedSummaryOptions = {}): SeedSummary {
  const interval = options.interval ?? "ci95";
  if (!["ci95", "std", "minmax"].includes(interval)) throw new RangeError(`Expected interval "ci95", "std" or "minmax", got ${JSON.stringify(interval)}`);
  if (!Array.isArray(curves) || curves.length === 0) throw new RangeError(`Expected at least one curve (one per seed), got ${Array.isArray(curves) ? "none" : typeof curves}`);
  const length = Math.max(...curves.map((c) => c.length));
  const summary: SeedSummary = { mean: [], lower: [], upper: [], count: [] };
  for (let i = 0; i < length; i++) {
    const values: number[] = [];
    for (const curve of curves) {
      const v = i < curve.length ? curve[i]! : NaN;
      if (Number.isFinite(v)) values.push(v);
    }
    const n = values.length;
    const mean = n === 0 ? NaN : values.reduce((s, v) => s + v, 0) / n;
    let half = 0;
    if (n >= 2 && interval !== "minmax") {
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      half = interval === "std" ? std : (studentT975(n - 1) * std) / Math.sqrt(n);
    }
    summary.mean.push(mean);
    summary.count.push(n);
    summary.lower.push(interval === "minmax" ? (n === 0 ? NaN : Math.min(...values)) : mean - half);
    summary.upper.push(interval === "minmax" ? (n === 0 ? NaN : Math.max(...values)) : mean + half);
  }
  return summary;
}
