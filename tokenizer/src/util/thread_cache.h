// Per-thread caches that belong to an object, such as a model's cache of
// encoded pieces: each thread keeps the caches of the few objects it used
// last, so no lock is taken and memory stays bounded per thread.

#ifndef TOKFORGE_UTIL_THREAD_CACHE_H_
#define TOKFORGE_UTIL_THREAD_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace tokforge {

// A key for an object's caches. Keys are never reused, so an object created
// at the address of a destroyed one cannot see the destroyed one's entries.
inline uint64_t NewThreadCacheKey() {
  static std::atomic<uint64_t> next_key{1};
  return next_key.fetch_add(1, std::memory_order_relaxed);
}

// The calling thread's Cache for the object with `key`, default-constructed
// on first use. Each thread keeps caches for kObjects keys at most and
// replaces the oldest one when a new key comes.
template <typename Cache, size_t kObjects = 4>
Cache& ThreadCacheFor(uint64_t key) {
  struct Caches {
    uint64_t keys[kObjects] = {};
    std::unique_ptr<Cache> caches[kObjects];
    size_t next_victim = 0;
  };
  thread_local Caches caches;
  for (size_t i = 0; i < kObjects; ++i) {
    if (caches.keys[i] == key) return *caches.caches[i];
  }
  const size_t victim = caches.next_victim;
  caches.next_victim = (victim + 1) % kObjects;
  caches.keys[victim] = key;
  caches.caches[victim] = std::make_unique<Cache>();
  return *caches.caches[victim];
}

}  // namespace tokforge

#endif  // TOKFORGE_UTIL_THREAD_CACHE_H_
