// Start-up: the only module that acts when loaded. Checks what the page
// needs, builds the controller (which builds the views and panels), installs
// the automation hook, starts the service worker and the workers.
import { Controller } from "./controller.js";
import { installAutomation } from "./automation.js";
import { startServiceWorker } from "./service_worker_client.js";

// A module whose one function returns i8x16.splat(0): valid only with SIMD.
function wasmSimdSupported() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  return WebAssembly.validate(bytes);
}

const controller = new Controller();
installAutomation(controller);
// Offline copies and (where the host sends no headers) cross-origin isolation.
const registerServiceWorker = startServiceWorker({
  onNewVersion: (activate) => controller.banner.show("A new version of tinydiff is ready.", { action: activate, actionLabel: "Reload to use it" }),
  onIsolationAvailable: (reload) => controller.banner.show("Training can run on several threads after a reload; your drawing and settings are kept.",
    { action: reload, actionLabel: "Reload" }),
  busy: () => controller.state.step > 0 || controller.state.training,
});
if (wasmSimdSupported()) {
  controller.start({ onStarted: registerServiceWorker });
} else {
  controller.showFromLink();
  controller.banner.show("This browser lacks WebAssembly SIMD, which tinydiff needs. Please use a current Chrome, Edge, Firefox or Safari.", { error: true });
}
