import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FrameReplayBuffer, type FrameReplayBufferOptions } from "../src/agents/frame-replay-buffer";
import { findShiftMismatch, rowsEqual } from "../src/agents/frame-stack-checks";
import { FrameStore } from "../src/agents/frame-store";
import { ReplayBuffer } from "../src/agents/replay-buffer";
import type { ReplayBatch, StoredTransition, TransitionStore } from "../src/agents/replay-types";
import type { Env } from "../src/core/env";
import { Rng } from "../src/core/rng";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import type { AutoresetMode } from "../src/vector/types";
import { StackFrames, TaggedFramesEnv, expectedStack, readTag, type StackFramesOptions } from "./support/frame-stack-envs";

const MODES: readonly AutoresetMode[] = ["next-step", "same-step"];

/** A vector env of tagged-frame sub-envs (sub-env i has tag i) stacked by StackFrames. */
interface FrameWorld {
  readonly envs: SyncVectorEnv<Uint8Array, number>;
  readonly subEnvs: TaggedFramesEnv[];
  readonly pixels: number;
  readonly stack: FrameStackLayout;
}

type FrameStackLayout = StackFramesOptions & { readonly height: number; readonly width: number };

function frameWorld(options: { numEnvs: number; autoreset: AutoresetMode; maxLength: number; stack?: Partial<FrameStackLayout> }): FrameWorld {
  const stack: FrameStackLayout = { stack: 4, height: 2, width: 3, ...options.stack };
  const subEnvs: TaggedFramesEnv[] = [];
  const factories = Array.from({ length: options.numEnvs }, (_, tag) => () => {
    const env = new TaggedFramesEnv({ tag, maxLength: options.maxLength, height: stack.height, width: stack.width });
    subEnvs[tag] = env;
    return new StackFrames(env, stack) as Env<Uint8Array, number>;
  });
  return { envs: new SyncVectorEnv(factories, { autoreset: options.autoreset }), subEnvs, pixels: stack.height * stack.width, stack };
}

/** Random actions for `steps` vector steps, every step fed to each buffer; returns what each addVectorStep returned. */
function feed(world: FrameWorld, buffers: readonly TransitionStore[], options: { steps: number; seed: number; resetAt?: number }): number[][] {
  const { envs } = world;
  const rng = Rng.fromSeed(options.seed);
  let obs = envs.reset({ seed: options.seed }).obs;
  const added: number[][] = buffers.map(() => []);
  for (let t = 0; t < options.steps; t++) {
    if (t === options.resetAt) {
      obs = envs.reset().obs; // a manual reset: the buffers must be told
      buffers.forEach((buffer, j) => added[j]!.push(buffer.endEpisodes()));
    }
    const actions = Int32Array.from({ length: envs.numEnvs }, () => rng.integer(2));
    const result = envs.step(actions);
    buffers.forEach((buffer, j) => added[j]!.push(buffer.addVectorStep({ obs, actions, result })));
    obs = result.obs;
  }
  return added;
}

/**
 * Checks a stored transition against what the env really produced, read off the tags of its
 * frames: obs is the stack of (env, episode, t), nextObs the stack `steps` later in the same
 * episode, the flags say how that episode ended exactly when nextObs is its last step (or, with
 * `manualResets`, a truncation where the caller reset the envs), and (for one-step transitions)
 * the reward is the env's.
 */
function assertTrueTransition(world: FrameWorld, t: Omit<StoredTransition, "discount">, where: string, manualResets = false): void {
  const { stack: k, padding } = world.stack;
  const layout = { pixels: world.pixels, stack: k, ...(padding ? { padding } : {}) };
  const from = readTag(t.obs, { stack: k, channel: k - 1 });
  const to = readTag(t.nextObs, { stack: k, channel: k - 1 });
  assert.equal(from.tag, t.envId, `${where}: obs comes from env ${t.envId}`);
  assert.deepEqual(t.obs, expectedStack(from, layout), `${where}: obs is the stack env ${from.tag} showed at step ${from.t} of episode ${from.episode}`);
  assert.deepEqual(to, { ...from, t: from.t + t.steps }, `${where}: nextObs is ${t.steps} steps later in the same episode`);
  assert.deepEqual(t.nextObs, expectedStack(to, layout), `${where}: nextObs is the stack env ${to.tag} showed`);
  const episode = world.subEnvs[from.tag]!.episodes[from.episode]!;
  const ended = to.t === episode.length;
  if (manualResets && !ended && t.truncated && !t.terminated) return; // cut by the caller's reset (endEpisodes)
  assert.equal(t.terminated, ended && episode.end !== "truncated", `${where}: terminated`);
  assert.equal(t.truncated, ended && episode.end !== "terminated", `${where}: truncated`);
  if (t.steps === 1) assert.equal(t.reward, to.t + t.action / 2, `${where}: reward`);
}

/** Row b of a batch as a transition, with the stored fields the batch does not carry. */
function batchRow(buffer: TransitionStore, batch: ReplayBatch, b: number): Omit<StoredTransition, "discount"> {
  const size = buffer.obsSize;
  const stored = buffer.transitionAt(batch.indices[b]!);
  assert.deepEqual([batch.actions[b], batch.rewards[b], batch.terminated[b], batch.discounts[b]], [stored.action, stored.reward, stored.terminated ? 1 : 0, stored.discount]);
  return { ...stored, obs: batch.obs.slice(b * size, (b + 1) * size), nextObs: batch.nextObs.slice(b * size, (b + 1) * size) };
}

/** Every transition the buffer holds, by slot (it may have dropped early ones, so skip slots it does not hold). */
function liveTransitions(buffer: TransitionStore): StoredTransition[] {
  const live: StoredTransition[] = [];
  for (let slot = 0; slot < buffer.capacity; slot++) {
    try {
      live.push(buffer.transitionAt(slot));
    } catch {
      // not a stored transition
    }
  }
  return live;
}

function frameBuffer(world: FrameWorld, options: Partial<FrameReplayBufferOptions> = {}): FrameReplayBuffer {
  const { height, width, stack } = world.stack;
  return new FrameReplayBuffer({ capacity: 150, obsShape: [height, width, stack], numEnvs: world.envs.numEnvs, autoreset: world.envs.autoreset, seed: 0, ...options });
}

describe("FrameReplayBuffer gives back exactly the stacks the env produced", () => {
  it("runs the example in its doc comment", () => {
    const buffer = new FrameReplayBuffer({ capacity: 10, obsShape: [1, 1, 2], seed: 0 });
    buffer.add({ obs: [5, 5], action: 0, reward: 1, nextObs: [5, 6], terminated: false, truncated: false });
    buffer.add({ obs: [5, 6], action: 1, reward: 1, nextObs: [6, 7], terminated: true, truncated: false });
    assert.equal(buffer.framesWritten, 3);
    assert.deepEqual(Array.from(buffer.transitionAt(1).obs), [5, 6]);
    assert.deepEqual(Array.from(buffer.sample(2).nextObs), [5, 6, 6, 7]);
  });

  for (const autoreset of MODES) {
    it(`${autoreset}: every stored and sampled obs and nextObs is the env's stack, across episode ends of every kind, 3 interleaved sub-envs and a wrapped ring`, () => {
      const world = frameWorld({ numEnvs: 3, autoreset, maxLength: 12 });
      const buffer = frameBuffer(world, { frameCapacity: 500 });
      feed(world, [buffer], { steps: 200, seed: 1 });
      assert.equal(buffer.size, 150, "600 env steps went into 150 slots: the ring wrapped");
      assert.equal(buffer.droppedEarly, 0);
      const live = liveTransitions(buffer);
      assert.equal(live.length, 150);
      live.forEach((t, slot) => assertTrueTransition(world, t, `slot ${slot}`));
      const ends = (kind: "terminated" | "truncated") => live.filter((t) => t[kind]).length;
      assert.ok(ends("terminated") > 5 && ends("truncated") > 5, `both endings stored, got ${ends("terminated")} terminated, ${ends("truncated")} truncated`);
      const batch = buffer.createBatch(32);
      for (let draw = 0; draw < 20; draw++) {
        buffer.sampleInto(batch);
        for (let b = 0; b < 32; b++) assertTrueTransition(world, batchRow(buffer, batch, b), `draw ${draw} row ${b}`);
      }
      world.envs.close();
    });
  }

  it("stores each frame once: one frame per transition plus one per episode start (reset padding), none for nextObs", () => {
    for (const autoreset of MODES) {
      const world = frameWorld({ numEnvs: 3, autoreset, maxLength: 12 });
      const buffer = frameBuffer(world, { capacity: 1000 });
      const stored = feed(world, [buffer], { steps: 100, seed: 2 })[0]!.reduce((sum, n) => sum + n, 0);
      const episodeStarts = world.subEnvs.reduce((sum, env) => sum + env.episodes.length, 0);
      assert.equal(buffer.framesWritten, stored + episodeStarts, autoreset);
      world.envs.close();
    }
  });

  it("runs the examples of FrameStore and the stack checks", () => {
    const frames = new FrameStore({ frameCapacity: 8, frameSize: 1, stack: 2, onOverwrite: () => {} });
    const start = frames.appendStack([7, 7], 0);
    assert.equal(start, 0);
    const next = frames.append([7, 9], 0, 1, start);
    assert.equal(next, 1);
    const out = new Float32Array(2);
    frames.writeStack(next, out, 0);
    assert.deepEqual(out, Float32Array.of(7, 9));
    const layout = { height: 1, width: 1, stack: 3 };
    assert.equal(findShiftMismatch({ obs: [1, 2, 3], obsOffset: 0, next: [2, 3, 4], nextOffset: 0 }, layout), undefined);
    assert.deepEqual(findShiftMismatch({ obs: [1, 2, 3], obsOffset: 0, next: [3, 2, 4], nextOffset: 0 }, layout), { channel: 0, pixel: 0 });
    assert.equal(rowsEqual({ a: [1, 2, 3], aOffset: 1, b: [2, 3], bOffset: 0 }, 2), true);
    // The word-at-a-time paths (aligned bytes, stacks of 4) find what the plain loops find.
    const obs = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    assert.equal(findShiftMismatch({ obs, obsOffset: 0, next: Uint8Array.of(2, 3, 4, 9, 6, 7, 8, 9), nextOffset: 0 }, { height: 1, width: 2, stack: 4 }), undefined);
    assert.deepEqual(findShiftMismatch({ obs, obsOffset: 0, next: Uint8Array.of(2, 3, 4, 9, 6, 0, 8, 9), nextOffset: 0 }, { height: 1, width: 2, stack: 4 }), { channel: 1, pixel: 1 });
    assert.equal(rowsEqual({ a: obs, aOffset: 4, b: Uint8Array.of(5, 6, 7, 8), bOffset: 0 }, 4), true);
    assert.equal(rowsEqual({ a: obs, aOffset: 4, b: Uint8Array.of(5, 6, 7, 0), bOffset: 0 }, 4), false);
  });

  it("keeps a repeated frame that is not padding (a static screen) when a stack starts mid-stream", () => {
    const buffer = new FrameReplayBuffer({ capacity: 10, obsShape: [1, 1, 4], seed: 0 });
    buffer.add({ obs: [3, 3, 8, 8], action: 0, reward: 0, nextObs: [3, 8, 8, 9], terminated: false, truncated: false });
    assert.equal(buffer.framesWritten, 4, "3 (the padding, once), 8, 8 again, 9");
    assert.deepEqual(Array.from(buffer.transitionAt(0).obs), [3, 3, 8, 8]);
    assert.deepEqual(Array.from(buffer.transitionAt(0).nextObs), [3, 8, 8, 9]);
  });

  it("reproduces zero padding (Gymnasium's padding_type 'zero') and stacks of 3 frames", () => {
    const world = frameWorld({ numEnvs: 2, autoreset: "same-step", maxLength: 6, stack: { stack: 3, padding: "zero", height: 3, width: 3 } });
    const buffer = frameBuffer(world, { capacity: 100, frameCapacity: 400 });
    feed(world, [buffer], { steps: 80, seed: 3 });
    assert.equal(buffer.size, 100);
    liveTransitions(buffer).forEach((t, slot) => assertTrueTransition(world, t, `slot ${slot}`));
    world.envs.close();
  });
});

describe("FrameReplayBuffer and ReplayBuffer", () => {
  for (const autoreset of MODES) {
    it(`${autoreset}: the same stream and seed give the same slots and the same batches (n-step 3, a manual reset, a wrapped ring)`, () => {
      const world = frameWorld({ numEnvs: 4, autoreset, maxLength: 10 });
      const options = { capacity: 120, obsShape: [2, 3, 4], numEnvs: 4, autoreset, nStep: 3, gamma: 0.9, seed: 11 };
      const plain = new ReplayBuffer({ ...options, obsDtype: "uint8" });
      const frames = new FrameReplayBuffer({ ...options, frameCapacity: 400 });
      const [addedPlain, addedFrames] = feed(world, [plain, frames], { steps: 150, seed: 4, resetAt: 75 });
      assert.deepEqual(addedFrames, addedPlain, "each step stored as many transitions");
      assert.equal(frames.size, 120);
      assert.equal(frames.droppedEarly, 0);
      for (let slot = 0; slot < 120; slot++) {
        const stored = frames.transitionAt(slot);
        assert.deepEqual(stored, plain.transitionAt(slot), `slot ${slot}`);
        assertTrueTransition(world, stored, `slot ${slot}`, true);
      }
      assert.ok(liveTransitions(frames).some((t) => t.steps === 3) && liveTransitions(frames).some((t) => t.steps < 3));
      for (let draw = 0; draw < 30; draw++) assert.deepEqual(frames.sample(16), plain.sample(16), `draw ${draw}`);
      world.envs.close();
    });
  }
});

describe("FrameReplayBuffer when frames run out", () => {
  it("never samples a transition whose frames were overwritten: with 1–2 step episodes it drops the oldest transitions early", () => {
    const world = frameWorld({ numEnvs: 2, autoreset: "next-step", maxLength: 2 });
    const buffer = frameBuffer(world, { capacity: 200 }); // the default frameCapacity: 270 here
    feed(world, [buffer], { steps: 400, seed: 5 });
    assert.ok(buffer.droppedEarly > 0, "short episodes need more frames than the default keeps");
    assert.ok(buffer.size < 200 && buffer.size > 100, `size ${buffer.size}`);
    const live = liveTransitions(buffer);
    assert.equal(live.length, buffer.size);
    live.forEach((t, index) => assertTrueTransition(world, t, `live transition ${index}`));
    for (let draw = 0; draw < 20; draw++) {
      const batch = buffer.sample(32);
      for (let b = 0; b < 32; b++) assertTrueTransition(world, batchRow(buffer, batch, b), `draw ${draw} row ${b}`);
    }
    world.envs.close();
  });

  it("forgets the stack of an env left idle while add() fills the frames from another, and stores its next obs whole", () => {
    const make = (tag: number) => new StackFrames(new TaggedFramesEnv({ tag, maxLength: 1000, height: 2, width: 3 }), { stack: 4 });
    const [busy, idle] = [make(0), make(1)];
    const world = { subEnvs: [busy.env, idle.env] as TaggedFramesEnv[], pixels: 6, stack: { stack: 4, height: 2, width: 3 } } as unknown as FrameWorld;
    const buffer = new FrameReplayBuffer({ capacity: 20, obsShape: [2, 3, 4], numEnvs: 2, seed: 0, frameCapacity: 20 + 2 * 6 * 5 });
    const step = (env: StackFrames, obs: Uint8Array, envId: number) => {
      const result = env.step(0);
      buffer.add({ obs, action: 0, reward: result.reward, nextObs: result.obs, terminated: result.terminated, truncated: result.truncated }, envId);
      return result.obs;
    };
    let idleObs = step(idle, idle.reset({ seed: 1 }).obs, 1);
    let busyObs = busy.reset({ seed: 0 }).obs;
    for (let t = 0; t < 200; t++) busyObs = step(busy, busyObs, 0);
    idleObs = step(idle, idleObs, 1); // its old frames are gone: no error, and stored exactly
    assertTrueTransition(world, liveTransitions(buffer).find((t) => t.envId === 1)!, "the idle env's transition");
    assert.equal(readTag(idleObs, { stack: 4, channel: 3 }).t, 2);
  });
});

describe("FrameReplayBuffer checks", () => {
  it("rejects observations that are not frame stacks (newest frame first), naming the problem, and stores nothing", () => {
    const world = frameWorld({ numEnvs: 2, autoreset: "next-step", maxLength: 5, stack: { order: "newest-first" } });
    const buffer = frameBuffer(world);
    assert.throws(() => feed(world, [buffer], { steps: 1, seed: 6 }), /Expected env 0's next observation to be its observation shifted by one frame .*newest-first stack/);
    assert.equal(buffer.size, 0);
    assert.equal(buffer.framesWritten, 0);
    world.envs.close();
  });

  it("rejects colour channels (RGB) taken for a stack", () => {
    const buffer = new FrameReplayBuffer({ capacity: 10, obsShape: [1, 2, 3] });
    const rgb = (shade: number) => [shade, 40, 200, shade + 1, 41, 201];
    assert.throws(() => buffer.add({ obs: rgb(10), action: 0, reward: 0, nextObs: rgb(20), terminated: false, truncated: false }), {
      message: /^Expected env 0's next observation .* got nextObs channel 0 = 20 but obs channel 1 = 40 at pixel \(row 0, column 0\)\. .*\(RGB colours\)/,
    });
  });

  it("rejects an obs that is not what the env's previous step returned, and starts afresh after endEpisodes()", () => {
    const world = frameWorld({ numEnvs: 2, autoreset: "same-step", maxLength: 50 });
    const buffer = frameBuffer(world);
    const first = world.envs.reset({ seed: 7 }).obs;
    const result = world.envs.step([0, 1]);
    assert.equal(buffer.addVectorStep({ obs: first, actions: [0, 1], result }), 2);
    const again = world.envs.step([0, 1]);
    assert.throws(() => buffer.addVectorStep({ obs: first, actions: [0, 1], result: again }), /Expected env 0's obs to be the stacked observation its previous step returned, got a different one .*carry obs = result.obs over/);
    assert.equal(buffer.size, 2);
    const restart = world.envs.reset().obs;
    buffer.endEpisodes();
    assert.equal(buffer.addVectorStep({ obs: restart, actions: [0, 1], result: world.envs.step([0, 1]) }), 2);
    liveTransitions(buffer).forEach((t, index) => assertTrueTransition(world, t, `transition ${index}`));
    world.envs.close();
  });

  it("rejects bad options with a sentence", () => {
    const options = { capacity: 10, obsShape: [84, 84, 4] };
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ obsShape: [4] }, /^Expected obsShape \[height, width, stack\] \(channels-last stacked frames, e.g. \[84, 84, 4\]\), got \[4\]$/],
      [{ obsDtype: "float32" }, /^Expected obsDtype "uint8" \(frames are pixels\), got "float32"$/],
      [{ frameCapacity: 10 }, /^Expected frameCapacity to be an integer ≥ capacity \+ 30 \(one frame a transition, plus each sub-env's frames in play\), got 10$/],
      [{ frameCapacty: 100 }, /unknown option "frameCapacty" \(did you mean "frameCapacity"\?\)/],
      [{ capacity: 0 }, /^Expected capacity to be a positive integer, got 0$/],
    ];
    for (const [override, message] of bad) {
      assert.throws(() => new FrameReplayBuffer({ ...options, ...override } as FrameReplayBufferOptions), { message }, JSON.stringify(override));
    }
  });
});

describe("FrameReplayBuffer memory", () => {
  it("holds 100 000 transitions of 84×84×4 stacks in ≤ 800 MB: its arrays, and the process's measured growth", () => {
    const [height, width, k, cycle] = [84, 84, 4, 64];
    const pixels = height * width;
    // A cycle of 64 random frames; stack j holds frames j−3 … j, so stack j + 1 follows stack j.
    const rng = Rng.fromSeed(8);
    const frames = Array.from({ length: cycle }, () => Uint8Array.from({ length: pixels }, () => rng.integer(256)));
    const stacks = Array.from({ length: cycle }, (_, j) => {
      const stack = new Uint8Array(pixels * k);
      for (let c = 0; c < k; c++) {
        const frame = frames[(j - (k - 1 - c) + cycle) % cycle]!;
        for (let p = 0; p < pixels; p++) stack[p * k + c] = frame[p]!;
      }
      return stack;
    });
    const before = process.memoryUsage();
    const buffer = new FrameReplayBuffer({ capacity: 100_000, obsShape: [height, width, k], seed: 0 });
    // One transition object, refilled: the loop itself allocates next to nothing.
    const transition = { obs: stacks[0]!, action: 0, reward: 0, nextObs: stacks[1]!, terminated: false, truncated: false };
    for (let i = 0; i < 100_000; i++) {
      transition.obs = stacks[i % cycle]!;
      transition.nextObs = stacks[(i + 1) % cycle]!;
      transition.action = i % 3;
      buffer.add(transition);
    }
    const after = process.memoryUsage();
    const grown = { rss: after.rss - before.rss, arrayBuffers: after.arrayBuffers - before.arrayBuffers };
    assert.equal(buffer.size, 100_000);
    assert.ok(buffer.byteLength <= 800e6, `byteLength ${(buffer.byteLength / 1e6).toFixed(1)} MB`);
    assert.ok(grown.arrayBuffers <= 800e6 && grown.rss <= 800e6, `grew ${(grown.rss / 1e6).toFixed(0)} MB rss, ${(grown.arrayBuffers / 1e6).toFixed(0)} MB array buffers`);
    assert.ok(grown.rss > 0.9 * buffer.byteLength - 50e6, `the frames are really resident: rss grew ${(grown.rss / 1e6).toFixed(0)} MB`);
    const batch = buffer.sample(32);
    for (let b = 0; b < 32; b++) {
      const i = batch.indices[b]!;
      assert.deepEqual(batch.obs.subarray(b * pixels * k, (b + 1) * pixels * k), Float32Array.from(stacks[i % cycle]!), `row ${b}`);
    }
    console.log(`# FrameReplayBuffer 100k × 84×84×4: byteLength ${(buffer.byteLength / 1e6).toFixed(1)} MB; rss +${(grown.rss / 1e6).toFixed(0)} MB, array buffers +${(grown.arrayBuffers / 1e6).toFixed(0)} MB`);
  });
});
