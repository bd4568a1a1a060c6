// Counting of pre-tokenized pieces, one counter per thread.

#ifndef TOKFORGE_TRAINING_PIECE_COUNTER_H_
#define TOKFORGE_TRAINING_PIECE_COUNTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace tokforge {

class PieceCounter {
 public:
  // Splits `sequence` with the GPT-2 pattern and counts every piece.
  void CountSequence(std::string_view sequence);
  // Adds the counts of `other` and empties it.
  void MergeFrom(PieceCounter& other);
  // Adds the counts of `other`, which stays unchanged.
  void AddFrom(const PieceCounter& other);
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
  const StringMap<int64_t>& map() const { return counts_; }

  size_t distinct_pieces() const { return counts_.size(); }
  uint64_t pieces() const { return pieces_; }
  uint64_t sequences() const { return sequences_; }
  uint64_t bytes() const { return bytes_; }

 private:
  StringMap<int64_t> counts_;
  uint64_t pieces_ = 0;
  uint64_t sequences_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_PIECE_COUNTER_H_
