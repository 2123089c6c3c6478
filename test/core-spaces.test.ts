import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../src/core/box";
import { Discrete } from "../src/core/discrete";

describe("Discrete", () => {
  it("samples every member and nothing else", () => {
    const space = new Discrete(3, { start: -1, seed: 0 });
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const action = space.sample();
      assert.ok(space.contains(action));
      seen.add(action);
    }
    assert.deepEqual([...seen].sort(), [-1, 0, 1]);
  });

  it("contains only integers in range, and no strings or booleans", () => {
    const space = new Discrete(2);
    assert.equal(space.contains(0), true);
    assert.equal(space.contains(1), true);
    assert.equal(space.contains(2), false);
    assert.equal(space.contains(-1), false);
    assert.equal(space.contains(1.5), false);
    assert.equal(space.contains("1"), false);
    assert.equal(space.contains(true), false);
    assert.equal(space.contains(NaN), false);
  });

  it("repeats its samples after seeding with the same seed", () => {
    const a = new Discrete(10);
    const b = new Discrete(10);
    assert.equal(a.seed(42), 42);
    b.seed(42);
    const fromA = Array.from({ length: 20 }, () => a.sample());
    assert.deepEqual(Array.from({ length: 20 }, () => b.sample()), fromA);
    a.seed(42);
    assert.deepEqual(Array.from({ length: 20 }, () => a.sample()), fromA);
  });

  it("returns the entropy seed it chose, which repeats the run", () => {
    const space = new Discrete(1000);
    const seed = space.seed();
    const first = Array.from({ length: 5 }, () => space.sample());
    space.seed(seed);
    assert.deepEqual(Array.from({ length: 5 }, () => space.sample()), first);
  });

  it("prints and explains itself as the error messages need", () => {
    const space = new Discrete(2);
    assert.equal(String(space), "Discrete(2)");
    assert.equal(String(new Discrete(3, { start: 1 })), "Discrete(3, start=1)");
    assert.equal(space.describeMember("a"), "an integer 0 ≤ a < 2");
    assert.equal(space.whyNotContained(1.5), "1.5 is not an integer");
    assert.equal(space.whyNotContained(2), "2 is not below 2");
    assert.equal(space.whyNotContained(1), undefined);
  });

  it("rejects a non-positive n", () => {
    assert.throws(() => new Discrete(0), /Expected n to be a positive integer, got 0/);
    assert.throws(() => new Discrete(2.5), /got 2\.5/);
  });
});

describe("Box", () => {
  const cartPoleLike = () =>
    new Box({ low: [-4.8, -Infinity, -0.42, -Infinity], high: [4.8, Infinity, 0.42, Infinity], seed: 3 });

  it("stores bounds in its dtype and infers the shape from array bounds", () => {
    const box = cartPoleLike();
    assert.deepEqual(box.shape, [4]);
    assert.equal(box.dtype, "float32");
    assert.ok(box.low instanceof Float32Array && box.high instanceof Float32Array);
    assert.equal(box.high[0], Math.fround(4.8));
    assert.equal(box.size, 4);
  });

  it("samples members of itself, bounded or not", () => {
    const box = cartPoleLike();
    for (let i = 0; i < 500; i++) {
      const sample = box.sample();
      assert.ok(sample instanceof Float32Array && sample.length === 4);
      assert.ok(box.contains(sample), `sample ${Array.from(sample)} outside the box`);
    }
    const halfOpen = new Box({ low: [0, -Infinity], high: [Infinity, 0], seed: 1 });
    for (let i = 0; i < 100; i++) {
      const [above, below] = halfOpen.sample();
      assert.ok(above! >= 0 && below! <= 0);
    }
  });

  it("samples integer boxes over every value, both bounds included", () => {
    const pixels = new Box({ low: 0, high: 3, shape: [2, 5], dtype: "uint8", seed: 0 });
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const sample = pixels.sample();
      assert.ok(sample instanceof Uint8Array && sample.length === 10);
      sample.forEach((value) => seen.add(value));
    }
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  });

  it("repeats its samples after seeding with the same seed", () => {
    const a = cartPoleLike();
    const b = cartPoleLike();
    assert.deepEqual(a.sample(), b.sample());
    assert.deepEqual(new Box({ low: 0, high: 255, shape: [2, 2], dtype: "uint8", seed: 1 }).sample(), new Uint8Array([94, 187, 91, 221]));
  });

  it("contains arrays of the right length within the bounds, typed or plain", () => {
    const box = new Box({ low: -1, high: 1, shape: [2] });
    assert.equal(box.contains(new Float32Array([0, 1])), true);
    assert.equal(box.contains([-1, 0.5]), true);
    assert.equal(box.contains(new Float32Array([0, 1.5])), false);
    assert.equal(box.contains(new Float32Array(3)), false);
    assert.equal(box.contains([0, NaN]), false);
    assert.equal(box.contains(["0", 0]), false);
    assert.equal(box.contains(0), false);
    assert.equal(box.contains(null), false);
    const integers = new Box({ low: 0, high: 10, shape: [1], dtype: "int32" });
    assert.equal(integers.contains([3]), true);
    assert.equal(integers.contains([3.5]), false);
  });

  it("checks a full-range image box by type and length alone, and still checks everything else", () => {
    const frame = new Box({ low: 0, high: 255, shape: [210, 160, 3], dtype: "uint8" });
    assert.equal(frame.contains(new Uint8Array(100800).fill(255)), true);
    assert.equal(frame.contains(new Uint8Array(100799)), false);
    assert.equal(frame.contains(new Uint16Array(100800).fill(256)), false, "another dtype is checked value by value");
    assert.equal(frame.contains(Array.from({ length: 100800 }, () => 256)), false);
    // Reading all 100,800 values takes a few hundred µs a check; the fast path takes well under 1 µs.
    const zeros = new Uint8Array(100800);
    const start = performance.now();
    for (let i = 0; i < 1000; i++) frame.contains(zeros);
    assert.ok(performance.now() - start < 50, `1000 frame checks took ${performance.now() - start} ms`);
    const partial = new Box({ low: 0, high: 1, shape: [4], dtype: "uint8" });
    assert.equal(partial.contains(new Uint8Array([0, 1, 2, 0])), false, "a narrower uint8 box still reads every value");
  });

  it("explains which index is out of bounds", () => {
    const box = new Box({ low: [-1, -2], high: [1, 2] });
    assert.equal(box.whyNotContained([0, 3]), "index 1 is 3, above high[1] = 2");
    assert.equal(box.whyNotContained([-5, 0]), "index 0 is -5, below low[0] = -1");
    assert.equal(box.whyNotContained(new Float32Array(3)), "its length is 3, not 2");
    assert.equal(box.whyNotContained([0, 0]), undefined);
  });

  it("prints like Gymnasium, with float32 bounds in their shortest form", () => {
    assert.equal(String(new Box({ low: 0, high: 255, shape: [84, 84], dtype: "uint8" })), "Box(0, 255, [84, 84], uint8)");
    assert.equal(
      String(new Box({ low: [-4.8, -Infinity], high: [4.8, Infinity] })),
      "Box([-4.8, -Infinity], [4.8, Infinity], [2], float32)",
    );
  });

  it("rejects bounds that would be clamped or rounded, and low above high", () => {
    assert.throws(() => new Box({ low: 0, high: 256, shape: [1], dtype: "uint8" }), /Expected high to be an integer in 0\.\.255 for dtype uint8, got 256/);
    assert.throws(() => new Box({ low: 0, high: Infinity, shape: [1], dtype: "int32" }), /got Infinity/);
    assert.throws(() => new Box({ low: 1, high: 0, shape: [1] }), /Expected low\[0\] ≤ high\[0\]/);
    assert.throws(() => new Box({ low: 0, high: 1 }), /Expected a shape/);
    assert.throws(() => new Box({ low: [0, 0], high: [1], shape: [2] }), /Expected high to be a number or have 2 elements, got 1/);
    assert.throws(() => new Box({ low: 0, high: 1, shape: [1], dtype: "float16" as "float32" }), /Expected dtype among/);
  });
});
