/**
 * Per-frame annotations drawn onto a (scaled) frame with canvas before it is encoded: step, action,
 * reward and return as text, Q-values as small bars, and a free-text caption. Drawn into the pixels rather
 * than as HTML around the image so they stay in sync with the animation frame by frame.
 */
import type { CanvasRenderingContext2D } from "canvas";
import type { Rect } from "./palette";

/**
 * What to write on one frame. Every field is optional; only given fields are drawn.
 *
 * @example
 * { step: 12, action: 1, reward: 1, episodeReturn: 12, qValues: [0.3, 0.8], caption: "greedy policy" }
 */
export interface FrameOverlay {
  /** Time step shown as `step 12`. */
  readonly step?: number;
  /** Action taken; a number is looked up in `actionNames` (and highlights its Q-value bar). */
  readonly action?: number | string;
  /** Reward received for this step. */
  readonly reward?: number;
  /** Return so far in the episode. */
  readonly episodeReturn?: number;
  /** Action values for this state, drawn as one bar per action (the taken or best action highlighted). */
  readonly qValues?: ArrayLike<number>;
  /** Any text, drawn along the bottom edge (truncated with "…" to fit). */
  readonly caption?: string;
}

/** How overlays look. */
export interface OverlayStyle {
  /** Names of the discrete actions, e.g. `["left", "right"]`, used for `action` and Q-value labels. */
  readonly actionNames?: readonly string[];
  /** Font size in pixels; default scales with the frame (10…16). */
  readonly fontSize?: number;
}

const BOX = "rgba(0,0,0,0.6)";
const TEXT = "#ffffff";
const BAR = "#6fa8dc";
const BAR_CHOSEN = "#ffd54a";

/** `true` if `overlay` has anything to draw. */
export function hasOverlayContent(overlay: FrameOverlay | undefined | null): overlay is FrameOverlay {
  if (overlay == null) return false;
  return (
    overlay.step !== undefined ||
    overlay.action !== undefined ||
    overlay.reward !== undefined ||
    overlay.episodeReturn !== undefined ||
    (overlay.qValues !== undefined && overlay.qValues.length > 0) ||
    (overlay.caption !== undefined && overlay.caption !== "")
  );
}

/** Formats a number compactly for overlays: integers as is, others with 2 decimals (1 when ≥ 100). */
export function formatOverlayNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(2);
}

/**
 * Draws `overlay` onto a canvas of `width`×`height`: an info box top-left, Q-value bars top-right (or
 * below the info box when the frame is too narrow), the caption bottom-left. Boxes are translucent
 * black with white text, so they read on light and dark frames alike.
 *
 * @param ctx a node-canvas 2D context, holding the frame or transparent (to composite later).
 * @returns the rectangles drawn into (clipped to the canvas), so callers can copy out only those.
 * @example
 * drawOverlay(ctx, 600, 400, { step: 3, action: 0, reward: 1 }, { actionNames: ["left", "right"] });
 */
export function drawOverlay(ctx: CanvasRenderingContext2D, width: number, height: number, overlay: FrameOverlay, style: OverlayStyle = {}): Rect[] {
  const drawn: Rect[] = [];
  const box = (x: number, y: number, w: number, h: number): void => {
    ctx.fillStyle = BOX;
    ctx.fillRect(x, y, w, h);
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(width, Math.ceil(x + w));
    const y1 = Math.min(height, Math.ceil(y + h));
    if (x1 > x0 && y1 > y0) drawn.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  };
  const fontSize = style.fontSize ?? Math.max(10, Math.min(16, Math.round(Math.min(width, height * 1.5) / 40)));
  if (!(fontSize > 0)) throw new RangeError(`Expected fontSize > 0, got ${fontSize}`);
  const names = style.actionNames;
  const pad = Math.max(2, Math.round(fontSize * 0.35));
  const lineHeight = Math.round(fontSize * 1.25);
  ctx.save();
  // Grey-level antialiasing, not subpixel: subpixel rendering adds coloured fringes, i.e. many extra
  // colours, which would push frames past the 256 a GIF palette holds exactly.
  ctx.antialias = "gray";
  ctx.font = `${fontSize}px "DejaVu Sans Mono", monospace`;
  ctx.textBaseline = "top";

  const lines: string[] = [];
  if (overlay.step !== undefined) lines.push(`step ${formatOverlayNumber(overlay.step)}`);
  if (overlay.action !== undefined) lines.push(`action ${actionLabel(overlay.action, names, true)}`);
  if (overlay.reward !== undefined) lines.push(`reward ${formatOverlayNumber(overlay.reward)}`);
  if (overlay.episodeReturn !== undefined) lines.push(`return ${formatOverlayNumber(overlay.episodeReturn)}`);
  let infoRight = 0;
  let infoBottom = 0;
  if (lines.length > 0) {
    const textWidth = Math.max(...lines.map((line) => ctx.measureText(line).width));
    const boxWidth = Math.min(width, Math.ceil(textWidth) + 2 * pad);
    const boxHeight = lines.length * lineHeight + 2 * pad;
    box(0, 0, boxWidth, boxHeight);
    ctx.fillStyle = TEXT;
    lines.forEach((line, i) => ctx.fillText(line, pad, pad + i * lineHeight));
    infoRight = boxWidth;
    infoBottom = boxHeight;
  }

  const q = overlay.qValues;
  if (q !== undefined && q.length > 0) {
    const labels = Array.from({ length: q.length }, (_, i) => actionLabel(i, names, false));
    const values = Array.from(q, (v) => formatOverlayNumber(v));
    const labelWidth = Math.ceil(Math.max(...labels.map((l) => ctx.measureText(l).width)));
    const valueWidth = Math.ceil(Math.max(...values.map((v) => ctx.measureText(v).width)));
    const barWidth = Math.max(20, Math.round(fontSize * 4));
    const panelWidth = Math.min(width, labelWidth + barWidth + valueWidth + 4 * pad);
    const rowHeight = lineHeight;
    const panelHeight = q.length * rowHeight + 2 * pad;
    // Right-aligned beside the info box if both fit, otherwise under it.
    const beside = infoRight + panelWidth + pad <= width;
    const x0 = beside ? width - panelWidth : 0;
    const y0 = beside ? 0 : infoBottom + (infoBottom > 0 ? pad : 0);
    let chosen = typeof overlay.action === "number" && overlay.action >= 0 && overlay.action < q.length ? overlay.action : -1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < q.length; i++) {
      const v = q[i]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        if (typeof overlay.action !== "number" && (chosen < 0 || v > q[chosen]!)) chosen = i;
      }
    }
    box(x0, y0, panelWidth, panelHeight);
    for (let i = 0; i < q.length; i++) {
      const y = y0 + pad + i * rowHeight;
      const v = q[i]!;
      ctx.fillStyle = TEXT;
      ctx.fillText(labels[i]!, x0 + pad, y);
      // Bars span min…max of this state's values (a sliver for the minimum so it stays visible).
      const fraction = !Number.isFinite(v) ? 0 : hi > lo ? (v - lo) / (hi - lo) : 1;
      const length = Math.max(1, Math.round(fraction * barWidth));
      ctx.fillStyle = i === chosen ? BAR_CHOSEN : BAR;
      ctx.fillRect(x0 + 2 * pad + labelWidth, y + Math.round(rowHeight * 0.15), length, Math.max(2, Math.round(rowHeight * 0.6)));
      ctx.fillStyle = TEXT;
      ctx.fillText(values[i]!, x0 + 3 * pad + labelWidth + barWidth, y);
    }
  }

  if (overlay.caption !== undefined && overlay.caption !== "") {
    const text = fitText(ctx, overlay.caption.replace(/\s+/g, " "), width - 2 * pad);
    const boxWidth = Math.min(width, Math.ceil(ctx.measureText(text).width) + 2 * pad);
    const boxHeight = lineHeight + 2 * pad;
    box(0, height - boxHeight, boxWidth, boxHeight);
    ctx.fillStyle = TEXT;
    ctx.fillText(text, pad, height - boxHeight + pad);
  }
  ctx.restore();
  return drawn;
}

function actionLabel(action: number | string, names: readonly string[] | undefined, withIndex: boolean): string {
  if (typeof action === "number" && names !== undefined && names[action] !== undefined) {
    return withIndex ? `${action} ${names[action]}` : names[action]!;
  }
  return String(action);
}

/** `text` shortened with "…" until it is at most `maxWidth` pixels wide. */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(text.slice(0, mid) + "…").width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + "…";
}
