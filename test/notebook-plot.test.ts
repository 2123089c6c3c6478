import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RecordingSink, withDisplaySink } from "../src/notebook/display";
import { linePlot, linePlotHtml, plotHtml, plotlySession, PlotlySession, plotlySource, resetPlotly, smoothSeries } from "../src/notebook/plot";
import { studentT975, summarizeSeeds } from "../src/notebook/seed-summary";

/** How many times the plotly bundle's text occurs in `html`. */
function embeddedCopies(html: string): number {
  const marker = plotlySource().slice(0, 200);
  return html.split(marker).length - 1;
}

const noRemoteScripts = /<script[^>]*\ssrc\s*=\s*["']?(https?:)?\/\//i;

describe("plotly plots", () => {
  it("embeds the plotly source exactly once across two plots of a session, in the first only", () => {
    const session = new PlotlySession();
    const first = plotHtml([{ type: "scatter", y: [1, 2, 3] }], {}, { session });
    const second = plotHtml([{ type: "bar", x: ["a", "b"], y: [3, 4] }], {}, { session });
    assert.equal(embeddedCopies(first), 1);
    assert.equal(embeddedCopies(second), 0);
    assert.ok(first.includes(plotlySource()), "Expected the whole bundle, unmodified");
    assert.ok(second.length < 5000, `Expected the second plot to be small, got ${second.length} characters`);
    assert.doesNotMatch(first + second, noRemoteScripts);
  });

  it("wraps the bundle so a require.js define on the page cannot capture it", () => {
    const html = plotHtml([{ y: [1] }], {}, { session: new PlotlySession() });
    assert.match(html, /\(function \(define, module, exports, require\) \{\n/);
    assert.match(html, /\}\)\.call\(window\);/);
  });

  it("re-embeds on request or after a reset, and never with embedPlotly: false", () => {
    const session = new PlotlySession();
    assert.equal(embeddedCopies(plotHtml([{ y: [1] }], {}, { session, embedPlotly: false })), 0);
    assert.equal(session.embedded, false);
    assert.equal(embeddedCopies(plotHtml([{ y: [1] }], {}, { session })), 1);
    assert.equal(embeddedCopies(plotHtml([{ y: [1] }], {}, { session, embedPlotly: true })), 1);
    assert.equal(embeddedCopies(plotHtml([{ y: [1] }], {}, { session })), 0);
    session.reset();
    assert.equal(embeddedCopies(plotHtml([{ y: [1] }], {}, { session })), 1);
  });

  it("gives each plot a unique div id that its script draws into, waiting for plotly and explaining if it never comes", () => {
    const session = new PlotlySession();
    session.embedded = true;
    const ids = [0, 1, 2].map(() => /<div id="([^"]+)" class="rlwb-plot"/.exec(plotHtml([{ y: [1] }], {}, { session }))![1]!);
    assert.equal(new Set(ids).size, 3);
    const html = plotHtml([{ y: [1] }], {}, { session });
    const id = /<div id="([^"]+)"/.exec(html)![1]!;
    assert.ok(html.includes(`var id = "${id}";`));
    assert.match(html, /addEventListener\("rlwb:plotly-ready", draw\)/);
    assert.match(html, /Waiting for plotly\.js to draw this plot/);
  });

  it("serialises typed arrays as arrays, rounds floats to 7 digits and escapes </script> in data", () => {
    const session = new PlotlySession();
    session.embedded = true;
    const html = plotHtml([{ y: new Float32Array([0.1, 2]), name: "</script><script>alert(1)</script>" }], {}, { session });
    assert.ok(html.includes('"y":[0.1,2]'), "Expected a plain array of rounded numbers");
    assert.equal(html.split("</script>").length - 1, 1, "Expected only the plot's own closing </script>");
    assert.ok(html.includes("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"));
  });

  it("makes line plots with axis labels, a title and optional smoothing", () => {
    const session = new PlotlySession();
    session.embedded = true;
    const html = linePlotHtml([{ y: [1, 2, 3], name: "DQN" }, { y: [3, 2, 1], x: [10, 20, 30], name: "random" }], {
      title: "Returns",
      xLabel: "episode",
      yLabel: "return",
      smoothing: 0.5,
      session,
    });
    const spec = JSON.parse(/var spec = (.*);\n/.exec(html)![1]!) as { data: { name: string; showlegend?: boolean }[]; layout: Record<string, { text?: string; title?: { text: string } }> };
    assert.deepEqual(spec.data.map((t) => t.name), ["DQN (raw)", "DQN", "random (raw)", "random"]);
    assert.equal(spec.layout["title"]!.text, "Returns");
    assert.equal(spec.layout["xaxis"]!.title!.text, "episode");
    assert.equal(spec.layout["yaxis"]!.title!.text, "return");
    assert.throws(() => linePlotHtml([{ y: [1, 2], x: [1] }], { session }), /Expected x and y of series "series 1" to have the same length, got 1 and 2/);
    assert.throws(() => linePlotHtml([{ y: [1] }], { smoothing: 1, session }), /Expected smoothing in \[0, 1\), got 1/);
  });

  it("draws a band as a filled polygon behind its line, skipping non-finite points, and reference lines as dashed shapes", () => {
    const session = new PlotlySession();
    session.embedded = true;
    const html = linePlotHtml([{ y: [1, 2, 3], x: [10, 20, 30], name: "DQN", band: { lower: [0, NaN, 2], upper: [2, NaN, 4] } }], {
      vLines: [{ at: 20, label: "time limit" }],
      hLines: [{ at: 100 }],
      session,
    });
    const spec = JSON.parse(/var spec = (.*);\n/.exec(html)![1]!) as { data: { name: string; x: number[]; y: number[]; fill?: string }[]; layout: { shapes: { x0: number; y0: number }[]; annotations: { text: string }[] } };
    assert.deepEqual(spec.data.map((t) => t.name), ["DQN (band)", "DQN"]);
    assert.equal(spec.data[0]!.fill, "toself");
    assert.deepEqual(spec.data[0]!.x, [10, 30, 30, 10]);
    assert.deepEqual(spec.data[0]!.y, [2, 4, 2, 0]);
    assert.deepEqual(spec.layout.shapes.map((s) => [s.x0, s.y0]), [[20, 0], [0, 100]]);
    assert.deepEqual(spec.layout.annotations.map((a) => a.text), ["time limit"]);
    assert.throws(() => linePlotHtml([{ y: [1, 2], band: { lower: [0], upper: [2, 3] } }], { session }), /Expected band.lower and band.upper of series "series 1" to have y's length 2, got 1 and 2/);
    assert.throws(() => linePlotHtml([{ y: [1] }], { vLines: [{ at: NaN }], session }), /Expected a reference line/);
  });

  it("summarizes seeds as mean with a Student-t 95 % interval, a standard deviation or the range, over ragged curves", () => {
    const ci = summarizeSeeds([[1, 10], [3], [5, 20]]);
    assert.deepEqual(ci.count, [3, 2]);
    assert.deepEqual(ci.mean, [3, 15]);
    // Three seeds: s = 2, t(0.975, 2) = 4.303, half-width 4.303 · 2 / √3.
    assert.ok(Math.abs(ci.upper[0]! - (3 + (4.303 * 2) / Math.sqrt(3))) < 1e-9);
    const sd = summarizeSeeds([[1], [3], [5]], { interval: "std" });
    assert.deepEqual([sd.lower[0], sd.upper[0]], [1, 5]);
    const range = summarizeSeeds([[1, NaN], [5, 7]], { interval: "minmax" });
    assert.deepEqual([range.lower, range.upper, range.count], [[1, 7], [5, 7], [2, 1]]);
    assert.deepEqual(summarizeSeeds([[4]]).lower, [4], "one seed: the band collapses to the mean");
    assert.equal(studentT975(4), 2.776);
    assert.equal(studentT975(100), 1.96);
    assert.throws(() => summarizeSeeds([]), /Expected at least one curve/);
    assert.throws(() => summarizeSeeds([[1]], { interval: "iqr" as never }), /Expected interval "ci95", "std" or "minmax", got "iqr"/);
  });

  it("smooths like TensorBoard: debiased, constant series unchanged, gaps for non-finite values", () => {
    assert.deepEqual(smoothSeries([5, 5, 5], 0.9), [5, 5, 5]);
    const s = smoothSeries([0, 10, NaN, 10], 0.5);
    assert.equal(s[0], 0);
    assert.ok(Math.abs(s[1]! - 20 / 3) < 1e-9);
    assert.ok(Number.isNaN(s[2]!));
  });

  it("shows plots as text/html outputs, embedding plotly in the first one of the default session", () => {
    resetPlotly();
    const sink = new RecordingSink();
    withDisplaySink(sink, () => {
      linePlot({ y: [1, 2] });
      linePlot({ y: [2, 1] });
    });
    assert.deepEqual(sink.messages.map((m) => m.mimeType), ["text/html", "text/html"]);
    assert.equal(embeddedCopies(sink.messages[0]!.data as string), 1);
    assert.equal(embeddedCopies(sink.messages[1]!.data as string), 0);
    assert.equal(plotlySession.embedded, true);
    resetPlotly();
    assert.equal(plotlySession.embedded, false);
  });
});
