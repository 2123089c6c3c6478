/**
 * A small animated GIF (GIF89a) encoder in pure TypeScript.
 *
 * Why GIF and our own encoder: a rollout must play inside an exported HTML file opened from disk, in any
 * browser, without scripts or network; an animated GIF in an `<img>` does exactly that. Env frames have
 * few colours, so GIF's 256-colour palettes are usually exact, and flat regions compress well with LZW.
 * The format is simple enough that an encoder is a few hundred lines, cheaper than a dependency.
 *
 * What it does to stay small and fast:
 * - one global palette shared by all frames while their colours fit in 256 (env frames usually do);
 *   otherwise a frame gets a local palette: exact if it has ≤ 256 colours, else median cut;
 * - with `optimize` (default), each frame after the first only stores the rectangle that changed since
 *   the previous one (disposal "do not dispose" keeps the rest on screen); inside it, pixels that did not
 *   change are written as the transparent index 0, so they need no palette entry and form long runs
 *   that LZW compresses to almost nothing (overlay text in one corner and a moving cart in another make
 *   the rectangle large, but only the changed pixels cost bytes); identical consecutive frames are merged
 *   into one longer frame;
 * - typed arrays and reused buffers only: no allocation per pixel.
 */
import { assertRgbFrame, type RgbFrame } from "../core/frame";
import { LzwEncoder } from "./lzw";
import { ColorTable, indexExact, medianCut, uniformQuantize, type Rect } from "./palette";

/** Options for {@link GifEncoder}. */
export interface GifEncoderOptions {
  /**
   * How often the animation repeats: `0` (default) loops forever, `n > 0` plays `n + 1` times,
   * `false` writes no loop extension (browsers then play it once).
   */
  readonly loop?: number | false;
  /**
   * How to reduce frames with more than 256 colours: `"median-cut"` (default; adapts to the frame) or
   * `"uniform"` (a fixed 6×7×6 cube; faster, coarser).
   */
  readonly quantizer?: "median-cut" | "uniform";
  /** Store only changed rectangles and merge identical frames (default `true`). Lossless either way. */
  readonly optimize?: boolean;
}

interface EncodedFrame {
  readonly rect: Rect;
  delay: number;
  /** Local colour table (R, G, B bytes) or `null` to use the global one. */
  readonly palette: Uint8Array | null;
  /** Whether index 0 means "transparent: keep the previous pixel". */
  readonly transparent: boolean;
  readonly minCodeSize: number;
  readonly lzw: Uint8Array;
}

/** Bits needed to index `count` colours, at least 1. */
function bitsFor(count: number): number {
  let bits = 1;
  while (1 << bits < count) bits++;
  return bits;
}

/**
 * Builds an animated GIF frame by frame; call {@link finish} for the file bytes. Frames are compressed as
 * they are added, so memory stays at a couple of frame buffers plus the compressed output, whatever the
 * number of frames.
 *
 * @example
 * const gif = new GifEncoder(160, 210);
 * for (const frame of frames) gif.addFrame(frame, 4); // 4/100 s per frame = 25 fps
 * fs.writeFileSync("rollout.gif", gif.finish());
 */
export class GifEncoder {
  private readonly frames: EncodedFrame[] = [];
  private readonly global = new ColorTable();
  private readonly local = new ColorTable();
  private readonly remap = new Uint8Array(256);
  private readonly lzwEncoder = new LzwEncoder();
  private readonly indices: Uint8Array;
  private readonly previous: Uint8Array;
  private hasPrevious = false;
  private bytes = 0;
  private finished = false;
  private readonly loop: number | false;
  private readonly quantizer: "median-cut" | "uniform";
  private readonly optimize: boolean;

  /**
   * @param width logical screen width in pixels (every frame must have it), 1…65535.
   * @param height logical screen height in pixels, 1…65535.
   */
  constructor(
    readonly width: number,
    readonly height: number,
    options: GifEncoderOptions = {},
  ) {
    for (const [name, value] of [["width", width], ["height", height]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 65535) {
        throw new RangeError(`Expected a GIF ${name} of 1…65535 pixels, got ${value}`);
      }
    }
    const loop = options.loop ?? 0;
    if (loop !== false && (!Number.isInteger(loop) || loop < 0 || loop > 65535)) {
      throw new RangeError(`Expected loop to be false or an integer 0…65535, got ${String(loop)}`);
    }
    const quantizer = options.quantizer ?? "median-cut";
    if (quantizer !== "median-cut" && quantizer !== "uniform") {
      throw new TypeError(`Expected quantizer "median-cut" or "uniform", got ${JSON.stringify(quantizer)}`);
    }
    this.loop = loop;
    this.quantizer = quantizer;
    this.optimize = options.optimize ?? true;
    this.indices = new Uint8Array(width * height);
    this.previous = new Uint8Array(width * height * 3);
    // Index 0 of every palette is reserved as the transparent index when optimizing.
    if (this.optimize) this.global.addPlaceholder();
  }

  /** Frames stored so far (identical consecutive frames count once when optimizing). */
  get frameCount(): number {
    return this.frames.length;
  }

  /** Approximate size of the file so far in bytes (exact after {@link finish}). */
  get byteLength(): number {
    return this.bytes + 800;
  }

  /**
   * Appends a frame.
   *
   * @param frame an RGB frame of exactly the encoder's width and height.
   * @param delay how long the frame stays on screen, in hundredths of a second (0…65535). Browsers show
   *   delays below 2 as 10, so use ≥ 2 (see {@link gifDelay}).
   */
  addFrame(frame: RgbFrame, delay: number): void {
    if (this.finished) throw new Error("Expected addFrame before finish(), got a call after finish()");
    assertRgbFrame(frame);
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new RangeError(`Expected a ${this.width}×${this.height} frame, got ${frame.width}×${frame.height}`);
    }
    if (!Number.isInteger(delay) || delay < 0 || delay > 65535) {
      throw new RangeError(`Expected a delay of 0…65535 hundredths of a second, got ${delay}`);
    }
    const data = frame.data;
    let rect: Rect = { x: 0, y: 0, width: this.width, height: this.height };
    if (this.optimize && this.hasPrevious) {
      const changed = changedRect(this.previous, data, this.width, this.height);
      const last = this.frames[this.frames.length - 1]!;
      if (changed === null && last.delay + delay <= 65535) {
        last.delay += delay;
        return;
      }
      // An unchanged frame whose delay no longer fits: store one pixel (GIF frames need ≥ 1 pixel).
      rect = changed ?? { x: 0, y: 0, width: 1, height: 1 };
    }

    const indices = this.indices;
    const previous = this.optimize && this.hasPrevious ? this.previous : null;
    let palette: Uint8Array | null = null;
    let colors: number;
    const pixels = rect.width * rect.height;
    // Index exactly against a fresh local table first (one pass over the pixels), then try to move those
    // colours into the global table: a frame that fits needs no colour table of its own, and the
    // remapping pass over the indices is far cheaper than indexing the pixels twice.
    this.local.truncate(0);
    if (previous !== null) this.local.addPlaceholder();
    if (indexExact(data, this.width, rect, this.local, indices, previous)) {
      const before = this.global.count;
      const first = previous !== null ? 1 : 0; // local index 0 is then the transparent placeholder
      const map = this.remap;
      map[0] = 0;
      let fits = true;
      let identity = true;
      for (let i = first; i < this.local.count; i++) {
        const g = this.global.add(this.local.colors[i]!);
        if (g < 0) {
          fits = false;
          break;
        }
        map[i] = g;
        identity &&= g === i;
      }
      if (fits) {
        if (!identity) for (let i = 0; i < pixels; i++) indices[i] = map[indices[i]!]!;
        colors = this.global.count;
      } else {
        this.global.truncate(before);
        palette = this.local.toRgb();
        colors = palette.length / 3;
      }
    } else {
      if (this.quantizer === "uniform") {
        palette = uniformQuantize(data, this.width, rect, indices, previous);
      } else {
        palette = medianCut(data, this.width, rect, indices, 256, previous);
      }
      colors = palette.length / 3;
    }
    const minCodeSize = Math.max(2, bitsFor(colors));
    const lzw = this.lzwEncoder.encode(indices, minCodeSize, pixels);
    this.frames.push({ rect, delay, palette, transparent: previous !== null, minCodeSize, lzw });
    this.bytes += lzw.length + Math.ceil(lzw.length / 255) + 20 + (palette === null ? 0 : 3 << bitsFor(colors));
    this.previous.set(data);
    this.hasPrevious = true;
  }

  /**
   * Writes the file. The encoder cannot be used afterwards.
   *
   * @returns the GIF file bytes.
   */
  finish(): Uint8Array {
    if (this.finished) throw new Error("Expected finish() once, got a second call");
    if (this.frames.length === 0) throw new Error("Expected at least one frame before finish(), got none");
    this.finished = true;
    const globalColors = this.global.count;
    const globalBits = bitsFor(Math.max(2, globalColors));
    let size = 6 + 7 + (globalColors > 0 ? 3 << globalBits : 0) + (this.loop === false ? 0 : 19) + 1;
    for (const f of this.frames) {
      size += 8 + 10 + (f.palette === null ? 0 : 3 << bitsFor(Math.max(2, f.palette.length / 3)));
      size += 1 + f.lzw.length + Math.ceil(f.lzw.length / 255) + 1;
    }
    const out = new Uint8Array(size);
    let p = 0;
    const u8 = (v: number): void => {
      out[p++] = v;
    };
    const u16 = (v: number): void => {
      out[p++] = v & 0xff;
      out[p++] = v >>> 8;
    };
    const table = (rgb: Uint8Array, bits: number): void => {
      out.set(rgb, p); // the rest, up to 2**bits entries, stays zero (black)
      p += 3 << bits;
    };
    for (const c of "GIF89a") u8(c.charCodeAt(0));
    // Logical screen descriptor: size, then flags: global table present, colour resolution 8 bits,
    // table size 2**(n+1).
    u16(this.width);
    u16(this.height);
    u8(globalColors > 0 ? 0x80 | 0x70 | (globalBits - 1) : 0x70);
    u8(0); // background colour index
    u8(0); // pixel aspect ratio: unspecified (square)
    if (globalColors > 0) table(this.global.toRgb(), globalBits);
    if (this.loop !== false) {
      // NETSCAPE2.0 application extension: the de-facto standard loop count.
      u8(0x21);
      u8(0xff);
      u8(11);
      for (const c of "NETSCAPE2.0") u8(c.charCodeAt(0));
      u8(3);
      u8(1);
      u16(this.loop);
      u8(0);
    }
    for (const f of this.frames) {
      // Graphic control extension: disposal 1 ("do not dispose": later partial frames draw over this one),
      // transparency of index 0 for partial frames, the delay.
      u8(0x21);
      u8(0xf9);
      u8(4);
      u8((1 << 2) | (f.transparent ? 1 : 0));
      u16(f.delay);
      u8(0); // transparent colour index
      u8(0);
      // Image descriptor.
      u8(0x2c);
      u16(f.rect.x);
      u16(f.rect.y);
      u16(f.rect.width);
      u16(f.rect.height);
      if (f.palette === null) {
        u8(0);
      } else {
        const bits = bitsFor(Math.max(2, f.palette.length / 3));
        u8(0x80 | (bits - 1));
        table(f.palette, bits);
      }
      // Image data: LZW minimum code size, then the codes in sub-blocks of at most 255 bytes.
      u8(f.minCodeSize);
      for (let i = 0; i < f.lzw.length; i += 255) {
        const n = Math.min(255, f.lzw.length - i);
        u8(n);
        out.set(f.lzw.subarray(i, i + n), p);
        p += n;
      }
      u8(0);
    }
    u8(0x3b); // trailer
    if (p !== size) throw new Error(`Expected to write ${size} GIF bytes, got ${p} (encoder bug)`);
    this.bytes = size - 800;
    return out;
  }
}

/**
 * The smallest rectangle containing every pixel that differs between two RGB images, or `null` if they
 * are equal. Compares 3-byte pixels row by row and stops scanning a row's middle once both ends are known.
 */
function changedRect(a: Uint8Array, b: Uint8Array, width: number, height: number): Rect | null {
  const rowBytes = width * 3;
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const start = y * rowBytes;
    // Leftmost differing pixel in this row (only needed left of the current `left`).
    let l = -1;
    for (let x = 0, s = start; x < width; x++, s += 3) {
      if (a[s] !== b[s] || a[s + 1] !== b[s + 1] || a[s + 2] !== b[s + 2]) {
        l = x;
        break;
      }
    }
    if (l < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (l < left) left = l;
    for (let x = width - 1, s = start + x * 3; x > right; x--, s -= 3) {
      if (a[s] !== b[s] || a[s + 1] !== b[s + 1] || a[s + 2] !== b[s + 2]) {
        right = x;
        break;
      }
    }
  }
  if (top < 0) return null;
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Per-frame GIF delays (hundredths of a second) for playing frames at `fps`. GIF delays are whole
 * hundredths, so 30 fps alternates 3, 3, 4 to keep the average exact. Delays are at least 2 because
 * browsers show 0 and 1 as 10 (a historic quirk), so the fastest playback is 50 fps.
 *
 * @param index frame number (0-based).
 * @param fps frames per second, > 0.
 * @returns the delay of frame `index`.
 * @example
 * [0, 1, 2].map((i) => gifDelay(i, 30)) //=> [3, 4, 3]
 */
export function gifDelay(index: number, fps: number): number {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`Expected fps > 0, got ${fps}`);
  const d = Math.round(((index + 1) * 100) / fps) - Math.round((index * 100) / fps);
  return Math.min(65535, Math.max(2, d));
}

/**
 * Encodes frames as an animated GIF in one call.
 *
 * @param frames RGB frames, all the same size (an array or any iterable, e.g. a generator).
 * @param options encoder options plus `fps` (default 10).
 * @returns the GIF file bytes.
 * @example
 * fs.writeFileSync("out.gif", encodeGif(frames, { fps: 25 }));
 */
export function encodeGif(frames: Iterable<RgbFrame>, options: GifEncoderOptions & { readonly fps?: number } = {}): Uint8Array {
  const fps = options.fps ?? 10;
  let encoder: GifEncoder | null = null;
  let i = 0;
  for (const frame of frames) {
    assertRgbFrame(frame, `frames[${i}]`);
    encoder ??= new GifEncoder(frame.width, frame.height, options);
    encoder.addFrame(frame, gifDelay(i, fps));
    i++;
  }
  if (encoder === null) throw new RangeError("Expected at least one frame, got none");
  return encoder.finish();
}
