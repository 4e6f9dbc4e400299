// A fixed set of threads that run one task at a time together: run(task)
// calls task(0) on the calling thread and task(1..size-1) on the pool's
// threads, and returns when all have finished. The data-parallel training
// step uses it (Diffusion::set_threads); a pool of size 1 starts no thread.
//
// Waiting spins briefly (0.3 ms) before it sleeps: a training step hands out
// work every few hundred microseconds, and waking a sleeping thread costs
// tens of them (more in a browser, where a wait is Atomics.wait).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tinydiff {

class WorkerPool {
 public:
  // Starts threads - 1 threads. A platform that cannot start them (a wasm
  // build without threads) gets fewer: size() says how many run.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return int(threads_.size()) + 1; }
  // task(i) for i in 0..size()-1, i = 0 on this thread. An exception of a
  // task is rethrown here (the first one) once every task has finished.
  void run(const std::function<void(int)>& task);

 private:
  void work(int index);

  std::vector<std::thread> threads_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<uint64_t> generation_{0};  // bumped for each run, and to stop
  std::atomic<int> pending_{0};          // pool threads still in the current run
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::exception_ptr error_;
};

}  // namespace tinydiff
