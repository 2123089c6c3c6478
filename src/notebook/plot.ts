/**
 * Interactive plots with plotly.js, embedded for offline use.
 *
 * Why embed instead of loading plotly from a CDN: the exported notebooks are course material opened
 * from disk with no network. Why only once: plotly.min.js is ~4.8 MB; putting it in every plot would
 * make a notebook with 20 plots 100 MB. So the first plot of a kernel session carries the library in its
 * HTML output, later plots only call `window.Plotly`. Each plot's script copes with plotly not being
 * loaded yet (JupyterLab may render outputs out of order, e.g. when it virtualizes long notebooks): it
 * waits for a "ready" event / polls, shows a readable message if plotly does not appear, and draws as
 * soon as it does.
 *
 * Why the library runs inside `(function (define, module, exports, require) { … })`: in the classic
 * Notebook and nbconvert's default HTML template, require.js defines a global `define`; a UMD bundle
 * then registers itself as an anonymous AMD module instead of setting `window.Plotly` (and require.js
 * complains about anonymous modules loaded by script tags). Shadowing those names with `undefined`
 * makes any UMD wrapper fall through to its browser-global branch, with or without require.js.
 *
 * Why `text/html` and not `text/javascript`/`application/vnd.plotly`: nbconvert's HTML export drops
 * JavaScript outputs, and plotly's own MIME renderer needs a JupyterLab extension and loads from a CDN
 * in exports.
 */
import * as fs from "node:fs";
import { display } from "./display";
import { escapeHtml, scriptJson, uniqueId } from "./html";

/** A plotly.js trace, e.g. `{ type: "scatter", x, y, name, mode: "lines" }`; typed arrays are fine. */
export interface PlotTrace {
  /** Trace type: `"scatter"` (default), `"bar"`, `"histogram"`, `"heatmap"`, … */
  readonly type?: string;
  /** x values (numbers, strings or dates). */
  readonly x?: ArrayLike<unknown>;
  /** y values. */
  readonly y?: ArrayLike<unknown>;
  /** Legend entry. */
  readonly name?: string;
  /** For scatter traces: `"lines"`, `"markers"`, `"lines+markers"`. */
  readonly mode?: string;
  /** Any other plotly.js trace attribute (`line`, `marker`, `z`, `opacity`, …). */
  readonly [key: string]: unknown;
}

/** A plotly.js layout object, e.g. `{ title: { text: "Returns" }, xaxis: { title: { text: "episode" } } }`. */
export interface PlotLayout {
  readonly [key: string]: unknown;
}

/**
 * Whether plotly.js has already been sent to the notebook in this kernel session. One module-level
 * instance ({@link plotlySession}) serves notebooks; pass your own to {@link plotHtml} to build
 * independent pages.
 */
export class PlotlySession {
  /** `true` once an output carrying plotly.js has been produced. */
  embedded = false;

  /** Forgets that plotly.js was embedded, so the next plot carries it again. */
  reset(): void {
    this.embedded = false;
  }
}

/** The session used when none is given: one per kernel process, i.e. per running notebook. */
export const plotlySession = new PlotlySession();

/**
 * Makes the next plot carry plotly.js again. Use it after clearing outputs or re-running cells out of
 * order, when the output that carried the library is gone.
 *
 * @example
 * resetPlotly();
 * linePlot([{ y: returns }]);   // embeds plotly.js again
 */
export function resetPlotly(): void {
  plotlySession.reset();
}

/** Options of {@link plotHtml} and {@link plot}. */
export interface PlotOptions {
  /**
   * `true` always embeds plotly.js in this plot, `false` never does; by default only the first plot of
   * the session does.
   */
  readonly embedPlotly?: boolean;
  /** Height in pixels; default 400. */
  readonly height?: number;
  /** Width in pixels; default the full width of the output, following resizes. */
  readonly width?: number;
  /** plotly.js config, merged over the defaults `{ responsive: true, displaylogo: false }`. */
  readonly config?: { readonly [key: string]: unknown };
  /** Session that tracks embedding; default {@link plotlySession}. */
  readonly session?: PlotlySession;
}

const READY_EVENT = "rlwb:plotly-ready";
let cachedSource: string | null = null;

/**
 * The plotly.js bundle (`plotly.js-dist-min`) as text, read once from node_modules.
 *
 * @returns the JavaScript source.
 */
export function plotlySource(): string {
  if (cachedSource === null) {
    let file: string;
    try {
      file = require.resolve("plotly.js-dist-min");
    } catch {
      throw new Error("Expected the package plotly.js-dist-min to be installed (it is a dependency of rl-workbook), got none");
    }
    const source = fs.readFileSync(file, "utf8");
    // The source goes inside an inline <script>: a literal "</script" would end it early. The bundle has
    // none; escaping "</" as "<\/" is equivalent inside JS strings and regexes if a future one does.
    cachedSource = source.replace(/<\/(script)/gi, "<\\/$1");
  }
  return cachedSource;
}

/**
 * An HTML fragment that defines `window.Plotly` from the embedded bundle (AMD-safe, see the file comment)
 * and then fires the event waiting plots listen for. Does nothing if plotly is already on the page.
 *
 * @returns a `<script>` element, ~4.8 MB.
 */
export function plotlyLoaderHtml(): string {
  return (
    `<script type="text/javascript">/* plotly.js (MIT licence), embedded by rl-workbook for offline use */\n` +
    `(function () {\n` +
    `  if (!(window.Plotly && typeof window.Plotly.newPlot === "function")) {\n` +
    `    var hadModuleName = Object.prototype.hasOwnProperty.call(window, "moduleName");\n` +
    `    (function (define, module, exports, require) {\n` +
    plotlySource() +
    `\n    }).call(window);\n` +
    // plotly 3's wrapper also assigns the global `moduleName`; don't leave that behind.
    `    if (!hadModuleName) { try { delete window.moduleName; } catch (e) {} }\n` +
    `  }\n` +
    `  try { window.dispatchEvent(new Event(${JSON.stringify(READY_EVENT)})); } catch (e) {}\n` +
    `})();\n` +
    `</script>`
  );
}

/**
 * Shows plotly.js as an output of its own (invisible) and marks it embedded, so later plots are small.
 * Handy in a notebook's first cell: the library then never depends on which plot runs first.
 *
 * @example
 * loadPlotly();   // in the setup cell
 */
export function loadPlotly(options: { readonly session?: PlotlySession } = {}): void {
  display.html(plotlyLoaderHtml());
  (options.session ?? plotlySession).embedded = true;
}

/**
 * The HTML for one plot: a uniquely identified `<div>` plus a script that draws into it, preceded by
 * plotly.js itself when this is the first plot of the session (or `embedPlotly: true`). Producing the
 * HTML counts as embedding: build pages in the order the HTML will appear.
 *
 * @param traces plotly.js traces.
 * @param layout plotly.js layout, merged over compact defaults.
 * @returns an HTML fragment with no external references.
 * @example
 * const html = plotHtml([{ type: "bar", x: ["a", "b"], y: [3, 5] }], { title: { text: "Counts" } });
 */
export function plotHtml(traces: readonly PlotTrace[], layout: PlotLayout = {}, options: PlotOptions = {}): string {
  if (!Array.isArray(traces)) throw new TypeError(`Expected traces to be an array of plotly traces, got ${typeof traces}`);
  traces.forEach((trace, i) => {
    if (trace === null || typeof trace !== "object") throw new TypeError(`Expected traces[${i}] to be an object, got ${trace === null ? "null" : typeof trace}`);
  });
  if (layout === null || typeof layout !== "object") throw new TypeError(`Expected layout to be an object, got ${layout === null ? "null" : typeof layout}`);
  const height = options.height ?? 400;
  if (!(height > 0)) throw new RangeError(`Expected height > 0 pixels, got ${height}`);
  if (options.width !== undefined && !(options.width > 0)) throw new RangeError(`Expected width > 0 pixels, got ${options.width}`);
  const session = options.session ?? plotlySession;
  const embed = options.embedPlotly ?? !session.embedded;
  if (embed) session.embedded = true;

  const id = uniqueId("plot");
  const hasTitle = layout["title"] !== undefined;
  const fullLayout = {
    autosize: true,
    height,
    ...(options.width !== undefined ? { width: options.width } : {}),
    margin: { l: 60, r: 20, t: hasTitle ? 50 : 20, b: 50 },
    ...layout,
  };
  const config = { responsive: true, displaylogo: false, ...options.config };
  const spec = scriptJson({ data: traces, layout: fullLayout, config }, 7);
  const width = options.width !== undefined ? `${options.width}px` : "100%";
  const message =
    `<div style="padding:1em;border:1px dashed #b00;color:#900;font:13px/1.4 sans-serif">` +
    `Waiting for plotly.js to draw this plot. It is embedded in the first plot output of the notebook ` +
    `session; if that output is missing (cleared, or cells run out of order), re-run this cell with ` +
    `<code>embedPlotly: true</code>, or call <code>resetPlotly()</code> before plotting.</div>`;
  const script =
    `<script type="text/javascript">\n(function () {\n` +
    `  var id = ${JSON.stringify(id)};\n` +
    `  var spec = ${spec};\n` +
    `  var done = false, tries = 0;\n` +
    `  function draw() {\n` +
    `    if (done) return true;\n` +
    `    var el = document.getElementById(id), P = window.Plotly;\n` +
    `    if (!el || !P || typeof P.newPlot !== "function") return false;\n` +
    `    done = true;\n` +
    `    window.removeEventListener(${JSON.stringify(READY_EVENT)}, draw);\n` +
    `    el.innerHTML = "";\n` +
    `    P.newPlot(el, spec.data, spec.layout, spec.config);\n` +
    `    return true;\n` +
    `  }\n` +
    `  if (draw()) return;\n` +
    `  window.addEventListener(${JSON.stringify(READY_EVENT)}, draw);\n` +
    // Poll too: the element may not be attached yet, or plotly may arrive by other means. After ~3 s
    // say why nothing shows; keep checking (slowly) for 10 minutes.
    `  (function poll() {\n` +
    `    if (draw()) return;\n` +
    `    tries++;\n` +
    `    if (tries === 30) { var el = document.getElementById(id); if (el) el.innerHTML = ${JSON.stringify(message)}; }\n` +
    `    if (tries < 630) setTimeout(poll, tries < 30 ? 100 : 1000);\n` +
    `  })();\n` +
    `})();\n</script>`;
  return (
    (embed ? plotlyLoaderHtml() + "\n" : "") +
    `<div id="${escapeHtml(id)}" class="rlwb-plot" style="width:${width};height:${height}px"></div>\n` +
    script
  );
}

/**
 * Shows a plotly.js plot in the notebook (see {@link plotHtml}).
 *
 * @example
 * plot([{ type: "scatter", mode: "lines", y: losses, name: "loss" }], { yaxis: { type: "log" } });
 */
export function plot(traces: readonly PlotTrace[], layout: PlotLayout = {}, options: PlotOptions = {}): void {
  display.html(plotHtml(traces, layout, options));
}

/** One line of {@link linePlot}: `y` values, optional `x` (default 0, 1, 2, …), a legend name and colour. */
export interface LineSeries {
  /** The values. */
  readonly y: ArrayLike<number>;
  /** Positions of the values, same length as `y`; default 0, 1, 2, … */
  readonly x?: ArrayLike<number | string>;
  /** Legend name; default "series N". */
  readonly name?: string;
  /** Any CSS colour; default from a fixed palette in order. */
  readonly color?: string;
  /**
   * A shaded band around the line, e.g. a 95 % confidence interval over seeds from
   * {@link summarizeSeeds}: `lower` and `upper` as long as `y` (non-finite entries leave a gap).
   */
  readonly band?: { readonly lower: ArrayLike<number>; readonly upper: ArrayLike<number> };
}

/** A straight reference line across a {@link linePlot}: a vertical one at x, or a horizontal one at y. */
export interface ReferenceLine {
  /** Where the line crosses its axis. */
  readonly at: number;
  /** Text written beside the line. */
  readonly label?: string;
}

/** Options of {@link linePlot}: axis labels and smoothing on top of {@link PlotOptions}. */
export interface LinePlotOptions extends PlotOptions {
  /** Title above the plot. */
  readonly title?: string;
  /** x axis label. */
  readonly xLabel?: string;
  /** y axis label. */
  readonly yLabel?: string;
  /**
   * Exponential moving average weight in [0, 1), as TensorBoard's smoothing slider: 0 draws the raw
   * series; e.g. 0.9 draws a smoothed line with the raw one faint behind it (noisy RL returns).
   */
  readonly smoothing?: number;
  /** Logarithmic y axis. */
  readonly logY?: boolean;
  /** Dashed vertical lines, e.g. `[{ at: 50, label: "time limit" }]`. */
  readonly vLines?: readonly ReferenceLine[];
  /** Dashed horizontal lines, e.g. `[{ at: 100, label: "1/(1−γ)" }]`. */
  readonly hLines?: readonly ReferenceLine[];
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/**
 * Debiased exponential moving average (as TensorBoard): `s[t] = m[t] / (1 - w^(t+1))` with
 * `m[t] = w·m[t-1] + (1-w)·y[t]`, so early values are not dragged towards 0. Non-finite values are
 * skipped (their position gets NaN, drawn as a gap).
 *
 * @param weight smoothing weight in [0, 1).
 * @returns the smoothed values.
 * @example
 * smoothSeries([1, 1, 1], 0.9) //=> [1, 1, 1]
 */
export function smoothSeries(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`Expected smoothing in [0, 1), got ${weight}`);
  const out = new Array<number>(values.length);
  let m = 0;
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    m = weight * m + (1 - weight) * v;
    norm = weight * norm + (1 - weight);
    out[i] = m / norm;
  }
  return out;
}

/**
 * The HTML for a line plot of one or more series (see {@link plotHtml} for embedding).
 *
 * @param series one series or an array of them.
 * @returns an HTML fragment.
 * @example
 * linePlotHtml([{ y: returns, name: "DQN" }], { title: "Episode return", xLabel: "episode", yLabel: "return", smoothing: 0.9 });
 */
export function linePlotHtml(series: LineSeries | readonly LineSeries[], options: LinePlotOptions = {}): string {
  const list: readonly LineSeries[] = Array.isArray(series) ? series : [series as LineSeries];
  const smoothing = options.smoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) throw new RangeError(`Expected smoothing in [0, 1), got ${smoothing}`);
  const traces: PlotTrace[] = [];
  list.forEach((s, i) => {
    const name = s.name ?? `series ${i + 1}`;
    if (s === null || typeof s !== "object" || s.y == null || typeof s.y.length !== "number") {
      throw new TypeError(`Expected series ${JSON.stringify(name)} to be { y, x?, name? } with an array y, got ${s === null ? "null" : typeof s}`);
    }
    if (s.x !== undefined && s.x.length !== s.y.length) {
      throw new RangeError(`Expected x and y of series ${JSON.stringify(name)} to have the same length, got ${s.x.length} and ${s.y.length}`);
    }
    const color = s.color ?? COLORS[i % COLORS.length]!;
    const x = s.x ?? undefined;
    if (s.band !== undefined) traces.push(bandTrace(s, name, color));
    if (smoothing > 0) {
      traces.push({ type: "scatter", mode: "lines", name: `${name} (raw)`, x, y: s.y, line: { color, width: 1 }, opacity: 0.3, legendgroup: name, showlegend: false, hoverinfo: "skip" });
      traces.push({ type: "scatter", mode: "lines", name, x, y: smoothSeries(s.y, smoothing), line: { color, width: 2 }, legendgroup: name });
    } else {
      traces.push({ type: "scatter", mode: "lines", name, x, y: s.y, line: { color, width: 2 } });
    }
  });
  const layout: Record<string, unknown> = {
    showlegend: list.length > 1,
    hovermode: "x unified",
    xaxis: { title: { text: options.xLabel ?? "" }, zeroline: false },
    yaxis: { title: { text: options.yLabel ?? "" }, zeroline: false, ...(options.logY ? { type: "log" } : {}) },
  };
  if (options.title !== undefined) layout["title"] = { text: options.title };
  const lines = [...(options.vLines ?? []).map((l) => referenceLine(l, "x")), ...(options.hLines ?? []).map((l) => referenceLine(l, "y"))];
  if (lines.length > 0) {
    layout["shapes"] = lines.map((l) => l.shape);
    layout["annotations"] = lines.flatMap((l) => (l.annotation === undefined ? [] : [l.annotation]));
  }
  return plotHtml(traces, layout, options);
}

/** The filled polygon from `upper` (left to right) back along `lower`, skipping non-finite points. */
function bandTrace(series: LineSeries, name: string, color: string): PlotTrace {
  const { lower, upper } = series.band!;
  if (lower.length !== series.y.length || upper.length !== series.y.length) {
    throw new RangeError(`Expected band.lower and band.upper of series ${JSON.stringify(name)} to have y's length ${series.y.length}, got ${lower.length} and ${upper.length}`);
  }
  const keep: number[] = [];
  for (let i = 0; i < series.y.length; i++) if (Number.isFinite(lower[i]!) && Number.isFinite(upper[i]!)) keep.push(i);
  const xAt = (i: number): number | string => (series.x === undefined ? i : series.x[i]!);
  const back = [...keep].reverse();
  return {
    type: "scatter", mode: "lines", name: `${name} (band)`, legendgroup: name, showlegend: false, hoverinfo: "skip",
    x: [...keep.map(xAt), ...back.map(xAt)],
    y: [...keep.map((i) => upper[i]!), ...back.map((i) => lower[i]!)],
    fill: "toself", fillcolor: color, opacity: 0.2, line: { width: 0, color },
  };
}

/** A dashed full-height (or full-width) line as a plotly shape, with its label as an annotation. */
function referenceLine(line: ReferenceLine, axis: "x" | "y"): { shape: Record<string, unknown>; annotation?: Record<string, unknown> } {
  if (line === null || typeof line !== "object" || !Number.isFinite(line.at)) throw new TypeError(`Expected a reference line { at: number, label? }, got ${JSON.stringify(line)}`);
  const style = { color: "#555", width: 1, dash: "dash" };
  const shape = axis === "x"
    ? { type: "line", xref: "x", yref: "paper", x0: line.at, x1: line.at, y0: 0, y1: 1, line: style }
    : { type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: line.at, y1: line.at, line: style };
  if (line.label === undefined) return { shape };
  const annotation = axis === "x"
    ? { x: line.at, xref: "x", y: 1, yref: "paper", text: line.label, showarrow: false, xanchor: "left", yanchor: "top", font: { size: 11, color: "#555" } }
    : { x: 1, xref: "paper", y: line.at, yref: "y", text: line.label, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 11, color: "#555" } };
  return { shape, annotation };
}

/**
 * Shows a line plot in the notebook.
 *
 * @example
 * linePlot([{ y: dqnReturns, name: "DQN" }, { y: randomReturns, name: "random" }],
 *          { title: "CartPole", xLabel: "episode", yLabel: "return", smoothing: 0.8 });
 */
export function linePlot(series: LineSeries | readonly LineSeries[], options: LinePlotOptions = {}): void {
  display.html(linePlotHtml(series, options));
}
