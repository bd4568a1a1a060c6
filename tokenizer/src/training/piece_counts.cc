#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "tokforge/counts.h"
#include "training/document_hashes.h"
#include "training/piece_counts_impl.h"
#include "util/strings.h"
#include "util/thread_pool.h"

namespace tokforge {

void CountStats::Add(const CountStats& other) {
  files += other.files;
  sequences += other.sequences;
  bytes += other.bytes;
  pieces += other.pieces;
  documents += other.documents;
  document_bytes += other.document_bytes;
  duplicate_documents += other.duplicate_documents;
  duplicate_bytes += other.duplicate_bytes;
  unremembered_documents += other.unremembered_documents;
  sampled_out_sequences += other.sampled_out_sequences;
  pruned_pieces += other.pruned_pieces;
}

PieceCounts::PieceCounts() : impl_(std::make_unique<Impl>()) {}

PieceCounts::PieceCounts(CountSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = settings;
}

PieceCounts::~PieceCounts() = default;

PieceCounts::PieceCounts(const PieceCounts& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}

PieceCounts& PieceCounts::operator=(const PieceCounts& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}

// A moved-from object gets a fresh empty Impl, so it stays usable.
PieceCounts::PieceCounts(PieceCounts&& other) noexcept : impl_(std::move(other.impl_)) {
  other.impl_ = std::make_unique<Impl>();
}

PieceCounts& PieceCounts::operator=(PieceCounts&& other) noexcept {
  if (this != &other) {
    impl_ = std::move(other.impl_);
    other.impl_ = std::make_unique<Impl>();
  }
  return *this;
}

const CountSettings& PieceCounts::settings() const { return impl_->settings; }
const CountStats& PieceCounts::stats() const { return impl_->stats; }
CountStats& PieceCounts::mutable_stats() { return impl_->stats; }
size_t PieceCounts::distinct_pieces() const { return impl_->counter.distinct_pieces(); }

void PieceCounts::CountSequences(absl::Span<const std::string_view> sequences, int threads) {
  const int thread_count =
      std::min<int>(ResolveThreadCount(threads),
                    std::max<int>(1, static_cast<int>(sequences.size() / 64)));
  std::vector<PieceCounter> counters(thread_count);
  ThreadPool pool(thread_count);
  const size_t per_thread = (sequences.size() + thread_count - 1) / thread_count;
  pool.ParallelFor(thread_count, [&](size_t t) {
    const size_t end = std::min(sequences.size(), (t + 1) * per_thread);
    for (size_t i = t * per_thread; i < end; ++i) counters[t].CountSequence(sequences[i]);
  });
  for (PieceCounter& counter : counters) {
    impl_->stats.sequences += counter.sequences();
    impl_->stats.bytes += counter.bytes();
    impl_->stats.pieces += counter.pieces();
    impl_->counter.MergeFrom(counter);
  }
  // Duplicate statistics only: every sequence is counted, as given.
  absl::flat_hash_set<std::pair<uint64_t, uint64_t>> seen;
  for (const std::string_view sequence : sequences) {
    const DocumentHash hash = HashDocument(sequence);
    ++impl_->stats.documents;
    impl_->stats.document_bytes += sequence.size();
    if (!seen.insert({hash.low, hash.high}).second) {
      ++impl_->stats.duplicate_documents;
      impl_->stats.duplicate_bytes += sequence.size();
    }
  }
}

void PieceCounts::AddPiece(std::string_view piece, int64_t count) {
  impl_->counter.AddPiece(piece, count);
}

absl::Status PieceCounts::Merge(const PieceCounts& other, std::string_view other_name) {
  if (other.impl_->settings != impl_->settings) {
    auto describe = [](const CountSettings& settings) {
      return settings.keep_byte_order_mark ? "byte_order_mark=keep" : "byte_order_mark=drop";
    };
    return absl::FailedPreconditionError(absl::StrCat(
        ToAbsl(other_name), " was counted with ", describe(other.impl_->settings),
        " but the counts it is merged into with ", describe(impl_->settings),
        "; count every shard and train with the same --hf-compatible setting, which keeps the "
        "byte order mark"));
  }
  // Checked before anything is added, so a rejected merge leaves these
  // counts unchanged.
  if (!impl_->counter.CanAddFrom(other.impl_->counter)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the counts of one piece in ", ToAbsl(other_name), " and in the counts it is merged into ",
        "add up to more than 2^63 - 1; check that the count shards are intact"));
  }
  impl_->counter.AddFrom(other.impl_->counter);
  impl_->stats.Add(other.impl_->stats);
  return absl::OkStatus();
}

uint64_t PieceCounts::Prune(uint64_t max_pieces) {
  const uint64_t pruned = impl_->counter.Prune(max_pieces);
  impl_->stats.pruned_pieces += pruned;
  return pruned;
}

std::vector<std::pair<std::string, int64_t>> PieceCounts::Sorted() const {
  return impl_->counter.SortedCounts();
}

}  // namespace tokforge
