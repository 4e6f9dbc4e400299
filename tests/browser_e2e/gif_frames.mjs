// The frames of a GIF file, read from its block structure (GIF89a spec):
// the logical screen's width and height and how many images it holds. The
// tests count frames here rather than with the browser's ImageDecoder,
// which WebKitGTK lacks.
export function gifFrames(bytes) {
  if (bytes.subarray(0, 6).toString() !== "GIF89a") throw new Error("not a GIF89a file");
  const width = bytes.readUInt16LE(6);
  const height = bytes.readUInt16LE(8);
  const colourTable = (flags) => (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let at = 13 + colourTable(bytes[10]);
  const skipSubBlocks = () => { while (bytes[at] !== 0) at += bytes[at] + 1; at += 1; };
  let count = 0;
  for (;;) {
    const block = bytes[at];
    if (block === 0x3b) return { width, height, count }; // trailer
    if (block === 0x21) { at += 2; skipSubBlocks(); continue; } // extension: label, sub-blocks
    if (block !== 0x2c) throw new Error(`unexpected GIF block 0x${block?.toString(16)} at byte ${at}`);
    count += 1;
    at += 10 + colourTable(bytes[at + 9]) + 1; // descriptor, local colours, LZW code size
    skipSubBlocks();
  }
}
