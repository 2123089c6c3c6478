import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend } from "../src/backend";
import { SyncVectorEnv } from "../src/vector/sync-vector-env";
import { RecordEpisodeStatistics } from "../src/wrappers/record-episode-statistics";
import { BaseCallback, StopTrainingOnRewardThreshold, type CallbackContext } from "../src/agents/callbacks";
import { CheckpointCallback } from "../src/agents/checkpoint-callback";
import { DQN } from "../src/agents/dqn";
import { EvalCallback } from "../src/agents/eval-callback";
import { evaluatePolicy } from "../src/agents/evaluate";
import { ProgressCallback } from "../src/agents/progress-callback";
import { ChainEnv, ScriptedEnv } from "./support/dqn-toy-envs";

const tiny = { hiddenSizes: [8], learningStarts: 16, batchSize: 8, bufferSize: 500, seed: 0 } as const;

/** Writes down every hook call. */
class Recorder extends BaseCallback {
  readonly calls: string[] = [];
  constructor(private readonly stopAtCall = Infinity) {
    super();
  }
  override onTrainingStart(ctx: CallbackContext): void {
    this.calls.push(`start@${ctx.numTimesteps}`);
  }
  override onStep(ctx: CallbackContext): boolean {
    this.calls.push(`step@${ctx.numTimesteps}`);
    return this.nCalls < this.stopAtCall;
  }
  override onRolloutEnd(): void {
    this.calls.push("rolloutEnd");
  }
  override onTrainingEnd(ctx: CallbackContext): void {
    this.calls.push(`end@${ctx.numTimesteps}`);
  }
}

describe("callbacks", () => {
  let tmp: string;
  before(async () => {
    await initBackend({ backend: "wasm", log: false });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dqn-callbacks-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("run in SB3's order: start, a step per vector step, rollout end every trainFreq steps, end", async () => {
    const recorder = new Recorder();
    const env = new SyncVectorEnv([() => new ChainEnv(), () => new ChainEnv()]);
    await new DQN({ env, ...tiny, trainFreq: 2 }).learn({ totalSteps: 10, callbacks: [recorder] });
    assert.deepEqual(recorder.calls, ["start@0", "step@2", "step@4", "rolloutEnd", "step@6", "step@8", "rolloutEnd", "step@10", "rolloutEnd", "end@10"]);
  });

  it("stop training when onStep returns false (a function works as a callback too), and still end", async () => {
    const recorder = new Recorder(3);
    const seen: number[] = [];
    const agent = await new DQN({ env: new ChainEnv(), ...tiny }).learn({ totalSteps: 1000, callbacks: [recorder, (ctx) => void seen.push(ctx.step!.actions.length)] });
    assert.equal(agent.numTimesteps, 3);
    assert.equal(recorder.calls.at(-1), "end@3");
    assert.deepEqual(seen, [1, 1, 1]);
  });

  it("give each step's finished episodes and infos by name", async () => {
    const episodes: number[] = [];
    const fromInfo: number[] = [];
    const env = new SyncVectorEnv([() => new RecordEpisodeStatistics(new ScriptedEnv([3]))]);
    await new DQN({ env, ...tiny }).learn({
      totalSteps: 12,
      callbacks: [
        (ctx) => {
          for (const e of ctx.step!.episodes) episodes.push(e.length);
          const info = ctx.step!.infos.perEnv[0]!;
          if (info.episode) fromInfo.push(info.episode.length);
        },
      ],
    });
    // Next-step autoreset: 3 steps, then a reset step that belongs to no episode.
    assert.deepEqual(episodes, [3, 3, 3]);
    assert.deepEqual(fromInfo, [3, 3, 3]);
  });

  it("EvalCallback evaluates every evalFreq env steps, keeps the best weights, and stops at a mean reward", async () => {
    const agent = new DQN({ env: new ScriptedEnv([6]), ...tiny });
    const onNewBest = new Recorder();
    const evalCallback = new EvalCallback({ evalEnv: new ScriptedEnv([2, 4]), evalFreq: 20, nEvalEpisodes: 2, callbackOnNewBest: onNewBest, bestModelSavePath: path.join(tmp, "eval") });
    await agent.learn({ totalSteps: 70, callbacks: [evalCallback] });
    assert.deepEqual(evalCallback.evaluations.map((e) => e.timesteps), [20, 40, 60]);
    // ScriptedEnv pays action + 1 a step, over episodes of 2 and 4 steps.
    for (const e of evalCallback.evaluations) assert.ok(e.returns.length === 2 && e.meanReturn >= 3 && e.meanReturn <= 6, JSON.stringify(e));
    assert.equal(evalCallback.bestMeanReturn, Math.max(...evalCallback.evaluations.map((e) => e.meanReturn)));
    assert.ok(evalCallback.bestModel !== undefined && evalCallback.bestModel.weights === agent.bestWeights);
    assert.ok(onNewBest.calls.length >= 1);
    assert.ok(fs.existsSync(path.join(tmp, "eval", "best_model", "manifest.json")));
    assert.equal(typeof agent.logger.records.at(-1)!["eval/meanReturn"], "number");
    // The kept weights go back into the networks.
    const best = agent.bestWeights!.map((w) => Array.from(w.dataSync()));
    agent.loadBestWeights();
    assert.deepEqual(agent.qNetwork.getWeights().map((w) => Array.from(w.dataSync())), best);

    const stopping = new EvalCallback({ evalEnv: new ScriptedEnv([2]), evalFreq: 10, nEvalEpisodes: 1, stopAtMeanReward: 2 });
    await agent.learn({ totalSteps: 1000, callbacks: [stopping] });
    assert.equal(agent.numTimesteps, 10);
    agent.dispose();
  });

  it("StopTrainingOnRewardThreshold stops through EvalCallback's callbackOnNewBest, and refuses to run on its own", async () => {
    const agent = new DQN({ env: new ScriptedEnv([6]), ...tiny });
    const stop = new StopTrainingOnRewardThreshold({ rewardThreshold: 1 });
    await agent.learn({ totalSteps: 1000, callbacks: [new EvalCallback({ evalEnv: new ScriptedEnv([1]), evalFreq: 5, nEvalEpisodes: 1, callbackOnNewBest: stop })] });
    assert.equal(agent.numTimesteps, 5);
    await assert.rejects(agent.learn({ totalSteps: 10, callbacks: [stop] }), /Expected StopTrainingOnRewardThreshold to run inside an EvalCallback/);
    agent.dispose();
  });

  it("CheckpointCallback saves every saveFreq env steps, loadable with DQN.load", async () => {
    const agent = new DQN({ env: new ChainEnv(), ...tiny });
    const checkpoints = new CheckpointCallback({ saveFreq: 25, savePath: path.join(tmp, "ckpt"), namePrefix: "chain" });
    await agent.learn({ totalSteps: 60, callbacks: [checkpoints] });
    assert.deepEqual(checkpoints.savedPaths.map((p) => path.basename(p)), ["chain_25_steps", "chain_50_steps"]);
    const loaded = await DQN.load(checkpoints.savedPaths[1]!);
    assert.equal(loaded.numTimesteps, 50);
    loaded.dispose();
    agent.dispose();
  });

  it("ProgressCallback reports steps and the recorded metrics to any reporter, then done", async () => {
    const updates: { step: number; metrics: Record<string, number> }[] = [];
    let doneCalls = 0;
    const reporter = { update: (step: number, info?: { metrics?: Readonly<Record<string, number>> }) => void updates.push({ step, metrics: { ...info?.metrics } }), done: () => void doneCalls++ };
    await new DQN({ env: new ChainEnv(), ...tiny }).learn({ totalSteps: 40, callbacks: [new ProgressCallback({ reporter })] });
    assert.equal(updates.length, 40);
    assert.equal(updates.at(-1)!.step, 40);
    assert.equal(typeof updates.at(-1)!.metrics["epsilon"], "number");
    assert.equal(typeof updates.at(-1)!.metrics["loss"], "number");
    assert.equal(doneCalls, 1);
  });
});

describe("evaluatePolicy", () => {
  it("counts whole episodes of a single env and reports their returns and lengths", () => {
    const result = evaluatePolicy(() => [1], new ScriptedEnv([2, 3, 4]), { nEpisodes: 4 });
    // reward = action + 1 = 2 per step.
    assert.deepEqual(result.lengths, [2, 3, 4, 2]);
    assert.deepEqual(result.returns, [4, 6, 8, 4]);
    assert.equal(result.meanReturn, 5.5);
    assert.ok(Math.abs(result.stdReturn - Math.sqrt((2.25 + 0.25 + 6.25 + 2.25) / 4)) < 1e-12);
  });

  it("splits episodes over sub-envs like SB3, so short episodes are not over-counted, in both autoreset modes", () => {
    for (const autoreset of ["next-step", "same-step"] as const) {
      const env = new SyncVectorEnv([() => new ScriptedEnv([1]), () => new ScriptedEnv([5])], { autoreset });
      const result = evaluatePolicy(() => [0, 0], env, { nEpisodes: 4 });
      // Sub-env 0 (1-step episodes) and sub-env 1 (5-step episodes) run ⌊(4 + i) / 2⌋ = 2 episodes each.
      assert.deepEqual([...result.lengths].sort(), [1, 1, 5, 5], autoreset);
      assert.deepEqual([...result.returns].sort((a, b) => a - b), [1, 1, 5, 5], autoreset);
    }
  });

  it("uses RecordEpisodeStatistics' episode figures when the env reports them, and an agent's greedy actions", async () => {
    await initBackend({ backend: "wasm", log: false });
    const agent = new DQN({ env: new ScriptedEnv([6]), ...tiny });
    const result = evaluatePolicy(agent, new RecordEpisodeStatistics(new ScriptedEnv([3], true)), { nEpisodes: 2 });
    assert.deepEqual(result.lengths, [3, 3]);
    assert.throws(() => evaluatePolicy(agent, new ScriptedEnv([1]), { nEpisodes: 0 }), /Expected nEpisodes to be a positive integer, got 0/);
    agent.dispose();
  });
});
