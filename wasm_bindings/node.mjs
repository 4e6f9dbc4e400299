// Loads tinydiff under node: createTinyDiff with the .wasm read from disk
// (node's fetch cannot read file: URLs, which Emscripten 3.1.6 would try).
import fs from "node:fs";
import createTinyDiff from "./tinydiff.js";

export default function createTinyDiffNode(options = {}) {
  const wasmBinary = fs.readFileSync(new URL("./tinydiff.wasm", import.meta.url));
  return createTinyDiff({ wasmBinary, ...options });
}
