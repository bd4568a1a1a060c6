// Counting of uncompressed regular files in chunks that the worker threads
// claim and read themselves, so that no single thread reads for all of them.

#ifndef TOKFORGE_TRAINING_PLAIN_FILE_COUNTING_H_
#define TOKFORGE_TRAINING_PLAIN_FILE_COUNTING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tokforge/corpus.h"
#include "tokforge/counts.h"
#include "training/counting_shared.h"
#include "training/document_hashes.h"
#include "training/piece_counter.h"

namespace tokforge {

struct PlainFileCounting {
  const CountingOptions* options = nullptr;
  CorpusFormat format = CorpusFormat::kAuto;  // as requested; kAuto goes by file name
  std::string text_field;                     // never empty
  bool keep_byte_order_mark = false;
  bool allow_nul_bytes = false;  // as CorpusOptions::allow_nul_bytes
  // Chunk size in bytes: a chunk counts the lines that start inside it.
  size_t chunk_bytes = 1 << 20;
  int threads = 1;
  // The size of each file in bytes, from PlainFileSizes, so that the files
  // are not examined again. Required.
  const std::vector<uint64_t>* file_sizes = nullptr;
  const Sampler* sampler = nullptr;
  DocumentHashSet* seen = nullptr;
  DuplicateTally* tally = nullptr;
  PieceCounter* total = nullptr;  // receives the counts
  CountStats* stats = nullptr;    // receives sequences, bytes, pieces, sampled-out and pruned
  // Called from the calling thread about four times a second with the bytes
  // counted so far.
  std::function<void(uint64_t bytes_read)> report;
};

// Returns the sizes of `files` in bytes when CountPlainFiles can read every
// one: regular files whose names do not end in .gz or .zst, and not standard
// input. Returns nullopt otherwise.
std::optional<std::vector<uint64_t>> PlainFileSizes(const std::vector<std::string>& files);

// Counts `files` in order on job.threads threads, with the duplicate
// detection, sampling and pruning of CountingOptions (max_bytes is not
// supported). job.file_sizes gives the size of each file, in the same order. The counts, the statistics and the first error in file order
// are the same for any thread count. Fails, naming the file, on read errors,
// over-long lines, invalid JSON Lines records and NUL bytes (unless
// job.allow_nul_bytes is set).
absl::Status CountPlainFiles(const std::vector<std::string>& files, const PlainFileCounting& job);

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_PLAIN_FILE_COUNTING_H_
