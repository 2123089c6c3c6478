/**
 * A rollout as an animation: frames (plus optional per-frame overlays) → animated GIF → `<img>` in HTML.
 *
 * Why HTML and not an `image/gif` output: nbconvert's HTML export drops `image/gif` outputs (it keeps
 * only PNG, JPEG, SVG among images), so course material exported to HTML would lose every animation.
 * A `text/html` output with the GIF inlined as a data URI survives export, works offline and needs no
 * script. (`text/javascript` players are dropped by the export as well.)
 */
import { createCanvas, type CanvasRenderingContext2D } from "canvas";
import { assertRgbFrame, type RgbFrame } from "../core/frame";
import { display, formatBytes } from "./display";
import { GifEncoder, gifDelay, type GifEncoderOptions } from "./gif";
import { dataUri, escapeHtml } from "./html";
import { drawOverlay, hasOverlayContent, type FrameOverlay, type OverlayStyle } from "./overlay";
import type { Rect } from "./palette";
import { scaleFrame, scaledSize, type FrameSizeOptions } from "./scale";

/** Options for {@link encodeAnimation}, {@link animationHtml} and {@link showAnimation}. */
export interface AnimationOptions extends FrameSizeOptions, OverlayStyle, GifEncoderOptions {
  /**
   * Playback speed in source frames (env steps) per second; default 30. With `stride` the speed in
   * env time stays the same: each kept frame is shown `stride` times as long. GIF timing is in 1/100 s and
   * browsers show at most 50 GIF frames per second, so use `stride` for faster playback.
   */
  readonly fps?: number;
  /** Keep every `stride`-th frame (the last frame is always kept: it shows how the episode ended). Default 1. */
  readonly stride?: number;
  /** Overlays for source frame `i`: an array aligned with the frames, or a function of the frame index. */
  readonly overlays?: ReadonlyArray<FrameOverlay | undefined> | ((index: number) => FrameOverlay | undefined);
  /**
   * Stop with an error once the GIF grows past this many bytes (default 30 MB): a notebook carrying a
   * huge base64 image becomes slow to open and save. The message suggests `stride` / `fitWidth`.
   */
  readonly maxBytes?: number;
}

/** Options for {@link animationHtml} and {@link showAnimation}: {@link AnimationOptions} plus the alt text. */
export interface AnimationHtmlOptions extends AnimationOptions {
  /** Alt text of the `<img>`; default describes the frame count. */
  readonly alt?: string;
}

/** The result of {@link encodeAnimation}. */
export interface EncodedAnimation {
  /** The GIF file bytes. */
  readonly gif: Uint8Array;
  /** Width of the animation in pixels (after scaling). */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Number of frames read from the input. */
  readonly sourceFrames: number;
  /** Number of frames encoded (after `stride`, before merging identical frames). */
  readonly encodedFrames: number;
}

/**
 * Encodes frames as an animated GIF: scaled with nearest neighbour, annotated with overlays, palettes
 * exact when a frame has ≤ 256 colours. Frames are processed one at a time, so a generator of frames
 * keeps memory flat; a frame buffer may be reused by the producer between frames.
 *
 * @param frames RGB frames of one size (array or iterable).
 * @param options see {@link AnimationOptions}.
 * @returns the GIF bytes and its size.
 * @example
 * const { gif } = encodeAnimation(frames, { fps: 50, stride: 2, fitWidth: 300, overlays: steps });
 * fs.writeFileSync("rollout.gif", gif);
 */
export function encodeAnimation(frames: Iterable<RgbFrame>, options: AnimationOptions = {}): EncodedAnimation {
  if (frames == null || typeof (frames as Iterable<RgbFrame>)[Symbol.iterator] !== "function") {
    throw new TypeError(`Expected frames to be an array or iterable of RgbFrame, got ${frames === null ? "null" : typeof frames}`);
  }
  const fps = options.fps ?? 30;
  const stride = options.stride ?? 1;
  const maxBytes = options.maxBytes ?? 30e6;
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`Expected fps > 0, got ${fps}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`Expected stride to be a positive integer, got ${stride}`);
  if (!(maxBytes > 0)) throw new RangeError(`Expected maxBytes > 0, got ${maxBytes}`);
  const overlays = options.overlays;
  const overlayAt = (i: number): FrameOverlay | undefined =>
    overlays === undefined ? undefined : typeof overlays === "function" ? overlays(i) : overlays[i];
  const size: FrameSizeOptions = { scale: options.scale, fitWidth: options.fitWidth };

  let encoder: GifEncoder | null = null;
  let source: { width: number; height: number } | null = null;
  let ctx: CanvasRenderingContext2D | null = null;
  let work: Uint8Array | null = null;
  let dirty: Rect[] = [];
  let encoded = 0;
  let index = 0;
  // The most recent frame skipped by `stride`, copied (the producer may reuse its buffer), so the last
  // frame of the rollout can be added at the end.
  let held: Uint8Array | null = null;
  let heldIndex = -1;

  const add = (frame: RgbFrame, i: number): void => {
    const scaled = scaleFrame(frame, size);
    encoder ??= new GifEncoder(scaled.width, scaled.height, options);
    let out: RgbFrame = scaled;
    const overlay = overlayAt(i);
    if (hasOverlayContent(overlay)) {
      // Overlays are drawn on a transparent canvas and only their boxes are blended into the frame in JS:
      // copying whole frames in and out of the canvas cost more than everything else per frame.
      if (ctx === null) {
        ctx = createCanvas(scaled.width, scaled.height).getContext("2d");
        work = new Uint8Array(scaled.width * scaled.height * 3);
      }
      for (const r of dirty) ctx.clearRect(r.x, r.y, r.width, r.height);
      dirty = mergeOverlapping(drawOverlay(ctx, scaled.width, scaled.height, overlay, options));
      work!.set(scaled.data);
      for (const r of dirty) blendRgba(work!, scaled.width, r, ctx.getImageData(r.x, r.y, r.width, r.height).data);
      out = { width: scaled.width, height: scaled.height, data: work! };
    }
    encoder.addFrame(out, gifDelay(encoded, fps / stride));
    encoded++;
    if (encoder.byteLength > maxBytes) {
      throw new RangeError(
        `Expected the animation to stay under ${formatBytes(maxBytes)}, got ${formatBytes(encoder.byteLength)} after ` +
          `${encoded} frames of ${scaled.width}×${scaled.height}; use stride, fitWidth or a smaller scale (or raise maxBytes)`,
      );
    }
  };

  for (const frame of frames) {
    assertRgbFrame(frame, `frames[${index}]`);
    if (source === null) {
      source = { width: frame.width, height: frame.height };
      scaledSize(source, size); // validate the size options before any work
    } else if (frame.width !== source.width || frame.height !== source.height) {
      throw new RangeError(`Expected frames[${index}] to be ${source.width}×${source.height} like frames[0], got ${frame.width}×${frame.height}`);
    }
    if (index % stride === 0) {
      add(frame, index);
      heldIndex = -1;
    } else {
      held ??= new Uint8Array(frame.data.length);
      held.set(frame.data);
      heldIndex = index;
    }
    index++;
  }
  if (source === null) throw new RangeError("Expected at least one frame, got none");
  if (heldIndex >= 0) add({ width: source.width, height: source.height, data: held! }, heldIndex);
  const enc = encoder as GifEncoder | null;
  const gif = enc!.finish();
  return { gif, width: enc!.width, height: enc!.height, sourceFrames: index, encodedFrames: encoded };
}

/** 0…255 rounded to the nearest of 16 levels 0, 17, …, 255 (see {@link blendRgba}). */
const SNAP = Uint8Array.from({ length: 256 }, (_, v) => Math.round(v / 17) * 17);

/** Replaces overlapping rectangles by their union, so no pixel is blended twice. */
function mergeOverlapping(rects: Rect[]): Rect[] {
  const out = rects.slice();
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) {
          const x = Math.min(a.x, b.x);
          const y = Math.min(a.y, b.y);
          out[i] = { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
          out.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  return out;
}

/**
 * Blends non-premultiplied RGBA pixels of `rect` (source-over) into the RGB image `rgb` of width `width`.
 * Translucent results (the box background, antialiased text edges) are snapped to 16 levels per
 * channel: antialiased text over a translucent box otherwise adds a hundred or more blend colours and
 * pushes frames past the 256 colours a GIF palette holds exactly (forcing slower, lossy quantization of
 * the whole changed area). 16 levels still look smooth at overlay text sizes; opaque overlay pixels and
 * the env frame itself are untouched.
 */
function blendRgba(rgb: Uint8Array, width: number, rect: Rect, rgba: Uint8ClampedArray): void {
  let s = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let d = (y * width + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 4, d += 3) {
      const a = rgba[s + 3]!;
      if (a === 0) continue;
      if (a === 255) {
        rgb[d] = rgba[s]!;
        rgb[d + 1] = rgba[s + 1]!;
        rgb[d + 2] = rgba[s + 2]!;
      } else {
        const b = 255 - a;
        rgb[d] = SNAP[((rgba[s]! * a + rgb[d]! * b + 127) / 255) | 0]!;
        rgb[d + 1] = SNAP[((rgba[s + 1]! * a + rgb[d + 1]! * b + 127) / 255) | 0]!;
        rgb[d + 2] = SNAP[((rgba[s + 2]! * a + rgb[d + 2]! * b + 127) / 255) | 0]!;
      }
    }
  }
}

/**
 * Encodes frames (see {@link encodeAnimation}) and returns the GIF bytes only.
 *
 * @example
 * fs.writeFileSync("rollout.gif", animationGif(frames, { fps: 25 }));
 */
export function animationGif(frames: Iterable<RgbFrame>, options: AnimationOptions = {}): Uint8Array {
  return encodeAnimation(frames, options).gif;
}

/**
 * The animation as an HTML `<img>` with the GIF inlined (`data:image/gif;base64,…`), with width, height
 * and alt text; this is what survives nbconvert's HTML export (see the file comment).
 *
 * @returns an HTML fragment.
 * @example
 * display.html(animationHtml(frames, { scale: 2, overlays, actionNames: ["left", "right"] }));
 */
export function animationHtml(frames: Iterable<RgbFrame>, options: AnimationHtmlOptions = {}): string {
  const result = encodeAnimation(frames, options);
  const alt =
    options.alt ??
    `animation of ${result.sourceFrames} frame${result.sourceFrames === 1 ? "" : "s"}` +
      (result.encodedFrames !== result.sourceFrames ? ` (${result.encodedFrames} shown)` : "");
  return (
    `<img src="${dataUri("image/gif", result.gif)}" width="${result.width}" height="${result.height}" ` +
    `alt="${escapeHtml(alt)}" title="${escapeHtml(alt)}" style="image-rendering:pixelated;max-width:100%;height:auto">`
  );
}

/**
 * Shows frames as an animation in the notebook (a `text/html` output, see the file comment).
 *
 * @example
 * showAnimation(rollout.frames, {
 *   fps: 50, stride: 2,
 *   overlays: rollout.actions.map((action, step) => ({ step, action, reward: rollout.rewards[step] })),
 *   actionNames: ["left", "right"],
 * });
 */
export function showAnimation(frames: Iterable<RgbFrame>, options: AnimationHtmlOptions = {}): void {
  display.html(animationHtml(frames, options));
}
