#include "util/thread_pool.h"

#include <algorithm>

namespace tokforge {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::RunTasks(const std::function<void(size_t)>& fn, size_t tasks) {
  for (size_t i = next_task_.fetch_add(1); i < tasks; i = next_task_.fetch_add(1)) fn(i);
}

void ThreadPool::WorkerLoop() {
  uint64_t seen_generation = 0;
  while (true) {
    const std::function<void(size_t)>* fn = nullptr;
    size_t tasks = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
      if (stopping_) return;
      seen_generation = generation_;
      // A worker that wakes after the loop it was woken for has ended finds
      // fn_ cleared and goes back to sleep.
      if (fn_ == nullptr) continue;
      fn = fn_;
      tasks = tasks_;
      ++busy_workers_;
    }
    RunTasks(*fn, tasks);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_workers_;
    }
    work_done_.notify_one();
  }
}

void ThreadPool::ParallelFor(size_t tasks, const std::function<void(size_t)>& fn) {
  if (tasks == 0) return;
  if (workers_.empty() || tasks == 1) {
    for (size_t i = 0; i < tasks; ++i) fn(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = &fn;
    tasks_ = tasks;
    next_task_.store(0);
    ++generation_;
  }
  work_ready_.notify_all();
  RunTasks(fn, tasks);
  // Every worker that joined this loop counted itself in busy_workers_ before
  // claiming a task, so the loop is over when the count drops to zero.
  std::unique_lock<std::mutex> lock(mutex_);
  work_done_.wait(lock, [&] { return busy_workers_ == 0 && next_task_.load() >= tasks_; });
  fn_ = nullptr;
}

size_t RangeCount(size_t count, size_t min_per_range) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<size_t>(count / std::max<size_t>(min_per_range, 1), 1, cores);
}

void ForEachRange(size_t count, size_t min_per_range,
                  const std::function<void(size_t, size_t, size_t)>& fn) {
  const size_t ranges = RangeCount(count, min_per_range);
  std::vector<std::thread> threads;
  for (size_t range = 1; range < ranges; ++range) {
    threads.emplace_back(fn, count * range / ranges, count * (range + 1) / ranges, range);
  }
  fn(0, count / ranges, 0);
  for (std::thread& thread : threads) thread.join();
}

int ResolveThreadCount(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

}  // namespace tokforge
