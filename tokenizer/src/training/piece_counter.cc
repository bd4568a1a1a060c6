#include "training/piece_counter.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <utility>

#include "pretokenizers/gpt2_split.h"

namespace tokforge {
namespace {

// Arena blocks hold many short pieces each. A piece longer than a block gets
// a block of its own.
constexpr size_t kArenaBlockBytes = size_t{64} << 10;

// Smallest index size once a piece is stored.
constexpr size_t kMinSlots = 1024;

// Bytes of a piece kept in its slot.
constexpr size_t kHeadBytes = 16;

// Slot heads are numbers whose memory PieceOf reads as bytes, so byte i must
// be bits 8i to 8i+7.
static_assert(std::endian::native == std::endian::little);

uint64_t Load64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

// Returns a mask of the low `bytes` bytes, for `bytes` from 0 to 8. Two
// shifts of at most 32 bits keep the shift count below 64 at `bytes` = 8.
inline uint64_t LowBytesMask(size_t bytes) {
  return ((uint64_t{1} << (4 * bytes)) << (4 * bytes)) - 1;
}

// The GCC and Clang extension type, marked so that -Wpedantic accepts it.
__extension__ using Uint128 = unsigned __int128;

// Mixes a head and a size into a hash, as one 64x64 to 128-bit multiply
// folded to 64 bits, so that every input bit reaches the low bits that pick
// the slot.
inline uint64_t HashHead(const uint64_t words[2], size_t size) {
  const Uint128 product =
      static_cast<Uint128>(words[0] ^ 0x9E3779B97F4A7C15ULL) *
      (words[1] ^ 0xC2B2AE3D27D4EB4FULL ^ size);
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

PieceCounter::PieceCounter() = default;
PieceCounter::~PieceCounter() = default;

PieceCounter::PieceCounter(const PieceCounter& other) { AddFrom(other); }

PieceCounter& PieceCounter::operator=(const PieceCounter& other) {
  if (this != &other) {
    Clear();
    pieces_ = sequences_ = bytes_ = 0;
    AddFrom(other);
  }
  return *this;
}

// A moved-from counter is left empty, not with a stale arena position.
PieceCounter::PieceCounter(PieceCounter&& other) noexcept
    : slots_(std::move(other.slots_)),
      used_slots_(std::exchange(other.used_slots_, 0)),
      long_pieces_(std::move(other.long_pieces_)),
      arena_(std::move(other.arena_)),
      arena_used_(std::exchange(other.arena_used_, 0)),
      arena_capacity_(std::exchange(other.arena_capacity_, 0)),
      pieces_(std::exchange(other.pieces_, 0)),
      sequences_(std::exchange(other.sequences_, 0)),
      bytes_(std::exchange(other.bytes_, 0)) {
  other.Clear();
}

PieceCounter& PieceCounter::operator=(PieceCounter&& other) noexcept {
  if (this != &other) {
    slots_ = std::move(other.slots_);
    used_slots_ = std::exchange(other.used_slots_, 0);
    long_pieces_ = std::move(other.long_pieces_);
    arena_ = std::move(other.arena_);
    arena_used_ = std::exchange(other.arena_used_, 0);
    arena_capacity_ = std::exchange(other.arena_capacity_, 0);
    pieces_ = std::exchange(other.pieces_, 0);
    sequences_ = std::exchange(other.sequences_, 0);
    bytes_ = std::exchange(other.bytes_, 0);
    other.Clear();
  }
  return *this;
}

namespace {

// Writes the head of `piece` to `words` with a copy, which reads only the
// piece's bytes.
inline void CopyHead(std::string_view piece, uint64_t words[2]) {
  words[0] = words[1] = 0;
  std::memcpy(words, piece.data(), std::min(piece.size(), kHeadBytes));
}

// Returns the hash of a piece with head `words`.
inline uint64_t HashPiece(std::string_view piece, const uint64_t words[2]) {
  if (piece.size() <= kHeadBytes) return HashHead(words, piece.size());
  return XXH3_64bits(piece.data(), piece.size());
}

}  // namespace

std::string_view PieceCounter::PieceOf(const Slot& slot) const {
  const size_t size = slot.size_plus_one - 1;
  if (size > kHeadBytes) return std::string_view(long_pieces_[slot.long_index], size);
  return std::string_view(reinterpret_cast<const char*>(slot.head.words), size);
}

inline void PieceCounter::Add(std::string_view piece, const Head& head, uint64_t hash,
                              int64_t count) {
  if (slots_.empty()) Rehash(kMinSlots / 2);
  const uint32_t size_plus_one = static_cast<uint32_t>(piece.size()) + 1;
  const size_t mask = slots_.size() - 1;
  for (size_t position = hash & mask;; position = (position + 1) & mask) {
    Slot& slot = slots_[position];
    // One test covers the head and the size, without a branch per word. An
    // empty slot never matches, because its size_plus_one is 0.
    const uint64_t difference = (slot.head.words[0] ^ head.words[0]) |
                                (slot.head.words[1] ^ head.words[1]) |
                                (slot.size_plus_one ^ size_plus_one);
    if (difference == 0 &&
        (piece.size() <= kHeadBytes ||
         std::memcmp(long_pieces_[slot.long_index] + kHeadBytes, piece.data() + kHeadBytes,
                     piece.size() - kHeadBytes) == 0)) {
      slot.count += count;
      return;
    }
    if (slot.size_plus_one == 0) {
      Insert(piece, head, count, position);
      return;
    }
  }
}

void PieceCounter::AddSlow(std::string_view piece, int64_t count) {
  Head head;
  CopyHead(piece, head.words);
  Add(piece, head, HashPiece(piece, head.words), count);
}

template <typename Split>
uint64_t PieceCounter::CountPieces(std::string_view text, const char* readable_end,
                                   Split&& split) {
  uint64_t line_ends = 0;
  split(text, [&](size_t begin, size_t end) {
    const char* data = text.data() + begin;
    const size_t size = end - begin;
    Head head;
    if (data + kHeadBytes <= readable_end) {
      // Two loads and masks in place of a copy of variable length.
      const size_t low = std::min(size, size_t{8});
      const size_t high = std::min(size, kHeadBytes) - low;
      head.words[0] = Load64(data) & LowBytesMask(low);
      head.words[1] = Load64(data + 8) & LowBytesMask(high);
    } else {
      CopyHead(std::string_view(data, size), head.words);
    }
    const std::string_view piece(data, size);
    ++pieces_;
    if (data[size - 1] == '\n') ++line_ends;
    Add(piece, head, HashPiece(piece, head.words), 1);
  });
  return line_ends;
}

void PieceCounter::CountSequence(std::string_view sequence) {
  ++sequences_;
  bytes_ += sequence.size();
  CountPieces(sequence, sequence.data() + sequence.size(),
              [](std::string_view text, auto&& emit) { SplitGpt2(text, emit); });
}

void PieceCounter::CountLines(std::string_view text) {
  if (text.empty()) return;
  bytes_ += text.size();
  // The last piece of each line ends with its "\n", except on an
  // unterminated last line.
  const uint64_t line_ends =
      CountPieces(text, text.data() + text.size(),
                  [](std::string_view lines, auto&& emit) { SplitGpt2Lines(lines, emit); });
  sequences_ += line_ends + (text.back() == '\n' ? 0 : 1);
}

void PieceCounter::Insert(std::string_view piece, const Head& head, int64_t count,
                          size_t position) {
  uint32_t long_index = 0;
  if (piece.size() > kHeadBytes) {
    long_index = static_cast<uint32_t>(long_pieces_.size());
    long_pieces_.push_back(Store(piece));
  }
  slots_[position] = Slot{head, count, static_cast<uint32_t>(piece.size()) + 1, long_index};
  ++used_slots_;
  // Up to a load of 3/4, lookups of stored pieces (most lookups) probe few
  // slots, and the index is small enough that more of it stays in cache
  // than at 1/2.
  if (used_slots_ * 4 > slots_.size() * 3) Rehash(used_slots_);
}

const char* PieceCounter::Store(std::string_view piece) {
  if (arena_.empty() || piece.size() > arena_capacity_ - arena_used_) {
    const size_t capacity = std::max(kArenaBlockBytes, piece.size());
    arena_.push_back(std::make_unique<char[]>(capacity));
    arena_capacity_ = capacity;
    arena_used_ = 0;
  }
  char* copy = arena_.back().get() + arena_used_;
  std::memcpy(copy, piece.data(), piece.size());
  arena_used_ += piece.size();
  return copy;
}

void PieceCounter::Rehash(size_t entries) {
  size_t size = kMinSlots;
  while (size * 3 < entries * 4 + 4) size *= 2;
  std::vector<Slot> slots(size, Slot{{{0, 0}}, 0, 0, 0});
  const size_t mask = size - 1;
  for (const Slot& slot : slots_) {
    if (slot.size_plus_one == 0) continue;
    size_t position = HashPiece(PieceOf(slot), slot.head.words) & mask;
    while (slots[position].size_plus_one != 0) position = (position + 1) & mask;
    slots[position] = slot;
  }
  slots_.swap(slots);
}

void PieceCounter::Clear() {
  slots_.clear();
  slots_.shrink_to_fit();
  used_slots_ = 0;
  long_pieces_.clear();
  long_pieces_.shrink_to_fit();
  arena_.clear();
  arena_used_ = arena_capacity_ = 0;
}

void PieceCounter::MergeFrom(PieceCounter& other) {
  if (used_slots_ == 0) {
    slots_.swap(other.slots_);
    std::swap(used_slots_, other.used_slots_);
    long_pieces_.swap(other.long_pieces_);
    arena_.swap(other.arena_);
    std::swap(arena_used_, other.arena_used_);
    std::swap(arena_capacity_, other.arena_capacity_);
  } else {
    for (const Slot& slot : other.slots_) {
      if (slot.size_plus_one == 0) continue;
      const std::string_view piece = other.PieceOf(slot);
      Add(piece, slot.head, HashPiece(piece, slot.head.words), slot.count);
    }
  }
  other.Clear();
  pieces_ += other.pieces_;
  sequences_ += other.sequences_;
  bytes_ += other.bytes_;
  other.pieces_ = other.sequences_ = other.bytes_ = 0;
}

void PieceCounter::AddFrom(const PieceCounter& other) {
  for (const Slot& slot : other.slots_) {
    if (slot.size_plus_one == 0) continue;
    const std::string_view piece = other.PieceOf(slot);
    Add(piece, slot.head, HashPiece(piece, slot.head.words), slot.count);
  }
  AddTallies(other.sequences_, other.bytes_, other.pieces_);
}

const PieceCounter::Slot* PieceCounter::Find(std::string_view piece) const {
  if (slots_.empty()) return nullptr;
  Head head;
  CopyHead(piece, head.words);
  const uint32_t size_plus_one = static_cast<uint32_t>(piece.size()) + 1;
  const size_t mask = slots_.size() - 1;
  // The same probe sequence as Add. The load is at most 3/4, so an empty
  // slot ends every probe.
  for (size_t position = HashPiece(piece, head.words) & mask;;
       position = (position + 1) & mask) {
    const Slot& slot = slots_[position];
    if (slot.size_plus_one == 0) return nullptr;
    if (slot.head.words[0] == head.words[0] && slot.head.words[1] == head.words[1] &&
        slot.size_plus_one == size_plus_one && PieceOf(slot) == piece) {
      return &slot;
    }
  }
}

bool PieceCounter::CanAddFrom(const PieceCounter& other) const {
  for (const Slot& added : other.slots_) {
    if (added.size_plus_one == 0) continue;
    const Slot* slot = Find(other.PieceOf(added));
    int64_t sum = 0;
    if (slot != nullptr && __builtin_add_overflow(slot->count, added.count, &sum)) return false;
  }
  return true;
}

void PieceCounter::AddPiece(std::string_view piece, int64_t count) { AddSlow(piece, count); }

uint64_t PieceCounter::Prune(uint64_t max_pieces) {
  if (used_slots_ <= max_pieces) return 0;
  std::vector<int64_t> values;
  values.reserve(used_slots_);
  for (const Slot& slot : slots_) {
    if (slot.size_plus_one != 0) values.push_back(slot.count);
  }
  // The (max_pieces + 1)-th largest count is the threshold: dropping every
  // count at or below it keeps at most max_pieces pieces, and no smaller
  // threshold does. Ties make the kept set smaller, never order-dependent.
  std::nth_element(values.begin(), values.begin() + max_pieces, values.end(),
                   std::greater<int64_t>());
  const int64_t threshold = values[max_pieces];

  // Copy the kept pieces into a fresh arena, so that the memory of the
  // dropped ones is returned.
  PieceCounter kept;
  for (const Slot& slot : slots_) {
    if (slot.size_plus_one == 0 || slot.count <= threshold) continue;
    const std::string_view piece = PieceOf(slot);
    kept.Add(piece, slot.head, HashPiece(piece, slot.head.words), slot.count);
  }
  const uint64_t removed = used_slots_ - kept.used_slots_;
  slots_.swap(kept.slots_);
  std::swap(used_slots_, kept.used_slots_);
  long_pieces_.swap(kept.long_pieces_);
  arena_.swap(kept.arena_);
  arena_used_ = kept.arena_used_;
  arena_capacity_ = kept.arena_capacity_;
  return removed;
}

void PieceCounter::AddTallies(uint64_t sequences, uint64_t bytes, uint64_t pieces) {
  sequences_ += sequences;
  bytes_ += bytes;
  pieces_ += pieces;
}

std::vector<std::pair<std::string, int64_t>> PieceCounter::SortedCounts() const {
  // Sort by the first 16 bytes as big-endian numbers, which order as the
  // bytes do, and compare whole pieces only when those are equal. Most
  // comparisons then need no memcmp.
  struct Item {
    uint64_t key[2];
    std::string_view piece;
    int64_t count;
  };
  std::vector<Item> items;
  items.reserve(used_slots_);
  for (const Slot& slot : slots_) {
    if (slot.size_plus_one == 0) continue;
    items.push_back(Item{{__builtin_bswap64(slot.head.words[0]), __builtin_bswap64(slot.head.words[1])},
                         PieceOf(slot),
                         slot.count});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.key[0] != b.key[0]) return a.key[0] < b.key[0];
    if (a.key[1] != b.key[1]) return a.key[1] < b.key[1];
    return a.piece < b.piece;
  });
  std::vector<std::pair<std::string, int64_t>> sorted;
  sorted.reserve(items.size());
  for (const Item& item : items) sorted.emplace_back(std::string(item.piece), item.count);
  return sorted;
}

}  // namespace tokforge
