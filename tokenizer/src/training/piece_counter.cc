#include "training/piece_counter.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
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

uint64_t HashPiece(std::string_view piece) {
  return XXH3_64bits(piece.data(), piece.size());
}

uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

uint64_t Load64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

uint32_t Load32(const char* p) {
  uint32_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

// Compares `size` bytes. Most pieces are a few bytes long, and for up to 16
// bytes two overlapping loads per side are cheaper than a call to memcmp.
inline bool EqualBytes(const char* a, const char* b, size_t size) {
  if (size >= 8) {
    if (size > 16) return std::memcmp(a, b, size) == 0;
    return Load64(a) == Load64(b) && Load64(a + size - 8) == Load64(b + size - 8);
  }
  if (size >= 4) return Load32(a) == Load32(b) && Load32(a + size - 4) == Load32(b + size - 4);
  for (size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
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
    : entries_(std::move(other.entries_)),
      slots_(std::move(other.slots_)),
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
    entries_ = std::move(other.entries_);
    slots_ = std::move(other.slots_);
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

inline void PieceCounter::Add(std::string_view piece, uint64_t hash, int64_t count) {
  if (slots_.empty()) Rehash(kMinSlots / 2);
  const uint32_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t position = hash & mask;; position = (position + 1) & mask) {
    const Slot slot = slots_[position];
    if (slot.entry_plus_one == 0) {
      Insert(piece, hash, count, position);
      return;
    }
    if (slot.tag != tag) continue;
    Entry& entry = entries_[slot.entry_plus_one - 1];
    if (entry.size == piece.size() && EqualBytes(entry.data, piece.data(), piece.size())) {
      entry.count += count;
      return;
    }
  }
}

void PieceCounter::CountSequence(std::string_view sequence) {
  ++sequences_;
  bytes_ += sequence.size();
  SplitGpt2(sequence, [&](size_t begin, size_t end) {
    const std::string_view piece(sequence.data() + begin, end - begin);
    ++pieces_;
    Add(piece, HashPiece(piece), 1);
  });
}

void PieceCounter::CountLines(std::string_view text) {
  if (text.empty()) return;
  bytes_ += text.size();
  // The last piece of each line ends with its "\n", except on an
  // unterminated last line.
  uint64_t lines = text.back() == '\n' ? 0 : 1;
  SplitGpt2Lines(text, [&](size_t begin, size_t end) {
    const std::string_view piece(text.data() + begin, end - begin);
    ++pieces_;
    if (piece.back() == '\n') ++lines;
    Add(piece, HashPiece(piece), 1);
  });
  sequences_ += lines;
}

void PieceCounter::Insert(std::string_view piece, uint64_t hash, int64_t count,
                          size_t position) {
  entries_.push_back(Entry{Store(piece), hash, count, static_cast<uint32_t>(piece.size())});
  slots_[position] = Slot{Tag(hash), static_cast<uint32_t>(entries_.size())};
  // Linear probing stays short up to a load of 1/2.
  if (entries_.size() * 2 > slots_.size()) Rehash(entries_.size());
}

const char* PieceCounter::Store(std::string_view piece) {
  // An empty piece fits in an empty arena too, but needs a block to point into.
  if (arena_.empty() || piece.size() > arena_capacity_ - arena_used_) {
    const size_t capacity = std::max(kArenaBlockBytes, piece.size());
    arena_.push_back(std::make_unique<char[]>(capacity));
    arena_capacity_ = capacity;
    arena_used_ = 0;
  }
  char* copy = arena_.back().get() + arena_used_;
  if (!piece.empty()) std::memcpy(copy, piece.data(), piece.size());
  arena_used_ += piece.size();
  return copy;
}

void PieceCounter::Rehash(size_t entries) {
  size_t size = kMinSlots;
  while (size < entries * 2 + 2) size *= 2;
  std::vector<Slot> slots(size, Slot{0, 0});
  const size_t mask = size - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t position = entries_[i].hash & mask;
    while (slots[position].entry_plus_one != 0) position = (position + 1) & mask;
    slots[position] = Slot{Tag(entries_[i].hash), static_cast<uint32_t>(i + 1)};
  }
  slots_.swap(slots);
}

void PieceCounter::Clear() {
  entries_.clear();
  entries_.shrink_to_fit();
  slots_.clear();
  slots_.shrink_to_fit();
  arena_.clear();
  arena_used_ = arena_capacity_ = 0;
}

void PieceCounter::MergeFrom(PieceCounter& other) {
  if (entries_.empty()) {
    entries_.swap(other.entries_);
    slots_.swap(other.slots_);
    arena_.swap(other.arena_);
    std::swap(arena_used_, other.arena_used_);
    std::swap(arena_capacity_, other.arena_capacity_);
  } else {
    for (const Entry& entry : other.entries_) {
      Add(std::string_view(entry.data, entry.size), entry.hash, entry.count);
    }
  }
  other.Clear();
  pieces_ += other.pieces_;
  sequences_ += other.sequences_;
  bytes_ += other.bytes_;
  other.pieces_ = other.sequences_ = other.bytes_ = 0;
}

void PieceCounter::AddFrom(const PieceCounter& other) {
  for (const Entry& entry : other.entries_) {
    Add(std::string_view(entry.data, entry.size), entry.hash, entry.count);
  }
  AddTallies(other.sequences_, other.bytes_, other.pieces_);
}

bool PieceCounter::CanAddFrom(const PieceCounter& other) const {
  if (slots_.empty()) return true;
  const size_t mask = slots_.size() - 1;
  for (const Entry& added : other.entries_) {
    // The same probe sequence as Add. The load is at most 1/2, so an empty
    // slot ends every probe.
    for (size_t position = added.hash & mask;; position = (position + 1) & mask) {
      const Slot slot = slots_[position];
      if (slot.entry_plus_one == 0) break;
      if (slot.tag != Tag(added.hash)) continue;
      const Entry& entry = entries_[slot.entry_plus_one - 1];
      if (entry.size == added.size && EqualBytes(entry.data, added.data, added.size)) {
        int64_t sum = 0;
        if (__builtin_add_overflow(entry.count, added.count, &sum)) return false;
        break;
      }
    }
  }
  return true;
}

void PieceCounter::AddPiece(std::string_view piece, int64_t count) {
  Add(piece, HashPiece(piece), count);
}

uint64_t PieceCounter::Prune(uint64_t max_pieces) {
  if (entries_.size() <= max_pieces) return 0;
  std::vector<int64_t> values;
  values.reserve(entries_.size());
  for (const Entry& entry : entries_) values.push_back(entry.count);
  // The (max_pieces + 1)-th largest count is the threshold: dropping every
  // count at or below it keeps at most max_pieces pieces, and no smaller
  // threshold does. Ties make the kept set smaller, never order-dependent.
  std::nth_element(values.begin(), values.begin() + max_pieces, values.end(),
                   std::greater<int64_t>());
  const int64_t threshold = values[max_pieces];

  // Copy the kept pieces into a fresh arena, so that the memory of the
  // dropped ones is returned.
  PieceCounter kept;
  for (const Entry& entry : entries_) {
    if (entry.count > threshold) {
      kept.Add(std::string_view(entry.data, entry.size), entry.hash, entry.count);
    }
  }
  const uint64_t removed = entries_.size() - kept.entries_.size();
  entries_.swap(kept.entries_);
  slots_.swap(kept.slots_);
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
  // Sort views first, so that the sort moves no strings.
  std::vector<std::pair<std::string_view, int64_t>> views;
  views.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    views.emplace_back(std::string_view(entry.data, entry.size), entry.count);
  }
  std::sort(views.begin(), views.end());
  std::vector<std::pair<std::string, int64_t>> sorted;
  sorted.reserve(views.size());
  for (const auto& [piece, count] : views) sorted.emplace_back(std::string(piece), count);
  return sorted;
}

}  // namespace tokforge
