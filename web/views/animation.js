// The forward and reverse diffusion animations: frames from the training
// worker, played along a timeline that shows the noise level, left (data)
// to right (noise), with a few points' trails. Under the points it draws
// the inspector's overlays for the frame's t (field_overlay.js); a click on
// the reverse animation follows one point: its path, and at every step the
// data it is predicted to become (x̂₀, from the step's noise prediction);
// "Follow a point" does the same from the keyboard. Its t is said in words
// (#anim-t-status) when the animation stops or is scrubbed, not while it
// plays; with prefers-reduced-motion an animation waits for Play.
import { setupCanvas, drawGrid, drawPoints, drawPointsByClass, toPixel } from "./canvas.js";
import { drawDensity, drawField, fieldVectors } from "./field_overlay.js";
import { VIEW_RANGE } from "../shared/settings.js";
import { followCaption } from "../shared/captions.js";
import { $ } from "../app/dom.js";

const TRAIL_POINTS = 14;
const PLAY_MS = 3000; // one pass, whatever the number of frames
const SAY_T_MS = 400; // a scrubbed t is said once the slider rests this long
const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;
const FIELD_COLORS = { network: "rgba(79, 70, 229, 0.75)", ideal: "rgba(90, 96, 110, 0.8)", difference: "rgba(220, 38, 38, 0.8)" };

export class AnimationPlayer {
  // onFrame(t): the shown frame (and so its timestep) changed
  constructor(state, { onFrame = () => {} } = {}) {
    this.state = state;
    this.onFrame = onFrame;
    this.shownFrame = -1;
    $("anim-t").oninput = (event) => {
      const a = this.state.anim;
      if (!a) return;
      a.running = false;
      a.pos = Number(event.target.value);
      this.tick(performance.now());
      clearTimeout(this.sayTimer);
      this.sayTimer = setTimeout(() => this.sayT(), SAY_T_MS);
    };
    $("anim-play").onclick = () => {
      const a = this.state.anim;
      if (!a) return;
      if (!a.running && this.done(a)) a.pos = a.kind === "forward" ? 0 : a.K; // replay from the start
      a.running = !a.running;
      a.last = performance.now();
      this.showPlaying(a);
      requestAnimationFrame((now) => this.tick(now));
    };
    $("anim-canvas").addEventListener("click", (event) => this.follow(event));
    $("follow-point").onclick = () => this.followNext();
  }

  // The shown t in words, for a screen reader (the slider's own value is a frame number).
  sayT() {
    const a = this.state.anim;
    if (!a) return;
    $("anim-t-status").textContent = `${a.kind === "forward" ? "Forward" : "Reverse"} animation ${a.running ? "playing" : "paused"} at ${$("anim-t-out").textContent}.`;
  }

  // frames[k] for k = 0..K: position p on the timeline is frame p going
  // forward and frame K - p in reverse. `caption` says what is shown.
  // labels (if not empty): each point's class, drawn in its colour.
  start({ kind, frames, n, numTimesteps, numFrames, predictedData = null, times = null, flow = false, labels = null }, caption) {
    const K = numFrames - 1;
    this.state.anim = { kind, frames, n, K, T: numTimesteps, pos: kind === "forward" ? 0 : K, running: !reducedMotion(),
      last: performance.now(), fewSteps: kind === "reverse" && K !== numTimesteps, predictedData, times, flow, followed: -1,
      labels: labels && labels.length ? labels : null };
    for (const [name, id] of [["forward", "anim-forward"], ["reverse", "anim-reverse"]]) {
      $(id).classList.toggle("active", kind === name);
      $(id).setAttribute("aria-pressed", String(kind === name));
    }
    $("follow-point").disabled = kind !== "reverse";
    this.followCursor = 0;
    const slider = $("anim-t");
    slider.max = String(K);
    slider.disabled = false;
    $("anim-play").disabled = false;
    $("export-gif").disabled = false;
    $("anim-caption").textContent = caption + (kind === "reverse" ? " Click a point (or press Follow a point) to follow it." : "") +
      (this.state.anim.running ? "" : " Press Play or move the slider: motion is reduced on this device.");
    $("anim-t-status").textContent = "";
    requestAnimationFrame((now) => this.tick(now));
  }

  frameIndex(a, pos) { return a.kind === "forward" ? pos : a.K - pos; }
  done(a) { return a.kind === "forward" ? a.pos >= a.K : a.pos <= 0; }

  // The time whose distribution frame k shows. Noise prediction: forward
  // frame k is k noising steps in (timestep k - 1), reverse frame k the
  // input of the step at times[k], the data ends timestep 0. Flow: t = k / T
  // forward, times[k] in reverse, the data t = 0.
  timestepOf(a, k) {
    if (a.flow) return a.kind === "forward" ? k / a.K : k >= a.K ? 0 : a.times[k];
    if (a.kind === "forward") return Math.max(0, k - 1);
    if (k >= a.K) return 0;
    return a.times ? a.times[k] : a.T - 1 - k;
  }
  timestep() {
    const a = this.state.anim;
    return a ? this.timestepOf(a, this.frameIndex(a, Math.round(a.pos))) : null;
  }

  tick(now) {
    const a = this.state.anim;
    if (!a) return;
    if (a.running) {
      const dt = ((now - a.last) / PLAY_MS) * a.K;
      a.last = now;
      a.pos = a.kind === "forward" ? Math.min(a.K, a.pos + dt) : Math.max(0, a.pos - dt);
      if (this.done(a)) a.running = false;
    }
    this.draw();
    this.showPlaying(a);
    if (a.running) requestAnimationFrame((t) => this.tick(t));
  }

  // The play button's icon and name follow the animation; a stop says its t.
  showPlaying(a) {
    const play = $("anim-play");
    if (play.dataset.running === String(a.running)) return;
    play.dataset.running = String(a.running);
    play.innerHTML = a.running ? "&#x275A;&#x275A;" : "&#x25B6;";
    play.setAttribute("aria-label", a.running ? "Pause the animation" : "Play the animation");
    if (!a.running) this.sayT();
  }

  draw() {
    const a = this.state.anim;
    const { ctx, w } = setupCanvas($("anim-canvas"));
    if (!a) { drawGrid(ctx, w); return; }
    const pos = Math.round(a.pos);
    const k = this.frameIndex(a, pos);
    this.drawFrame(ctx, w, a, k, this.state.overlay);
    $("anim-t").value = String(pos);
    const t = this.timestepOf(a, k);
    // Shown 1-based, as x_t: frame k of the forward chain is x_k; reverse frame k is the input of the step at timesteps[k].
    const shownT = a.flow ? t.toFixed(2) : a.kind === "forward" ? k : k >= a.K ? 0 : t + 1;
    $("anim-t-out").textContent = a.fewSteps ? `step ${k} / ${a.K} · t = ${shownT}` : `t = ${shownT}`;
    if (k !== this.shownFrame) { this.shownFrame = k; this.onFrame(t); }
  }

  // One frame on any square canvas (the page's, or the GIF export's).
  drawFrame(ctx, w, a, k, overlay = null) {
    drawGrid(ctx, w);
    const t = this.timestepOf(a, k);
    if (overlay && overlay.density && overlay.density.t === t) drawDensity(ctx, w, overlay.density.logDensity);
    if (overlay && overlay.field && overlay.field.t === t && overlay.mode !== "off") {
      drawField(ctx, w, fieldVectors(overlay.mode, overlay.field), FIELD_COLORS[overlay.mode]);
    }
    const stride = a.n * 2;
    const frame = a.frames.subarray(k * stride, (k + 1) * stride);
    if (a.labels) drawPointsByClass(ctx, w, frame, a.labels, 1.5, 0.75);
    else drawPoints(ctx, w, frame, a.kind === "forward" ? "#8e9ab0" : "#4f46e5", 1.5, 0.75);
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
    if (a.followed >= 0) this.drawFollowed(ctx, w, a, k, at);
  }

  // The followed point: its whole path, and from where it is now a dashed
  // segment to x̂₀, the data the model predicts it becomes.
  drawFollowed(ctx, w, a, k, at) {
    const i = a.followed;
    ctx.strokeStyle = "rgba(16, 150, 72, 0.9)";
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let f = 0; f <= a.K; f++) { const [x, y] = at(f, i); f ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }
    ctx.stroke();
    const [x, y] = at(k, i);
    ctx.fillStyle = "#109648";
    ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.fill();
    if (k < a.K && a.predictedData) {
      const [px, py] = toPixel(w, a.predictedData[k * a.n * 2 + 2 * i], a.predictedData[k * a.n * 2 + 2 * i + 1]);
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(px, py); ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.stroke();
    }
  }

  // A click on the reverse animation follows the nearest point of the frame shown.
  follow(event) {
    const a = this.state.anim;
    if (!a || a.kind !== "reverse") return;
    const r = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - r.left) / r.width) * 2 * VIEW_RANGE - VIEW_RANGE;
    const y = VIEW_RANGE - ((event.clientY - r.top) / r.height) * 2 * VIEW_RANGE;
    const k = this.frameIndex(a, Math.round(a.pos)), base = k * a.n * 2;
    let best = -1, bestD = Infinity;
    for (let i = 0; i < a.n; i++) {
      const d = (a.frames[base + 2 * i] - x) ** 2 + (a.frames[base + 2 * i + 1] - y) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    this.followPoint(best);
  }

  // The keyboard's way: each press follows the next of the traced points.
  followNext() {
    const a = this.state.anim;
    if (!a || a.kind !== "reverse") return;
    const traced = Math.min(TRAIL_POINTS, a.n);
    this.followPoint(Math.floor((this.followCursor * a.n) / traced));
    this.followCursor = (this.followCursor + 1) % traced;
  }

  followPoint(i) {
    this.state.anim.followed = i;
    $("anim-caption").textContent = followCaption(this.state.settings.objective);
    this.draw();
  }
}
