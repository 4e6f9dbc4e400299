// The animation as an animated GIF: every frame drawn as the page draws it
// (overlays included), quantised to 256 colours and encoded with gifenc
// (npm, vendored into the site build by scripts/build_web.sh).
import { GIFEncoder, quantize, applyPalette } from "../vendor/gifenc.js";

const SIZE = 360;
const FRAME_MS = 80;
const HOLD_MS = 1500;

// -> Uint8Array: the GIF of animation `a`, in play order.
export function encodeAnimationGif(player, a, overlay) {
  const canvas = new OffscreenCanvas(SIZE, SIZE);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const gif = GIFEncoder();
  for (let p = 0; p <= a.K; p++) {
    const k = a.kind === "forward" ? p : a.K - p;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, SIZE, SIZE);
    player.drawFrame(ctx, SIZE, a, k, overlay);
    ctx.fillStyle = "#282c34";
    ctx.font = "14px system-ui, sans-serif";
    const t = player.timestepOf(a, k);
    ctx.fillText(k === (a.kind === "forward" ? 0 : a.K) ? "data" : `t = ${a.flow ? t.toFixed(2) : t + 1}`, 10, 20);
    const { data } = ctx.getImageData(0, 0, SIZE, SIZE);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), SIZE, SIZE, { palette, delay: p === a.K ? HOLD_MS : FRAME_MS });
  }
  gif.finish();
  return gif.bytes();
}
