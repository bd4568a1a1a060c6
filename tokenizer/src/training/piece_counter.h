// Counting of pre-tokenized pieces, one counter per thread.

#ifndef TOKFORGE_TRAINING_PIECE_COUNTER_H_
#define TOKFORGE_TRAINING_PIECE_COUNTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokforge {

class PieceCounter {
 public:
  PieceCounter();
  ~PieceCounter();
  PieceCounter(const PieceCounter& other);
  PieceCounter& operator=(const PieceCounter& other);
  PieceCounter(PieceCounter&& other) noexcept;
  PieceCounter& operator=(PieceCounter&& other) noexcept;

  // Splits `sequence` with the GPT-2 pattern and counts every piece.
  void CountSequence(std::string_view sequence);
  // Counts every line of `text` (each with its "\n", the last one possibly
  // without) as one sequence, as CountSequence on each line would.
  void CountLines(std::string_view text);
  // Adds the counts of `other` and empties it.
  void MergeFrom(PieceCounter& other);
  // Adds the counts of `other`, which stays unchanged.
  void AddFrom(const PieceCounter& other);
  // Returns whether AddFrom(other) keeps every count within int64_t.
  bool CanAddFrom(const PieceCounter& other) const;
  // Adds `count` occurrences of `piece` to the map only: pieces(),
  // sequences() and bytes() stay unchanged.
  void AddPiece(std::string_view piece, int64_t count);
  // Removes every piece whose count is at or below the smallest threshold
  // that leaves at most `max_pieces` pieces. Returns how many were removed.
  uint64_t Prune(uint64_t max_pieces);
  // Adds to the tallies of sequences, bytes and pieces.
  void AddTallies(uint64_t sequences, uint64_t bytes, uint64_t pieces);

  // Pieces with their counts, sorted by piece bytes so that the order does
  // not depend on hashing or threads.
  std::vector<std::pair<std::string, int64_t>> SortedCounts() const;

  size_t distinct_pieces() const { return entries_.size(); }
  uint64_t pieces() const { return pieces_; }
  uint64_t sequences() const { return sequences_; }
  uint64_t bytes() const { return bytes_; }

 private:
  // One distinct piece. `data` points into arena_, which owns the bytes.
  struct Entry {
    const char* data;
    uint64_t hash;
    int64_t count;
    uint32_t size;
  };
  // A slot of the open-addressing index. `entry_plus_one` is 0 for an empty
  // slot, else the entry's position in entries_ plus 1. `tag` is the high
  // 32 bits of the hash, which skip most mismatches without reading the entry.
  struct Slot {
    uint32_t tag;
    uint32_t entry_plus_one;
  };

  // Adds `count` to `piece`, whose 64-bit hash is `hash`, inserting it when new.
  // Inlined into the counting loop, which calls it once per piece.
  inline void Add(std::string_view piece, uint64_t hash, int64_t count);
  // Stores a new entry for `piece` in the empty slot at `position`. Kept out
  // of Add, which runs for every piece while most pieces are not new.
  void Insert(std::string_view piece, uint64_t hash, int64_t count, size_t position);
  // Copies `piece` into the arena and returns the copy.
  const char* Store(std::string_view piece);
  // Rebuilds slots_ with room for `entries` entries at a load of at most 1/2.
  void Rehash(size_t entries);
  // Drops every entry and all arena memory.
  void Clear();

  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // a power of two, or empty
  // Piece bytes in blocks, so that stored pieces never move.
  std::vector<std::unique_ptr<char[]>> arena_;
  size_t arena_used_ = 0;      // bytes used in arena_.back()
  size_t arena_capacity_ = 0;  // size of arena_.back()
  uint64_t pieces_ = 0;
  uint64_t sequences_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_PIECE_COUNTER_H_
