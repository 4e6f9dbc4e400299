// The toast that tells the user what happened (and offers a way out).
import { $ } from "./dom.js";

export class Banner {
  constructor() {
    $("banner-close").onclick = () => this.hide();
  }

  show(text, { error = false, action = null, actionLabel = "" } = {}) {
    $("banner-text").textContent = text;
    $("banner").classList.toggle("error", error);
    const button = $("banner-action");
    button.hidden = !action;
    button.textContent = actionLabel;
    button.onclick = action ? () => { this.hide(); action(); } : null;
    $("banner").hidden = false;
  }

  hide() { $("banner").hidden = true; }

  // A hint has served its purpose once the user acts; errors stay until dismissed.
  hideHint() { if (!$("banner").classList.contains("error")) this.hide(); }
}
