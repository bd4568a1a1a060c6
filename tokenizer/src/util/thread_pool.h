// A fixed set of worker threads for fork-join loops.

#ifndef TOKFORGE_UTIL_THREAD_POOL_H_
#define TOKFORGE_UTIL_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tokforge {

class ThreadPool {
 public:
  // `threads` counts the calling thread, so ThreadPool(1) starts no worker.
  explicit ThreadPool(int threads);
  ~ThreadPool();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(i) for every i in [0, tasks) on the workers and the calling
  // thread, and returns when all calls have returned. Tasks are claimed in
  // increasing order; which thread runs which task is unspecified. Not
  // reentrant: fn must not call ParallelFor on the same pool.
  void ParallelFor(size_t tasks, const std::function<void(size_t)>& fn);

 private:
  void WorkerLoop();
  void RunTasks(const std::function<void(size_t)>& fn, size_t tasks);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t tasks_ = 0;
  std::atomic<size_t> next_task_{0};
  size_t busy_workers_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

// Number of threads to use when the user asks for `requested` (0 = all cores).
int ResolveThreadCount(int requested);

// Splits [0, count) into contiguous ranges of at least `min_per_range` items,
// one per core at most, and runs fn(begin, end, range_index) for each. The
// first range runs on the calling thread, the others on threads started for
// the call. Meant for short jobs outside any pool, such as checking files.
void ForEachRange(size_t count, size_t min_per_range,
                  const std::function<void(size_t, size_t, size_t)>& fn);
// Returns the number of ranges ForEachRange uses for `count` and
// `min_per_range`.
size_t RangeCount(size_t count, size_t min_per_range);

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_THREAD_POOL_H_
