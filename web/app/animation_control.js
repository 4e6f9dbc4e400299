// The forward and reverse animations: asked of the training worker, started
// in the player with a caption true of the model's objective and sampler,
// and exported as an animated GIF.
import { forwardCaption, reverseCaption } from "../shared/captions.js";
import { encodeAnimationGif } from "../views/gif_export.js";
import { $, download } from "./dom.js";

const ANIM_POINTS = 600;
const ANIM_SEED = 11;

export class AnimationControl {
  // player: the AnimationPlayer; workers: the WorkerClient.
  constructor(state, workers, player, banner) {
    this.state = state;
    this.workers = workers;
    this.player = player;
    this.banner = banner;
  }

  request(kind) {
    const s = this.state;
    if (!s.modelReady) return;
    if (kind === "forward" && !s.points.length) return this.banner.show("The forward process needs data: pick a preset or draw.", { error: true });
    $("anim-caption").textContent = kind === "forward" ? "Noising the data…" : "Denoising with the model…";
    this.workers.frames(kind, ANIM_POINTS, ANIM_SEED).then((msg) => {
      const frames = msg.numFrames - 1, objective = s.settings.objective;
      this.player.start(msg, kind === "forward" ? forwardCaption(objective, frames)
        : reverseCaption({ sampler: s.settings.sampler, objective, frames, trainingSteps: s.step }));
    }, (e) => this.banner.show(e.message, { error: true }));
  }

  exportGif() {
    const a = this.state.anim;
    if (!a) return;
    try {
      const bytes = encodeAnimationGif(this.player, a, this.state.overlay);
      download(`tinydiff-${a.kind}-step${this.state.step}.gif`, bytes, "image/gif");
      this.state.lastGif = bytes;
    } catch (e) {
      this.banner.show(`Could not make the GIF: ${e.message}`, { error: true });
    }
  }
}
