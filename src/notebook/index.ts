/**
 * What a notebook can show: frames as PNG, rollouts as animated GIFs, plotly plots embedded for offline
 * use, tables, and live progress for long cells. Everything renders to bytes or HTML first (pure
 * functions, usable in plain node and tests) and is shown through the display abstraction in
 * `display.ts`, which talks to the tslab kernel when there is one.
 *
 * @example
 * import { showFrame, showAnimation, linePlot, showTable, LiveProgress } from "rl-workbook";
 */
export {
  createConsoleSink,
  createTslabSink,
  display,
  getDisplaySink,
  inNotebook,
  newDisplay,
  RecordingSink,
  setDisplaySink,
  withDisplaySink,
  type Display,
  type DisplayData,
  type DisplayMessage,
  type DisplaySink,
  type TslabModule,
  type TslabSinkOptions,
  type UpdatableDisplay,
} from "./display";
export { dataUri, escapeHtml, scriptJson, uniqueId } from "./html";
export { rgbaToRgb, rgbToRgba, scaledSize, scaleFrame, type FrameSizeOptions } from "./scale";
export { frameHtml, framePng, showFrame, type FramePngOptions } from "./png";
export { observationFrame, type ObservationFrameOptions } from "./observation-frame";
export { frameStripHtml, showFrameStrip, type FrameStripOptions, type StripFrame } from "./frame-strip";
export { encodeGif, GifEncoder, gifDelay, type GifEncoderOptions } from "./gif";
export { drawOverlay, type FrameOverlay, type OverlayStyle } from "./overlay";
export {
  animationGif,
  animationHtml,
  encodeAnimation,
  showAnimation,
  type AnimationHtmlOptions,
  type AnimationOptions,
  type EncodedAnimation,
} from "./animation";
export {
  linePlot,
  linePlotHtml,
  loadPlotly,
  plot,
  plotHtml,
  plotlyLoaderHtml,
  plotlySession,
  PlotlySession,
  resetPlotly,
  smoothSeries,
  type LinePlotOptions,
  type LineSeries,
  type PlotLayout,
  type PlotOptions,
  type PlotTrace,
  type ReferenceLine,
} from "./plot";
export { studentT975, summarizeSeeds, type SeedInterval, type SeedSummary, type SeedSummaryOptions } from "./seed-summary";
export { formatCell, showTable, tableHtml, type DataFrameLike, type TableData, type TableOptions } from "./table";
export { sparklineSvg, type SparklineOptions } from "./sparkline";
export { formatDuration, LiveProgress, type LiveProgressOptions, type ProgressInfo } from "./progress";
