import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCanvas, loadImage } from "canvas";
import type { RgbFrame } from "../src/core/frame";
import { animationGif, animationHtml, encodeAnimation, showAnimation } from "../src/notebook/animation";
import { RecordingSink, withDisplaySink } from "../src/notebook/display";
import { encodeGif, GifEncoder, gifDelay } from "../src/notebook/gif";
import { scaleFrame } from "../src/notebook/scale";
import { LzwEncoder } from "../src/notebook/lzw";

// ---------------------------------------------------------------------------------------------------
// A small, independent GIF decoder (the spec's decoder side), so the tests check the file format itself
// rather than the encoder against its own assumptions. Frames are composited like a browser does.

interface DecodedGif {
  width: number;
  height: number;
  loop: number | null;
  globalColors: number;
  frames: {
    delay: number;
    disposal: number;
    transparent: number | null;
    rect: [number, number, number, number];
    localPalette: boolean;
    rgb: Uint8Array;
  }[];
}

function lzwDecode(data: Uint8Array, minCodeSize: number, pixelCount: number): Uint8Array {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  for (let i = 0; i < clear; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    first[i] = i;
  }
  const out = new Uint8Array(pixelCount);
  const stack = new Uint8Array(4097);
  let o = 0;
  let codeSize = minCodeSize + 1;
  let avail = end + 1;
  let old = -1;
  let bitPos = 0;
  const totalBits = data.length * 8;
  const emitString = (code: number): void => {
    let n = 0;
    for (let c = code; c >= 0; c = prefix[c]!) stack[n++] = suffix[c]!;
    while (n > 0) {
      assert.ok(o < pixelCount, "Expected no more pixels than the image holds");
      out[o++] = stack[--n]!;
    }
  };
  for (;;) {
    assert.ok(bitPos + codeSize <= totalBits, "Expected an end-of-information code before the data ran out");
    let code = 0;
    for (let i = 0; i < codeSize; i++, bitPos++) code |= ((data[bitPos >> 3]! >> (bitPos & 7)) & 1) << i;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      avail = end + 1;
      old = -1;
      continue;
    }
    if (code === end) break;
    if (old < 0) {
      assert.ok(code < clear, `Expected a literal code after clear, got ${code}`);
      emitString(code);
      old = code;
      continue;
    }
    let firstChar: number;
    if (code < avail) {
      emitString(code);
      firstChar = first[code]!;
    } else {
      assert.equal(code, avail, "Expected a code at most one past the table");
      firstChar = first[old]!;
      emitString(old);
      assert.ok(o < pixelCount);
      out[o++] = firstChar;
    }
    if (avail < 4096) {
      prefix[avail] = old;
      suffix[avail] = firstChar;
      first[avail] = first[old]!;
      avail++;
      if (avail === 1 << codeSize && codeSize < 12) codeSize++;
    }
    old = code;
  }
  assert.equal(o, pixelCount, "Expected the image data to fill the frame exactly");
  return out;
}

function decodeGif(bytes: Uint8Array): DecodedGif {
  let p = 0;
  const u8 = (): number => bytes[p++]!;
  const u16 = (): number => bytes[p++]! | (bytes[p++]! << 8);
  const text = (n: number): string => String.fromCharCode(...bytes.subarray(p, (p += n)));
  assert.equal(text(6), "GIF89a");
  const width = u16();
  const height = u16();
  const flags = u8();
  u8();
  u8();
  let globalPalette: Uint8Array | null = null;
  if (flags & 0x80) {
    const n = 1 << ((flags & 7) + 1);
    globalPalette = bytes.subarray(p, (p += n * 3));
  }
  const canvas = new Uint8Array(width * height * 3);
  const result: DecodedGif = { width, height, loop: null, globalColors: globalPalette ? globalPalette.length / 3 : 0, frames: [] };
  let delay = 0;
  let disposal = 0;
  let transparent: number | null = null;
  for (;;) {
    const block = u8();
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = u8();
      if (label === 0xf9) {
        assert.equal(u8(), 4);
        const packed = u8();
        disposal = (packed >> 2) & 7;
        delay = u16();
        const index = u8();
        transparent = packed & 1 ? index : null;
        assert.equal(u8(), 0);
      } else if (label === 0xff) {
        assert.equal(u8(), 11);
        const app = text(11);
        if (app === "NETSCAPE2.0") {
          assert.equal(u8(), 3);
          assert.equal(u8(), 1);
          result.loop = u16();
          assert.equal(u8(), 0);
        } else {
          for (let n = u8(); n > 0; n = u8()) p += n;
        }
      } else {
        for (let n = u8(); n > 0; n = u8()) p += n;
      }
      continue;
    }
    assert.equal(block, 0x2c, `Expected an image descriptor at byte ${p - 1}, got 0x${block.toString(16)}`);
    const x = u16();
    const y = u16();
    const w = u16();
    const h = u16();
    const imageFlags = u8();
    assert.equal(imageFlags & 0x40, 0, "Expected no interlacing");
    let palette = globalPalette;
    if (imageFlags & 0x80) {
      const n = 1 << ((imageFlags & 7) + 1);
      palette = bytes.subarray(p, (p += n * 3));
    }
    assert.ok(palette, "Expected a colour table for every frame");
    assert.ok(x + w <= width && y + h <= height, "Expected the frame inside the logical screen");
    const minCodeSize = u8();
    const chunks: Uint8Array[] = [];
    for (let n = u8(); n > 0; n = u8()) chunks.push(bytes.subarray(p, (p += n)));
    const indices = lzwDecode(Buffer.concat(chunks), minCodeSize, w * h);
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        const index = indices[row * w + col]!;
        assert.ok(index * 3 < palette.length, "Expected palette indices inside the table");
        if (index === transparent) continue;
        const d = ((y + row) * width + x + col) * 3;
        canvas[d] = palette[index * 3]!;
        canvas[d + 1] = palette[index * 3 + 1]!;
        canvas[d + 2] = palette[index * 3 + 2]!;
      }
    }
    result.frames.push({ delay, disposal, transparent, rect: [x, y, w, h], localPalette: (imageFlags & 0x80) !== 0, rgb: canvas.slice() });
    transparent = null; // a graphic control extension applies to the next image only
  }
  assert.equal(p, bytes.length, "Expected the trailer to end the file");
  return result;
}

// ---------------------------------------------------------------------------------------------------

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A frame whose pixels are drawn from `colors` (0xRRGGBB) at random. */
function randomFrame(width: number, height: number, colors: number[], random: () => number): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const c = colors[Math.floor(random() * colors.length)]!;
    data[i * 3] = c >> 16;
    data[i * 3 + 1] = (c >> 8) & 255;
    data[i * 3 + 2] = c & 255;
  }
  return { width, height, data };
}

function distinctColors(n: number, random: () => number): number[] {
  const set = new Set<number>();
  while (set.size < n) set.add(Math.floor(random() * 0x1000000));
  return [...set];
}

/** Frame `base` with a `size`×`size` square of `color` at (x, y). */
function withSquare(base: RgbFrame, x: number, y: number, size: number, color: number): RgbFrame {
  const data = base.data.slice();
  for (let r = y; r < y + size; r++) {
    for (let c = x; c < x + size; c++) {
      const i = (r * base.width + c) * 3;
      data[i] = color >> 16;
      data[i + 1] = (color >> 8) & 255;
      data[i + 2] = color & 255;
    }
  }
  return { width: base.width, height: base.height, data };
}

describe("GIF encoder", () => {
  it("writes a valid GIF89a whose decoded frames equal few-colour inputs exactly, with delays and a loop extension", () => {
    const random = rng(1);
    const colors = distinctColors(5, random);
    const base = randomFrame(37, 23, colors, random);
    const frames = [base, withSquare(base, 3, 4, 5, colors[0]!), withSquare(base, 30, 15, 7, colors[1]!), randomFrame(37, 23, colors, random)];
    const gif = encodeGif(frames, { fps: 30 });
    const decoded = decodeGif(gif);
    assert.equal(decoded.width, 37);
    assert.equal(decoded.height, 23);
    assert.equal(decoded.loop, 0);
    assert.equal(decoded.frames.length, 4);
    assert.deepEqual(decoded.frames.map((f) => f.delay), [3, 4, 3, 3]);
    assert.ok(decoded.frames.every((f) => !f.localPalette), "Expected one global palette for 5 colours");
    decoded.frames.forEach((f, i) => assert.deepEqual(f.rgb, frames[i]!.data, `frame ${i}`));
  });

  it("stores only the changed rectangle of a frame and keeps the rest on screen", () => {
    const random = rng(2);
    const colors = distinctColors(3, random);
    const base = randomFrame(40, 30, colors, random);
    const moved = withSquare(base, 10, 12, 4, 0x123456);
    const decoded = decodeGif(encodeGif([base, moved]));
    assert.deepEqual(decoded.frames[1]!.rect, [10, 12, 4, 4]);
    assert.equal(decoded.frames[1]!.disposal, 1);
    assert.deepEqual(decoded.frames[1]!.rgb, moved.data);
  });

  it("merges identical consecutive frames into one frame with the summed delay", () => {
    const random = rng(3);
    const a = randomFrame(8, 8, distinctColors(4, random), random);
    const b = withSquare(a, 0, 0, 2, 0xffffff);
    const decoded = decodeGif(encodeGif([a, a, a, b], { fps: 20 }));
    assert.deepEqual(decoded.frames.map((f) => f.delay), [15, 5]);
    assert.deepEqual(decoded.frames[1]!.rgb, b.data);
  });

  it("writes full frames when optimize is off", () => {
    const random = rng(4);
    const a = randomFrame(9, 7, distinctColors(4, random), random);
    const decoded = decodeGif(encodeGif([a, a], { optimize: false, loop: 3 }));
    assert.equal(decoded.loop, 3);
    assert.deepEqual(decoded.frames.map((f) => f.rect), [[0, 0, 9, 7], [0, 0, 9, 7]]);
  });

  it("omits the loop extension when loop is false", () => {
    const frame: RgbFrame = { width: 1, height: 1, data: new Uint8Array([1, 2, 3]) };
    const decoded = decodeGif(encodeGif([frame], { loop: false }));
    assert.equal(decoded.loop, null);
    assert.deepEqual(decoded.frames[0]!.rgb, frame.data);
  });

  it("gives frames whose colours do not fit the global palette an exact local palette", () => {
    const random = rng(5);
    const frames = [0, 1, 2].map(() => randomFrame(30, 20, distinctColors(200, random), random));
    const decoded = decodeGif(encodeGif(frames));
    assert.deepEqual(decoded.frames.map((f) => f.localPalette), [false, true, true]);
    decoded.frames.forEach((f, i) => assert.deepEqual(f.rgb, frames[i]!.data, `frame ${i}`));
  });

  it("round-trips large 256-colour noise through many LZW table resets", () => {
    const random = rng(6);
    const frame = randomFrame(320, 200, distinctColors(256, random), random);
    const second = randomFrame(320, 200, distinctColors(7, random), random);
    const decoded = decodeGif(encodeGif([frame, second]));
    assert.deepEqual(decoded.frames[0]!.rgb, frame.data);
    assert.deepEqual(decoded.frames[1]!.rgb, second.data);
  });

  it("approximates frames with more than 256 colours closely with median cut and with the uniform cube", () => {
    const width = 64;
    const height = 48;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        data[i] = (x * 4) & 255;
        data[i + 1] = (y * 5) & 255;
        data[i + 2] = (x * y) & 255;
      }
    }
    const frame: RgbFrame = { width, height, data };
    for (const [quantizer, tolerance] of [["median-cut", 12], ["uniform", 30]] as const) {
      const decoded = decodeGif(encodeGif([frame], { quantizer }));
      const rgb = decoded.frames[0]!.rgb;
      let error = 0;
      for (let i = 0; i < rgb.length; i++) error += Math.abs(rgb[i]! - data[i]!);
      const mean = error / rgb.length;
      assert.ok(mean < tolerance, `Expected ${quantizer} mean error < ${tolerance}, got ${mean.toFixed(2)}`);
    }
  });

  it("is decoded by a production decoder (node-canvas/giflib) to the same first frame", async () => {
    const random = rng(7);
    const frame = randomFrame(123, 77, distinctColors(256, random), random);
    const image = await loadImage(Buffer.from(encodeGif([frame, randomFrame(123, 77, [0], random)])));
    assert.equal(image.width, 123);
    assert.equal(image.height, 77);
    const ctx = createCanvas(123, 77).getContext("2d");
    ctx.drawImage(image, 0, 0);
    const rgba = ctx.getImageData(0, 0, 123, 77).data;
    for (let i = 0; i < 123 * 77; i++) {
      if (rgba[i * 4] !== frame.data[i * 3] || rgba[i * 4 + 1] !== frame.data[i * 3 + 1] || rgba[i * 4 + 2] !== frame.data[i * 3 + 2]) {
        assert.fail(`Expected pixel ${i} to match the input`);
      }
    }
  });

  it("computes delays that keep the average frame rate and never go below 2 hundredths", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => gifDelay(i, 30)), [3, 4, 3, 3, 4, 3]);
    assert.equal(gifDelay(0, 10), 10);
    assert.equal(gifDelay(0, 120), 2);
    assert.throws(() => gifDelay(0, 0), /Expected fps > 0, got 0/);
  });

  it("rejects frames of the wrong size and bad options with messages that name the problem", () => {
    const encoder = new GifEncoder(4, 4);
    assert.throws(() => encoder.addFrame({ width: 5, height: 4, data: new Uint8Array(60) }, 10), /Expected a 4×4 frame, got 5×4/);
    assert.throws(() => encoder.addFrame({ width: 4, height: 4, data: new Uint8Array(10) }, 10), /Expected frame.data to hold/);
    assert.throws(() => encoder.finish(), /Expected at least one frame/);
    assert.throws(() => new GifEncoder(0, 4), /Expected a GIF width of 1…65535 pixels, got 0/);
    assert.throws(() => encodeGif([]), /Expected at least one frame, got none/);
  });

  it("LZW-encodes a single index and long runs that the decoder reads back", () => {
    const lzw = new LzwEncoder();
    assert.deepEqual(lzwDecode(lzw.encode(new Uint8Array([2]), 2), 2, 1), new Uint8Array([2]));
    const run = new Uint8Array(100_000).fill(1);
    assert.deepEqual(lzwDecode(lzw.encode(run, 2), 2, run.length), run);
    assert.throws(() => lzw.encode(new Uint8Array([0, 9]), 2), /Expected palette indices below 4, got 9 at 1/);
  });
});

describe("rollout animations", () => {
  /** `n` frames of `width`×`height` with a 2×2 marker moving right one pixel per frame. */
  function movingMarker(n: number, width = 12, height = 8): RgbFrame[] {
    const background = randomFrame(width, height, [0x202020, 0x2060a0], rng(11));
    return Array.from({ length: n }, (_, i) => withSquare(background, i % (width - 2), 3, 2, 0xff4000));
  }

  it("returns an <img> with the GIF as a data URI, its size and alt text, whose frames are the nearest-neighbour scaled inputs", () => {
    const frames = movingMarker(5);
    const html = animationHtml(frames, { scale: 3, fps: 25 });
    const match = /^<img src="data:image\/gif;base64,([A-Za-z0-9+/=]+)" width="36" height="24" alt="animation of 5 frames"/.exec(html);
    assert.ok(match, `Expected an <img> with a GIF data URI, got ${html.slice(0, 80)}`);
    const decoded = decodeGif(Buffer.from(match[1]!, "base64"));
    assert.equal(decoded.frames.length, 5);
    assert.deepEqual(decoded.frames.map((f) => f.delay), [4, 4, 4, 4, 4]);
    decoded.frames.forEach((f, i) => assert.deepEqual(f.rgb, scaleFrame(frames[i]!, { scale: 3 }).data, `frame ${i}`));
  });

  it("keeps every stride-th frame plus the last one, each shown stride times as long", () => {
    const frames = movingMarker(11);
    const result = encodeAnimation(frames, { stride: 3, fps: 30 });
    assert.equal(result.sourceFrames, 11);
    assert.equal(result.encodedFrames, 5); // 0, 3, 6, 9 and the last, 10
    const decoded = decodeGif(result.gif);
    assert.deepEqual(decoded.frames.map((f) => f.delay), [10, 10, 10, 10, 10]);
    assert.deepEqual(decoded.frames[4]!.rgb, frames[10]!.data);
    assert.deepEqual(decoded.frames[3]!.rgb, frames[9]!.data);
  });

  it("copes with a generator that reuses one buffer for every frame", () => {
    const snapshots = movingMarker(7);
    function* reused(): Generator<RgbFrame> {
      const data = new Uint8Array(snapshots[0]!.data.length);
      for (const frame of snapshots) {
        data.set(frame.data);
        yield { width: frame.width, height: frame.height, data };
      }
    }
    const decoded = decodeGif(encodeAnimation(reused(), { stride: 4 }).gif);
    assert.equal(decoded.frames.length, 3); // 0, 4 and the last, 6
    assert.deepEqual(decoded.frames[2]!.rgb, snapshots[6]!.data);
  });

  it("draws overlays only inside their boxes and calls an overlay function with the source frame index", () => {
    const frames = Array.from({ length: 4 }, () => ({ width: 320, height: 120, data: new Uint8Array(320 * 120 * 3).fill(255) }));
    const asked: number[] = [];
    const plain = decodeGif(encodeAnimation(frames, { stride: 2 }).gif);
    const annotated = decodeGif(
      encodeAnimation(frames, {
        stride: 2,
        actionNames: ["left", "right"],
        overlays: (i) => {
          asked.push(i);
          return { step: i, action: 1, reward: 0.5, qValues: [0.1, 0.9] };
        },
      }).gif,
    );
    assert.deepEqual(asked, [0, 2, 3]);
    const at = (f: Uint8Array, x: number, y: number): number[] => Array.from(f.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3));
    const first = annotated.frames[0]!.rgb;
    assert.notDeepEqual(at(first, 2, 2), [255, 255, 255], "Expected the info box in the top-left corner");
    assert.notDeepEqual(at(first, 317, 2), [255, 255, 255], "Expected the Q-value panel in the top-right corner");
    assert.deepEqual(at(first, 160, 110), [255, 255, 255], "Expected the bottom middle untouched");
    assert.deepEqual(at(plain.frames[0]!.rgb, 2, 2), [255, 255, 255]);
    // The step counter changes between kept frames, so the second frame differs from the first.
    assert.notDeepEqual(annotated.frames[1]!.rgb, first);
  });

  it("draws a caption along the bottom edge", () => {
    const frame = { width: 160, height: 60, data: new Uint8Array(160 * 60 * 3).fill(255) };
    const decoded = decodeGif(animationGif([frame], { overlays: [{ caption: "a caption that is far too long to fit on one line of this frame" }] }));
    const rgb = decoded.frames[0]!.rgb;
    const bottomLeft = Array.from(rgb.subarray((58 * 160 + 1) * 3, (58 * 160 + 1) * 3 + 3));
    const top = Array.from(rgb.subarray((2 * 160 + 2) * 3, (2 * 160 + 2) * 3 + 3));
    assert.notDeepEqual(bottomLeft, [255, 255, 255]);
    assert.deepEqual(top, [255, 255, 255]);
  });

  it("shrinks frames with fitWidth", () => {
    const result = encodeAnimation(movingMarker(2, 40, 20), { fitWidth: 10 });
    assert.equal(result.width, 10);
    assert.equal(result.height, 5);
  });

  it("rejects frames of different sizes, empty input and oversized output with messages that name the problem", () => {
    const [a] = movingMarker(1);
    assert.throws(() => encodeAnimation([a!, movingMarker(1, 13, 8)[0]!]), /Expected frames\[1\] to be 12×8 like frames\[0\], got 13×8/);
    assert.throws(() => encodeAnimation([]), /Expected at least one frame, got none/);
    assert.throws(() => encodeAnimation(movingMarker(3), { maxBytes: 100 }), /Expected the animation to stay under 100 B, got .* use stride, fitWidth/);
    assert.throws(() => encodeAnimation(movingMarker(3), { stride: 0 }), /Expected stride to be a positive integer, got 0/);
    assert.throws(() => encodeAnimation(movingMarker(3), { scale: 1.5 }), /Expected scale to be a positive integer, got 1.5/);
  });

  it("shows the animation as a text/html output (nbconvert drops image/gif)", () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => showAnimation(movingMarker(3), { alt: "marker <moving>" }));
    assert.equal(sink.messages.length, 1);
    assert.equal(sink.messages[0]!.mimeType, "text/html");
    assert.match(sink.messages[0]!.data as string, /alt="marker &lt;moving&gt;"/);
  });
});
