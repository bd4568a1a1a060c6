// Duplicate detection and sampling shared by the counting paths: blocks
// from CorpusReader and chunks of plain files read by the workers.

#ifndef TOKFORGE_TRAINING_COUNTING_SHARED_H_
#define TOKFORGE_TRAINING_COUNTING_SHARED_H_

#include <xxhash.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "training/document_hashes.h"

namespace tokforge {

// Duplicate statistics shared by all threads.
struct DuplicateTally {
  std::atomic<uint64_t> documents{0};
  std::atomic<uint64_t> document_bytes{0};
  std::atomic<uint64_t> duplicate_documents{0};
  std::atomic<uint64_t> duplicate_bytes{0};
  std::atomic<uint64_t> unremembered_documents{0};
};

// Records one document and returns whether it repeats an earlier one.
inline bool CheckDocument(DocumentHashSet& seen, DuplicateTally& tally, DocumentHash hash,
                          uint64_t bytes) {
  const DocumentHashSet::Result result = seen.Insert(hash);
  tally.documents.fetch_add(1, std::memory_order_relaxed);
  tally.document_bytes.fetch_add(bytes, std::memory_order_relaxed);
  if (result == DocumentHashSet::Result::kFull) {
    tally.unremembered_documents.fetch_add(1, std::memory_order_relaxed);
  }
  if (result != DocumentHashSet::Result::kSeen) return false;
  tally.duplicate_documents.fetch_add(1, std::memory_order_relaxed);
  tally.duplicate_bytes.fetch_add(bytes, std::memory_order_relaxed);
  return true;
}

// Keeps a sequence when the hash of (seed, file path, line number) falls
// below fraction * 2^64.
class Sampler {
 public:
  Sampler(double fraction, uint64_t seed) : seed_(seed) {
    enabled_ = fraction < 1.0;
    // fraction * 2^64 only fits in 64 bits below 1.0; converting 2^64 itself
    // is undefined behaviour.
    threshold_ = enabled_
                     ? static_cast<uint64_t>(std::ldexp(static_cast<long double>(fraction), 64))
                     : UINT64_MAX;
  }

  bool enabled() const { return enabled_; }

  uint64_t PathKey(std::string_view path) const {
    return XXH3_64bits_withSeed(path.data(), path.size(), seed_);
  }

  bool Keep(uint64_t path_key, uint64_t line_number) const {
    return XXH3_64bits_withSeed(&line_number, sizeof(line_number), path_key) < threshold_;
  }

 private:
  uint64_t seed_;
  bool enabled_ = false;
  uint64_t threshold_ = 0;
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_COUNTING_SHARED_H_
