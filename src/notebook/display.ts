/**
 * The one place that talks to the notebook. Everything in `src/notebook/` renders to bytes or HTML
 * strings first (pure, unit-testable) and then hands the result to a {@link DisplaySink} through
 * {@link display} or {@link newDisplay}. The sink is chosen at call time:
 *
 * - inside a tslab kernel: outputs go to the notebook through tslab's public `display` API;
 * - in plain node (unit tests, scripts, benchmarks): a console fallback that prints `text/plain` and
 *   otherwise says once per kind of output that it was not shown;
 * - tests and tools can install their own sink with {@link setDisplaySink} / {@link withDisplaySink},
 *   e.g. a {@link RecordingSink} that keeps every message for assertions.
 *
 * Why not import tslab directly everywhere: outside a kernel tslab's display functions throw
 * `Error("Not ready")`, and loading tslab pulls in its own TypeScript compiler (~0.3 s). We detect the
 * kernel by looking for tslab's already-loaded `dist/jupyter.js` in `require.cache` (the kernel loaded it
 * to run the cell), which costs nothing in plain node and finds the very tslab instance that runs the
 * kernel even if another copy of tslab is installed elsewhere.
 */
import * as path from "node:path";
import { randomBytes } from "node:crypto";

/** The payload of one output: text for text formats (HTML, SVG, plain text), bytes for binary images. */
export type DisplayData = string | Uint8Array;

/**
 * One output message as a notebook frontend receives it.
 *
 * @example
 * { mimeType: "text/html", data: "<b>hi</b>", displayId: null, update: false } // a new output
 */
export interface DisplayMessage {
  /** MIME type of `data`, e.g. `"text/html"`, `"image/png"`. */
  readonly mimeType: string;
  /** The content: a string for text formats, bytes for binary formats (a kernel base64-encodes them). */
  readonly data: DisplayData;
  /** `null` for a one-off output; otherwise the id of an output that later messages may replace. */
  readonly displayId: string | null;
  /** `true` when this message replaces the output previously sent with the same `displayId`. */
  readonly update: boolean;
}

/**
 * Where outputs go. Implement this to capture outputs (tests, page builders) and install it with
 * {@link setDisplaySink}.
 */
export interface DisplaySink {
  /**
   * `true` when outputs reach a notebook (or a test pretending to be one); `false` for fallbacks.
   * Callers use it to skip rendering that nobody will see and to pick a console-friendly alternative
   * (e.g. `LiveProgress` prints a line to stderr instead).
   */
  readonly isNotebook: boolean;
  /** Delivers one message. */
  send(message: DisplayMessage): void;
}

/**
 * The subset of tslab's public module this file uses (`import * as tslab from "tslab"`).
 * Declared here so the library compiles and runs without loading tslab.
 */
export interface TslabModule {
  /** Adds a new output per call. */
  readonly display: { raw(contentType: string, data: DisplayData): unknown };
  /** Returns a display whose later calls replace its first output. */
  newDisplay(): { raw(contentType: string, data: DisplayData): unknown };
}

/** Options of {@link createTslabSink}: the safety-net rate limit (see there). */
export interface TslabSinkOptions {
  /** Messages that may go out back to back; default 200. */
  readonly burst?: number;
  /** Sustained messages per second once the burst is used up; default 20. */
  readonly perSecond?: number;
  /** Clock in ms; default `Date.now`. */
  readonly now?: () => number;
  /** Where the "outputs dropped" note goes; default stderr (which tslab shows in the cell). */
  readonly warn?: (text: string) => void;
  /** Schedules a retry of held-back updates; default `setTimeout`. */
  readonly schedule?: (fn: () => void, ms: number) => void;
}

/**
 * A sink that sends outputs to a running tslab kernel.
 *
 * Updatable outputs map to one `tslab.newDisplay()` each: tslab itself tracks whether a display was shown
 * already and sends `update_display_data` for the later messages, which is what makes an output change in
 * place instead of piling up below the cell.
 *
 * It also rate-limits, as a safety net: tslab loses output and can wedge after ~500 rapid messages
 * (e.g. `showFrame` in a loop of 1000 steps). Past a burst of `burst` messages, at most `perSecond`
 * go out; further one-off outputs are dropped with one note per burst on stderr saying how to do it
 * instead, and further updates of an updatable output are held back, the latest one sent when the rate
 * allows (so a progress display still ends in its final state).
 *
 * @param tslab the tslab module of the running kernel (`import * as tslab from "tslab"`).
 * @returns a sink with `isNotebook === true`.
 * @example
 * import * as tslab from "tslab";
 * setDisplaySink(createTslabSink(tslab)); // only needed if automatic detection fails
 */
export function createTslabSink(tslab: TslabModule, options: TslabSinkOptions = {}): DisplaySink {
  if (tslab === null || typeof tslab !== "object" || typeof tslab.newDisplay !== "function" || tslab.display == null) {
    throw new TypeError(`Expected the tslab module (with display and newDisplay), got ${describe(tslab)}`);
  }
  const burst = options.burst ?? 200;
  const perSecond = options.perSecond ?? 20;
  if (!(burst >= 1)) throw new RangeError(`Expected burst ≥ 1, got ${burst}`);
  if (!(perSecond > 0)) throw new RangeError(`Expected perSecond > 0, got ${perSecond}`);
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((text: string) => void process.stderr.write(text));
  const schedule = options.schedule ?? ((fn: () => void, ms: number) => void setTimeout(fn, ms));
  // One tslab display per updatable output. Insertion-ordered, so when it grows past the cap the oldest
  // (long finished) progress bars are forgotten first; forgetting only means a further update would
  // start a new output, which nothing does for old handles.
  const handles = new Map<string, { raw(contentType: string, data: DisplayData): unknown }>();
  const maxHandles = 1000;
  let tokens = burst;
  let refilled = now();
  let dropped = 0;
  const held = new Map<string, DisplayMessage>(); // latest held-back update per display id
  let retryScheduled = false;

  const take = (): boolean => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - refilled) / 1000) * perSecond);
    refilled = t;
    if (tokens < 1) return false;
    tokens -= 1;
    if (dropped > 0 && tokens >= burst / 2) dropped = 0; // the flood is over: a later one warns again
    return true;
  };
  const deliver = (message: DisplayMessage): void => {
    if (message.displayId === null) {
      tslab.display.raw(message.mimeType, message.data);
      return;
    }
    let handle = handles.get(message.displayId);
    if (handle === undefined) {
      handle = tslab.newDisplay();
      handles.set(message.displayId, handle);
      if (handles.size > maxHandles) handles.delete(handles.keys().next().value as string);
    }
    handle.raw(message.mimeType, message.data);
  };
  const flushHeld = (): void => {
    retryScheduled = false;
    for (const [id, message] of held) {
      if (!take()) break;
      held.delete(id);
      deliver(message);
    }
    if (held.size > 0) scheduleRetry();
  };
  const scheduleRetry = (): void => {
    if (retryScheduled) return;
    retryScheduled = true;
    schedule(flushHeld, Math.ceil(1000 / perSecond));
  };
  return {
    isNotebook: true,
    send(message: DisplayMessage): void {
      if (message.displayId !== null && held.has(message.displayId)) {
        held.set(message.displayId, message); // keep only the latest; order with earlier ones is kept
        return;
      }
      if (take()) {
        deliver(message);
        return;
      }
      if (message.displayId !== null) {
        held.set(message.displayId, message);
        scheduleRetry();
        return;
      }
      if (dropped++ === 0) {
        warn(
          `[rl-workbook] Too many outputs in a row: dropping some (more than ${burst} rapid messages can wedge the ` +
            `tslab kernel). Show sequences with showAnimation, progress with LiveProgress, or fewer outputs.\n`,
        );
      }
    },
  };
}

/**
 * A sink for plain node: `text/plain` goes to stdout; every other kind of output is dropped with a
 * one-line note on stderr the first time that kind is seen (not on every call: a script that shows a
 * frame per step should not flood the terminal).
 *
 * @param write where notes and text go; defaults to stdout for text and stderr for notes.
 * @returns a sink with `isNotebook === false`.
 */
export function createConsoleSink(write?: { out(text: string): void; err(text: string): void }): DisplaySink {
  const out = write?.out ?? ((text: string) => void process.stdout.write(text));
  const err = write?.err ?? ((text: string) => void process.stderr.write(text));
  const noted = new Set<string>();
  return {
    isNotebook: false,
    send(message: DisplayMessage): void {
      if (message.mimeType === "text/plain" && typeof message.data === "string") {
        out(message.data.endsWith("\n") ? message.data : message.data + "\n");
        return;
      }
      if (noted.has(message.mimeType)) return;
      noted.add(message.mimeType);
      err(
        `[rl-workbook] ${message.mimeType} output (${formatBytes(byteLength(message.data))}) not shown: ` +
          `not running in a Jupyter kernel (further ${message.mimeType} outputs are dropped silently)\n`,
      );
    },
  };
}

/**
 * A sink that keeps every message, for tests and for building pages outside a kernel.
 *
 * @example
 * const sink = new RecordingSink();
 * withDisplaySink(sink, () => showFrame(frame));
 * sink.messages[0].mimeType  //=> "image/png"
 */
export class RecordingSink implements DisplaySink {
  /** Every message received, in order. */
  readonly messages: DisplayMessage[] = [];

  /** @param isNotebook what {@link DisplaySink.isNotebook} reports; `true` by default (pretend to be a notebook). */
  constructor(readonly isNotebook = true) {}

  /** Records `message`. */
  send(message: DisplayMessage): void {
    this.messages.push(message);
  }

  /**
   * The outputs a notebook would show at the end: updates replace the output with the same display id in
   * place, one-off outputs stay in order.
   */
  finalOutputs(): DisplayMessage[] {
    const outputs: DisplayMessage[] = [];
    const slot = new Map<string, number>();
    for (const message of this.messages) {
      const at = message.displayId === null ? undefined : slot.get(message.displayId);
      if (at !== undefined && message.update) {
        outputs[at] = message;
      } else {
        if (message.displayId !== null) slot.set(message.displayId, outputs.length);
        outputs.push(message);
      }
    }
    return outputs;
  }

  /** Forgets all messages. */
  clear(): void {
    this.messages.length = 0;
  }
}

/**
 * Something that shows outputs. {@link display} adds a new output per call; a display from
 * {@link newDisplay} replaces its previous output each time.
 */
export interface Display {
  /** Shows an HTML fragment (`text/html`). */
  html(html: string): void;
  /** Shows PNG bytes (`image/png`). */
  png(bytes: Uint8Array): void;
  /** Shows an SVG document or fragment (`image/svg+xml`). */
  svg(svg: string): void;
  /** Shows plain text (`text/plain`). */
  text(text: string): void;
  /** Shows `data` under any MIME type. */
  raw(mimeType: string, data: DisplayData): void;
}

/** A {@link Display} whose outputs replace each other in place; `id` identifies it in {@link DisplayMessage}s. */
export interface UpdatableDisplay extends Display {
  /** The display id its messages carry. */
  readonly id: string;
}

let override: DisplaySink | null = null;
// One sink per tslab instance, so the map of updatable outputs inside it lives as long as the kernel.
const kernelSinks = new WeakMap<TslabModule, DisplaySink>();
let consoleSink: DisplaySink | null = null;
let idCounter = 0;

/**
 * The sink outputs go to right now: the one installed with {@link setDisplaySink} if any, else the
 * tslab kernel's if this process is a tslab kernel, else the console fallback.
 */
export function getDisplaySink(): DisplaySink {
  if (override !== null) return override;
  // Looked up on every call rather than decided once: the scan costs microseconds (outputs are
  // throttled or rare), and it stays right if the kernel's tslab is reloaded or a test fakes one.
  const tslab = findKernelTslab();
  if (tslab !== null) {
    let sink = kernelSinks.get(tslab);
    if (sink === undefined) {
      sink = createTslabSink(tslab);
      kernelSinks.set(tslab, sink);
    }
    return sink;
  }
  consoleSink ??= createConsoleSink(); // reused so its "noted once" memory persists
  return consoleSink;
}

/**
 * Installs `sink` for all later outputs (`null` restores automatic choice).
 *
 * @returns the previously installed sink (or `null`), so callers can restore it.
 * @example
 * const previous = setDisplaySink(new RecordingSink());
 * try { ... } finally { setDisplaySink(previous); }
 */
export function setDisplaySink(sink: DisplaySink | null): DisplaySink | null {
  if (sink !== null && (typeof sink !== "object" || typeof sink.send !== "function")) {
    throw new TypeError(`Expected a DisplaySink with a send(message) method or null, got ${describe(sink)}`);
  }
  const previous = override;
  override = sink;
  return previous;
}

/**
 * Runs `fn` with `sink` installed and restores the previous sink afterwards, also when `fn` throws or
 * (if it returns a promise) when that promise settles.
 *
 * @returns what `fn` returns.
 * @example
 * const sink = new RecordingSink();
 * withDisplaySink(sink, () => showTable(rows));
 */
export function withDisplaySink<T>(sink: DisplaySink, fn: () => T): T {
  const previous = setDisplaySink(sink);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    setDisplaySink(previous);
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => setDisplaySink(previous)) as T;
  }
  setDisplaySink(previous);
  return result;
}

/** `true` when outputs currently reach a notebook (see {@link DisplaySink.isNotebook}). */
export function inNotebook(): boolean {
  return getDisplaySink().isNotebook;
}

function makeDisplay(send: (mimeType: string, data: DisplayData) => void): Display {
  return {
    html: (html) => send("text/html", checkString(html, "html")),
    png: (bytes) => send("image/png", checkBytes(bytes, "png")),
    svg: (svg) => send("image/svg+xml", checkString(svg, "svg")),
    text: (text) => send("text/plain", checkString(text, "text")),
    raw: (mimeType, data) => {
      if (typeof mimeType !== "string" || !mimeType.includes("/")) {
        throw new TypeError(`Expected a MIME type like "text/html", got ${describe(mimeType)}`);
      }
      if (typeof data !== "string" && !(data instanceof Uint8Array)) {
        throw new TypeError(`Expected display data to be a string or Uint8Array, got ${describe(data)}`);
      }
      send(mimeType, data);
    },
  };
}

/**
 * Adds a new output below the running cell each call.
 *
 * @example
 * display.html("<b>done</b>");
 */
export const display: Display = makeDisplay((mimeType, data) =>
  getDisplaySink().send({ mimeType, data, displayId: null, update: false }),
);

/**
 * Returns a display whose first call adds an output and whose later calls replace that output in place
 * (Jupyter `update_display_data`), e.g. for progress bars.
 *
 * @param sink where its messages go; by default the current sink, looked up on every call.
 * @example
 * const status = newDisplay();
 * status.text("starting");
 * status.text("half way");   // replaces "starting"
 */
export function newDisplay(sink?: DisplaySink): UpdatableDisplay {
  if (sink !== undefined && (sink === null || typeof sink !== "object" || typeof sink.send !== "function")) {
    throw new TypeError(`Expected a DisplaySink with a send(message) method, got ${describe(sink)}`);
  }
  const id = `rlwb-${randomBytes(6).toString("hex")}-${++idCounter}`;
  let shown = false;
  const inner = makeDisplay((mimeType, data) => {
    const update = shown;
    shown = true;
    (sink ?? getDisplaySink()).send({ mimeType, data, displayId: id, update });
  });
  return { ...inner, id };
}

/**
 * Finds the tslab instance running this process as a kernel, or `null`.
 * A kernel has loaded `tslab/dist/jupyter.js` and set its `lastWriteDisplayData` hook before running any
 * cell; plain node never has.
 */
function findKernelTslab(): TslabModule | null {
  const suffix = path.join("tslab", "dist", "jupyter.js");
  const cache = require.cache;
  for (const file of Object.keys(cache)) {
    if (!file.endsWith(suffix)) continue;
    const jupyter = cache[file]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (jupyter == null || jupyter.lastWriteDisplayData == null) continue;
    const publicFile = path.join(path.dirname(file), "public.js");
    try {
      const tslab = (cache[publicFile]?.exports ?? require(publicFile)) as TslabModule;
      if (typeof tslab.newDisplay === "function" && tslab.display != null) return tslab;
    } catch {
      // A half-installed tslab: keep looking, fall back to the console if nothing else is found.
    }
  }
  return null;
}

function checkString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new TypeError(`Expected ${what} to be a string, got ${describe(value)}`);
  return value;
}

function checkBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`Expected ${what} bytes as a Uint8Array, got ${describe(value)}`);
  return value;
}

function byteLength(data: DisplayData): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.length;
}

/** Formats a byte count for messages, e.g. `"12.3 kB"`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** A short description of a value for error messages: its type, and its value when small. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return tag === "Object" ? `an object with keys [${Object.keys(value as object).slice(0, 8).join(", ")}]` : `a ${tag}`;
}
