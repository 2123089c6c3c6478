import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AreaResize } from "../src/wrappers/area-resize";
import { IncrementalAreaResize } from "../src/wrappers/incremental-resize";
import { Rng } from "../src/core/rng";
import { make } from "../src/core/make";
import "../src/envs";

describe("IncrementalAreaResize", () => {
  it("gives the full area resize's result bit for bit while only a few rows change from frame to frame", () => {
    const rng = Rng.fromSeed(3);
    const full = new AreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const incremental = new IncrementalAreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const frame = Uint8Array.from({ length: 210 * 160 }, () => rng.integer(256));
    for (let t = 0; t < 60; t++) {
      // Change a few random rows (sometimes none, sometimes many, sometimes one pixel).
      const rows = t % 10 === 0 ? 0 : t % 7 === 0 ? 120 : rng.integer(6);
      for (let r = 0; r < rows; r++) {
        const y = rng.integer(210);
        for (let x = 0; x < 160; x++) if (rng.integer(3) === 0) frame[y * 160 + x] = rng.integer(256);
      }
      if (t === 5) frame[209 * 160 + 159] ^= 1;
      const expected = full.resize(frame, new Uint8Array(84 * 84));
      assert.deepEqual(incremental.resize(frame, new Uint8Array(84 * 84)), expected, `frame ${t}`);
      if (t === 0) assert.equal(incremental.bandsResized, 42, "the first frame is resized whole");
      if (t === 10) assert.equal(incremental.bandsResized, 0, "an unchanged frame resizes nothing");
      if (t === 5) assert.ok(incremental.bandsResized >= 1, "a one-pixel change is seen");
    }
  });

  it("matches the full resize on real Breakout play, resizing only a few of the 42 bands per frame", () => {
    const env = make("Breakout-v0", { obsType: "grayscale" });
    const full = new AreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const incremental = new IncrementalAreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
    const rng = Rng.fromSeed(0);
    env.reset({ seed: 0 });
    let resized = 0;
    for (let t = 0; t < 500; t++) {
      const { obs, terminated } = env.step(t % 50 === 0 ? 1 : rng.integer(4));
      assert.deepEqual(incremental.resize(obs, new Uint8Array(84 * 84)), full.resize(obs, new Uint8Array(84 * 84)));
      if (t > 0) resized += incremental.bandsResized;
      if (terminated) env.reset();
    }
    assert.ok(resized / 499 < 10, `expected a few bands per frame, got ${(resized / 499).toFixed(1)}`);
  });

  it("works for sizes whose bands are not 4-byte aligned, and rejects wrong sizes", () => {
    const full = new AreaResize({ height: 7, width: 5 }, { height: 3, width: 2 });
    const incremental = new IncrementalAreaResize({ height: 7, width: 5 }, { height: 3, width: 2 });
    const frame = Uint8Array.from({ length: 35 }, (_, i) => (i * 37) % 256);
    assert.deepEqual(incremental.resize(frame, new Uint8Array(6)), full.resize(frame, new Uint8Array(6)));
    frame[20] = 3;
    assert.deepEqual(incremental.resize(frame, new Uint8Array(6)), full.resize(frame, new Uint8Array(6)));
    assert.throws(() => incremental.resize(new Uint8Array(10), new Uint8Array(6)), /Expected a 7×5 frame \(35 bytes\), got 10 bytes/);
  });
});
