#include "internal/worker_pool.hpp"

#include <chrono>
#include <system_error>

namespace tinydiff {
namespace {

// How long a wait spins before it sleeps: longer than the serial part of a
// training step (drawing the next batch), so that threads are awake for the
// next run, and short enough not to matter once training stops.
constexpr auto kSpin = std::chrono::microseconds(300);

// A pause between polls: a hint to the core that this is a spin (x86's
// pause); elsewhere nothing.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Polls with pauses, yielding to the scheduler only between rounds: a yield
// is a system call, which in a virtual machine can cost microseconds, and
// a thread that yields each poll sees the next run that much later.
template <typename Ready>
bool spin_until(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 256; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() > until) return ready();
    std::this_thread::yield();  // a no-op in wasm, a scheduler hint natively
  }
}

}  // namespace

WorkerPool::WorkerPool(int threads) {
  for (int i = 1; i < threads; ++i) {
    try {
      threads_.emplace_back([this, i] { work(i); });
    } catch (const std::system_error&) {
      break;  // no threads here (or no more): run with those started
    }
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::run(const std::function<void(int)>& task) {
  if (threads_.empty()) {
    task(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    error_ = nullptr;
    pending_.store(int(threads_.size()));
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  std::exception_ptr own;
  try {
    task(0);
  } catch (...) {
    own = std::current_exception();
  }
  if (!spin_until([this] { return pending_.load() == 0; })) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
  }
  std::exception_ptr error = own ? own : error_;
  task_ = nullptr;
  if (error) std::rethrow_exception(error);
}

void WorkerPool::work(int index) {
  uint64_t seen = 0;
  for (;;) {
    if (!spin_until([&] { return generation_.load() != seen; })) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
    }
    seen = generation_.load();
    if (stopping_) return;
    try {
      (*task_)(index);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    if (pending_.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);  // so that run() cannot miss the notification
      done_.notify_one();
    }
  }
}

}  // namespace tinydiff
