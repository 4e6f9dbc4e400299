// Writes into the built site's service_worker.js the list of files it keeps
// for offline use and the site's version (a hash of those files' paths and
// contents): a new deployment is a new version, which the browser installs
// beside the old one. Run after every other step that writes the site's
// files, before compressing. Precompressed copies, the README and the
// licences are not kept (the server picks an encoding per request).
// usage: node scripts/offline_manifest.mjs SITE_DIR
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2];
if (!root || !fs.existsSync(root)) {
  console.error("usage: node scripts/offline_manifest.mjs SITE_DIR");
  process.exit(2);
}
const WORKER = "service_worker.js";
const MARKER = "const SITE = null;";
const skipped = (file) => /\.(br|gz|md)$/.test(file) || /LICENSE/.test(file) || file === WORKER;
const all = fs.readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join("/"))
  .filter((file) => !skipped(file))
  .sort();
// The threaded build is kept only by pages that run it (the live view always
// runs the single-threaded one): a page should not download a build it does not use.
const isThreaded = (file) => file.startsWith("tinydiff-threads.");
const files = all.filter((file) => !isThreaded(file)), threaded = all.filter(isThreaded);
if (threaded.length === 0) {
  console.error("offline_manifest: the site has no threaded build (tinydiff-threads.*)");
  process.exit(1);
}
const worker = path.join(root, WORKER);
const source = fs.readFileSync(worker, "utf8");
// The worker's own code is part of the version too.
const hash = crypto.createHash("sha256").update(source);
for (const file of all) hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file)));
const version = hash.digest("hex").slice(0, 12);
if (!source.includes(MARKER)) {
  console.error(`offline_manifest: ${worker} has no "${MARKER}"`);
  process.exit(1);
}
fs.writeFileSync(worker, source.replace(MARKER, `const SITE = ${JSON.stringify({ version, files, threaded })};`));
const kb = (list) => (list.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0) / 1024).toFixed(0);
console.log(`offline_manifest: version ${version}, ${files.length} files (${kb(files)} KB) kept offline, and the threaded build (${kb(threaded)} KB) where it runs`);
