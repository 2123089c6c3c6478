import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { asSchedule, constantSchedule, exponentialSchedule, linearSchedule } from "../src/agents/schedules";

const at = (numTimesteps: number, progress: number) => ({ numTimesteps, progress });

describe("schedules", () => {
  it("a linear schedule falls from initial to final over the fraction, then stays at final (SB3's get_linear_fn)", () => {
    const epsilon = linearSchedule({ initial: 1, final: 0.05, fraction: 0.1 });
    assert.equal(epsilon(at(0, 0)), 1);
    assert.ok(Math.abs(epsilon(at(5_000, 0.05)) - 0.525) < 1e-12);
    assert.equal(epsilon(at(10_000, 0.1)), 0.05);
    assert.equal(epsilon(at(90_000, 0.9)), 0.05);
  });

  it("a linear schedule with fraction 0 is final from the start", () => {
    assert.equal(linearSchedule({ initial: 1, final: 0.1, fraction: 0 })(at(0, 0)), 0.1);
  });

  it("an exponential schedule multiplies by decay every `every` env steps, down to the floor (the notes' epsilon *= 0.95)", () => {
    const epsilon = exponentialSchedule({ initial: 1, decay: 0.95, every: 1200, floor: 0.01 });
    assert.equal(epsilon(at(0, 0)), 1);
    assert.equal(epsilon(at(1199, 0)), 1);
    assert.equal(epsilon(at(1200, 0)), 0.95);
    assert.ok(Math.abs(epsilon(at(2400, 0)) - 0.9025) < 1e-12);
    assert.equal(epsilon(at(10_000_000, 1)), 0.01);
    // The notes' loop, step by step, gives the same values.
    let loop = 1;
    for (let k = 1; k <= 100; k++) {
      loop = Math.max(0.01, loop * 0.95);
      assert.ok(Math.abs(epsilon(at(k * 1200, 0)) - loop) < 1e-12, `after ${k} decays`);
    }
  });

  it("a constant schedule returns its value, and asSchedule turns numbers into constant schedules", () => {
    assert.equal(constantSchedule(0.1)(at(123, 0.4)), 0.1);
    assert.equal(asSchedule(1e-3)(at(0, 0)), 1e-3);
    const custom = () => 7;
    assert.equal(asSchedule(custom), custom);
  });

  it("rejects impossible settings with a sentence", () => {
    assert.throws(() => linearSchedule({ initial: 1, final: 0.05, fraction: 1.5 }), /Expected fraction to be in \[0, 1\], got 1.5/);
    assert.throws(() => exponentialSchedule({ initial: 1, decay: 1.2, every: 10 }), /Expected decay to be in \(0, 1\], got 1.2/);
    assert.throws(() => exponentialSchedule({ initial: 1, decay: 0.9, every: 0 }), /Expected every to be a positive integer/);
    assert.throws(() => constantSchedule(NaN), /Expected value to be a finite number, got NaN/);
    assert.throws(() => linearSchedule({ initial: 1, final: 0, fraction: 0.5 })(at(0, 2)), /progress in \[0, 1\]/);
  });
});
