// The forward and reverse diffusion animations: frames from the training
// worker, played along a timeline that shows the noise level, left (data)
// to right (noise), with a few points' trails.
import { setupCanvas, drawGrid, drawPoints, toPixel } from "./canvas.js";

const $ = (id) => document.getElementById(id);
const TRAIL_POINTS = 14;
const PLAY_MS = 3000; // one pass, whatever the number of frames

export class AnimationPlayer {
  constructor(state) {
    this.state = state;
    $("anim-t").oninput = (event) => {
      const a = this.state.anim;
      if (!a) return;
      a.playing = false;
      a.pos = Number(event.target.value);
      this.tick(performance.now());
    };
    $("anim-play").onclick = () => {
      const a = this.state.anim;
      if (!a) return;
      if (!a.playing && this.done(a)) a.pos = a.kind === "forward" ? 0 : a.K; // replay from the start
      a.playing = !a.playing;
      a.last = performance.now();
      requestAnimationFrame((now) => this.tick(now));
    };
  }

  // frames[k] for k = 0..K: position p on the timeline is frame p going
  // forward and frame K - p in reverse. `caption` says what is shown.
  start({ kind, frames, n, numTimesteps, numFrames }, caption) {
    const K = numFrames - 1;
    this.state.anim = { kind, frames, n, K, T: numTimesteps, pos: kind === "forward" ? 0 : K, playing: true,
      last: performance.now(), fewSteps: kind === "reverse" && K !== numTimesteps };
    $("anim-forward").classList.toggle("active", kind === "forward");
    $("anim-reverse").classList.toggle("active", kind === "reverse");
    const slider = $("anim-t");
    slider.max = String(K);
    slider.disabled = false;
    $("anim-play").disabled = false;
    $("anim-caption").textContent = caption;
    requestAnimationFrame((now) => this.tick(now));
  }

  frameIndex(a, pos) { return a.kind === "forward" ? pos : a.K - pos; }
  done(a) { return a.kind === "forward" ? a.pos >= a.K : a.pos <= 0; }

  tick(now) {
    const a = this.state.anim;
    if (!a) return;
    if (a.playing) {
      const dt = ((now - a.last) / PLAY_MS) * a.K;
      a.last = now;
      a.pos = a.kind === "forward" ? Math.min(a.K, a.pos + dt) : Math.max(0, a.pos - dt);
      if (this.done(a)) a.playing = false;
    }
    this.draw();
    $("anim-play").innerHTML = a.playing ? "&#x275A;&#x275A;" : "&#x25B6;";
    if (a.playing) requestAnimationFrame((t) => this.tick(t));
  }

  draw() {
    const a = this.state.anim;
    const { ctx, w } = setupCanvas($("anim-canvas"));
    drawGrid(ctx, w);
    if (!a) return;
    const pos = Math.round(a.pos);
    const k = this.frameIndex(a, pos);
    const stride = a.n * 2;
    drawPoints(ctx, w, a.frames.subarray(k * stride, (k + 1) * stride), a.kind === "forward" ? "#8e9ab0" : "#4f46e5", 1.5, 0.75);
    // Trails: a few points' paths from the start of the animation to now.
    ctx.lineWidth = 1.3;
    ctx.strokeStyle = "rgba(240, 140, 46, 0.85)";
    ctx.fillStyle = "#f08c2e";
    const at = (f, i) => toPixel(w, a.frames[f * stride + 2 * i], a.frames[f * stride + 2 * i + 1]);
    for (let p = 0; p < Math.min(TRAIL_POINTS, a.n); p++) {
      const i = Math.floor((p * a.n) / TRAIL_POINTS);
      ctx.beginPath();
      for (let f = 0; f <= k; f++) { const [x, y] = at(f, i); f ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }
      ctx.stroke();
      const [x, y] = at(k, i);
      ctx.beginPath();
      ctx.arc(x, y, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    $("anim-t").value = String(pos);
    $("anim-t-out").textContent = a.fewSteps ? `step ${k} / ${a.K}` : `t = ${pos}`;
  }
}
