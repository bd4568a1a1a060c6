// Lookup tables of the BPE encoder's inner loops. The merge table and the
// token table are built once per model and then read-only, so any number of
// threads may query them. A piece cache belongs to one thread.
//
// They are open-addressing tables rather than general-purpose hash maps,
// because those cost several times more per lookup, and the merge loop and
// the whole-piece lookup run once or more per output token.

#ifndef TOKFORGE_MODELS_BPE_LOOKUP_TABLES_H_
#define TOKFORGE_MODELS_BPE_LOOKUP_TABLES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokforge::bpe_internal {

// Rank and result of the merge of a pair of token ids.
struct Merge {
  uint32_t rank;
  uint32_t result;
};

// Linear probing, at most half full.
class MergeTable {
 public:
  static constexpr uint32_t kNoMerge = UINT32_MAX;

  // Grows the table so that `count` merges fill at most half of it.
  void Reserve(size_t count);
  // Adds or replaces the merge of (left, right). Ids must be below 2^31.
  void Insert(uint32_t left, uint32_t right, Merge merge);

  // The merge of (left, right); rank is kNoMerge when the pair has none.
  Merge Find(uint32_t left, uint32_t right) const {
    const uint64_t key = Key(left, right);
    for (size_t slot = Hash(key) & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.key == key) return entry.merge;
      if (entry.key == kEmptyKey) return {kNoMerge, 0};
    }
  }

  size_t size() const { return size_; }

 private:
  // No pair of ids below 2^31 produces this key.
  static constexpr uint64_t kEmptyKey = UINT64_MAX;
  struct Slot {
    uint64_t key;
    Merge merge;
  };
  static uint64_t Key(uint32_t left, uint32_t right) {
    return (static_cast<uint64_t>(left) << 32) | right;
  }
  // Fibonacci hashing: the multiply spreads both ids over the high bits.
  size_t Hash(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void Grow();

  std::vector<Slot> slots_{Slot{kEmptyKey, {kNoMerge, 0}}};
  size_t mask_ = 0;
  int shift_ = 63;
  size_t size_ = 0;
};

// Maps the raw bytes of tokens to their ids. Keys longer than kMaxKeyBytes,
// or beyond 16 MiB of key bytes in all, are not stored: Find reports them as
// absent, and complete() is false when any entry was left out.
class TokenBytesTable {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;
  static constexpr size_t kMaxKeyBytes = 255;

  // Builds the table from (bytes, id) entries; a repeated key keeps the
  // first id.
  void Build(const std::vector<std::pair<std::string, uint32_t>>& entries);

  bool complete() const { return complete_; }

  uint32_t Find(std::string_view bytes) const {
    if (bytes.empty() || bytes.size() > kMaxKeyBytes) return kNotFound;
    const uint64_t prefix = LoadPrefix(bytes.data(), bytes.size());
    for (size_t slot = Hash(bytes, prefix) & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.id == kNotFound) return kNotFound;
      if (entry.prefix == prefix && entry.length == bytes.size() &&
          (bytes.size() <= 8 ||
           std::memcmp(arena_.data() + entry.offset, bytes.data() + 8, bytes.size() - 8) == 0)) {
        return entry.id;
      }
    }
  }

 private:
  struct Slot {
    uint64_t prefix;  // first 8 bytes of the key, zero-padded
    uint32_t id;      // kNotFound marks an empty slot
    uint32_t offset : 24;  // position in arena_ of the key's bytes after the first 8
    uint32_t length : 8;
  };

  // The first min(n, 8) bytes of p, zero-padded, without reading past p + n.
  static uint64_t LoadPrefix(const char* p, size_t n) {
    if (n >= 8) {
      uint64_t value;
      std::memcpy(&value, p, 8);
      return value;
    }
    if (n >= 4) {
      // Two overlapping 4-byte loads, whose overlap has the same bytes in both.
      uint32_t low;
      uint32_t high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      return low | (static_cast<uint64_t>(high) << ((n - 4) * 8));
    }
    const auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(p[i])); };
    return byte(0) | (byte(n / 2) << (n / 2 * 8)) | (byte(n - 1) << ((n - 1) * 8));
  }
  size_t Hash(std::string_view bytes, uint64_t prefix) const {
    uint64_t mixed = prefix ^ (bytes.size() * 0xC2B2AE3D27D4EB4Full);
    if (bytes.size() > 8) mixed ^= HashTail(bytes.substr(8));
    return static_cast<size_t>((mixed * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  static uint64_t HashTail(std::string_view tail);

  std::vector<Slot> slots_{Slot{0, kNotFound, 0, 0}};
  std::string arena_;
  size_t mask_ = 0;
  int shift_ = 63;
  bool complete_ = true;
};

// A cache of encoded pieces for one thread and one model: an open-addressing
// table that doubles up to kMaxEntries entries, or kMaxDataWords words of ids
// and bytes, and then starts over empty. So memory stays bounded (24 MiB at
// most), and the frequent pieces come back at once. The bound is sized for
// code: the *.py files of a Python installation (55 MB) contain about 160,000
// distinct pieces that are not whole GPT-2 tokens. A cache with room for all
// of them encoded that corpus about 15% faster (measured) than one a quarter
// of the size, which kept starting over.
class PieceCache {
 public:
  static constexpr size_t kMaxPieceBytes = 64;
  static constexpr size_t kMaxEntries = size_t{1} << 18;

  PieceCache() {
    // Reserved once so that growing never copies it. Pages that were never
    // written take no physical memory.
    data_.reserve(kMaxDataWords);
    Reset(kInitialSlots);
  }

  // Appends the cached ids of `piece` to `ids` and returns true, or returns
  // false when the piece is not cached. `hash` is HashPiece(piece).
  bool Lookup(std::string_view piece, uint64_t hash, std::vector<uint32_t>* ids) const {
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.length == 0) return false;
      if (entry.hash == hash && entry.length == piece.size()) {
        const uint32_t* stored = data_.data() + entry.offset;
        if (std::memcmp(stored + entry.count, piece.data(), piece.size()) == 0) {
          ids->insert(ids->end(), stored, stored + entry.count);
          return true;
        }
      }
    }
  }
  // Stores the `count` ids of `piece`; pieces longer than kMaxPieceBytes are
  // not stored.
  void Insert(std::string_view piece, uint64_t hash, const uint32_t* ids, size_t count);

  static uint64_t HashPiece(std::string_view piece);

 private:
  static constexpr size_t kInitialSlots = 1024;
  static constexpr size_t kMaxDataWords = size_t{1} << 22;
  struct Slot {
    uint64_t hash;
    uint32_t offset;  // in data_: `count` ids, then the piece's bytes
    uint16_t length;  // bytes of the piece; 0 marks an empty slot
    uint16_t count;
  };
  void Reset(size_t slots);
  void Grow();

  std::vector<Slot> slots_;
  std::vector<uint32_t> data_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace tokforge::bpe_internal

#endif  // TOKFORGE_MODELS_BPE_LOOKUP_TABLES_H_
