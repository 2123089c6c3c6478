import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "../backend/tf";
import { VERSION } from "../version";
import { findRecoverable, settledWrites, writeDirAtomically, type DirFile } from "./atomic-dir";
import {
  assertJson,
  checkExpectedMetadata,
  checkManifest,
  CHECKPOINT_FORMAT_NAME,
  CHECKPOINT_FORMAT_VERSION,
  CheckpointError,
  isRecord,
  NETWORK_NAME,
  readVerifiedFiles,
  sha256,
  specBytes,
  type CheckpointManifest,
} from "./checkpoint-format";

export { CheckpointError, CHECKPOINT_FORMAT_VERSION } from "./checkpoint-format";

/**
 * Saving and loading an agent's state (networks, optimizer, counters) so training can stop and
 * resume, or a trained agent can be shipped: SB3's `model.save("dqn_cartpole")` / `DQN.load(...)`.
 *
 * On disk, a checkpoint is a directory:
 *
 *     dir/
 *       manifest.json          format name and version, rl-workbook and tfjs versions, save time,
 *                              network names, and every other file with its byte size and sha256
 *       metadata.json          the caller's metadata (hyperparameters, step counters, obs shape, ...)
 *       <name>/model.json      one directory per network in the standard tfjs layers format, so
 *       <name>/weights.bin     `tf.loadLayersModel` reads it on any backend (tfjs-node: "file://dir/<name>/model.json")
 *       optimizer.json         (with an optimizer) { className, config, weightSpecs }
 *       optimizer.bin          (with an optimizer) its weights (Adam: iterations, first and second moments)
 *
 * Why the optimizer is saved on its own rather than with tfjs's `includeOptimizer`: that needs
 * `model.compile`, and RL agents train with custom loops and one optimizer per loss, not per model.
 *
 * Why sha256 per file: a checkpoint is trusted to resume hours of training; a truncated copy, a
 * half-synced cloud folder or a hand-edited file must be refused with the file's name, not turned
 * into a silently wrong network. Everything is verified before any tensor is created, so a corrupt
 * checkpoint is never partially applied.
 *
 * Why crash-safe: checkpoints are overwritten periodically in long runs, and a kill (Ctrl-C, OOM,
 * preemption) during an overwrite must not destroy the last good one. See atomic-dir.ts.
 */

/** A named tensor, as `optimizer.getWeights()` returns and `optimizer.setWeights()` takes (tfjs does not export the type). */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer["getWeights"]>>[number];

/** What {@link saveCheckpoint} writes: an agent's networks, optionally its optimizer, and metadata. */
export interface CheckpointContents {
  /** The networks by name (letters, digits, "_", "-"; first a letter), e.g. `{ qNetwork, targetNetwork }`. */
  networks: Record<string, tf.LayersModel>;
  /** The optimizer whose state (Adam's moments and iteration count) training resumes from. */
  optimizer?: tf.Optimizer;
  /** JSON-only: hyperparameters, counters, observation shape, number of actions, ... */
  metadata: Record<string, unknown>;
}

/** What {@link loadCheckpoint} returns. The caller owns (and eventually disposes) every tensor. */
export interface LoadedCheckpoint {
  /** Freshly built networks with the saved weights, on the current backend. */
  networks: Record<string, tf.LayersModel>;
  /** The optimizer's weights in saved order, for `optimizer.setWeights(...)`; absent if none was saved. */
  optimizerWeights?: NamedTensor[];
  /** The saved metadata. */
  metadata: Record<string, unknown>;
  /** Set when the checkpoint directory was missing and an interrupted save's previous copy was loaded. */
  recoveredFrom?: string;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** Values the checkpoint must have been saved with, e.g. `{ metadata: { obsShape: [4], nActions: 2 } }`. */
  expect?: { metadata?: Record<string, unknown> };
  /** Where the note about a recovered checkpoint goes; false for silence. Default: console.warn. */
  log?: ((line: string) => void) | false;
}

/** UTF-8 bytes of pretty JSON (checkpoints are small enough to stay human-readable). */
function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
}

/** The model.json and weights.bin of one network, in the layout tfjs-node's file:// handler writes. */
async function networkFiles(name: string, model: tf.LayersModel): Promise<DirFile[]> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured?.modelTopology === undefined || captured.weightSpecs === undefined || captured.weightData === undefined) {
    throw new Error(`Expected network ${name} to serialise to a topology and weights, got ${Object.keys(captured ?? {}).join(", ")}`);
  }
  const weightData = tf.io.CompositeArrayBuffer.join(captured.weightData);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: captured.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: captured.weightSpecs }],
    format: captured.format,
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
  };
  return [
    { path: `${name}/model.json`, data: jsonBytes(modelJson) },
    { path: `${name}/weights.bin`, data: new Uint8Array(weightData) },
  ];
}

/** optimizer.json and optimizer.bin: the optimizer's class, config and weights. */
async function optimizerFiles(optimizer: tf.Optimizer): Promise<DirFile[]> {
  const className = optimizer.getClassName();
  let weights: NamedTensor[];
  try {
    weights = await optimizer.getWeights();
  } catch (err) {
    throw new Error(`Expected an optimizer whose state can be saved (getWeights), got ${className}: ${(err as Error).message}`);
  }
  try {
    const { data, specs } = await tf.io.encodeWeights(weights);
    return [
      { path: "optimizer.json", data: jsonBytes({ className, config: optimizer.getConfig(), weightSpecs: specs }) },
      { path: "optimizer.bin", data: new Uint8Array(data) },
    ];
  } finally {
    // getWeights makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
    tf.dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
}

/**
 * Saves an agent's networks, optimizer state and metadata to directory `dir`, replacing any
 * checkpoint there atomically: if the process dies mid-save, the previous checkpoint stays loadable.
 *
 * @param dir The checkpoint directory (created with its parents; replaced if it exists).
 * @param contents See {@link CheckpointContents}.
 * @returns Resolves once the checkpoint is complete and durable (fsynced) on disk.
 * @throws Error `Expected ...` for invalid network names, non-JSON metadata, or an optimizer that
 *   cannot export its state; filesystem errors (the previous checkpoint is then untouched).
 * @example
 * ```ts
 * await saveCheckpoint("runs/cartpole/latest", {
 *   networks: { qNetwork, targetNetwork },
 *   optimizer,
 *   metadata: { obsShape: [4], nActions: 2, step: 10_000 },
 * });
 * fs.readdirSync("runs/cartpole/latest");
 * //=> ["manifest.json", "metadata.json", "optimizer.bin", "optimizer.json", "qNetwork", "targetNetwork"]
 * ```
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  if (typeof dir !== "string" || dir === "") throw new Error(`Expected dir to be a non-empty path, got ${JSON.stringify(dir)}`);
  const names = Object.keys(contents.networks ?? {});
  if (names.length === 0) throw new Error(`Expected at least one network in contents.networks, got none`);
  for (const name of names) {
    if (!NETWORK_NAME.test(name)) throw new Error(`Expected network names of letters, digits, "_" and "-" starting with a letter, got ${JSON.stringify(name)}`);
    if (typeof contents.networks[name]?.save !== "function") throw new Error(`Expected networks.${name} to be a tf.LayersModel, got ${typeof contents.networks[name]}`);
  }
  if (!isRecord(contents.metadata)) throw new Error(`Expected metadata to be a plain object, got ${JSON.stringify(contents.metadata)}`);
  assertJson(contents.metadata);

  const files: DirFile[] = [{ path: "metadata.json", data: jsonBytes(contents.metadata) }];
  for (const name of names) files.push(...(await networkFiles(name, contents.networks[name]!)));
  if (contents.optimizer !== undefined) files.push(...(await optimizerFiles(contents.optimizer)));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT_NAME,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    libraryVersion: VERSION,
    tfjsVersion: tf.version.tfjs,
    savedAt: new Date().toISOString(),
    networks: names,
    hasOptimizer: contents.optimizer !== undefined,
    files: files.map((f) => ({ path: f.path, bytes: f.data.byteLength, sha256: sha256(f.data) })),
  };
  await writeDirAtomically(dir, [...files, { path: "manifest.json", data: jsonBytes(manifest) }]);
}

/** Copies a Buffer's bytes into an ArrayBuffer of its own (Node pools small Buffers). */
function ownBuffer(data: Uint8Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint}: verifies every file against the manifest
 * (size and sha256), checks the expected metadata, then rebuilds the networks on the current
 * backend with bit-identical weights. If `dir` is missing because a save died between its two
 * renames, loads the previous checkpoint from the `.old` sibling and says so.
 *
 * To resume training, copy the weights into your networks (or use the returned ones) and call
 * `await optimizer.setWeights(loaded.optimizerWeights)` on an optimizer of the same class, then
 * dispose the returned tensors. Adam matches its moments to variables by position, so train the
 * same variables in the same order (e.g. `model.trainableWeights`) as before the save.
 *
 * A load waits for saves to `dir` from this process. A save from another process at the same
 * moment can make the load fail (retry it), but never return a mix of two saves: every file must
 * match the one manifest read first.
 *
 * @param dir The checkpoint directory.
 * @param options See {@link LoadCheckpointOptions}.
 * @returns See {@link LoadedCheckpoint}.
 * @throws CheckpointError `No checkpoint at ...`; `Checkpoint at X is corrupt: <file> has sha256 ...,
 *   manifest says ...` (and missing, extra, wrong-size or unparsable files); an unknown format
 *   version; `Checkpoint at X was saved for obsShape [8], the env has [4]`.
 * @example
 * ```ts
 * const ckpt = await loadCheckpoint("runs/cartpole/latest", { expect: { metadata: { obsShape: [4], nActions: 2 } } });
 * ckpt.metadata.step; //=> 10000
 * await optimizer.setWeights(ckpt.optimizerWeights ?? []);
 * ```
 */
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  await settledWrites(dir);
  const { found, incomplete } = await findRecoverable(dir);
  if (found === undefined) {
    const note = incomplete.length > 0 ? ` (only an unfinished save, ${incomplete.join(", ")}, which is ignored)` : "";
    throw new CheckpointError("missing", `No checkpoint at ${dir}${note}`);
  }
  if (!(await fs.promises.stat(found.path)).isDirectory()) throw new CheckpointError("missing", `No checkpoint at ${dir} (expected a directory, got a file)`);
  const where = found.recovered ? `${found.path} (recovered for ${dir})` : dir;
  const corrupt = (what: string) => new CheckpointError("corrupt", `Checkpoint at ${where} is corrupt: ${what}`);
  if (found.recovered) {
    const log = options.log === undefined ? (line: string) => console.warn(line) : options.log;
    if (log !== false) log(`rl-workbook: no checkpoint at ${dir}; loading the previous one from ${path.basename(found.path)} (a save was interrupted between its two renames; the next save cleans up)`);
  }

  const parse = (file: string, data: Uint8Array): unknown => {
    try {
      return JSON.parse(Buffer.from(data).toString("utf8"));
    } catch (err) {
      throw corrupt(`${file} is not valid JSON (${(err as Error).message})`);
    }
  };
  const manifestBytes = await fs.promises.readFile(path.join(found.path, "manifest.json")).catch(() => undefined);
  if (manifestBytes === undefined) throw corrupt("manifest.json is missing");
  const manifest = checkManifest(parse("manifest.json", manifestBytes), where);

  const data = await readVerifiedFiles(found.path, manifest, corrupt);

  const metadata = parse("metadata.json", data.get("metadata.json")!);
  if (!isRecord(metadata)) throw corrupt(`metadata.json is not a JSON object`);
  if (options.expect?.metadata !== undefined) checkExpectedMetadata(metadata, options.expect.metadata, where);

  const modelJsons = manifest.networks.map((name) => {
    const json = parse(`${name}/model.json`, data.get(`${name}/model.json`)!);
    const paths = isRecord(json) && Array.isArray(json["weightsManifest"]) ? (json["weightsManifest"] as unknown[]).flatMap((g) => (isRecord(g) && Array.isArray(g["paths"]) ? g["paths"] : [null])) : [];
    if (!isRecord(json) || !isRecord(json["modelTopology"]) || paths.join() !== "weights.bin") {
      throw corrupt(`${name}/model.json is not a tfjs layers model.json with weights in weights.bin`);
    }
    return json as unknown as tf.io.ModelJSON;
  });
  let optimizerSpecs: tf.io.WeightsManifestEntry[] | undefined;
  if (manifest.hasOptimizer) {
    const json = parse("optimizer.json", data.get("optimizer.json")!);
    const specs = isRecord(json) ? json["weightSpecs"] : undefined;
    const total = Array.isArray(specs) ? specs.reduce((sum: number, s: tf.io.WeightsManifestEntry) => sum + specBytes(s), 0) : NaN;
    if (total !== data.get("optimizer.bin")!.byteLength) throw corrupt(`optimizer.json's weightSpecs do not describe optimizer.bin`);
    optimizerSpecs = specs as tf.io.WeightsManifestEntry[];
  }

  // Everything is verified; only now create tensors (and free them all if tfjs still objects).
  const networks: Record<string, tf.LayersModel> = {};
  let optimizerWeights: NamedTensor[] | undefined;
  try {
    for (const [i, name] of manifest.networks.entries()) {
      const json = modelJsons[i]!;
      const artifacts = tf.io.getModelArtifactsForJSONSync(json, tf.io.getWeightSpecs(json.weightsManifest), ownBuffer(data.get(`${name}/weights.bin`)!));
      try {
        networks[name] = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      } catch (err) {
        throw corrupt(`${name} could not be rebuilt by tfjs (${(err as Error).message})`);
      }
    }
    if (optimizerSpecs !== undefined) optimizerWeights = decodeInOrder(optimizerSpecs, data.get("optimizer.bin")!);
  } catch (err) {
    Object.values(networks).forEach((m) => m.dispose());
    throw err;
  }
  const loaded: LoadedCheckpoint = { networks, metadata };
  if (optimizerWeights !== undefined) loaded.optimizerWeights = optimizerWeights;
  if (found.recovered) loaded.recoveredFrom = found.path;
  return loaded;
}

/** Decodes weights one spec at a time, keeping order and duplicate names (decodeWeights returns a map). */
function decodeInOrder(specs: tf.io.WeightsManifestEntry[], bytes: Uint8Array): NamedTensor[] {
  const out: NamedTensor[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = specBytes(spec);
    const slice = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + size) as ArrayBuffer;
    out.push({ name: spec.name, tensor: tf.io.decodeWeights(slice, [spec])[spec.name]! });
    offset += size;
  }
  return out;
}
