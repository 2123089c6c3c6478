import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Replaces a whole directory so that a crash at any moment leaves either the old or the new
 * version complete on disk, never a mixture: the directory-level version of "write a temp file,
 * fsync, rename over the original".
 *
 * Why rename-swap: a rename within one filesystem is atomic, but POSIX cannot rename a directory
 * over a non-empty one. So the swap takes two renames: the current `dir` → `.<base>.old-<pid>-<hex>`,
 * then the complete temp `.<base>.tmp-<pid>-<hex>` → `dir`. A crash between them leaves no `dir`
 * but a complete `.old` sibling; {@link findRecoverable} finds it, and the next write removes it.
 *
 * Why fsync: rename is atomic in the namespace, but without fsync the kernel may persist the rename
 * before the file contents (ext4 delalloc, XFS), so a power cut could leave `dir` pointing at
 * zero-length files. We fsync every file and directory of the temp before the swap, and the parent
 * after it.
 */

/** One file to write: a path relative to the directory ("a/b.json", "/" separators) and its bytes. */
export interface DirFile {
  path: string;
  data: Uint8Array;
}

/** The moments of {@link writeDirAtomically} at which {@link crashHooks} may simulate a crash. */
export type SaveStep = "write" | "rename-old" | "rename-new";

/**
 * Test-only crash injection: `afterStep` runs after each step of a write; if it throws (or exits
 * the process) the writer stops right there without cleaning up, exactly as a crash would.
 * Steps: "write" (temp complete and fsynced), "rename-old" (`dir` moved aside; called even when
 * there was no `dir`), "rename-new" (new `dir` in place, `.old` not yet removed).
 */
export const crashHooks: { afterStep?: (step: SaveStep) => void } = {};

/** Temp dirs of saves running in this process, which stale-sibling cleanup must not touch. */
const inFlight = new Set<string>();
/** Per-directory queue so that concurrent saves to one path from this process run one at a time. */
const queues = new Map<string, Promise<unknown>>();

/** Sibling names of `dir` used while writing it: `.<base>.tmp-<pid>-<hex>` and `.<base>.old-<pid>-<hex>`. */
function siblingPrefix(dir: string, kind: "tmp" | "old"): string {
  return `.${path.basename(dir)}.${kind}-`;
}

/** The sibling directories of `dir` of one kind, with the pid that made each. */
async function listSiblings(dir: string, kind: "tmp" | "old"): Promise<Array<{ path: string; pid: number }>> {
  const prefix = siblingPrefix(dir, kind);
  let names: string[];
  try {
    names = await fs.promises.readdir(path.dirname(dir));
  } catch {
    return [];
  }
  const found: Array<{ path: string; pid: number }> = [];
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length)) : null;
    if (match !== null) found.push({ path: path.join(path.dirname(dir), name), pid: Number(match[1]) });
  }
  return found;
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A sibling is stale when the process that made it is gone, or is us but no longer writing it. */
function isStale(sibling: { path: string; pid: number }): boolean {
  return sibling.pid === process.pid ? !inFlight.has(sibling.path) : !isAlive(sibling.pid);
}

/** Removes stale siblings of one kind (best effort: another process may be removing them too). */
async function removeStale(dir: string, kind: "tmp" | "old"): Promise<void> {
  for (const sibling of await listSiblings(dir, kind)) {
    if (isStale(sibling)) await fs.promises.rm(sibling.path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** fsyncs a directory so the names created in it are durable (unsupported on Windows: ignored). */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, "r");
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw err;
  } finally {
    await handle?.close();
  }
}

/** Writes and fsyncs one file. */
async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all files into a fresh `temp` directory and fsyncs files and directories. */
async function writeTemp(temp: string, files: readonly DirFile[]): Promise<void> {
  await fs.promises.mkdir(temp);
  const subdirs = [...new Set(files.map((f) => path.posix.dirname(f.path)).filter((d) => d !== "."))];
  await Promise.all(subdirs.map((d) => fs.promises.mkdir(path.join(temp, d), { recursive: true })));
  // In parallel: the filesystem batches the journal commits of concurrent fsyncs.
  await Promise.all(files.map((f) => writeDurably(path.join(temp, f.path), f.data)));
  await Promise.all([...subdirs.map((d) => syncDir(path.join(temp, d))), syncDir(temp)]);
}

/** Whether `p` exists (as anything). */
async function exists(p: string): Promise<boolean> {
  return fs.promises.lstat(p).then(
    () => true,
    () => false,
  );
}

/** The unqueued body of {@link writeDirAtomically}. */
async function writeNow(dir: string, files: readonly DirFile[]): Promise<void> {
  const parent = path.dirname(dir);
  await fs.promises.mkdir(parent, { recursive: true });
  // Temp dirs of crashed saves are garbage: remove them. Old dirs wait until our swap is done,
  // because while `dir` is missing an `.old` sibling may be the only complete copy.
  await removeStale(dir, "tmp");
  const suffix = `${process.pid}-${randomBytes(6).toString("hex")}`;
  const temp = path.join(parent, `${siblingPrefix(dir, "tmp")}${suffix}`);
  let old: string | undefined;
  inFlight.add(temp);
  try {
    try {
      await writeTemp(temp, files);
    } catch (err) {
      await fs.promises.rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    crashHooks.afterStep?.("write");

    if (await exists(dir)) {
      old = path.join(parent, `${siblingPrefix(dir, "old")}${suffix}`);
      inFlight.add(old);
      await fs.promises.rename(dir, old);
    }
    crashHooks.afterStep?.("rename-old");
    try {
      await fs.promises.rename(temp, dir);
    } catch (err) {
      // E.g. another process put a new `dir` in place between our renames (ENOTEMPTY): put ours
      // back if the name is free, drop the temp, and report.
      if (old !== undefined) await fs.promises.rename(old, dir).catch(() => undefined);
      await fs.promises.rm(temp, { recursive: true, force: true }).catch(() => undefined);
      const why = (err as NodeJS.ErrnoException).code === "ENOTEMPTY" ? " (another process saved to it at the same time)" : "";
      throw new Error(`Expected to move the new checkpoint into ${dir}${why}, got ${(err as Error).message}`);
    }
    await syncDir(parent);
    crashHooks.afterStep?.("rename-new");
    if (old !== undefined) await fs.promises.rm(old, { recursive: true, force: true });
    // `dir` is complete now, so `.old` siblings left by crashed saves are redundant.
    await removeStale(dir, "old");
  } finally {
    // Whatever is left now (after an error or a simulated crash) is stale for the next save.
    inFlight.delete(temp);
    if (old !== undefined) inFlight.delete(old);
  }
}

/**
 * Writes `files` as the new contents of directory `dir`, atomically: readers (and a crash) see the
 * previous contents or the new ones, never a mix (see the file comment for how). Saves to the same
 * `dir` from this process are queued; temp dirs left by crashed processes are removed.
 *
 * @param dir The target directory (created with its parents if needed; replaced if it exists).
 * @param files The complete new contents, paths relative to `dir` with "/" separators.
 * @returns Resolves once the new contents are durable under `dir`.
 * @throws Error if writing fails (the previous `dir` is then left untouched).
 * @example
 * ```ts
 * await writeDirAtomically("/tmp/run1", [{ path: "a/b.txt", data: Buffer.from("hi") }]);
 * fs.readFileSync("/tmp/run1/a/b.txt", "utf8"); //=> "hi"
 * ```
 */
export function writeDirAtomically(dir: string, files: readonly DirFile[]): Promise<void> {
  const key = path.resolve(dir);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => writeNow(key, files));
  queues.set(key, next);
  const forget = () => {
    if (queues.get(key) === next) queues.delete(key);
  };
  next.then(forget, forget);
  return next;
}

/**
 * Waits until saves to `dir` queued by this process have finished, so a reader never sees the
 * moment between the two renames of its own process's save.
 *
 * @param dir The directory about to be read.
 * @returns Resolves (never rejects) when no save from this process is in progress on `dir`.
 * @example
 * ```ts
 * await settledWrites(dir); // then read dir
 * ```
 */
export async function settledWrites(dir: string): Promise<void> {
  await queues.get(path.resolve(dir))?.catch(() => undefined);
}

/** Where a directory's contents can be read from: `dir` itself, or the copy left by a crash. */
export interface Recoverable {
  /** The directory to read. */
  path: string;
  /** True if `dir` was missing and `path` is the `.old` sibling of an interrupted save. */
  recovered: boolean;
}

/**
 * Locates the readable version of `dir`: `dir` itself if it exists, else the newest `.old` sibling
 * (a save crashed between its two renames, so that sibling is the last complete version).
 *
 * @param dir The directory written by {@link writeDirAtomically}.
 * @returns The directory to read, or undefined if there is neither `dir` nor an `.old` sibling;
 *   `incomplete` lists leftover temp dirs (saves that never finished) for the error message.
 * @example
 * ```ts
 * const found = await findRecoverable("/tmp/run1"); //=> { path: "/tmp/run1", recovered: false }
 * ```
 */
export async function findRecoverable(dir: string): Promise<{ found?: Recoverable; incomplete: string[] }> {
  const key = path.resolve(dir);
  if (await exists(key)) return { found: { path: key, recovered: false }, incomplete: [] };
  const olds = await listSiblings(key, "old");
  const dated = await Promise.all(olds.map(async (o) => ({ path: o.path, mtime: (await fs.promises.stat(o.path).catch(() => undefined))?.mtimeMs ?? -1 })));
  dated.sort((a, b) => b.mtime - a.mtime);
  const incomplete = (await listSiblings(key, "tmp")).map((t) => path.basename(t.path));
  const newest = dated.find((d) => d.mtime >= 0);
  return newest === undefined ? { incomplete } : { found: { path: newest.path, recovered: true }, incomplete };
}
