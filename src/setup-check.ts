import * as os from "node:os";
import { initBackend, type BackendInfo } from "./backend";
import { VERSION } from "./version";

/** One row of {@link checkSetup}'s report: a component, its version, and a note. */
export interface SetupRow {
  readonly component: string;
  readonly version: string;
  readonly note: string;
}

/** What {@link checkSetup} found: the rows for a table, and the backend chosen. */
export interface SetupReport {
  readonly rows: readonly SetupRow[];
  readonly backend: BackendInfo;
}

/** The installed version of an npm package, or "missing" when it cannot be resolved. */
function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "missing";
  }
}

/**
 * Checks what a notebook runs on: Node.js, rl-workbook, the tfjs backend it picked (and why), and the
 * packages the notebooks display with. Chooses the backend if none was chosen yet (`initBackend`).
 * Meant for the first cell of a session: if something is missing, this is where it shows.
 *
 * @returns The rows (component, version, note) and the backend info.
 * @example
 * const report = await checkSetup();
 * report.backend.name  //=> "wasm" where tfjs-node could not install
 * showTable(report.rows)
 */
export async function checkSetup(): Promise<SetupReport> {
  const backend = await initBackend({ log: false });
  const rows: SetupRow[] = [
    { component: "Node.js", version: process.version.slice(1), note: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB` },
    { component: "rl-workbook", version: VERSION, note: "this library" },
    { component: "@tensorflow/tfjs", version: backend.versions.tfjs, note: `backend "${backend.name}": ${backend.reason}` },
    {
      component: "@tensorflow/tfjs-node",
      version: backend.versions.tfjsNode ?? packageVersion("@tensorflow/tfjs-node"),
      note: backend.name === "tensorflow" ? "native TensorFlow, in use" : "optional; not in use",
    },
    { component: "tslab", version: packageVersion("tslab"), note: "the TypeScript kernel" },
    { component: "canvas", version: packageVersion("canvas"), note: "draws frames and overlays" },
    { component: "plotly.js-dist-min", version: packageVersion("plotly.js-dist-min"), note: "plots, embedded for offline pages" },
    { component: "danfojs-node", version: packageVersion("danfojs-node"), note: "DataFrames" },
  ];
  return { rows, backend };
}
