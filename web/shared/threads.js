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
