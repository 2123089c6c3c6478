/**
 * Numeric helpers shared by the tests that compare one tfjs backend with another. Not a test file:
 * node's runner picks up only *.test.js.
 */
import assert from "node:assert/strict";

/**
 * Deterministic uniform numbers in [low, high) from a mulberry32 stream, so a failing comparison
 * reproduces exactly. Default range [-1, 1): gradients of both signs.
 */
export function seededUniform(n: number, seed: number, low = -1, high = 1): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = low + (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * (high - low);
  }
  return out;
}

/** max |actual − expected| divided by max |expected|: the error relative to the values' scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, "sizes differ");
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}
