import * as tf from "../backend/tf";
import type { Env } from "../core/env";
import { Box } from "../core/box";
import { Discrete } from "../core/discrete";
import type { Space } from "../core/space";
import type { VectorEnv } from "../vector/types";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint";
import { DQN } from "./dqn";
import { configFromJson, configToJson, type DQNConfig } from "./dqn-config";
import type { ObservationSpec } from "./observation-input";

/** Options of `DQN.load`. */
export interface LoadDqnOptions {
  /** The env to continue learning in (its spaces must match the checkpoint's). Default: none (predict only). */
  readonly env?: Env<unknown, unknown> | VectorEnv<unknown, unknown>;
  /** Settings to override, e.g. a learning-rate schedule (schedules are code and are not saved). */
  readonly config?: Partial<DQNConfig>;
}

/** What metadata.json holds for a DQN. */
interface DqnMetadata {
  algorithm: "DQN";
  policy: DQN["policyName"];
  observation: ObservationSpec;
  action: { n: number; start: number };
  config: Record<string, unknown>;
  counters: { numTimesteps: number; nUpdates: number; explorationRate: number };
}

/**
 * Writes `agent` to `dir` through saveCheckpoint: both networks, Adam's state, the settings, the
 * spaces and the counters, so `DQN.load` can resume training where it stopped.
 */
export async function saveDqnCheckpoint(agent: DQN, dir: string): Promise<void> {
  const metadata: DqnMetadata = {
    algorithm: "DQN",
    policy: agent.policyName,
    observation: agent.policy.observationSpec,
    action: { ...agent.policy.actionSpec },
    config: configToJson(agent.config),
    counters: { numTimesteps: agent.numTimesteps, nUpdates: agent.nUpdates, explorationRate: agent.explorationRate },
  };
  await saveCheckpoint(dir, { networks: { qNetwork: agent.qNetwork, targetNetwork: agent.targetNetwork }, optimizer: agent.optimizer, metadata: metadata as unknown as Record<string, unknown> });
}

/** The single observation space a saved ObservationSpec describes (bounds are not kept: 0…255 for uint8, else unbounded). */
function spaceOf(spec: ObservationSpec): Space<unknown> {
  if (spec.kind === "discrete") return new Discrete(spec.n, { start: spec.start }) as Space<unknown>;
  const [low, high] = spec.dtype === "uint8" ? [0, 255] : [-Infinity, Infinity];
  return new Box({ low, high, shape: spec.shape, dtype: spec.dtype as "float32" }) as unknown as Space<unknown>;
}

/**
 * Reads a DQN checkpoint: networks and optimizer state on the current backend, settings, counters.
 *
 * @throws CheckpointError for a missing or corrupt checkpoint; Error if it is not a DQN's or the
 *   env's spaces differ from the saved ones.
 */
export async function loadDqnCheckpoint(dir: string, options: LoadDqnOptions): Promise<DQN> {
  const loaded = await loadCheckpoint(dir, { expect: { metadata: { algorithm: "DQN" } } });
  const meta = loaded.metadata as unknown as DqnMetadata;
  const { qNetwork, targetNetwork } = loaded.networks;
  try {
    if (qNetwork === undefined || targetNetwork === undefined) throw new Error(`Expected networks qNetwork and targetNetwork in the checkpoint at ${dir}, got ${Object.keys(loaded.networks).join(", ")}`);
    const spaces = options.env ? { env: options.env } : { observationSpace: spaceOf(meta.observation), actionSpace: new Discrete(meta.action.n, { start: meta.action.start }) as Space<unknown> };
    // The saved model is the policy: its architecture is whatever was saved (MlpPolicy, CnnPolicy or custom).
    const normalizeImages = meta.observation.kind === "box" && meta.observation.scale !== 1;
    const agent = new DQN({ ...spaces, ...configFromJson(meta.config), ...options.config, policy: qNetwork, normalizeImages });
    const savedSpec = JSON.stringify(meta.observation);
    if (JSON.stringify(agent.policy.observationSpec) !== savedSpec) {
      throw new Error(`Expected an env whose observations match the checkpoint's ${savedSpec}, got ${JSON.stringify(agent.policy.observationSpec)}`);
    }
    agent.targetNetwork.setWeights(targetNetwork.getWeights());
    if (loaded.optimizerWeights !== undefined) await agent.optimizer.setWeights(loaded.optimizerWeights);
    agent.policyName = meta.policy;
    agent.numTimesteps = meta.counters.numTimesteps;
    agent.nUpdates = meta.counters.nUpdates;
    agent.explorationRate = meta.counters.explorationRate;
    return agent;
  } finally {
    targetNetwork?.dispose();
    // Adam's variables share the loaded tensors' data (reference-counted): the tensors themselves can go.
    if (loaded.optimizerWeights !== undefined) tf.dispose(loaded.optimizerWeights.map((w) => w.tensor));
  }
}
