// Start-up: the only module that acts when loaded. Checks what the page
// needs, builds the controller (which builds the views and panels), installs
// the automation hook and starts the workers.
import { Controller } from "./controller.js";
import { installAutomation } from "./automation.js";

// A module whose one function returns i8x16.splat(0): valid only with SIMD.
function wasmSimdSupported() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  return WebAssembly.validate(bytes);
}

const controller = new Controller();
installAutomation(controller);
if (wasmSimdSupported()) {
  controller.start();
} else {
  controller.showFromLink();
  controller.banner.show("This browser lacks WebAssembly SIMD, which tinydiff needs. Please use a current Chrome, Edge, Firefox or Safari.", { error: true });
}
