// Prepended to tinydiff.js (--extern-pre-js). Emscripten 3.1.6 emits
// CommonJS-isms (__dirname, require) in its ES-module output when it runs
// under node; ES modules have neither, so give the module its own. Browsers
// and workers never read these.
var __dirname = (typeof process === "object" && process.versions && process.versions.node)
  ? decodeURIComponent(new URL(".", import.meta.url).pathname) : "";
var require = (typeof process === "object" && typeof process.getBuiltinModule === "function")
  ? (name) => process.getBuiltinModule(name) : undefined;
