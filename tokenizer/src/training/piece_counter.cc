#include "training/piece_counter.h"

#include <algorithm>

#include "pretokenizers/gpt2_split.h"

namespace tokforge {

void PieceCounter::CountSequence(std::string_view sequence) {
  ++sequences_;
  bytes_ += sequence.size();
  SplitGpt2(sequence, [&](size_t begin, size_t end) {
    const std::string_view piece = sequence.substr(begin, end - begin);
    ++pieces_;
    auto it = counts_.find(piece);
    if (it != counts_.end()) {
      ++it->second;
    } else {
      counts_.emplace(std::string(piece), 1);
    }
  });
}

void PieceCounter::MergeFrom(PieceCounter& other) {
  if (counts_.empty()) {
    counts_.swap(other.counts_);
  } else {
    for (auto& [piece, count] : other.counts_) counts_[piece] += count;
    other.counts_.clear();
  }
  pieces_ += other.pieces_;
  sequences_ += other.sequences_;
  bytes_ += other.bytes_;
  other.pieces_ = other.sequences_ = other.bytes_ = 0;
}

std::vector<std::pair<std::string, int64_t>> PieceCounter::SortedCounts() const {
  std::vector<std::pair<std::string, int64_t>> sorted(counts_.begin(), counts_.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace tokforge
