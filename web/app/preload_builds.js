// Starts downloading the wasm builds the workers will load, as soon as the
// page's head is parsed: otherwise their fetches wait for every module of
// the page, the workers' start and their own imports, one round trip after
// another (on a phone's 150 ms link, seconds of an idle connection). The
// site build writes it inline into index.html's head, before the module
// links (scripts/preload_modules.mjs): as a file it would arrive a round
// trip later and then queue behind ~40 modules on HTTP/1.1's six
// connections (1.5 s on that link). So it is a classic script whose paths
// are relative to the page. The workers' own requests then find the files
// in the HTTP cache (a 304, or nothing at all from the service worker's copies).
// The choice mirrors the training worker's: the threaded build on a
// cross-origin isolated page with SharedArrayBuffer and more than one
// core; the single-threaded build always (the live view's worker runs it),
// after the training worker's.
(() => {
  const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" &&
    (navigator.hardwareConcurrency || 1) > 1;
  const single = ["tinydiff.js", "tinydiff.wasm"];
  const training = threaded ? ["tinydiff-threads.js", "tinydiff-threads.worker.js", "tinydiff-threads.wasm"] : single;
  // fetch() rather than <link rel=preload>: a preload the document itself
  // never uses draws a console warning on every visit. The bodies are read,
  // so that the browser keeps the whole files.
  const get = (files) => Promise.all(files.map((file) =>
    fetch(new URL(file, document.baseURI), { credentials: "same-origin", priority: "high" }).then((r) => r.arrayBuffer())));
  // The training worker's build first: the page can train once it is in;
  // the live view's worker starts after it (app/worker_client.js).
  get(training).then(() => (threaded ? get(single) : null)).catch(() => {
    // The workers' own requests will report a file that cannot be fetched.
  });
})();
