// Draws the page's app icons (the web app manifest's, and the touch icon):
// the Datasaurus dino's points (core/src/dino_points.inc, the preset's own
// data) as white dots on the page's indigo, full bleed with the dots inside
// the middle 70% so that a round or squircle mask keeps them. Writes
// icon-192.png and icon-512.png into the site; a PNG is built by hand here
// (node's zlib) because the build has no image library.
// usage: node scripts/make_icons.mjs SITE_DIR
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const root = process.argv[2];
if (!root || !fs.existsSync(root)) {
  console.error("usage: node scripts/make_icons.mjs SITE_DIR");
  process.exit(2);
}
const source = fs.readFileSync(new URL("../core/src/dino_points.inc", import.meta.url), "utf8");
const points = [...source.matchAll(/\{(-?[\d.]+)f?,\s*(-?[\d.]+)f?\}/g)].map((m) => [Number(m[1]), Number(m[2])]);
if (points.length < 100) throw new Error(`make_icons: only ${points.length} dino points read`);

const BACKGROUND = [0x4f, 0x46, 0xe5], DOT = [0xff, 0xff, 0xff];

function icon(size) {
  const rgb = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) rgb.set(BACKGROUND, 3 * i);
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = (0.7 * size) / Math.max(x1 - x0, y1 - y0);
  const radius = size / 64;
  for (const [x, y] of points) {
    const cx = size / 2 + (x - (x0 + x1) / 2) * scale, cy = size / 2 - (y - (y0 + y1) / 2) * scale;
    for (let py = Math.floor(cy - radius - 1); py <= Math.ceil(cy + radius + 1); py++) {
      for (let px = Math.floor(cx - radius - 1); px <= Math.ceil(cx + radius + 1); px++) {
        // Coverage of the pixel by the dot, one pixel of soft edge.
        const cover = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(px + 0.5 - cx, py + 0.5 - cy)));
        if (cover <= 0 || px < 0 || py < 0 || px >= size || py >= size) continue;
        const at = 3 * (py * size + px);
        for (let c = 0; c < 3; c++) rgb[at + c] = Math.round(rgb[at + c] + (DOT[c] - rgb[at + c]) * cover);
      }
    }
  }
  return png(size, rgb);
}

// An 8-bit RGB PNG: signature, IHDR, one IDAT (each row after filter byte 0), IEND.
function png(size, rgb) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  const rows = Buffer.alloc(size * (3 * size + 1));
  for (let y = 0; y < size; y++) rgb.copy(rows, y * (3 * size + 1) + 1, 3 * y * size, 3 * (y + 1) * size);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

for (const size of [192, 512]) fs.writeFileSync(path.join(root, `icon-${size}.png`), icon(size));
console.log(`make_icons: icon-192.png, icon-512.png (${points.length} dino points)`);
