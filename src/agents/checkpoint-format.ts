import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as tf from "../backend/tf";

/**
 * The parts of the checkpoint format that need no tensors: the manifest and its checks, metadata
 * validation, and the expected-metadata comparison. The format itself is described in
 * checkpoint.ts.
 */

/** Version of the on-disk layout; bumped on any incompatible change, checked on load. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** The `format` field of manifest.json, so a stray JSON file is not mistaken for a checkpoint. */
export const CHECKPOINT_FORMAT_NAME = "rl-workbook-checkpoint";

/** One entry of manifest.json's file list. */
export interface ManifestFile {
  /** Path relative to the checkpoint directory, "/" separators, e.g. "qNetwork/weights.bin". */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Lower-case hex SHA-256 of the contents. */
  sha256: string;
}

/** The contents of manifest.json. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT_NAME;
  formatVersion: number;
  /** rl-workbook version that wrote it. */
  libraryVersion: string;
  /** @tensorflow/tfjs version that wrote it. */
  tfjsVersion: string;
  /** ISO 8601 time of the save. */
  savedAt: string;
  /** Network names, each a subdirectory holding model.json and weights.bin. */
  networks: string[];
  /** Whether optimizer.json and optimizer.bin are present. */
  hasOptimizer: boolean;
  /** Every file of the checkpoint except manifest.json itself. */
  files: ManifestFile[];
}

/**
 * A checkpoint that cannot be loaded, with the reason as a category: "missing" (no checkpoint at
 * the path), "corrupt" (files missing, extra, damaged or unparsable), "format" (written by an
 * incompatible version), "mismatch" (saved for a different env or settings than expected).
 *
 * @example
 * ```ts
 * try { await loadCheckpoint(dir); } catch (e) { if (e instanceof CheckpointError && e.kind === "missing") startFresh(); }
 * ```
 */
export class CheckpointError extends Error {
  /**
   * @param kind The category (see the class doc).
   * @param message The full sentence shown to the user.
   */
  constructor(
    readonly kind: "missing" | "corrupt" | "format" | "mismatch",
    message: string,
  ) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** Lower-case hex SHA-256 of `data`. */
export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Network names become directory names, so they are restricted to a portable, unambiguous set. */
export const NETWORK_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Relative paths a manifest may list: one or two plain segments (never "..", never absolute). */
const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)?$/;

/**
 * Checks the parsed manifest.json's shape and format version.
 *
 * @param value The parsed JSON.
 * @param where The checkpoint path, for messages.
 * @returns The typed manifest.
 * @throws CheckpointError "corrupt" for a malformed manifest, "format" for another format version.
 */
export function checkManifest(value: unknown, where: string): CheckpointManifest {
  const corrupt = (what: string) => new CheckpointError("corrupt", `Checkpoint at ${where} is corrupt: manifest.json ${what}`);
  if (!isRecord(value) || value["format"] !== CHECKPOINT_FORMAT_NAME) {
    throw corrupt(`is not an rl-workbook checkpoint manifest (expected format "${CHECKPOINT_FORMAT_NAME}")`);
  }
  const version = value["formatVersion"];
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      "format",
      `Checkpoint at ${where} has format version ${JSON.stringify(version)} (written by rl-workbook ` +
        `${String(value["libraryVersion"])}); this rl-workbook reads version ${CHECKPOINT_FORMAT_VERSION}`,
    );
  }
  const { networks, files, hasOptimizer } = value;
  if (!Array.isArray(networks) || !networks.every((n) => typeof n === "string" && NETWORK_NAME.test(n))) {
    throw corrupt(`has an invalid networks list: ${JSON.stringify(networks)}`);
  }
  if (typeof hasOptimizer !== "boolean") throw corrupt(`has an invalid hasOptimizer: ${JSON.stringify(hasOptimizer)}`);
  if (!Array.isArray(files)) throw corrupt(`has no files list`);
  for (const f of files as unknown[]) {
    const ok =
      isRecord(f) &&
      typeof f["path"] === "string" &&
      SAFE_PATH.test(f["path"]) &&
      Number.isSafeInteger(f["bytes"]) &&
      (f["bytes"] as number) >= 0 &&
      typeof f["sha256"] === "string" &&
      /^[0-9a-f]{64}$/.test(f["sha256"]);
    if (!ok) throw corrupt(`has an invalid file entry: ${JSON.stringify(f)}`);
  }
  const listed = new Set((files as ManifestFile[]).map((f) => f.path));
  const required = ["metadata.json", ...networks.flatMap((n: string) => [`${n}/model.json`, `${n}/weights.bin`])];
  if (hasOptimizer) required.push("optimizer.json", "optimizer.bin");
  for (const r of required) if (!listed.has(r)) throw corrupt(`does not list ${r}`);
  return value as unknown as CheckpointManifest;
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` survives JSON unchanged (no NaN, Infinity, undefined, functions, bigints,
 * class instances or cycles), so metadata loads back exactly as it was saved.
 *
 * @param value The value to check.
 * @param at Its path in messages, e.g. "metadata.obsShape".
 * @throws Error `Expected metadata to be JSON, got <what> at <path>`.
 */
export function assertJson(value: unknown, at = "metadata", seen = new Set<unknown>()): void {
  const fail = (what: string) => new Error(`Expected metadata to be JSON (strings, finite numbers, booleans, null, arrays, plain objects), got ${what} at ${at}`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw fail(String(value));
    return;
  }
  if (typeof value !== "object") throw fail(typeof value);
  if (seen.has(value)) throw fail("a cycle");
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJson(v, `${at}[${i}]`, seen));
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw fail(`a ${(value as object).constructor?.name ?? "class"} instance`);
    for (const [k, v] of Object.entries(value)) assertJson(v, `${at}.${k}`, seen);
  }
  seen.delete(value);
}

/** Formats a JSON value for a sentence: arrays as "[84, 84, 4]", strings quoted. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  return JSON.stringify(value) ?? String(value);
}

/** Deep equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
}

/**
 * Compares saved metadata with what the caller expects (e.g. the env's observation shape).
 *
 * @param saved The checkpoint's metadata.
 * @param expected The values that must match, by key.
 * @param where The checkpoint path, for messages.
 * @throws CheckpointError "mismatch": `Checkpoint at X was saved for obsShape [8], the env has [4]`
 *   (all mismatches, joined by "; ").
 */
export function checkExpectedMetadata(saved: Record<string, unknown>, expected: Record<string, unknown>, where: string): void {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    if (!(key in saved)) problems.push(`has no ${key} in its metadata, the env has ${describeValue(want)}`);
    else if (!jsonEqual(saved[key], want)) problems.push(`was saved for ${key} ${describeValue(saved[key])}, the env has ${describeValue(want)}`);
  }
  if (problems.length > 0) throw new CheckpointError("mismatch", `Checkpoint at ${where} ${problems.join("; ")}`);
}

/** Every file under `root`, as "/"-separated relative paths. */
async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.promises.readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

/**
 * Reads every file the manifest lists and checks that nothing is missing or extra and that each
 * file has its recorded size and sha256.
 *
 * @param root The checkpoint directory.
 * @param manifest Its checked manifest.
 * @param corrupt Makes the "Checkpoint at X is corrupt: <what>" error.
 * @returns The contents by relative path.
 * @throws The error from `corrupt` for the first problem found.
 */
export async function readVerifiedFiles(root: string, manifest: CheckpointManifest, corrupt: (what: string) => Error): Promise<Map<string, Uint8Array>> {
  const onDisk = new Set((await listFiles(root)).filter((f) => f !== "manifest.json"));
  for (const f of manifest.files) if (!onDisk.has(f.path)) throw corrupt(`${f.path} is missing (listed in manifest.json)`);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of onDisk) if (!listed.has(f)) throw corrupt(`unexpected file ${f} (not in manifest.json)`);
  const data = new Map<string, Uint8Array>();
  await Promise.all(manifest.files.map(async (f) => data.set(f.path, await fs.promises.readFile(path.join(root, f.path)))));
  for (const f of manifest.files) {
    const bytes = data.get(f.path)!;
    if (bytes.byteLength !== f.bytes) throw corrupt(`${f.path} has ${bytes.byteLength} bytes, manifest says ${f.bytes}`);
    const actual = sha256(bytes);
    if (actual !== f.sha256) throw corrupt(`${f.path} has sha256 ${actual}, manifest says ${f.sha256}`);
  }
  return data;
}

/** Bytes per element of the dtypes tf.io.encodeWeights writes for optimizer state. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Byte size of one (unquantised) weight spec in optimizer.json.
 *
 * @param spec The spec, as parsed (so possibly malformed).
 * @returns Bytes, or NaN for a malformed spec or a dtype this format never writes.
 */
export function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const ok = isRecord(spec) && Array.isArray(spec.shape) && spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0) && spec.quantization === undefined;
  const perElement = ok ? DTYPE_BYTES[spec.dtype] : undefined;
  return perElement === undefined ? NaN : spec.shape.reduce((a, b) => a * b, 1) * perElement;
}
