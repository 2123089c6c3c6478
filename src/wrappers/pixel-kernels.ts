/**
 * The SIMD kernels of `pixel-kernels.wat` behind a typed-array API, for the per-pixel loops of the
 * Atari preprocessing chain: the maximum of two frames (MaxAndSkip), RGB → gray (WarpFrame), which
 * bands of a frame changed (WarpFrame's incremental resize) and the interleaving of four frames
 * into a [H, W, 4] stack (FrameStack).
 *
 * Why: these loops touch every byte of every frame, and V8 runs a typed-array loop at about one
 * element per nanosecond without vectorising it; 128-bit WebAssembly SIMD does 16 bytes per
 * instruction. A frame is copied into the module's memory and the result copied out (a native copy
 * of 33 600 bytes takes about 0.3 µs), so callers keep ordinary typed arrays.
 *
 * Where WebAssembly SIMD is missing (Node < 16.4, old browsers), {@link pixelKernels} returns
 * `undefined` and each caller runs its JavaScript loop, which gives the same bytes (tests compare
 * the two on random frames).
 */
import { PIXEL_KERNELS_WASM_BASE64 } from "./pixel-kernels-wasm";

/** The parts of the WebAssembly JavaScript API used here (TypeScript declares them only with the DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: unknown };
}
/** A compiled module (opaque here). */
type WasmModule = { readonly __compiledWasm?: never };
const WASM = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface KernelExports {
  readonly memory: WasmMemory;
  max_u8(out: number, a: number, b: number, n: number): void;
  interleave4(out: number, p0: number, p1: number, p2: number, p3: number, n: number): void;
  changed_bands(a: number, b: number, bandBytes: number, bands: number, flags: number): number;
  rgb_to_gray(out: number, rgb: number, pixels: number): void;
}

/** Bytes left free after each region: the kernels read whole 16-byte vectors past its end. */
const SLACK = 64;
const PAGE_BYTES = 65_536;

/** One instance of the compiled kernels with its own memory, laid out afresh for each call (no allocation per call). */
export class PixelKernels {
  private readonly kernels: KernelExports;
  /** The module's memory as bytes (replaced when the memory grows, which detaches the old view). */
  private heap: Uint8Array;

  /** @param module the compiled `pixel-kernels.wat`. */
  constructor(module: WasmModule) {
    if (WASM === undefined) throw new Error("Expected a JavaScript engine with WebAssembly, got none");
    this.kernels = new WASM.Instance(module).exports as KernelExports;
    this.heap = new Uint8Array(this.kernels.memory.buffer);
  }

  /** `out[i] = max(a[i], b[i])`, as {@link pixelwiseMax} for uint8 frames. */
  maxU8(out: Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
    const n = out.length;
    const size = region(n);
    this.reserve(3 * size);
    this.heap.set(a, 0);
    this.heap.set(b, size);
    this.kernels.max_u8(2 * size, 0, size, n);
    out.set(this.heap.subarray(2 * size, 2 * size + n));
    return out;
  }

  /** OpenCV's RGB → gray of `out.length` pixels, as {@link rgbToGray}. */
  rgbToGray(rgb: Uint8Array, out: Uint8Array): Uint8Array {
    const pixels = out.length;
    const grayAt = region(pixels * 3);
    this.reserve(grayAt + region(pixels));
    this.heap.set(rgb, 0);
    this.kernels.rgb_to_gray(grayAt, 0, pixels);
    out.set(this.heap.subarray(grayAt, grayAt + pixels));
    return out;
  }

  /**
   * Interleaves four planes of `n` bytes into `out` (`4n` bytes): pixel i of plane k goes to
   * `out[4i + k]`, FrameStack's channels-last layout, plane 0 (the oldest frame) first.
   */
  interleave4(out: Uint8Array, p0: Uint8Array, p1: Uint8Array, p2: Uint8Array, p3: Uint8Array): Uint8Array {
    const n = p0.length;
    const plane = region(n);
    const outAt = 4 * plane;
    this.reserve(outAt + region(4 * n));
    this.heap.set(p0, 0);
    this.heap.set(p1, plane);
    this.heap.set(p2, 2 * plane);
    this.heap.set(p3, 3 * plane);
    this.kernels.interleave4(outAt, 0, plane, 2 * plane, 3 * plane, n);
    out.set(this.heap.subarray(outAt, outAt + 4 * n));
    return out;
  }

  /**
   * Which of the `flags.length` bands of `bandBytes` bytes differ between frames `a` and `b`:
   * `flags[k]` becomes 1 or 0.
   *
   * @returns how many bands differ.
   */
  changedBands(a: Uint8Array, b: Uint8Array, bandBytes: number, flags: Uint8Array): number {
    const bytes = bandBytes * flags.length;
    const frame = region(bytes);
    const flagsAt = 2 * frame;
    this.reserve(flagsAt + region(flags.length));
    this.heap.set(a.subarray(0, bytes), 0);
    this.heap.set(b.subarray(0, bytes), frame);
    const count = this.kernels.changed_bands(0, frame, bandBytes, flags.length, flagsAt);
    flags.set(this.heap.subarray(flagsAt, flagsAt + flags.length));
    return count;
  }

  /** Makes the memory at least `bytes` long (growing it detaches the old view, so renew it). */
  private reserve(bytes: number): void {
    const memory = this.kernels.memory;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    this.heap = new Uint8Array(memory.buffer);
  }
}

/**
 * The room one region of `bytes` takes in the kernels' memory: rounded up to 16-byte alignment,
 * with {@link SLACK} after it. Regions are laid out back to back from offset 0 for each call.
 */
function region(bytes: number): number {
  return Math.ceil((bytes + SLACK) / 16) * 16;
}

let compiled: WasmModule | null | undefined;
let shared: PixelKernels | undefined;
let enabled = true;

/**
 * The kernels of this thread (one instance, created on first use), or `undefined` where this
 * JavaScript engine has no WebAssembly SIMD or they were switched off with {@link setPixelSimd}.
 * JavaScript runs one call at a time per thread, so one scratch memory serves every caller.
 */
export function pixelKernels(): PixelKernels | undefined {
  if (!enabled) return undefined;
  if (compiled === undefined) {
    try {
      if (WASM === undefined) throw new Error("no WebAssembly");
      compiled = new WASM.Module(Buffer.from(PIXEL_KERNELS_WASM_BASE64, "base64"));
    } catch {
      compiled = null; // no WebAssembly, or no SIMD: the callers' JavaScript loops serve
    }
  }
  if (compiled === null) return undefined;
  shared ??= new PixelKernels(compiled);
  return shared;
}

/**
 * Switches the SIMD kernels on (the default, where available) or off, so that a benchmark or a test
 * can run the JavaScript loops for comparison.
 *
 * @returns whether they were on before.
 */
export function setPixelSimd(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/**
 * Runs `body` with the SIMD kernels switched on or off, and restores the setting afterwards (also
 * when `body` throws): how a benchmark or a test compares the kernels with the JavaScript loops.
 *
 * @example
 * const [simd, js] = [true, false].map((on) => withPixelSimd(on, () => timeOneStep()));
 */
export function withPixelSimd<T>(on: boolean, body: () => T): T {
  const before = setPixelSimd(on);
  try {
    return body();
  } finally {
    setPixelSimd(before);
  }
}
