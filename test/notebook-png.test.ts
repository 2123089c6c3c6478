import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCanvas, loadImage } from "canvas";
import type { RgbFrame } from "../src/core/frame";
import { RecordingSink, withDisplaySink } from "../src/notebook/display";
import { frameHtml, framePng, showFrame } from "../src/notebook/png";
import { scaleFrame, scaledSize } from "../src/notebook/scale";

/** A 3×2 frame with six distinct colours: red, green, blue / white, black, grey. */
function sixColours(): RgbFrame {
  return { width: 3, height: 2, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]) };
}

async function decodePng(png: Uint8Array): Promise<{ width: number; height: number; pixel: (x: number, y: number) => number[] }> {
  const image = await loadImage(Buffer.from(png));
  const ctx = createCanvas(image.width, image.height).getContext("2d");
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    pixel: (x, y) => Array.from(rgba.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)),
  };
}

describe("frames as PNG", () => {
  it("encodes a PNG of the scaled size whose pixels are exact nearest-neighbour blocks of the frame", async () => {
    const png = framePng(sixColours(), { scale: 4 });
    assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
    const image = await decodePng(png);
    assert.equal(image.width, 12);
    assert.equal(image.height, 8);
    assert.deepEqual(image.pixel(0, 0), [255, 0, 0, 255]);
    assert.deepEqual(image.pixel(3, 3), [255, 0, 0, 255]);
    assert.deepEqual(image.pixel(4, 0), [0, 255, 0, 255]);
    assert.deepEqual(image.pixel(11, 0), [0, 0, 255, 255]);
    assert.deepEqual(image.pixel(0, 4), [255, 255, 255, 255]);
    assert.deepEqual(image.pixel(7, 7), [0, 0, 0, 255]);
    assert.deepEqual(image.pixel(11, 7), [128, 128, 128, 255]);
  });

  it("fits a frame to a target width, keeping the aspect ratio", async () => {
    const image = await decodePng(framePng(sixColours(), { fitWidth: 30 }));
    assert.equal(image.width, 30);
    assert.equal(image.height, 20);
    assert.deepEqual(image.pixel(29, 19), [128, 128, 128, 255]);
    assert.deepEqual(scaledSize({ width: 600, height: 400 }, { fitWidth: 300 }), { width: 300, height: 200 });
  });

  it("downscales with nearest neighbour, picking pixels rather than blending them", () => {
    const frame: RgbFrame = { width: 4, height: 1, data: new Uint8Array([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]) };
    assert.deepEqual(Array.from(scaleFrame(frame, { fitWidth: 2 }).data), [20, 20, 20, 40, 40, 40]);
    assert.equal(scaleFrame(frame), frame);
  });

  it("rejects malformed frames and bad sizes with messages that name the problem", () => {
    assert.throws(() => framePng({ width: 2, height: 2, data: new Uint8Array(5) }), /Expected frame\.data to hold 2×2×3 = 12 bytes, got 5/);
    assert.throws(() => framePng({ width: 0, height: 2, data: new Uint8Array(0) }), /Expected frame to have a positive integer width and height, got 0×2/);
    assert.throws(() => framePng(sixColours(), { scale: 0 }), /Expected scale to be a positive integer, got 0/);
    assert.throws(() => framePng(sixColours(), { scale: 2, fitWidth: 10 }), /Expected at most one of scale and fitWidth/);
  });

  it("shows a frame as one image/png output and builds an <img> with a data URI for pages", async () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => showFrame(sixColours(), { scale: 2 }));
    assert.equal(sink.messages.length, 1);
    assert.equal(sink.messages[0]!.mimeType, "image/png");
    const image = await decodePng(sink.messages[0]!.data as Uint8Array);
    assert.equal(image.width, 6);
    const html = frameHtml(sixColours(), { scale: 5, alt: 'start "state"' });
    assert.match(html, /^<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="15" height="10" alt="start &quot;state&quot;"/);
  });
});
