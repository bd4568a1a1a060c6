#include "models/bpe/lookup_tables.h"

#include <algorithm>
#include <bit>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace tokforge::bpe_internal {
namespace {

// Smallest power of two that keeps `count` entries at most half full.
size_t CapacityFor(size_t count) { return std::bit_ceil(std::max<size_t>(16, 2 * count)); }

}  // namespace

void MergeTable::Reserve(size_t count) {
  const size_t capacity = CapacityFor(count);
  if (capacity <= slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{kEmptyKey, {kNoMerge, 0}});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  size_ = 0;
  for (const Slot& entry : old) {
    if (entry.key != kEmptyKey) {
      Insert(static_cast<uint32_t>(entry.key >> 32), static_cast<uint32_t>(entry.key), entry.merge);
    }
  }
}

void MergeTable::Insert(uint32_t left, uint32_t right, Merge merge) {
  if (2 * (size_ + 1) > slots_.size()) Reserve(2 * (size_ + 1));
  const uint64_t key = Key(left, right);
  for (size_t slot = Hash(key) & mask_;; slot = (slot + 1) & mask_) {
    Slot& entry = slots_[slot];
    if (entry.key == key) {
      entry.merge = merge;
      return;
    }
    if (entry.key == kEmptyKey) {
      entry = Slot{key, merge};
      ++size_;
      return;
    }
  }
}

uint64_t PieceCache::HashPiece(std::string_view piece) {
  return XXH3_64bits(piece.data(), piece.size());
}

void PieceCache::Reset(size_t slots) {
  slots_.assign(slots, Slot{0, 0, 0, 0});
  mask_ = slots - 1;
  size_ = 0;
  data_.clear();
}

void PieceCache::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(2 * old.size(), Slot{0, 0, 0, 0});
  mask_ = slots_.size() - 1;
  for (const Slot& entry : old) {
    if (entry.length == 0) continue;
    size_t slot = entry.hash & mask_;
    while (slots_[slot].length != 0) slot = (slot + 1) & mask_;
    slots_[slot] = entry;
  }
}

void PieceCache::Insert(std::string_view piece, uint64_t hash, const uint32_t* ids,
                        size_t count) {
  if (piece.empty() || piece.size() > kMaxPieceBytes || count > kMaxPieceBytes) return;
  const size_t words = (piece.size() + sizeof(uint32_t) - 1) / sizeof(uint32_t);
  if (data_.size() + count + words > kMaxDataWords) {
    Reset(kInitialSlots);
  } else if (2 * (size_ + 1) > slots_.size()) {
    if (slots_.size() < 2 * kMaxEntries) {
      Grow();
    } else {
      Reset(kInitialSlots);
    }
  }
  size_t slot = hash & mask_;
  while (slots_[slot].length != 0) slot = (slot + 1) & mask_;
  slots_[slot] = Slot{hash, static_cast<uint32_t>(data_.size()),
                      static_cast<uint16_t>(piece.size()), static_cast<uint16_t>(count)};
  ++size_;
  data_.insert(data_.end(), ids, ids + count);
  const size_t bytes_at = data_.size();
  data_.resize(bytes_at + words, 0);
  std::memcpy(data_.data() + bytes_at, piece.data(), piece.size());
}

uint64_t TokenBytesTable::HashTail(std::string_view tail) {
  return XXH3_64bits(tail.data(), tail.size());
}

void TokenBytesTable::Build(const std::vector<std::pair<std::string, uint32_t>>& entries) {
  const size_t capacity = CapacityFor(entries.size());
  slots_.assign(capacity, Slot{0, kNotFound, 0, 0});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  arena_.clear();
  complete_ = true;
  // Offsets into the arena have 24 bits.
  constexpr size_t kMaxArenaBytes = size_t{1} << 24;
  for (const auto& [bytes, id] : entries) {
    if (bytes.empty() || id == kNotFound) continue;
    if (bytes.size() > kMaxKeyBytes) {
      complete_ = false;
      continue;
    }
    if (Find(bytes) != kNotFound) continue;
    const size_t tail = bytes.size() > 8 ? bytes.size() - 8 : 0;
    if (arena_.size() + tail > kMaxArenaBytes) {
      complete_ = false;
      continue;
    }
    const uint64_t prefix = LoadPrefix(bytes.data(), bytes.size());
    size_t slot = Hash(bytes, prefix) & mask_;
    while (slots_[slot].id != kNotFound) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{prefix, id, static_cast<uint32_t>(arena_.size()),
                        static_cast<uint32_t>(bytes.size())};
    if (tail > 0) arena_.append(bytes, 8, tail);
  }
}

}  // namespace tokforge::bpe_internal
