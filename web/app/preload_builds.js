// Starts downloading the wasm builds the workers will load, as soon as the
// page's head is parsed: otherwise their fetches wait for every module of
// the page, the workers' start and their own imports, one round trip after
// another (on a phone's 150 ms link, seconds of an idle connection). A
// classic async script, not a module: it runs as soon as it arrives. The
// workers' own requests then find the files in the HTTP cache (a 304, or
// nothing at all from the service worker's copies).
// The choice mirrors the training worker's: the threaded build on a
// cross-origin isolated page with SharedArrayBuffer and more than one
// core; the single-threaded build always (the live view's worker runs it).
(() => {
  const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" &&
    (navigator.hardwareConcurrency || 1) > 1;
  const files = ["tinydiff.js", "tinydiff.wasm",
    ...(threaded ? ["tinydiff-threads.js", "tinydiff-threads.wasm", "tinydiff-threads.worker.js"] : [])];
  // fetch() rather than <link rel=preload>: a preload the document itself
  // never uses draws a console warning on every visit. The body is read, so
  // that the browser keeps the whole file.
  const base = document.currentScript ? document.currentScript.src : location.href;
  for (const file of files) {
    fetch(new URL(`../${file}`, base), { credentials: "same-origin" }).then((r) => r.arrayBuffer()).catch(() => {
      // The worker's own request will report a file that cannot be fetched.
    });
  }
})();
