import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/core/rng";

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

describe("Rng", () => {
  it("gives the same sequence for the same seed", () => {
    assert.deepEqual(draws(Rng.fromSeed(123), 100), draws(Rng.fromSeed(123), 100));
    const a = Rng.fromSeed(9);
    const b = Rng.fromSeed(9);
    for (let i = 0; i < 50; i++) {
      assert.equal(a.uniform(-1, 1), b.uniform(-1, 1));
      assert.equal(a.normal(), b.normal());
      assert.equal(a.integer(7), b.integer(7));
    }
  });

  it("gives unrelated sequences for neighbouring seeds", () => {
    const zero = draws(Rng.fromSeed(0), 64);
    const one = draws(Rng.fromSeed(1), 64);
    assert.equal(zero.filter((value, i) => value === one[i]).length, 0);
  });

  it("uses every bit of a large seed", () => {
    assert.notDeepEqual(draws(Rng.fromSeed(2 ** 40), 8), draws(Rng.fromSeed(2 ** 40 + 2 ** 33), 8));
  });

  it("reproduces the documented examples", () => {
    const rng = Rng.fromSeed(42);
    assert.equal(rng.uniform(-0.05, 0.05), -0.022041677155589457);
    assert.equal(rng.integer(6), 5);
    assert.equal(Rng.fromSeed(0).random(), 0.12713332855302395);
    assert.equal(Rng.fromSeed(1).integers(10, 20), 14);
  });

  it("keeps draws in their ranges", () => {
    const rng = Rng.fromSeed(5);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.random();
      assert.ok(u >= 0 && u < 1);
      const x = rng.uniform(-0.05, 0.05);
      assert.ok(x >= -0.05 && x < 0.05);
      const k = rng.integer(3);
      assert.ok(k === 0 || k === 1 || k === 2);
      const j = rng.integers(-2, 2);
      assert.ok(Number.isInteger(j) && j >= -2 && j < 2);
      assert.ok(rng.exponential() >= 0);
    }
  });

  it("samples integers and floats with the right frequencies", () => {
    const rng = Rng.fromSeed(11);
    const counts = [0, 0, 0, 0, 0, 0];
    const n = 60_000;
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < n; i++) {
      counts[rng.integer(6)]! += 1;
      const z = rng.normal();
      sum += z;
      sumOfSquares += z * z;
    }
    for (const count of counts) assert.ok(Math.abs(count - n / 6) < 400, `count ${count} far from ${n / 6}`);
    assert.ok(Math.abs(sum / n) < 0.02, `normal mean ${sum / n}`);
    assert.ok(Math.abs(sumOfSquares / n - 1) < 0.03, `normal variance ${sumOfSquares / n}`);
  });

  it("spawns children that are deterministic, distinct from each other and from the parent", () => {
    const children = Rng.fromSeed(7).spawn(8);
    const again = Rng.fromSeed(7).spawn(8);
    const streams = children.map((child) => draws(child, 32));
    again.forEach((child, i) => assert.deepEqual(draws(child, 32), streams[i]));
    const parent = draws(Rng.fromSeed(7), 32);
    for (let i = 0; i < streams.length; i++) {
      assert.equal(streams[i]!.filter((value, k) => value === parent[k]).length, 0, `child ${i} shares draws with its parent`);
      for (let j = i + 1; j < streams.length; j++) {
        assert.equal(streams[i]!.filter((value, k) => value === streams[j]![k]).length, 0, `children ${i} and ${j} share draws`);
      }
    }
  });

  it("derives children from the seed, not from how much the parent has drawn", () => {
    const fresh = Rng.fromSeed(3);
    const used = Rng.fromSeed(3);
    draws(used, 1000);
    assert.deepEqual(draws(fresh.spawn(2)[1]!, 16), draws(used.spawn(2)[1]!, 16));
  });

  it("gives new children on a second spawn call", () => {
    const rng = Rng.fromSeed(3);
    const [first] = rng.spawn(1);
    const [second] = rng.spawn(1);
    assert.notDeepEqual(draws(first!, 8), draws(second!, 8));
    assert.deepEqual(draws(Rng.fromSeed(3).spawn(2)[1]!, 8), draws(Rng.fromSeed(3).spawn(2)[1]!, 8));
  });

  it("spawns grandchildren that differ from children", () => {
    const [child] = Rng.fromSeed(1).spawn(1);
    const [grandchild] = child!.spawn(1);
    const [sibling] = Rng.fromSeed(1).spawn(2).slice(1);
    const grandchildDraws = draws(grandchild!, 16);
    assert.notDeepEqual(grandchildDraws, draws(Rng.fromSeed(1).spawn(1)[0]!, 16));
    assert.notDeepEqual(grandchildDraws, draws(sibling!, 16));
  });

  it("creates a different stream from entropy each time", () => {
    assert.notDeepEqual(draws(Rng.fromEntropy(), 4), draws(Rng.fromEntropy(), 4));
    assert.equal(Rng.fromEntropy().seed, undefined);
    assert.equal(Rng.from(5).seed, 5);
  });

  it("rejects invalid seeds and arguments with a message naming the value", () => {
    assert.throws(() => Rng.fromSeed(-1), /Expected seed to be a non-negative integer.*got -1/);
    assert.throws(() => Rng.fromSeed(1.5), /got 1\.5/);
    assert.throws(() => Rng.fromSeed("1" as unknown as number), /got "1"/);
    assert.throws(() => Rng.fromSeed(0).integer(0), /Expected n to be a positive safe integer, got 0/);
    assert.throws(() => Rng.fromSeed(0).uniform(1, 0), /low ≤ high/);
    assert.throws(() => Rng.fromSeed(0).integers(3, 3), /low < high/);
    assert.throws(() => Rng.fromSeed(0).spawn(-1), /non-negative integer/);
  });

  it("draws integers beyond 2^32 without bias towards small values", () => {
    const rng = Rng.fromSeed(2);
    const n = 3 * 2 ** 40;
    let above = 0;
    for (let i = 0; i < 3000; i++) {
      const k = rng.integer(n);
      assert.ok(Number.isInteger(k) && k >= 0 && k < n);
      if (k >= n / 2) above += 1;
    }
    assert.ok(Math.abs(above - 1500) < 150, `${above} of 3000 in the upper half`);
  });
});
