/**
 * Training metrics with namespaced keys, the way SB3's logger prints its table:
 *
 *     rollout/episodeReturnMean   rollout/episodeLengthMean   rollout/explorationRate
 *     train/loss   train/learningRate   train/nUpdates
 *     time/fps     time/totalTimesteps  time/episodes
 *
 * (SB3's `ep_rew_mean`, `ep_len_mean`, `exploration_rate`, `loss`, `learning_rate`, `n_updates`,
 * `fps`, `total_timesteps`, `episodes`, in whole words.) `record` sets a key's current value;
 * `dump` appends one row with every current value to `records`, the history a notebook plots.
 */

/** One row of the history: the env step it was written at and each metric's value then. */
export interface LogRecord {
  readonly step: number;
  readonly [key: string]: number;
}

/** Options of {@link Logger}. */
export interface LoggerOptions {
  /** Called with every row `dump` writes, e.g. to print it or stream it to a file. */
  readonly onRecord?: (record: LogRecord) => void;
}

/**
 * Collects metric values and writes them out as rows.
 *
 * @example
 * const logger = new Logger();
 * logger.record("rollout/episodeReturnMean", 21.5);
 * logger.record("train/loss", 0.12);
 * logger.dump(1000);
 * logger.records;   //=> [{ step: 1000, "rollout/episodeReturnMean": 21.5, "train/loss": 0.12 }]
 * logger.series("train/loss"); //=> { steps: [1000], values: [0.12] }
 */
export class Logger {
  /** Every row written so far, oldest first. */
  readonly records: LogRecord[] = [];
  /** Called with each new row. Assign to attach a sink later (e.g. a notebook table). */
  onRecord: ((record: LogRecord) => void) | undefined;
  private readonly current = new Map<string, number>();

  constructor(options: LoggerOptions = {}) {
    this.onRecord = options.onRecord;
  }

  /**
   * Sets a metric's current value (it stays until set again).
   *
   * @param key A namespaced key such as `"train/loss"`.
   * @param value A number (non-finite values are kept: a NaN loss is worth seeing).
   */
  record(key: string, value: number): void {
    if (typeof key !== "string" || !key.includes("/")) throw new RangeError(`Expected a namespaced key like "train/loss", got ${JSON.stringify(key)}`);
    if (typeof value !== "number") throw new TypeError(`Expected ${key} to be a number, got ${typeof value}`);
    this.current.set(key, value);
  }

  /** The current value of every metric, by key. */
  get latest(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.current);
  }

  /** The current value of one metric, or undefined if it was never recorded. */
  get(key: string): number | undefined {
    return this.current.get(key);
  }

  /**
   * Appends a row with every current value at env step `step`, and passes it to `onRecord`.
   *
   * @returns The row.
   */
  dump(step: number): LogRecord {
    const row: LogRecord = { step, ...Object.fromEntries(this.current) };
    this.records.push(row);
    this.onRecord?.(row);
    return row;
  }

  /** One metric's history as parallel arrays, ready for a plot (rows without the key are skipped). */
  series(key: string): { steps: number[]; values: number[] } {
    const steps: number[] = [];
    const values: number[] = [];
    for (const row of this.records) {
      const value = row[key];
      if (value === undefined) continue;
      steps.push(row.step);
      values.push(value);
    }
    return { steps, values };
  }

  /** SB3's console table of the current values, one `| key | value |` line each. */
  toString(): string {
    const keys = [...this.current.keys()].sort();
    const width = Math.max(0, ...keys.map((k) => k.length));
    const format = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(4) : v.toExponential(3));
    return keys.map((k) => `| ${k.padEnd(width)} | ${format(this.current.get(k)!)} |`).join("\n");
  }
}

/**
 * Records SB3's `time/*` metrics of a run: `time/fps` (env steps per second since the run started),
 * `time/totalTimesteps` and `time/episodes`.
 */
export function recordTimeMetrics(logger: Logger, run: { readonly numTimesteps: number; readonly startSteps: number; readonly startTime: number; readonly episodes: number }): void {
  const seconds = (performance.now() - run.startTime) / 1000;
  logger.record("time/fps", seconds > 0 ? Math.round((run.numTimesteps - run.startSteps) / seconds) : 0);
  logger.record("time/totalTimesteps", run.numTimesteps);
  logger.record("time/episodes", run.episodes);
}
