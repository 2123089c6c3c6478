import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend, tf } from "../src/backend";
import { make } from "../src/core/make";
import "../src/envs";
import { makeVec } from "../src/vector/make-vec";
import { DQN } from "../src/agents/dqn";
import { DQN_DEFAULTS, resolveDqnConfig } from "../src/agents/dqn-config";
import { observationSpec } from "../src/agents/observation-input";
import { Box } from "../src/core/box";
import { ChainEnv, PixelEnv, TwoArmedBanditEnv } from "./support/dqn-toy-envs";

const tiny = { hiddenSizes: [16], learningStarts: 64, batchSize: 16, bufferSize: 1000, trainFreq: 4, gradientSteps: 1 } as const;

describe("DQN", () => {
  let tmp: string;
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dqn-test-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("has SB3's defaults", () => {
    assert.equal(DQN_DEFAULTS.learningRate, 1e-4);
    assert.equal(DQN_DEFAULTS.bufferSize, 1_000_000);
    assert.equal(DQN_DEFAULTS.batchSize, 32);
    assert.equal(DQN_DEFAULTS.targetUpdateInterval, 10_000);
    assert.equal(DQN_DEFAULTS.maxGradNorm, 10);
    assert.equal(DQN_DEFAULTS.loss, "huber");
    assert.deepEqual(DQN_DEFAULTS.hiddenSizes, [64, 64]);
  });

  it("rejects bad settings and combinations with a sentence", () => {
    assert.throws(() => resolveDqnConfig({ learningStarts: 10, batchSize: 32 }), /Expected learningStarts ≥ batchSize .*got learningStarts 10 < batchSize 32/);
    assert.throws(() => resolveDqnConfig({ tau: 0 }), /Expected tau in \(0, 1\] .*got 0/);
    assert.throws(() => resolveDqnConfig({ tau: 1.5 }), /Expected tau in \(0, 1\]/);
    assert.throws(() => resolveDqnConfig({ gamma: 1.1 }), /Expected gamma to be in \[0, 1\], got 1.1/);
    assert.throws(() => resolveDqnConfig({ gradientSteps: 0 }), /Expected gradientSteps to be a positive integer, or -1/);
    assert.throws(() => resolveDqnConfig({ loss: "l1" as "mse" }), /Expected loss to be "huber" or "mse", got "l1"/);
    assert.throws(() => resolveDqnConfig({ bufferSize: 10, batchSize: 32, learningStarts: 100 }), /Expected bufferSize ≥ batchSize/);
    assert.throws(() => resolveDqnConfig({ learningrate: 1e-3 } as object), /learningrate.*learningRate/);
  });

  it("rejects envs it cannot act in", () => {
    assert.throws(() => new DQN({}), /Expected an env \(or observationSpace and actionSpace\), got neither/);
    const env = make("CartPole-v1");
    assert.throws(() => new DQN({ env, policy: "CnnPolicy" }), /Expected an image observation \[height, width, channels\] for CnnPolicy, got shape \[4\]/);
  });

  it("learns for a tiny budget: counts env steps over sub-envs, trains, logs, and returns the agent", async () => {
    const env = makeVec("CartPole-v1", { numEnvs: 2 });
    const agent = new DQN({ env, ...tiny, seed: 0 });
    const returned = await agent.learn({ totalSteps: 400, logInterval: 1 });
    assert.equal(returned, agent);
    assert.equal(agent.numTimesteps, 400);
    // 200 vector steps, trainFreq 4: a gradient step after each rollout once past 64 env steps.
    assert.equal(agent.nUpdates, Math.floor((400 - 64) / 8));
    const row = agent.logger.records.at(-1)!;
    for (const key of ["rollout/episodeReturnMean", "rollout/episodeLengthMean", "rollout/explorationRate", "train/loss", "train/learningRate", "train/nUpdates", "time/fps", "time/totalTimesteps", "time/episodes"]) {
      assert.equal(typeof row[key], "number", key);
    }
    assert.equal(row["time/totalTimesteps"], 400);
    assert.equal(agent.logger.series("train/loss").values.length, agent.logger.records.filter((r) => "train/loss" in r).length);
    env.close();
    agent.dispose();
  });

  it("wraps a single Env into a 1-env vector env, and predicts from a single observation or a batch", async () => {
    const env = make("CartPole-v1");
    const agent = await new DQN({ env, ...tiny, seed: 1 }).learn({ totalSteps: 100 });
    const { obs } = env.reset({ seed: 0 });
    const single = agent.predict(obs);
    assert.ok(single instanceof Int32Array && single.length === 1 && (single[0] === 0 || single[0] === 1));
    const batch = agent.predict(new Float32Array([...obs, ...obs, ...obs]));
    assert.deepEqual(Array.from(batch), [single[0], single[0], single[0]]);
    const q = agent.qValues(obs);
    assert.equal(q.length, 2);
    assert.equal(single[0], q[1]! > q[0]! ? 1 : 0);
    assert.throws(() => agent.predict(new Float32Array(6)), /Expected observations of 4 numbers each \(a non-empty multiple of 4\), got 6 numbers/);
    agent.dispose();
  });

  it("one-hot encodes Discrete observations and maps actions of a Discrete space that starts elsewhere", async () => {
    const agent = await new DQN({ env: new TwoArmedBanditEnv(5), ...tiny, seed: 2 }).learn({ totalSteps: 80 });
    const action = agent.predict(0);
    assert.ok(action.length === 1 && (action[0] === 5 || action[0] === 6), `got ${action}`);
    assert.ok(Array.from(agent.predict(new Int32Array(20), { deterministic: false })).every((a) => a === 5 || a === 6));
    assert.equal(agent.qValues(0).length, 2);
    agent.dispose();
  });

  it("divides only 0…255 uint8 images by 255, not uint8 grids of 0/1 flags such as Breakout's compact view", () => {
    const scale = (high: number, normalizeImages: boolean) => {
      const spec = observationSpec(new Box({ low: 0, high, shape: [2, 2, 4], dtype: "uint8" }), normalizeImages);
      return spec.kind === "box" ? spec.scale : NaN;
    };
    assert.equal(scale(1, true), 1);
    assert.equal(scale(255, true), 1 / 255);
    assert.equal(scale(255, false), 1);
  });

  it("CnnPolicy trains the Nature CNN on uint8 images, stored as uint8 and divided by 255 for the network", async () => {
    const agent = await new DQN({ env: new PixelEnv(), policy: "CnnPolicy", learningStarts: 8, batchSize: 4, bufferSize: 100, trainFreq: 4, seed: 4 }).learn({ totalSteps: 24 });
    assert.equal(agent.replayBuffer!.obsDtype, "uint8");
    assert.deepEqual(agent.policy.observationSpec, { kind: "box", shape: [36, 36, 1], dtype: "uint8", scale: 1 / 255 });
    assert.ok(agent.nUpdates > 0);
    assert.equal(agent.qValues(new Uint8Array(36 * 36).fill(255)).length, 2);
    agent.dispose();
  });

  it("the same seed gives the same run", async () => {
    const run = async () => {
      const agent = await new DQN({ env: new ChainEnv(4, 10), ...tiny, seed: 7 }).learn({ totalSteps: 300 });
      const weights = agent.qNetwork.getWeights().map((w) => Array.from(w.dataSync()));
      const losses = agent.logger.series("train/loss").values;
      agent.dispose();
      return { weights, losses };
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(second, first);
  });

  it("evaluating greedily during training leaves the run unchanged (no draws from the agent's random stream)", async () => {
    const weightsAfter = async (evaluate: boolean) => {
      const agent = new DQN({ env: new ChainEnv(4, 10), ...tiny, seed: 8 });
      const probe = new ChainEnv(4, 10);
      await agent.learn({ totalSteps: 300, callbacks: evaluate ? [() => void agent.predict(probe.reset().obs)] : [] });
      const weights = agent.qNetwork.getWeights().map((w) => Array.from(w.dataSync()));
      agent.dispose();
      return weights;
    };
    assert.deepEqual(await weightsAfter(true), await weightsAfter(false));
  });

  it("saves and loads: same predictions without an env, training resumes with the counters", async () => {
    const env = makeVec("CartPole-v1", { numEnvs: 2 });
    const agent = await new DQN({ env, ...tiny, seed: 3 }).learn({ totalSteps: 200 });
    const dir = path.join(tmp, "dqn");
    await agent.save(dir);
    const probe = new Float32Array([0.01, -0.02, 0.03, 0.04, -0.1, 0.2, -0.05, 0.1]);
    const loaded = await DQN.load(dir);
    assert.deepEqual(Array.from(loaded.qValues(probe)), Array.from(agent.qValues(probe)));
    assert.deepEqual(loaded.targetNetwork.getWeights().map((w) => Array.from(w.dataSync())), agent.targetNetwork.getWeights().map((w) => Array.from(w.dataSync())));
    assert.equal(loaded.numTimesteps, 200);
    assert.equal(loaded.nUpdates, agent.nUpdates);
    assert.equal(loaded.config.batchSize, 16);
    assert.equal(loaded.policyName, "MlpPolicy");
    await assert.rejects(loaded.learn({ totalSteps: 10 }), /Expected an env to learn from, got none/);
    loaded.setEnv(env);
    await loaded.learn({ totalSteps: 100, resetNumTimesteps: false });
    assert.equal(loaded.numTimesteps, 300);
    await assert.rejects(DQN.load(dir, { env: new ChainEnv() }), /Expected an env with the agent's spaces|Expected a Q-network with input shape/);
    // A checkpoint saved on wasm loads on the cpu backend with the same Q-values.
    assert.ok(await tf.setBackend("cpu"));
    const onCpu = await DQN.load(dir);
    const cpuQ = Array.from(onCpu.qValues(probe));
    onCpu.dispose();
    assert.ok(await tf.setBackend("wasm"));
    Array.from(agent.qValues(probe)).forEach((q, i) => assert.ok(Math.abs(q - cpuQ[i]!) < 1e-5, `Q ${i}: wasm ${q}, cpu ${cpuQ[i]}`));
    env.close();
    agent.dispose();
    loaded.dispose();
  });
});
