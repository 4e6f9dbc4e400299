// The toast that tells the user what happened (and offers a way out). While
// it shows, the page keeps room for it at its foot (--banner-space) and a
// control that takes the focus under it is scrolled above it, so it never
// hides the focus (WCAG 2.4.11). (CSS scroll-padding would do the latter,
// but WebKitGTK's WebDriver then fails to scroll elements into view.)
import { $ } from "./dom.js";

const GAP_PX = 16;

function keepRoom(on) {
  const space = on ? $("banner").getBoundingClientRect().height + 2 * GAP_PX : 0;
  document.documentElement.style.setProperty("--banner-space", `${Math.ceil(space)}px`);
}

export class Banner {
  constructor() {
    $("banner-close").onclick = () => this.hide();
    document.addEventListener("focusin", (event) => this.uncover(event.target));
  }

  uncover(element) {
    const banner = $("banner");
    // Keyboard focus only: a press on the canvas focuses it too, and must not scroll it under the pointer.
    if (banner.hidden || banner.contains(element) || !element.matches(":focus-visible")) return;
    const r = element.getBoundingClientRect(), b = banner.getBoundingClientRect();
    if (r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right) window.scrollBy(0, r.bottom - b.top + GAP_PX);
  }

  show(text, { error = false, action = null, actionLabel = "" } = {}) {
    $("banner-text").textContent = text;
    $("banner").classList.toggle("error", error);
    const button = $("banner-action");
    button.hidden = !action;
    button.textContent = actionLabel;
    button.onclick = action ? () => { this.hide(); action(); } : null;
    $("banner").hidden = false;
    keepRoom(true);
  }

  hide() {
    $("banner").hidden = true;
    keepRoom(false);
  }

  // A hint has served its purpose once the user acts; errors stay until dismissed.
  hideHint() { if (!$("banner").classList.contains("error")) this.hide(); }
}
