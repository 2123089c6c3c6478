import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend, tf } from "../src/backend";
import { DQN } from "../src/agents/dqn";
import { resolveDqnConfig, type DQNOptions } from "../src/agents/dqn-config";
import { resolveReplayBufferClass } from "../src/agents/dqn-support";
import { FrameReplayBuffer } from "../src/agents/frame-replay-buffer";
import { ReplayBuffer } from "../src/agents/replay-buffer";
import type { Env } from "../src/core/env";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import type { AutoresetMode } from "../src/vector/types";
import { StackFrames, TaggedFramesEnv } from "./support/frame-stack-envs";

/** Two sub-envs of 3×3 tagged frames stacked 4 deep: the smallest pixel-stack env. */
function stackedEnvs(autoreset: AutoresetMode = "next-step"): SyncVectorEnv<Uint8Array, number> {
  const factories = [0, 1].map((tag) => () => new StackFrames(new TaggedFramesEnv({ tag, maxLength: 8, height: 3, width: 3 }), { stack: 4 }) as Env<Uint8Array, number>);
  return new SyncVectorEnv(factories, { autoreset });
}

/** A Q-network small enough for a smoke test: flatten the stack, one dense layer. */
function tinyModel(seed: number): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 3, 4] }), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed }) })] });
}

const settings: Partial<DQNOptions> = { learningStarts: 32, batchSize: 8, bufferSize: 300, trainFreq: 2, targetUpdateInterval: 40, seed: 0 };

describe("DQN on stacked pixel frames", () => {
  let tmp: string;
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dqn-frames-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('replayBufferClass "auto" stores uint8 [h, w, 4] stacks in a FrameReplayBuffer; learn() runs and tf.memory() stays flat', async () => {
    const agent = new DQN({ env: stackedEnvs(), policy: tinyModel(1), ...settings });
    assert.equal(agent.config.replayBufferClass, "auto");
    assert.ok(agent.replayBuffer instanceof FrameReplayBuffer);
    await agent.learn({ totalSteps: 200 });
    const tensors = tf.memory().numTensors;
    await agent.learn({ totalSteps: 400, resetNumTimesteps: false });
    assert.equal(tf.memory().numTensors, tensors, "tensors leaked by learn()");
    const buffer = agent.replayBuffer;
    assert.ok(buffer.framesWritten > buffer.frameCapacity, "the frame ring wrapped");
    // Episodes of 4.5 steps on average need more first frames than the default keeps: a few drop early.
    assert.ok(buffer.size > 250 && buffer.size + buffer.droppedEarly >= 300, `size ${buffer.size}, dropped early ${buffer.droppedEarly}`);
    assert.ok(agent.nUpdates > 100, `${agent.nUpdates} updates`);
    agent.dispose();
  });

  for (const autoreset of ["next-step", "same-step"] as const) {
    it(`${autoreset}: learns exactly what it learns with a ReplayBuffer: same seed, same batches, same weights`, async () => {
      const train = async (replayBufferClass: "ReplayBuffer" | "FrameReplayBuffer") => {
        const agent = new DQN({ env: stackedEnvs(autoreset), policy: tinyModel(2), ...settings, nStep: 3, replayBufferClass });
        await agent.learn({ totalSteps: 300 });
        const weights = agent.qNetwork.getWeights().map((w) => Array.from(w.dataSync()));
        const kind = agent.replayBuffer instanceof FrameReplayBuffer ? "frames" : agent.replayBuffer instanceof ReplayBuffer ? "rows" : "other";
        agent.dispose();
        return { weights, kind };
      };
      const [rows, frames] = [await train("ReplayBuffer"), await train("FrameReplayBuffer")];
      assert.deepEqual([rows.kind, frames.kind], ["rows", "frames"]);
      assert.deepEqual(frames.weights, rows.weights);
    });
  }

  it('"auto" keeps ReplayBuffer for single frames, colour images, object grids and vectors, and names the classes it accepts', () => {
    const box = (shape: number[], dtype = "uint8") => ({ kind: "box", shape, dtype, scale: dtype === "uint8" ? 1 / 255 : 1 }) as const;
    assert.equal(resolveReplayBufferClass(box([84, 84, 4]), "auto"), "FrameReplayBuffer");
    assert.equal(resolveReplayBufferClass(box([10, 10, 2]), "auto"), "FrameReplayBuffer");
    assert.equal(resolveReplayBufferClass({ ...box([10, 10, 4]), scale: 1 }, "auto"), "ReplayBuffer", "0/1 object channels (Breakout's compact view) are not frames");
    assert.equal(resolveReplayBufferClass(box([36, 36, 1]), "auto"), "ReplayBuffer");
    assert.equal(resolveReplayBufferClass(box([96, 96, 3]), "auto"), "ReplayBuffer", "3 channels: RGB, not a stack");
    assert.equal(resolveReplayBufferClass(box([96, 96, 3]), "FrameReplayBuffer"), "FrameReplayBuffer");
    assert.equal(resolveReplayBufferClass(box([84, 84, 4], "float32"), "auto"), "ReplayBuffer");
    assert.equal(resolveReplayBufferClass({ kind: "discrete", n: 5, start: 0 }, "auto"), "ReplayBuffer");
    assert.throws(() => resolveReplayBufferClass(box([4], "float32"), "FrameReplayBuffer"), { message: 'Expected uint8 observations [height, width, frames] for replayBufferClass "FrameReplayBuffer", got float32 [4]' });
    assert.throws(() => resolveDqnConfig({ replayBufferClass: "NStepReplayBuffer" as "auto" }), {
      message: 'Expected replayBufferClass to be "auto", "ReplayBuffer", "FrameReplayBuffer", got "NStepReplayBuffer"',
    });
  });

  it("save() keeps the setting but not the buffer: a loaded agent starts an empty FrameReplayBuffer", async () => {
    const agent = await new DQN({ env: stackedEnvs(), policy: tinyModel(3), ...settings, replayBufferClass: "FrameReplayBuffer" }).learn({ totalSteps: 100 });
    const dir = path.join(tmp, "agent");
    await agent.save(dir);
    assert.ok(!fs.readdirSync(dir).some((name) => /buffer|replay/i.test(name)), `checkpoint files: ${fs.readdirSync(dir).join(", ")}`);
    const loaded = await DQN.load(dir, { env: stackedEnvs() });
    assert.equal(loaded.config.replayBufferClass, "FrameReplayBuffer");
    assert.ok(loaded.replayBuffer instanceof FrameReplayBuffer && loaded.replayBuffer.size === 0);
    await loaded.learn({ totalSteps: 60 });
    assert.ok(loaded.replayBuffer.size > 0);
    agent.dispose();
    loaded.dispose();
  });
});
