/**
 * A single frame as a PNG image: rendered to bytes with node-canvas ({@link framePng}), wrapped in an
 * `<img>` for composing pages ({@link frameHtml}), or shown inline in the notebook ({@link showFrame}).
 * PNG is lossless, so the picture shows exactly the pixels the agent saw.
 */
import { createCanvas, createImageData } from "canvas";
import { assertRgbFrame, type RgbFrame } from "../core/frame";
import { display } from "./display";
import { dataUri, escapeHtml } from "./html";
import { rgbToRgba, scaleFrame, type FrameSizeOptions } from "./scale";

/** Options for {@link framePng} and friends: the size (see {@link FrameSizeOptions}). */
export type FramePngOptions = FrameSizeOptions;

/**
 * Encodes `frame` as PNG, scaled with nearest neighbour.
 *
 * @param frame an RGB frame (validated with `assertRgbFrame`).
 * @param options `{ scale }` (integer, default 1) or `{ fitWidth }` (pixels).
 * @returns the PNG file bytes.
 * @example
 * const png = framePng(env.render(), { scale: 2 });
 * fs.writeFileSync("frame.png", png);
 */
export function framePng(frame: RgbFrame, options: FramePngOptions = {}): Uint8Array {
  assertRgbFrame(frame);
  const scaled = scaleFrame(frame, options);
  const canvas = createCanvas(scaled.width, scaled.height);
  const ctx = canvas.getContext("2d");
  ctx.putImageData(createImageData(rgbToRgba(scaled), scaled.width, scaled.height), 0, 0);
  // Level 6 is zlib's default balance; these images are small, and flat env frames compress well.
  const buffer = canvas.toBuffer("image/png", { compressionLevel: 6 });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * `frame` as an `<img>` with the PNG inlined as a data URI, for pages that combine several outputs.
 *
 * @param options size options plus `alt` text (default `"frame W×H"`).
 * @returns an HTML fragment.
 * @example
 * display.html(frameHtml(frame, { scale: 3, alt: "start state" }));
 */
export function frameHtml(frame: RgbFrame, options: FramePngOptions & { readonly alt?: string } = {}): string {
  const { alt, ...size } = options;
  const scaled = scaleFrame(frame, size);
  const png = framePng(scaled);
  const text = alt ?? `frame ${frame.width}×${frame.height}`;
  return (
    `<img src="${dataUri("image/png", png)}" width="${scaled.width}" height="${scaled.height}" ` +
    `alt="${escapeHtml(text)}" style="image-rendering:pixelated">`
  );
}

/**
 * Shows `frame` inline in the notebook as an `image/png` output (kept by nbconvert's HTML export).
 * Outside a kernel this goes to the display fallback (see `display.ts`).
 *
 * @example
 * showFrame(env.render(), { scale: 4 });
 */
export function showFrame(frame: RgbFrame, options: FramePngOptions = {}): void {
  display.png(framePng(frame, options));
}
