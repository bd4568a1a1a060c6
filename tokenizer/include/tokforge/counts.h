// Piece counts: the input of BPE training, as a value that can be merged,
// saved as a count shard file and loaded again.
//
// Counting splits every sequence with the GPT-2 pre-tokenizer pattern on its
// raw bytes (no normalizer) and counts each piece. Counts from different
// inputs add up, so counting can be split across processes or machines and
// the shards merged before training. The merged counts train the same
// tokenizer as counting all inputs in one run, unless pruning or
// deduplication saw different data in the two cases (see CountingOptions).

#ifndef TOKFORGE_COUNTS_H_
#define TOKFORGE_COUNTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tokforge/corpus.h"

namespace tokforge {

// Settings that change which pieces a text yields. Counts made with
// different settings cannot be merged.
struct CountSettings {
  // Count a UTF-8 byte order mark at the start of a file as text (Hugging
  // Face's trainer does) instead of dropping it.
  bool keep_byte_order_mark = false;

  bool operator==(const CountSettings&) const = default;
};

// Name of the pre-tokenizer and normalizer that counting applies, as a count
// shard records them.
inline constexpr std::string_view kCountPreTokenizer = "gpt2-regex-bytes";
inline constexpr std::string_view kCountNormalizer = "none";

// Unit of a text file that duplicate detection treats as one document. A
// JSON Lines record is always one document.
enum class TextDocument {
  kFile,  // a whole text file, such as one source file
  kLine,  // every line, for files that hold one document per line
};

struct CountingOptions {
  // Skip exact duplicate documents: only the first copy of a document's
  // content is counted. Duplicates are detected, and reported in CountStats,
  // with or without this option.
  bool dedup = false;
  TextDocument text_document = TextDocument::kFile;
  // Memory for the 128-bit hashes of the documents seen, in bytes (16 bytes
  // per slot, at most 3/4 of the slots used). When it is full, later new
  // documents are counted but not remembered, so their copies are not
  // detected. CountStats::unremembered_documents counts them.
  uint64_t dedup_memory_bytes = uint64_t{1} << 30;
  // Keep each sequence (text line or JSON Lines record) with this
  // probability. The choice hashes the seed, the file path and the line
  // number, so it is reproducible and independent of the thread count.
  double sample_fraction = 1.0;
  uint64_t seed = 0;
  // Maximum number of distinct pieces to keep (0 = no limit). When the
  // merged counts exceed it, the rarest pieces are dropped: every piece whose
  // count is at or below the smallest threshold that brings the number of
  // pieces to max_pieces or fewer. The per-thread counts are merged and
  // pruned after every prune_interval_bytes of input, at block boundaries
  // that do not depend on the thread count, and once at the end. A piece
  // dropped early and seen again later restarts from zero, so kept counts
  // are lower bounds. Memory is about max_pieces plus the distinct pieces of
  // prune_interval_bytes of text per thread.
  uint64_t max_pieces = 0;
  uint64_t prune_interval_bytes = uint64_t{64} << 20;
  // Threads that split and count; 0 means all cores.
  int threads = 0;
};

struct CountStats {
  uint64_t files = 0;
  uint64_t sequences = 0;  // lines or records counted
  uint64_t bytes = 0;      // bytes of the sequences counted
  uint64_t pieces = 0;     // pieces counted, before pruning
  // Documents seen, with their bytes, and how many of them repeat an earlier
  // document exactly. Skipped duplicates are in these numbers but not in
  // sequences, bytes and pieces.
  uint64_t documents = 0;
  uint64_t document_bytes = 0;
  uint64_t duplicate_documents = 0;
  uint64_t duplicate_bytes = 0;
  // Documents not remembered because the dedup memory was full.
  uint64_t unremembered_documents = 0;
  // Sequences left out by sampling.
  uint64_t sampled_out_sequences = 0;
  // Distinct pieces dropped by max_pieces pruning, added up over all prunes.
  uint64_t pruned_pieces = 0;

  void Add(const CountStats& other);
};

class PieceCounts {
 public:
  PieceCounts();
  explicit PieceCounts(CountSettings settings);
  ~PieceCounts();
  PieceCounts(const PieceCounts& other);
  PieceCounts& operator=(const PieceCounts& other);
  PieceCounts(PieceCounts&& other) noexcept;
  PieceCounts& operator=(PieceCounts&& other) noexcept;

  const CountSettings& settings() const;
  const CountStats& stats() const;
  CountStats& mutable_stats();
  size_t distinct_pieces() const;

  // Counts in-memory sequences (each one a document or line as given;
  // nothing is split at newlines first) on `threads` threads (0 = all
  // cores). Each sequence is one document for the duplicate statistics,
  // which detect repeats within this call only. Every sequence is counted.
  void CountSequences(absl::Span<const std::string_view> sequences, int threads = 0);

  // Adds `count` occurrences of `piece` without changing the statistics.
  void AddPiece(std::string_view piece, int64_t count);

  // Adds the counts and statistics of `other`. Fails, naming `other_name`,
  // when the settings differ.
  absl::Status Merge(const PieceCounts& other, std::string_view other_name = "the added counts");

  // Drops the rarest pieces as CountingOptions::max_pieces describes and
  // returns how many distinct pieces were dropped.
  uint64_t Prune(uint64_t max_pieces);

  // Pieces with their counts, sorted by piece bytes.
  std::vector<std::pair<std::string, int64_t>> Sorted() const;

  // The count shard encoding: see count_shard.cc for the layout.
  std::string Serialize() const;
  // Decodes a count shard. Errors name `source` (a file name, for example).
  static absl::StatusOr<PieceCounts> Parse(std::string_view bytes, std::string_view source);

  // Writes Serialize() to `path` atomically.
  absl::Status WriteFile(const std::string& path) const;
  static absl::StatusOr<PieceCounts> ReadFile(const std::string& path);

 private:
  friend class PieceCountsAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Progress of CountCorpus, reported from the reading thread about four times
// a second and once at the end.
struct CountingProgress {
  uint64_t bytes_read = 0;
  uint64_t total_file_bytes = 0;  // size on disk; 0 when unknown
  uint64_t documents = 0;
  uint64_t duplicate_documents = 0;
  uint64_t document_bytes = 0;
  uint64_t duplicate_bytes = 0;
};

// Streams a corpus and adds its piece counts to `counts`, on
// options.threads threads. The result is the same for any thread count.
// `counts` keeps its settings; a corpus option that contradicts them is
// ignored (the byte order mark setting comes from `counts`).
absl::Status CountCorpus(const CorpusOptions& corpus, const CountingOptions& options,
                         PieceCounts* counts,
                         const std::function<void(const CountingProgress&)>& progress = nullptr);

}  // namespace tokforge

#endif  // TOKFORGE_COUNTS_H_
