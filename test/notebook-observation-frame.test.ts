import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { frameStripHtml, observationFrame } from "../src/notebook";
import { createFrame } from "../src/core/frame";

describe("observationFrame", () => {
  it("draws a grey [H, W] observation as equal R, G and B", () => {
    const frame = observationFrame(new Uint8Array([0, 128, 255, 7]), [2, 2]);
    assert.deepEqual([frame.width, frame.height], [2, 2]);
    assert.deepEqual([...frame.data], [0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7]);
  });

  it("picks one channel of a frame stack, and scales 0/1 values with max", () => {
    // 1×2 pixels, 4 channels: pixel 0 = [10, 20, 30, 40], pixel 1 = [50, 60, 70, 80].
    const stack = new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80]);
    assert.deepEqual([...observationFrame(stack, [1, 2, 4], { channel: 3 }).data], [40, 40, 40, 80, 80, 80]);
    assert.deepEqual([...observationFrame(new Float32Array([0, 0.5]), [1, 2], { max: 1 }).data], [0, 0, 0, 128, 128, 128]);
  });

  it("colours channel-per-object views, later channels on top, black where no channel is set", () => {
    const view = new Uint8Array([1, 0, 1, /* */ 0, 1, 0, /* */ 0, 0, 0]); // 1×3 pixels, 3 channels
    const frame = observationFrame(view, [1, 3, 3], { channelColors: [[255, 0, 0], [0, 255, 0], [0, 0, 255]] });
    assert.deepEqual([...frame.data], [0, 0, 255, 0, 255, 0, 0, 0, 0]);
  });

  it("passes RGB observations through", () => {
    const rgb = new Uint8Array([1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...observationFrame(rgb, [1, 2, 3]).data], [1, 2, 3, 4, 5, 6]);
  });

  it("rejects shapes, lengths and options that do not fit, naming the problem", () => {
    assert.throws(() => observationFrame(new Uint8Array(4), [4]), /Expected an image shape \[H, W\] or \[H, W, C\] of positive integers, got \[4\]/);
    assert.throws(() => observationFrame(new Uint8Array(3), [2, 2]), /Expected an observation of 2×2×1 = 4 values for shape \[2,2\], got 3/);
    assert.throws(() => observationFrame(new Uint8Array(8), [1, 2, 4]), /Expected channel or channelColors for an observation with 4 channels/);
    assert.throws(() => observationFrame(new Uint8Array(8), [1, 2, 4], { channel: 4 }), /Expected channel to be an integer in \[0, 3\], got 4/);
    assert.throws(() => observationFrame(new Uint8Array(8), [1, 2, 4], { channelColors: [[0, 0, 0]] }), /Expected one colour per channel \(4\), got 1/);
  });
});

describe("frameStripHtml", () => {
  it("puts one captioned PNG per frame in a row, escaping captions", () => {
    const html = frameStripHtml([{ frame: createFrame(2, 2), label: "raw <210×160>" }, { frame: createFrame(4, 4), size: { scale: 2 } }], { title: "Stages", scale: 3 });
    assert.equal(html.match(/<img /g)?.length, 2);
    assert.ok(html.includes("raw &lt;210×160&gt;"));
    assert.ok(html.includes("frame 2"), "a frame without a label is numbered");
    assert.ok(html.includes('width="6"') && html.includes('width="8"'), "the strip's scale and the frame's own size both apply");
    assert.ok(html.includes("Stages"));
    assert.throws(() => frameStripHtml([]), /Expected at least one \{ frame, label \} to show, got none/);
  });
});
