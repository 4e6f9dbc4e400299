// Lists every module the page's entry imports, directly or not, as
// <link rel="modulepreload"> in the built index.html, so that the browser
// fetches them all at once instead of one level of imports per round trip
// (no bundler: the modules stay as they are). Reads static imports only;
// the workers fetch their own modules. Also writes app/preload_builds.js
// inline at <!-- preload_builds -->, so that the workers' wasm builds are
// fetched before anything else.
// usage: node scripts/preload_modules.mjs SITE_DIR [ENTRY=app/main.js]
import fs from "node:fs";
import path from "node:path";

const [root, entry = "app/main.js"] = process.argv.slice(2);
if (!root) {
  console.error("usage: node scripts/preload_modules.mjs SITE_DIR [ENTRY]");
  process.exit(2);
}
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+\.js)"|^\s*import\s+"(\.{1,2}\/[^"]+\.js)"/gm;
const seen = new Set();
const queue = [entry];
while (queue.length) {
  const module = queue.shift();
  if (seen.has(module)) continue;
  seen.add(module);
  const text = fs.readFileSync(path.join(root, module), "utf8");
  for (const match of text.matchAll(IMPORT)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(module), match[1] || match[2]));
    if (!seen.has(target)) queue.push(target);
  }
}
seen.delete(entry);
const html = path.join(root, "index.html");
const marker = "<!-- modulepreload -->";
const page = fs.readFileSync(html, "utf8");
if (!page.includes(marker)) {
  console.error(`preload_modules: ${html} has no ${marker}`);
  process.exit(1);
}
const links = [...seen].sort().map((m) => `<link rel="modulepreload" href="${m}">`).join("\n  ");
// The workers' builds are fetched from an inline script before everything
// else (app/preload_builds.js says why).
const buildsMarker = "<!-- preload_builds -->";
if (!page.includes(buildsMarker)) {
  console.error(`preload_modules: ${html} has no ${buildsMarker}`);
  process.exit(1);
}
const builds = fs.readFileSync(path.join(root, "app/preload_builds.js"), "utf8");
fs.writeFileSync(html, page.replace(marker, links).replace(buildsMarker, () => `<script>\n${builds}</script>`));
console.log(`preload_modules: ${seen.size} modules under ${entry}`);
