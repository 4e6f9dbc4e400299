// The page's side of its service worker (../service_worker.js): registers
// it, reloads once into cross-origin isolation when the worker first takes
// control of a page the host did not isolate, and offers a reload when a
// new version of the site has been installed beside the running one.
// Where the browser has no service workers (Firefox's private windows, an
// insecure origin) the page works as before: online only, isolated only if
// the host sends the headers.

const WORKER_URL = new URL("../service_worker.js", import.meta.url);
const SCOPE = new URL("../", import.meta.url);
// Set just before the reload into isolation, so that a browser that does
// not isolate a page on the worker's headers is not reloaded again and again.
const RELOADED_KEY = "tinydiff.reloadedForIsolation";

// onNewVersion(activate): a new version is installed and waiting; calling
// activate() switches to it and reloads the page (the link keeps the
// settings and drawing, and app/drawing_store.js the larger drawings).
// busy(): whether a reload would lose work (a model in training or
// trained); then isolation is offered through onIsolationAvailable(reload)
// rather than reloaded into at once.
// Returns started({threaded}): call it once the page has started (its
// workers ready), so that registering on an already isolated page does not
// compete with start-up for the network; threaded: the training worker runs
// the threaded build, which is then kept offline too.
export function startServiceWorker({ onNewVersion, onIsolationAvailable, busy }) {
  const container = navigator.serviceWorker;
  if (!container || !window.isSecureContext) return () => {};
  const hadController = Boolean(container.controller);
  container.addEventListener("controllerchange", () => {
    if (!hadController && !window.crossOriginIsolated && !sessionStorage.getItem(RELOADED_KEY)) {
      const reload = () => { sessionStorage.setItem(RELOADED_KEY, "1"); location.reload(); };
      if (busy()) onIsolationAvailable(reload);
      else reload();
    }
  });
  if (window.crossOriginIsolated) sessionStorage.removeItem(RELOADED_KEY);

  // The registration as it is now: WebKitGTK does not keep the state of an
  // older registration object (or of its workers' event objects) current.
  const waitingWorker = async () => (await container.getRegistration(SCOPE.href))?.waiting || null;
  const watchUpdates = (registration) => {
    const offer = async () => {
      // Only a version waiting beside a running one (WebKitGTK delivered the
      // first install's "installed" event once that worker was in control).
      if (!container.controller || !(await waitingWorker())) return;
      // Reloaded once the new version is active, not at controllerchange:
      // WebKitGTK then held the new version in "activating" for good, and
      // the reloading page with it.
      onNewVersion(async () => {
        const waiting = await waitingWorker();
        if (!waiting) { location.reload(); return; }
        waiting.addEventListener("statechange", () => { if (waiting.state === "activated") location.reload(); });
        waiting.postMessage("activate-new-version");
      });
    };
    offer();
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => { if (worker.state === "installed") offer(); });
    });
  };
  let registered = false;
  const register = () => {
    if (registered) return;
    registered = true;
    container.register(WORKER_URL, { scope: SCOPE.href }).then(watchUpdates, (e) => {
      // The page works without it; say so only in the console.
      console.warn(`tinydiff: the service worker did not register (${e.message}); the page works online only`);
    });
  };
  // Not isolated: the worker is what can isolate the page, so at once.
  if (!window.crossOriginIsolated) register();
  // Once started: registered, and told to keep the threaded build if the training worker runs it.
  return ({ threaded }) => {
    register();
    if (threaded) container.ready.then((r) => r.active.postMessage("keep-threaded-build"), () => {});
  };
}
