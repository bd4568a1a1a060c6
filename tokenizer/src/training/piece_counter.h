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

// Aligned to a cache line because threads keep their counters side by side
// in one vector, and each count updates fields at the end of the object.
class alignas(64) PieceCounter {
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

  size_t distinct_pieces() const { return used_slots_; }
  uint64_t pieces() const { return pieces_; }
  uint64_t sequences() const { return sequences_; }
  uint64_t bytes() const { return bytes_; }

 private:
  // The first 16 bytes of a piece, zero-padded. words[0] contains bytes 0-7
  // and words[1] bytes 8-15, little-endian, so that the array's memory has
  // them in order.
  struct Head {
    uint64_t words[2];
  };

  // One distinct piece and its count, or an empty slot when size_plus_one is
  // 0. A piece of up to 16 bytes is stored in the slot, so that its lookup
  // reads one slot and compares with three branch-free equalities.
  struct alignas(32) Slot {
    Head head;
    int64_t count;
    uint32_t size_plus_one;
    uint32_t long_index;  // the index in long_pieces_ when size > 16
  };

  // Adds `count` to `piece`, whose head and hash are `head` and `hash`,
  // inserting it when new. Inlined into the counting loop, which calls it
  // once per piece.
  inline void Add(std::string_view piece, const Head& head, uint64_t hash, int64_t count);
  // Adds `count` to `piece`, computing its head and hash.
  void AddSlow(std::string_view piece, int64_t count);
  // Splits `text` with `split` and counts the pieces. `readable_end`, at or
  // past the end of `text`, bounds the reads of the head loads. Returns the
  // number of pieces that end with "\n".
  template <typename Split>
  uint64_t CountPieces(std::string_view text, const char* readable_end, Split&& split);
  // Returns the used slot of `piece` or nullptr.
  const Slot* Find(std::string_view piece) const;
  // Stores `piece` in the empty slot at `position`. Kept out of Add, which
  // runs for every piece while most pieces are not new.
  void Insert(std::string_view piece, const Head& head, int64_t count, size_t position);
  // Returns the bytes of the piece in the used slot `slot`. For a piece of up
  // to 16 bytes the view points into the slot itself.
  std::string_view PieceOf(const Slot& slot) const;
  // Copies `piece` into the arena and returns the copy.
  const char* Store(std::string_view piece);
  // Rebuilds slots_ with room for `entries` pieces at a load of at most 3/4.
  void Rehash(size_t entries);
  // Drops every piece and all arena memory.
  void Clear();

  std::vector<Slot> slots_;  // a power of two, or empty
  size_t used_slots_ = 0;    // the number of distinct pieces
  // The arena copies of the pieces longer than 16 bytes.
  std::vector<const char*> long_pieces_;
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
