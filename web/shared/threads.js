// How many threads training uses, from the "threads" setting and the cores
// the browser reports (navigator.hardwareConcurrency). Pure: imported by the
// controller and by node tests.
//
// Auto (0) leaves one core to the live view's worker and the page, so that
// what the canvas shows keeps up with training: one thread on two cores,
// three on four. The worker is started able to run one thread a core, so a
// user can ask for more without a reload. More than one thread needs the
// threaded build, which needs a cross-origin isolated page; elsewhere the
// worker runs one, whatever is asked.
export const MAX_PAGE_THREADS = 16;

const coresOf = (cores) => Math.max(1, Math.min(MAX_PAGE_THREADS, Math.floor(cores) || 1));

export const autoThreads = (cores) => Math.max(1, coresOf(cores) - 1);

export const trainingThreads = (setting, cores) =>
  setting > 0 ? Math.min(setting, coresOf(cores)) : autoThreads(cores);

// The most threads the worker should be able to run: one a core.
export const poolThreads = (cores) => coresOf(cores);

// Why training runs on one thread, in a sentence for the threads setting
// ("" when the loaded build runs more). threading: {maxThreads, isolated,
// sharedMemory (SharedArrayBuffer exists in the worker), cores, failure (why
// the threaded build did not start, or "")}.
export function threadsNote({ maxThreads = 1, isolated = false, sharedMemory = false, cores = 1, failure = "" } = {}) {
  if (maxThreads > 1) return "";
  if (failure) return `One thread: ${failure}.`;
  if (!isolated) return "One thread: more need a cross-origin isolated page (a server sending COOP and COEP headers, or the page's service worker), and this one is not.";
  if (!sharedMemory) return "One thread: this browser gives workers no SharedArrayBuffer, which training threads need.";
  if (cores <= 1) return "One thread: this machine reports one core.";
  return "";
}
