import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RecordingSink } from "../src/notebook/display";
import { formatDuration, LiveProgress } from "../src/notebook/progress";
import { sparklineSvg } from "../src/notebook/sparkline";

describe("live progress", () => {
  it("sends only a handful of in-place updates for 10,000 updates in a tight loop, and always the final state", () => {
    const sink = new RecordingSink();
    let t = 0;
    const progress = new LiveProgress({ total: 10_000, label: "train", sink, now: () => t });
    for (let step = 1; step <= 10_000; step++) {
      t += 0.1; // 10,000 updates over one simulated second
      progress.update(step, { metrics: { return: step % 200, loss: 1 / step } });
    }
    progress.done();
    // At most one per 400 ms over 1 s (t = 0.1, 400.1, 800.1) plus the final one.
    assert.equal(sink.messages.length, 4);
    assert.equal(progress.renders, 4);
    assert.equal(new Set(sink.messages.map((m) => m.displayId)).size, 1, "Expected one display updated in place");
    assert.deepEqual(sink.messages.map((m) => m.update), [false, true, true, true]);
    const last = sink.messages[3]!.data as string;
    assert.match(last, /10,000 \/ 10,000 steps · 100\.0% · 10,000 steps\/s · done in 0:01/);
    assert.match(last, /<svg [^>]*aria-label="return"/);
    assert.match(last, /loss 1\.00e-4/);
  });

  it("throttles by the real clock by default: a fast loop produces a first and a final update", () => {
    const sink = new RecordingSink();
    const progress = new LiveProgress({ total: 10_000, sink });
    for (let step = 1; step <= 10_000; step++) progress.update(step);
    progress.done();
    assert.ok(sink.messages.length <= 3, `Expected at most 3 messages, got ${sink.messages.length}`);
    assert.ok(sink.finalOutputs().length === 1);
  });

  it("shows speed and ETA while running and ignores updates after done", () => {
    const sink = new RecordingSink();
    let t = 0;
    const progress = new LiveProgress({ total: 1000, label: "A<B>", sink, now: () => t, intervalMs: 0 });
    t = 2000;
    progress.update(250);
    const html = sink.messages[0]!.data as string;
    assert.match(html, /<b>A&lt;B&gt;<\/b> · 250 \/ 1,000 steps · 25\.0% · 125 steps\/s · elapsed 0:02 · ETA 0:06/);
    assert.match(progress.line(), /^A<B>: 250 \/ 1,000 steps \(25\.0%\) 125 steps\/s elapsed 0:02 ETA 0:06$/);
    progress.done();
    progress.update(500);
    assert.equal(sink.messages.length, 2);
  });

  it("prints a throttled plain line instead when not in a notebook", () => {
    const lines: string[] = [];
    let t = 0;
    const progress = new LiveProgress({ total: 100, sink: new RecordingSink(false), now: () => t, write: (s) => lines.push(s) });
    for (let step = 1; step <= 100; step++) {
      t += 100; // 10 s in total; a line at most every 2 s
      progress.update(step, { metrics: { return: step } });
    }
    progress.done();
    assert.equal(lines.length, 6);
    assert.match(lines[5]!, /^100 \/ 100 steps \(100\.0%\) 10\.0 steps\/s done in 0:10 return=100\n$/);
  });

  it("keeps a bounded chart history, uniform over the whole run, however many metric values arrive", () => {
    const sink = new RecordingSink();
    const progress = new LiveProgress({ sink, historySize: 8, now: () => 0 });
    for (let i = 0; i < 1000; i++) progress.update(i, { metrics: { return: i } });
    progress.done();
    const html = sink.messages.at(-1)!.data as string;
    const points = /<path d="([^"]+)"/.exec(html)![1]!.split(/[ML]/).filter(Boolean).map((p) => p.split(" ").map(Number) as [number, number]);
    assert.ok(points.length <= 17, `Expected at most 2 × historySize + 1 points, got ${points.length}`);
    // A linear metric must draw a straight line: each point averages equally many values.
    const [x0, y0] = points[0]!;
    const [x1, y1] = points.at(-2)!; // the last point is the partial bucket
    for (const [x, y] of points.slice(0, -1)) assert.ok(Math.abs(y - (y0 + ((y1 - y0) * (x - x0)) / (x1 - x0))) < 0.5, `Expected (${x}, ${y}) on the line`);
    assert.match(html, /\(min 0, max 999\)/);
  });

  it("validates its options and steps", () => {
    assert.throws(() => new LiveProgress({ total: 0, sink: new RecordingSink() }), /Expected total > 0, got 0/);
    const progress = new LiveProgress({ sink: new RecordingSink() });
    assert.throws(() => progress.update(NaN), /Expected step to be a finite number, got NaN/);
  });
});

describe("sparklines and durations", () => {
  it("draws a path scaled to the box with a dot on the last value and gaps for non-finite values", () => {
    const svg = sparklineSvg([0, 10, NaN, 5], { width: 40, height: 20 });
    assert.match(svg, /^<svg width="40" height="20"/);
    assert.match(svg, /d="M2 18L14 2M38 10"/);
    assert.match(svg, /<circle cx="38" cy="10"/);
    assert.equal(sparklineSvg([]), '<svg width="160" height="32" viewBox="0 0 160 32" role="img" aria-label="sparkline" style="vertical-align:middle"></svg>');
  });

  it("formats durations as m:ss or h:mm:ss", () => {
    assert.equal(formatDuration(75), "1:15");
    assert.equal(formatDuration(3725), "1:02:05");
    assert.equal(formatDuration(Infinity), "?");
  });
});
