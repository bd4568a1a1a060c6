// A set of 128-bit document hashes in fixed memory, for exact duplicate
// detection from several threads.

#ifndef TOKFORGE_TRAINING_DOCUMENT_HASHES_H_
#define TOKFORGE_TRAINING_DOCUMENT_HASHES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace tokforge {

struct DocumentHash {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const DocumentHash&) const = default;
};

// XXH3-128 of `text`.
DocumentHash HashDocument(std::string_view text);

// Incremental XXH3-128, for documents that arrive in blocks.
class DocumentHasher {
 public:
  DocumentHasher();
  ~DocumentHasher();
  DocumentHasher(const DocumentHasher&) = delete;
  DocumentHasher& operator=(const DocumentHasher&) = delete;

  void Reset();
  void Update(std::string_view bytes);
  DocumentHash Finish() const;

 private:
  void* state_;  // XXH3_state_t, kept out of this header
};

class DocumentHashSet {
 public:
  enum class Result { kNew, kSeen, kFull };

  // Uses at most `memory_bytes`, or 16 KiB if that is more, for slots of 16
  // bytes. Each shard starts small and doubles when 3/4 full, so memory grows
  // with the number of documents; while a shard doubles, its old and new
  // slots coexist.
  explicit DocumentHashSet(uint64_t memory_bytes);
  ~DocumentHashSet();
  DocumentHashSet(const DocumentHashSet&) = delete;
  DocumentHashSet& operator=(const DocumentHashSet&) = delete;

  // Inserts `hash`. Returns kSeen when it was already there, kFull when it
  // was not there and its shard has no free slot. Thread-safe.
  Result Insert(DocumentHash hash);

 private:
  struct Shard {
    std::mutex mutex;
    std::vector<DocumentHash> slots;  // a power of two; an all-zero slot is empty
    uint64_t used = 0;
  };

  // Doubles the slots of `shard` and reinserts its hashes. Call with the
  // shard's mutex held.
  static void Grow(Shard& shard);

  uint64_t max_slots_per_shard_ = 0;  // a power of two
  std::vector<Shard> shards_;
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_DOCUMENT_HASHES_H_
