import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  createConsoleSink,
  createTslabSink,
  display,
  getDisplaySink,
  inNotebook,
  newDisplay,
  RecordingSink,
  setDisplaySink,
  withDisplaySink,
  type DisplayData,
  type TslabModule,
} from "../src/notebook/display";

describe("display", () => {
  it("falls back to a console sink in plain node, where tslab's own display would throw", () => {
    assert.equal(inNotebook(), false);
    assert.equal(getDisplaySink().isNotebook, false);
  });

  it("prints text and notes other outputs once per kind on the console", () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = createConsoleSink({ out: (t) => out.push(t), err: (t) => err.push(t) });
    withDisplaySink(sink, () => {
      display.text("hello");
      display.html("<b>x</b>");
      display.html("<b>y</b>");
      display.png(new Uint8Array(10));
    });
    assert.deepEqual(out, ["hello\n"]);
    assert.equal(err.length, 2);
    assert.match(err[0]!, /text\/html output \(8 B\) not shown: not running in a Jupyter kernel/);
  });

  it("records messages and collapses updates of one display into its latest output", () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => {
      display.html("<p>first</p>");
      const status = newDisplay();
      status.text("0%");
      display.text("between");
      status.text("50%");
      status.html("<b>100%</b>");
    });
    assert.deepEqual(
      sink.messages.map((m) => [m.mimeType, m.update]),
      [["text/html", false], ["text/plain", false], ["text/plain", false], ["text/plain", true], ["text/html", true]],
    );
    assert.deepEqual(sink.finalOutputs().map((m) => m.data), ["<p>first</p>", "<b>100%</b>", "between"]);
  });

  it("restores the previous sink after withDisplaySink, also when the function throws or a promise settles", async () => {
    const outer = new RecordingSink();
    const previous = setDisplaySink(outer);
    try {
      assert.throws(() => withDisplaySink(new RecordingSink(), () => { throw new Error("boom"); }), /boom/);
      assert.equal(getDisplaySink(), outer);
      const inner = new RecordingSink();
      const pending = withDisplaySink(inner, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        assert.equal(getDisplaySink(), inner);
      });
      await pending;
      assert.equal(getDisplaySink(), outer);
    } finally {
      setDisplaySink(previous);
    }
  });

  it("sends one-off outputs through tslab.display and each updatable output through its own tslab.newDisplay", () => {
    const calls: string[] = [];
    let displays = 0;
    const fake: TslabModule = {
      display: { raw: (type: string, data: DisplayData) => calls.push(`display ${type} ${String(data)}`) },
      newDisplay: () => {
        const n = ++displays;
        return { raw: (type: string, data: DisplayData) => calls.push(`new#${n} ${type} ${String(data)}`) };
      },
    };
    const sink = createTslabSink(fake);
    withDisplaySink(sink, () => {
      display.text("a");
      const one = newDisplay();
      const two = newDisplay();
      one.text("b");
      two.text("c");
      one.text("d");
    });
    assert.deepEqual(calls, ["display text/plain a", "new#1 text/plain b", "new#2 text/plain c", "new#1 text/plain d"]);
    assert.throws(() => createTslabSink({} as TslabModule), /Expected the tslab module \(with display and newDisplay\), got an object with keys \[\]/);
  });

  it("rate-limits floods to tslab: drops one-off outputs with one note, and holds updates back to send only the latest", () => {
    const calls: string[] = [];
    const warnings: string[] = [];
    const scheduled: (() => void)[] = [];
    let t = 0;
    const fake: TslabModule = {
      display: { raw: (_type: string, data: DisplayData) => calls.push(`display ${String(data)}`) },
      newDisplay: () => ({ raw: (_type: string, data: DisplayData) => calls.push(`updatable ${String(data)}`) }),
    };
    const sink = createTslabSink(fake, { burst: 3, perSecond: 10, now: () => t, warn: (w) => warnings.push(w), schedule: (fn) => scheduled.push(fn) });
    withDisplaySink(sink, () => {
      for (let i = 0; i < 5; i++) display.text(`frame ${i}`);
      const status = newDisplay();
      for (let i = 0; i < 4; i++) status.text(`${i * 25}%`);
    });
    assert.deepEqual(calls, ["display frame 0", "display frame 1", "display frame 2"]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Too many outputs in a row: dropping some/);
    assert.equal(scheduled.length, 1, "Expected one retry scheduled for the held-back updates");
    t = 1000;
    scheduled[0]!();
    assert.deepEqual(calls.slice(3), ["updatable 75%"]);
  });

  it("detects a running tslab kernel from its loaded jupyter module and uses that tslab instance", () => {
    const dir = path.join(path.sep, "fake", "node_modules", "tslab", "dist");
    const shown: string[] = [];
    const fake: TslabModule = {
      display: { raw: (type: string) => shown.push(type) },
      newDisplay: () => ({ raw: (type: string) => shown.push(`updatable ${type}`) }),
    };
    const jupyterFile = path.join(dir, "jupyter.js");
    const publicFile = path.join(dir, "public.js");
    const fakeModule = (exports: unknown): NodeJS.Module => ({ exports, id: "", filename: "", loaded: true, children: [], paths: [] }) as unknown as NodeJS.Module;
    require.cache[jupyterFile] = fakeModule({ lastWriteDisplayData: null });
    require.cache[publicFile] = fakeModule(fake);
    try {
      assert.equal(inNotebook(), false, "Expected no kernel before the kernel has run a cell");
      (require.cache[jupyterFile]!.exports as { lastWriteDisplayData: unknown }).lastWriteDisplayData = () => {};
      assert.equal(inNotebook(), true);
      display.svg("<svg/>");
      newDisplay().text("x");
      assert.deepEqual(shown, ["image/svg+xml", "updatable text/plain"]);
    } finally {
      delete require.cache[jupyterFile];
      delete require.cache[publicFile];
    }
    assert.equal(inNotebook(), false);
  });

  it("rejects wrong payloads with messages that name the problem", () => {
    withDisplaySink(new RecordingSink(), () => {
      assert.throws(() => display.png("not bytes" as unknown as Uint8Array), /Expected png bytes as a Uint8Array, got "not bytes"/);
      assert.throws(() => display.raw("html", "x"), /Expected a MIME type like "text\/html", got "html"/);
    });
    assert.throws(() => setDisplaySink({} as RecordingSink), /Expected a DisplaySink with a send\(message\) method or null/);
  });
});
