#include "training/document_hashes.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <new>

namespace tokforge {
namespace {

constexpr size_t kShards = 64;

DocumentHash FromXxh(XXH128_hash_t hash) {
  DocumentHash result{hash.low64, hash.high64};
  // The all-zero value marks an empty slot, so it is folded onto another.
  if (result.low == 0 && result.high == 0) result.low = 1;
  return result;
}

}  // namespace

DocumentHash HashDocument(std::string_view text) {
  return FromXxh(XXH3_128bits(text.data(), text.size()));
}

DocumentHasher::DocumentHasher() : state_(XXH3_createState()) {
  if (state_ == nullptr) throw std::bad_alloc();
  Reset();
}

DocumentHasher::~DocumentHasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void DocumentHasher::Reset() { XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_)); }

void DocumentHasher::Update(std::string_view bytes) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), bytes.data(), bytes.size());
}

DocumentHash DocumentHasher::Finish() const {
  return FromXxh(XXH3_128bits_digest(static_cast<const XXH3_state_t*>(state_)));
}

DocumentHashSet::DocumentHashSet(uint64_t memory_bytes) : shards_(kShards) {
  const uint64_t slots = std::max<uint64_t>(memory_bytes / sizeof(DocumentHash) / kShards, 16);
  slots_per_shard_ = std::bit_floor(slots);
  // Linear probing stays short up to a load of 3/4.
  max_used_per_shard_ = slots_per_shard_ / 4 * 3;
  for (Shard& shard : shards_) {
    shard.slots = static_cast<DocumentHash*>(std::calloc(slots_per_shard_, sizeof(DocumentHash)));
    if (shard.slots == nullptr) throw std::bad_alloc();
  }
}

DocumentHashSet::~DocumentHashSet() {
  for (Shard& shard : shards_) std::free(shard.slots);
}

DocumentHashSet::Result DocumentHashSet::Insert(DocumentHash hash) {
  // The high bits pick the shard and the low bits the slot, so the two
  // choices are independent.
  Shard& shard = shards_[hash.high % kShards];
  const uint64_t mask = slots_per_shard_ - 1;
  std::lock_guard<std::mutex> lock(shard.mutex);
  for (uint64_t slot = hash.low & mask;; slot = (slot + 1) & mask) {
    DocumentHash& entry = shard.slots[slot];
    if (entry == hash) return Result::kSeen;
    if (entry.low == 0 && entry.high == 0) {
      if (shard.used >= max_used_per_shard_) return Result::kFull;
      entry = hash;
      ++shard.used;
      return Result::kNew;
    }
  }
}

}  // namespace tokforge
