import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AdaptiveSpin } from "../src/vector/worker-spin";

/** A `done()` that turns true once `micros` have passed since the spin began. */
function after(micros: number): () => boolean {
  const start = performance.now();
  return () => (performance.now() - start) * 1000 >= micros;
}

describe("AdaptiveSpin (the vector envs' spin-then-sleep policy)", () => {
  it("forgives one failed spin and halves the budget on the second in a row", () => {
    const spin = new AdaptiveSpin(50);
    assert.equal(spin.until(() => false), false);
    assert.equal(spin.budgetMicrosNow, 50, "one long wait (a reset, a GC) says nothing about the machine");
    assert.equal(spin.until(after(1)), true);
    assert.equal(spin.until(() => false), false);
    assert.equal(spin.budgetMicrosNow, 50, "failures separated by a success are each forgiven");
    assert.equal(spin.until(() => false), false);
    assert.equal(spin.budgetMicrosNow, 25, "two failures in a row: the partner is not running meanwhile");
  });

  it("collapses under repeated failures, then skips spinning except for a full probe every 64 waits", () => {
    const spin = new AdaptiveSpin(50);
    let failures = 0;
    while (spin.budgetMicrosNow >= 2) {
      spin.until(() => false);
      failures++;
    }
    assert.equal(failures, 6, "50 µs halves below 2 µs after 1 forgiven and 5 counted failures");
    let calls = 0;
    const counting = (): boolean => {
      calls++;
      return false;
    };
    for (let i = 0; i < 63; i++) assert.equal(spin.until(counting), false);
    assert.equal(calls, 0, "no spin at all while collapsed");
    // The 64th wait probes with the full 50 µs; its partner answers after 20 µs.
    assert.equal(spin.until(after(20)), true);
    assert.ok(spin.budgetMicrosNow >= 50, `after a successful probe the budget covers the gap seen (4 × 20 µs, capped at 50): ${spin.budgetMicrosNow}`);
  });

  it("never spins with a maximum of 0 (more threads than cores)", () => {
    const spin = new AdaptiveSpin(0);
    let calls = 0;
    assert.equal(spin.until(() => ++calls > 0), false);
    assert.equal(calls, 0);
  });
});
