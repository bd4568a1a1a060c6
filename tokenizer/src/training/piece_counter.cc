#include "training/piece_counter.h"

#include <algorithm>
#include <functional>

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

void PieceCounter::AddFrom(const PieceCounter& other) {
  for (const auto& [piece, count] : other.counts_) counts_[piece] += count;
  AddTallies(other.sequences_, other.bytes_, other.pieces_);
}

void PieceCounter::AddPiece(std::string_view piece, int64_t count) {
  auto it = counts_.find(piece);
  if (it != counts_.end()) {
    it->second += count;
  } else {
    counts_.emplace(std::string(piece), count);
  }
}

uint64_t PieceCounter::Prune(uint64_t max_pieces) {
  if (counts_.size() <= max_pieces) return 0;
  std::vector<int64_t> values;
  values.reserve(counts_.size());
  for (const auto& entry : counts_) values.push_back(entry.second);
  // The (max_pieces + 1)-th largest count is the threshold: dropping every
  // count at or below it keeps at most max_pieces pieces, and no smaller
  // threshold does. Ties make the kept set smaller, never order-dependent.
  std::nth_element(values.begin(), values.begin() + max_pieces, values.end(),
                   std::greater<int64_t>());
  const int64_t threshold = values[max_pieces];
  const size_t before = counts_.size();
  absl::erase_if(counts_, [threshold](const auto& entry) { return entry.second <= threshold; });
  return before - counts_.size();
}

void PieceCounter::AddTallies(uint64_t sequences, uint64_t bytes, uint64_t pieces) {
  sequences_ += sequences;
  bytes_ += bytes;
  pieces_ += pieces;
}

std::vector<std::pair<std::string, int64_t>> PieceCounter::SortedCounts() const {
  std::vector<std::pair<std::string, int64_t>> sorted(counts_.begin(), counts_.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace tokforge
