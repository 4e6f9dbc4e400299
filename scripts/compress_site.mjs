// Writes a brotli (.br) and a gzip (.gz) copy beside every text and wasm
// file of the built site, at the highest levels (compressed once, served
// many times). scripts/serve.mjs sends them to browsers that accept them; a
// static host that does not look for them serves the originals.
// usage: node scripts/compress_site.mjs SITE_DIR
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const COMPRESSED = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".json", ".svg", ".webmanifest", ".md"]);
const root = process.argv[2];
if (!root || !fs.existsSync(root)) {
  console.error("usage: node scripts/compress_site.mjs SITE_DIR");
  process.exit(2);
}
let raw = 0, brotli = 0, gzip = 0;
for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !COMPRESSED.has(path.extname(entry.name))) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  const body = fs.readFileSync(file);
  const br = zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  const gz = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, gz);
  raw += body.length;
  brotli += br.length;
  gzip += gz.length;
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`compressed ${root}: ${kb(raw)} -> brotli ${kb(brotli)}, gzip ${kb(gzip)}`);
