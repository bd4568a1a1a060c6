#include "training/document_hashes.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
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
  max_slots_per_shard_ = std::bit_floor(slots);
  const uint64_t initial_slots = std::min<uint64_t>(max_slots_per_shard_, 1024);
  for (Shard& shard : shards_) shard.slots.resize(initial_slots);
}

DocumentHashSet::~DocumentHashSet() = default;

namespace {

// Finds `hash` or the empty slot where it belongs, by linear probing.
DocumentHash& FindSlot(std::vector<DocumentHash>& slots, DocumentHash hash) {
  const uint64_t mask = slots.size() - 1;
  for (uint64_t slot = hash.low & mask;; slot = (slot + 1) & mask) {
    DocumentHash& entry = slots[slot];
    if (entry == hash || (entry.low == 0 && entry.high == 0)) return entry;
  }
}

}  // namespace

void DocumentHashSet::Grow(Shard& shard) {
  std::vector<DocumentHash> larger(shard.slots.size() * 2);
  for (const DocumentHash& entry : shard.slots) {
    if (entry.low != 0 || entry.high != 0) FindSlot(larger, entry) = entry;
  }
  shard.slots.swap(larger);
}

DocumentHashSet::Result DocumentHashSet::Insert(DocumentHash hash) {
  // The high bits pick the shard and the low bits the slot, so the two
  // choices are independent.
  Shard& shard = shards_[hash.high % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  DocumentHash* entry = &FindSlot(shard.slots, hash);
  if (*entry == hash) return Result::kSeen;
  // Linear probing stays short up to a load of 3/4.
  if (shard.used >= shard.slots.size() / 4 * 3) {
    if (shard.slots.size() >= max_slots_per_shard_) return Result::kFull;
    Grow(shard);
    entry = &FindSlot(shard.slots, hash);
  }
  *entry = hash;
  ++shard.used;
  return Result::kNew;
}

}  // namespace tokforge
