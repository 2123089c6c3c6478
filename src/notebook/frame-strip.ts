/**
 * Several frames side by side with a caption under each: the stages of a preprocessing pipeline, the
 * four frames of a stack, two consecutive flickering frames. One `text/html` output of inline PNGs,
 * so it survives nbconvert's HTML export and works offline.
 */
import type { RgbFrame } from "../core/frame";
import { display } from "./display";
import { escapeHtml } from "./html";
import { frameHtml } from "./png";
import { scaledSize, type FrameSizeOptions } from "./scale";

/** One picture of a {@link frameStripHtml}: the frame, its caption, and optionally its own size. */
export interface StripFrame {
  readonly frame: RgbFrame;
  /** Caption under the picture (plain text). */
  readonly label?: string;
  /** Size of this picture; default the strip's. */
  readonly size?: FrameSizeOptions;
}

/** Options of {@link frameStripHtml}: a default size for every picture and a title above the strip. */
export interface FrameStripOptions extends FrameSizeOptions {
  readonly title?: string;
}

/**
 * The HTML of a row of captioned frames (wrapping on narrow pages), each scaled with nearest
 * neighbour so pixels stay crisp.
 *
 * @example
 * frameStripHtml([{ frame: raw, label: "210×160 RGB" }, { frame: small, label: "84×84 grey", size: { scale: 2 } }], { title: "Preprocessing" });
 */
export function frameStripHtml(frames: readonly StripFrame[], options: FrameStripOptions = {}): string {
  if (!Array.isArray(frames) || frames.length === 0) throw new RangeError(`Expected at least one { frame, label } to show, got ${Array.isArray(frames) ? "none" : typeof frames}`);
  const { title, ...size } = options;
  const figures = frames.map(({ frame, label, size: own }, i) => {
    const caption = label ?? `frame ${i + 1}`;
    const width = scaledSize(frame, own ?? size).width;
    return (
      `<figure style="margin:0 12px 8px 0;display:inline-block;vertical-align:top;text-align:center">` +
      frameHtml(frame, { ...(own ?? size), alt: caption }) +
      `<figcaption style="font-size:12px;color:#444;max-width:${Math.max(width, 120)}px;margin:4px auto 0">${escapeHtml(caption)}</figcaption></figure>`
    );
  });
  const heading = title === undefined ? "" : `<div style="font-weight:600;margin-bottom:6px">${escapeHtml(title)}</div>`;
  return `<div class="rlwb-frame-strip">${heading}<div style="display:flex;flex-wrap:wrap;align-items:flex-end">${figures.join("")}</div></div>`;
}

/**
 * Shows a row of captioned frames in the notebook.
 *
 * @example
 * showFrameStrip(stages.map((s) => ({ frame: s.frame, label: s.name })), { scale: 2 });
 */
export function showFrameStrip(frames: readonly StripFrame[], options: FrameStripOptions = {}): void {
  display.html(frameStripHtml(frames, options));
}
