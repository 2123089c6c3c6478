/**
 * Live progress for long cells (training loops): one output, updated in place, showing steps, speed, ETA,
 * the latest metrics and a sparkline of one metric.
 *
 * Why throttle by wall clock: a training loop calls `update` thousands of times per second. Each display
 * update is a Jupyter message; tslab loses output and can wedge after a few hundred rapid messages, and
 * the browser re-renders on each. So updates only record state, and at most one message per `intervalMs`
 * (default 400 ms, ≤ 2.5 Hz) is sent, whatever the loop's speed; `done()` always sends the final state.
 * Throttling by time rather than by step count keeps the rate right for fast and slow loops alike.
 *
 * Outside a notebook (plain node, scripts, CI logs) the same object writes a plain text line to stderr
 * at most every `consoleIntervalMs` (default 2 s) instead.
 */
import { getDisplaySink, type DisplaySink, type UpdatableDisplay, newDisplay } from "./display";
import { escapeHtml } from "./html";
import { sparklineSvg } from "./sparkline";

/** Options of {@link LiveProgress}. */
export interface LiveProgressOptions {
  /** Total number of steps, if known (enables the bar, percentage and ETA). */
  readonly total?: number;
  /** A name shown first, e.g. `"DQN on CartPole"`. */
  readonly label?: string;
  /** What a step is called; default `"steps"`. */
  readonly unit?: string;
  /** The metric drawn as a sparkline; default the first metric reported. */
  readonly chartMetric?: string;
  /** Minimum time between notebook updates in ms; default 400. */
  readonly intervalMs?: number;
  /** Minimum time between console lines in ms (outside a notebook); default 2000. */
  readonly consoleIntervalMs?: number;
  /** Step counted as "no progress yet" for the speed; default 0. */
  readonly initialStep?: number;
  /** Clock in milliseconds; default `performance.now`. Tests inject a fake clock. */
  readonly now?: () => number;
  /** Where the display goes; default the current display sink (see `display.ts`). */
  readonly sink?: DisplaySink;
  /** Console output when the sink is not a notebook; default writes to stderr. */
  readonly write?: (text: string) => void;
  /** Points of chart history kept (older ones are merged pairwise); default 256. */
  readonly historySize?: number;
}

/** Extra information given with a step. */
export interface ProgressInfo {
  /** Latest values of named metrics, e.g. `{ return: 195, loss: 0.03, epsilon: 0.05 }`. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * A progress display for a long loop.
 *
 * @example
 * const progress = new LiveProgress({ total: 50_000, label: "DQN", chartMetric: "return" });
 * for (let step = 1; step <= 50_000; step++) {
 *   // … train …
 *   progress.update(step, episodeEnded ? { metrics: { return: episodeReturn, epsilon } } : undefined);
 * }
 * progress.done();
 */
export class LiveProgress {
  private readonly total: number | undefined;
  private readonly label: string;
  private readonly unit: string;
  private chartMetric: string | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sink: DisplaySink;
  private readonly write: (text: string) => void;
  private readonly tty: boolean;
  private readonly historySize: number;
  private readonly startTime: number;
  private readonly startStep: number;
  private readonly output: UpdatableDisplay | null;
  private readonly latest = new Map<string, number>();
  /** Chart points, each the mean of `bucketSize` consecutive values of the chart metric. */
  private readonly historyValues: number[] = [];
  private bucketSize = 1;
  private pendingSum = 0;
  private pendingCount = 0;
  private chartMin = Infinity;
  private chartMax = -Infinity;
  private step: number;
  private lastSent: number | null = null;
  private sent = 0;
  private finished = false;
  private endTime: number | null = null;

  constructor(options: LiveProgressOptions = {}) {
    const { total, intervalMs, consoleIntervalMs, historySize, initialStep } = options;
    if (total !== undefined && !(Number.isFinite(total) && total > 0)) throw new RangeError(`Expected total > 0, got ${total}`);
    if (intervalMs !== undefined && !(intervalMs >= 0)) throw new RangeError(`Expected intervalMs ≥ 0, got ${intervalMs}`);
    if (consoleIntervalMs !== undefined && !(consoleIntervalMs >= 0)) throw new RangeError(`Expected consoleIntervalMs ≥ 0, got ${consoleIntervalMs}`);
    if (historySize !== undefined && !(Number.isInteger(historySize) && historySize >= 2)) {
      throw new RangeError(`Expected historySize to be an integer ≥ 2, got ${historySize}`);
    }
    this.total = total;
    this.label = options.label ?? "";
    this.unit = options.unit ?? "steps";
    this.chartMetric = options.chartMetric;
    this.now = options.now ?? (() => performance.now());
    this.sink = options.sink ?? getDisplaySink();
    this.historySize = historySize ?? 256;
    this.startStep = initialStep ?? 0;
    this.step = this.startStep;
    this.startTime = this.now();
    if (this.sink.isNotebook) {
      this.intervalMs = intervalMs ?? 400;
      this.output = newDisplay(this.sink);
      this.write = () => {};
      this.tty = false;
    } else {
      this.intervalMs = consoleIntervalMs ?? 2000;
      this.output = null;
      this.tty = options.write === undefined && process.stderr.isTTY === true;
      this.write = options.write ?? ((text: string) => void process.stderr.write(text));
    }
  }

  /** Number of display messages (or console lines) sent so far. */
  get renders(): number {
    return this.sent;
  }

  /**
   * Records progress. Cheap: it only sends an update when `intervalMs` has passed since the last one.
   *
   * @param step steps done so far (any finite number; usually increasing).
   * @param info optional metrics to show; each metric keeps its latest value until updated.
   */
  update(step: number, info?: ProgressInfo): void {
    if (this.finished) return;
    this.record(step, info);
    const t = this.now();
    if (this.lastSent === null || t - this.lastSent >= this.intervalMs) this.send(t);
  }

  /**
   * Marks the end and always shows the final state. Later `update` calls are ignored.
   *
   * @param info optional final metrics.
   */
  done(info?: ProgressInfo): void {
    if (this.finished) return;
    if (info !== undefined) this.record(this.step, info);
    this.finished = true;
    this.endTime = this.now();
    this.send(this.endTime);
  }

  /** The current state as an HTML fragment (what the notebook shows). */
  html(): string {
    const s = this.stats(this.endTime ?? this.now());
    const head: string[] = [];
    if (this.label !== "") head.push(`<b>${escapeHtml(this.label)}</b>`);
    head.push(escapeHtml(s.stepsText));
    if (s.percent !== null) head.push(`${s.percent.toFixed(1)}%`);
    if (s.rate !== null) head.push(`${escapeHtml(formatRate(s.rate))} ${escapeHtml(this.unit)}/s`);
    head.push(this.finished ? `done in ${formatDuration(s.elapsed)}` : `elapsed ${formatDuration(s.elapsed)}`);
    if (!this.finished && s.eta !== null) head.push(`ETA ${formatDuration(s.eta)}`);
    const parts = [`<div class="rlwb-progress" style="font:12px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2px 0">`];
    parts.push(`<div>${head.join(" · ")}</div>`);
    if (s.percent !== null) {
      const color = this.finished ? "#3c9a4b" : "#3b7dd8";
      parts.push(
        `<div style="width:320px;max-width:100%;height:8px;background:#e3e3e3;border-radius:4px;overflow:hidden">` +
          `<div style="width:${Math.min(100, s.percent).toFixed(1)}%;height:100%;background:${color}"></div></div>`,
      );
    }
    if (this.chartMetric !== undefined && this.historyValues.length + this.pendingCount > 0) {
      const value = this.latest.get(this.chartMetric);
      // The unfinished bucket is drawn as a last point so the chart is current.
      const points = this.pendingCount > 0 ? [...this.historyValues, this.pendingSum / this.pendingCount] : this.historyValues;
      parts.push(
        `<div style="display:flex;align-items:center;gap:8px">${sparklineSvg(points, { label: this.chartMetric })}` +
          `<span>${escapeHtml(this.chartMetric)} ${value === undefined ? "" : escapeHtml(formatMetric(value))}` +
          ` <span style="color:#888">(min ${escapeHtml(formatMetric(this.chartMin))}, max ${escapeHtml(formatMetric(this.chartMax))})</span></span></div>`,
      );
    }
    const others = [...this.latest].filter(([name]) => name !== this.chartMetric);
    if (others.length > 0) {
      parts.push(`<div>${others.map(([name, v]) => `${escapeHtml(name)} ${escapeHtml(formatMetric(v))}`).join(" · ")}</div>`);
    }
    parts.push("</div>");
    return parts.join("");
  }

  /** The current state as one line of plain text (what the console fallback prints). */
  line(): string {
    const s = this.stats(this.endTime ?? this.now());
    const items: string[] = [];
    if (this.label !== "") items.push(`${this.label}:`);
    items.push(s.stepsText);
    if (s.percent !== null) items.push(`(${s.percent.toFixed(1)}%)`);
    if (s.rate !== null) items.push(`${formatRate(s.rate)} ${this.unit}/s`);
    items.push(this.finished ? `done in ${formatDuration(s.elapsed)}` : `elapsed ${formatDuration(s.elapsed)}`);
    if (!this.finished && s.eta !== null) items.push(`ETA ${formatDuration(s.eta)}`);
    for (const [name, v] of this.latest) items.push(`${name}=${formatMetric(v)}`);
    return items.join(" ");
  }

  private record(step: number, info: ProgressInfo | undefined): void {
    if (typeof step !== "number" || !Number.isFinite(step)) throw new TypeError(`Expected step to be a finite number, got ${String(step)}`);
    this.step = step;
    const metrics = info?.metrics;
    if (metrics === undefined) return;
    for (const name of Object.keys(metrics)) {
      const value = metrics[name]!;
      if (typeof value !== "number") throw new TypeError(`Expected metric ${JSON.stringify(name)} to be a number, got ${typeof value}`);
      this.latest.set(name, value);
      this.chartMetric ??= name;
      if (name === this.chartMetric && Number.isFinite(value)) {
        this.chartMin = Math.min(this.chartMin, value);
        this.chartMax = Math.max(this.chartMax, value);
        // Every point averages the same number of values, so the chart's x axis stays uniform over the
        // whole run: when the history is full, neighbours merge pairwise and buckets double in size.
        this.pendingSum += value;
        this.pendingCount++;
        if (this.pendingCount === this.bucketSize) {
          this.historyValues.push(this.pendingSum / this.pendingCount);
          this.pendingSum = 0;
          this.pendingCount = 0;
          if (this.historyValues.length >= 2 * this.historySize) {
            const h = this.historyValues;
            const half = Math.floor(h.length / 2);
            for (let i = 0; i < half; i++) h[i] = (h[2 * i]! + h[2 * i + 1]!) / 2;
            h.length = half;
            this.bucketSize *= 2;
          }
        }
      }
    }
  }

  private send(t: number): void {
    this.lastSent = t;
    this.sent++;
    if (this.output !== null) {
      this.output.html(this.html());
    } else if (this.tty) {
      this.write(`\r\x1b[K${this.line()}${this.finished ? "\n" : ""}`);
    } else {
      this.write(`${this.line()}\n`);
    }
  }

  private stats(t: number): { stepsText: string; percent: number | null; rate: number | null; elapsed: number; eta: number | null } {
    const elapsed = Math.max(0, (t - this.startTime) / 1000);
    const done = this.step - this.startStep;
    const rate = elapsed > 0.05 && done > 0 ? done / elapsed : null;
    const stepsText = this.total !== undefined ? `${formatCount(this.step)} / ${formatCount(this.total)} ${this.unit}` : `${formatCount(this.step)} ${this.unit}`;
    const percent = this.total !== undefined ? Math.max(0, (100 * this.step) / this.total) : null;
    const eta = this.total !== undefined && rate !== null ? Math.max(0, (this.total - this.step) / rate) : null;
    return { stepsText, percent, rate, elapsed, eta };
  }
}

/** `1234567` → `"1,234,567"`; non-integers keep up to 2 decimals. */
function formatCount(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Steps per second with sensible precision: `"8,512"`, `"41.3"`, `"0.52"`. */
function formatRate(r: number): string {
  return r >= 100 ? formatCount(Math.round(r)) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

/** A metric value in at most ~5 significant characters: `"195.3"`, `"0.01235"`, `"-3"`. */
function formatMetric(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/**
 * Seconds as `m:ss` or `h:mm:ss`.
 *
 * @example
 * formatDuration(75) //=> "1:15"
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
