// Reads arbitrary bytes as a count shard, the file that tokforge count writes
// and tokforge train --from-counts reads.
//
// A random mutation almost never keeps the XXH3 checksum valid, so each input
// is parsed twice. The first parse takes the bytes as they are and tests the
// header, length and checksum checks. The second rewrites the length field
// and the checksum to match the bytes, so that mutations reach the payload
// decoder. A hostile file can carry a valid checksum just as easily.
//
// A shard that parses must serialize and parse back to the same counts and
// merge with itself, unless Merge rejects the sum. It must also train a
// small BPE vocabulary from one or two copies of itself. Train may reject
// only copies whose bytes of text add up past 2^63 - 1.

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokforge/counts.h"
#include "tokforge/trainer.h"

namespace {

constexpr size_t kHeaderBytes = 20;
constexpr size_t kChecksumBytes = 8;
// Training cost grows with the number and length of the pieces. Larger
// shards still go through parsing, serialization and merging.
constexpr size_t kMaxPiecesToTrain = 2000;

void PutFixed(std::string* bytes, size_t offset, uint64_t value) {
  for (int i = 0; i < 8; ++i) (*bytes)[offset + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// Returns `bytes` with the payload length and the checksum made consistent
// with its size, or an empty string when it is too short to hold both.
std::string RepairFraming(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes + kChecksumBytes) return {};
  std::string repaired(bytes);
  const size_t checked_bytes = repaired.size() - kChecksumBytes;
  PutFixed(&repaired, 12, checked_bytes - kHeaderBytes);
  PutFixed(&repaired, checked_bytes, XXH3_64bits(repaired.data(), checked_bytes));
  return repaired;
}

bool SameStats(const tokforge::CountStats& a, const tokforge::CountStats& b) {
  return a.files == b.files && a.sequences == b.sequences && a.bytes == b.bytes &&
         a.pieces == b.pieces && a.documents == b.documents &&
         a.document_bytes == b.document_bytes && a.duplicate_documents == b.duplicate_documents &&
         a.duplicate_bytes == b.duplicate_bytes &&
         a.unremembered_documents == b.unremembered_documents &&
         a.sampled_out_sequences == b.sampled_out_sequences &&
         a.pruned_pieces == b.pruned_pieces;
}

void CheckParsed(const tokforge::PieceCounts& counts) {
  // Serialize, then parse again: the same counts, settings and statistics.
  absl::StatusOr<tokforge::PieceCounts> again =
      tokforge::PieceCounts::Parse(counts.Serialize(), "reserialized");
  if (!again.ok()) std::abort();
  if (again->Sorted() != counts.Sorted()) std::abort();
  if (!(again->settings() == counts.settings())) std::abort();
  if (!SameStats(again->stats(), counts.stats())) std::abort();

  // Merging a shard with itself doubles every count unless Merge rejects
  // the sum as too large.
  tokforge::PieceCounts doubled = counts;
  if (doubled.Merge(counts, "itself").ok()) {
    const auto single = counts.Sorted();
    const auto twice = doubled.Sorted();
    if (single.size() != twice.size()) std::abort();
    for (size_t i = 0; i < single.size(); ++i) {
      if (twice[i].first != single[i].first) std::abort();
      if (twice[i].second != 2 * single[i].second) std::abort();
    }
  }

  if (counts.distinct_pieces() > kMaxPiecesToTrain) return;
  tokforge::BpeTrainerOptions options;
  options.vocab_size = 256 + 32;
  options.threads = 1;
  options.hf_compatible = counts.settings().keep_byte_order_mark;
  tokforge::BpeTrainer trainer(options);
  if (!trainer.AddCounts(counts, "fuzzed shard").ok()) std::abort();
  // Adding the shard twice can push the bytes of text past 2^63 - 1, which
  // Train must reject instead of overflowing its pair counts.
  const bool added_twice = trainer.AddCounts(counts, "fuzzed shard").ok();
  uint64_t text_bytes = 0;
  bool overflow = false;
  for (const auto& [piece, count] : counts.Sorted()) {
    uint64_t piece_bytes = 0;
    overflow |= __builtin_mul_overflow(static_cast<uint64_t>(count), piece.size(), &piece_bytes);
    overflow |= __builtin_add_overflow(text_bytes, piece_bytes, &text_bytes);
  }
  if (added_twice) overflow |= __builtin_add_overflow(text_bytes, text_bytes, &text_bytes);
  const bool trained = trainer.Train().ok();
  // An empty shard has nothing to train on, and Train rejects it.
  const bool trainable = counts.distinct_pieces() > 0 && !overflow &&
                         text_bytes <= static_cast<uint64_t>(INT64_MAX);
  if (trained != trainable) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<tokforge::PieceCounts> parsed = tokforge::PieceCounts::Parse(bytes, "input");
  if (parsed.ok()) CheckParsed(*parsed);

  const std::string repaired = RepairFraming(bytes);
  if (!repaired.empty() && repaired != bytes) {
    parsed = tokforge::PieceCounts::Parse(repaired, "repaired input");
    if (parsed.ok()) CheckParsed(*parsed);
  }
  return 0;
}
