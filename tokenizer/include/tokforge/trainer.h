// Training a byte-level BPE tokenizer.

#ifndef TOKFORGE_TRAINER_H_
#define TOKFORGE_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tokforge/corpus.h"
#include "tokforge/counts.h"
#include "tokforge/tokenizer.h"

namespace tokforge {

struct BpeTrainerOptions {
  // Final vocabulary size, counting special tokens and the byte alphabet.
  size_t vocab_size = 32000;
  // Pairs occurring fewer times than this are never merged.
  int64_t min_frequency = 0;
  // Added first, with ids 0..k-1 in this order; duplicates are skipped.
  std::vector<std::string> special_tokens;
  // Maximum token length in bytes; 0 means no limit.
  size_t max_token_length = 0;
  // Threads for counting and merging; 0 means all cores.
  int threads = 0;
  // Reproduce Hugging Face's BpeTrainer exactly: the alphabet is only the
  // bytes seen in the corpus. By default all 256 bytes are in the
  // vocabulary, so that any input can be encoded.
  bool hf_compatible = false;
};

struct TrainingProgress {
  enum class Stage { kCounting, kMerging };
  Stage stage;
  uint64_t done;   // bytes read, or tokens in the vocabulary
  uint64_t total;  // total bytes (0 if unknown), or the target vocabulary size
  // While counting: documents seen so far and how many repeat an earlier one.
  uint64_t documents = 0;
  uint64_t duplicate_documents = 0;
  uint64_t document_bytes = 0;
  uint64_t duplicate_bytes = 0;
};

struct TrainingStats {
  uint64_t files = 0;
  uint64_t corpus_bytes = 0;  // uncompressed bytes of text counted
  uint64_t sequences = 0;     // lines or records
  uint64_t pieces = 0;        // pre-tokenized pieces counted
  uint64_t distinct_pieces = 0;
  // Documents and exact duplicates among them (see CountStats).
  uint64_t documents = 0;
  uint64_t document_bytes = 0;
  uint64_t duplicate_documents = 0;
  uint64_t duplicate_bytes = 0;
  uint64_t unremembered_documents = 0;
  uint64_t sampled_out_sequences = 0;
  uint64_t pruned_pieces = 0;
  size_t vocab_size = 0;
  size_t merges = 0;
  double counting_seconds = 0;
  double merging_seconds = 0;
};

// Counts pre-tokenized pieces from one or more inputs, then learns merges.
// Counts from several Count* calls add up.
class BpeTrainer {
 public:
  explicit BpeTrainer(BpeTrainerOptions options);
  ~BpeTrainer();
  BpeTrainer(const BpeTrainer&) = delete;
  BpeTrainer& operator=(const BpeTrainer&) = delete;

  // Receives progress reports from the training thread.
  void set_progress_callback(std::function<void(const TrainingProgress&)> callback);

  // Streams a corpus and counts its pieces on options().threads threads.
  absl::Status CountCorpus(const CorpusOptions& corpus);
  // As above, with deduplication, sampling and pruning. counting.threads is
  // replaced by options().threads.
  absl::Status CountCorpus(const CorpusOptions& corpus, const CountingOptions& counting);
  // Adds counts made elsewhere, such as a count shard. Fails, naming
  // `source`, when they were counted with other settings than this trainer
  // uses (hf_compatible keeps a byte order mark).
  absl::Status AddCounts(const PieceCounts& counts, std::string_view source);
  // Counts pieces of in-memory sequences (each one a document or line as
  // given; nothing is split at newlines first).
  void CountSequences(absl::Span<const std::string_view> sequences);

  // Learns the merges and builds the tokenizer. Fails when nothing was
  // counted or the vocabulary size cannot hold the alphabet and the special
  // tokens.
  absl::StatusOr<Tokenizer> Train();

  // The settings under which this trainer counts.
  CountSettings count_settings() const;
  // Everything counted so far.
  const PieceCounts& counts() const;

  const TrainingStats& stats() const;
  const BpeTrainerOptions& options() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINER_H_
