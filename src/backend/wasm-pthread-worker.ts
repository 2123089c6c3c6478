/**
 * Entry script of the worker threads that run XNNPACK's thread pool for the multi-threaded wasm
 * backend (see wasm-threads.ts). Node runs it in each of emscripten's pthread workers; it is not
 * meant to be imported.
 *
 * tfjs ships emscripten's pthread worker script only as a string (for a browser Blob URL). Here it
 * runs as this worker's own code, given the `require` and `__filename` it expects in Node. As tfjs
 * does before making its Blob, newlines are re-escaped first: the string comes from a template
 * literal, which turned the "\n" escapes inside the script's string literals into real newlines.
 *
 * @example
 * ```ts
 * // Used by emscripten, never directly:
 * new Worker(path.join(__dirname, "wasm-pthread-worker.js"));
 * ```
 */
const { wasmWorkerContents } = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js") as {
  wasmWorkerContents: string;
};
new Function("require", "__filename", wasmWorkerContents.replace(/\n/g, "\\n"))(require, __filename);

export {};
