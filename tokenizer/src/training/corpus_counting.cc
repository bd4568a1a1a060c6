// CountCorpus: the counting threads read chunks of plain files themselves
// (plain_file_counting.cc). Other inputs go through one reading thread that
// feeds blocks of whole lines to the counting threads. Both paths apply
// duplicate detection, sampling and pruning.

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tokforge/counts.h"
#include "training/counting_shared.h"
#include "training/document_hashes.h"
#include "training/piece_counter.h"
#include "training/piece_counts_impl.h"
#include "training/plain_file_counting.h"
#include "util/thread_pool.h"

namespace tokforge {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

absl::Status ValidateOptions(const CountingOptions& options) {
  if (!(options.sample_fraction > 0.0 && options.sample_fraction <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the sample fraction must be greater than 0 and at most 1, got ",
        options.sample_fraction));
  }
  if (options.dedup_memory_bytes < 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the dedup memory must be at least 4096 bytes, got ", options.dedup_memory_bytes));
  }
  if (options.prune_interval_bytes == 0) {
    return absl::InvalidArgumentError("the prune interval must be at least 1 byte, got 0");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CountCorpus(const CorpusOptions& corpus_options, const CountingOptions& options,
                         PieceCounts* counts,
                         const std::function<void(const CountingProgress&)>& progress) {
  if (absl::Status status = ValidateOptions(options); !status.ok()) return status;
  CorpusOptions corpus = corpus_options;
  corpus.keep_byte_order_mark = counts->settings().keep_byte_order_mark;
  absl::StatusOr<std::unique_ptr<CorpusReader>> opened = CorpusReader::Open(corpus);
  if (!opened.ok()) return opened.status();
  CorpusReader& reader = **opened;
  // Checked before reading, so that nothing is consumed from standard input.
  const bool stdin_named =
      std::find(reader.files().begin(), reader.files().end(), "-") != reader.files().end();
  if (options.dedup && options.text_document == TextDocument::kFile && stdin_named &&
      corpus.format != CorpusFormat::kJsonl) {
    return absl::FailedPreconditionError(
        "deduplication of whole text files cannot read standard input, because a file "
        "is hashed in a pass before it is counted; save the input to a file, or use JSON Lines "
        "or line documents, which are checked while they are read");
  }
  const int threads = ResolveThreadCount(options.threads);
  const std::string text_field = corpus.text_field.empty() ? "text" : corpus.text_field;
  const Sampler sampler(options.sample_fraction, options.seed);
  DocumentHashSet seen(options.dedup_memory_bytes);
  DuplicateTally tally;
  PieceCounter& total = PieceCountsAccess::Counter(*counts);
  CountStats& stats = counts->mutable_stats();

  auto report_bytes = [&](uint64_t bytes_read) {
    if (!progress) return;
    CountingProgress state;
    state.bytes_read = bytes_read;
    state.total_file_bytes = reader.total_file_bytes();
    state.documents = tally.documents.load(std::memory_order_relaxed);
    state.document_bytes = tally.document_bytes.load(std::memory_order_relaxed);
    state.duplicate_documents = tally.duplicate_documents.load(std::memory_order_relaxed);
    state.duplicate_bytes = tally.duplicate_bytes.load(std::memory_order_relaxed);
    progress(state);
  };
  auto add_document_stats = [&] {
    stats.files += reader.files().size();
    stats.documents += tally.documents.load();
    stats.document_bytes += tally.document_bytes.load();
    stats.duplicate_documents += tally.duplicate_documents.load();
    stats.duplicate_bytes += tally.duplicate_bytes.load();
    stats.unremembered_documents += tally.unremembered_documents.load();
  };

  // Plain files are read by the counting threads themselves, chunk by chunk.
  // Standard input, pipes, compressed files and --max-bytes, which must be
  // read in order, go through one reading thread below.
  const std::optional<std::vector<uint64_t>> file_sizes =
      corpus.max_bytes == 0 ? PlainFileSizes(reader.files()) : std::nullopt;
  if (file_sizes) {
    PlainFileCounting job;
    job.options = &options;
    job.format = corpus.format;
    job.text_field = text_field;
    job.keep_byte_order_mark = corpus.keep_byte_order_mark;
    job.allow_nul_bytes = corpus.allow_nul_bytes;
    job.chunk_bytes = corpus.block_bytes;
    job.threads = threads;
    job.file_sizes = &*file_sizes;
    job.sampler = &sampler;
    job.seen = &seen;
    job.tally = &tally;
    job.total = &total;
    job.stats = &stats;
    job.report = report_bytes;
    if (absl::Status status = CountPlainFiles(reader.files(), job); !status.ok()) return status;
    add_document_stats();
    report_bytes(reader.total_file_bytes());
    return absl::OkStatus();
  }

  // One reader thread fills a bounded queue of blocks; `threads` workers
  // split and count them into their own counters. The bound keeps memory at
  // a few blocks per thread whatever the corpus size.
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<CorpusBlock> queue;
  const size_t max_queued = static_cast<size_t>(threads) * 2;
  size_t in_flight = 0;  // blocks queued or being counted; guarded by `mutex`
  bool reading_done = false;
  absl::Status error;  // first error of any thread; guarded by `mutex`

  std::vector<PieceCounter> counters(threads);
  std::vector<uint64_t> sampled_out(threads, 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (true) {
        CorpusBlock block;
        {
          std::unique_lock<std::mutex> lock(mutex);
          changed.wait(lock, [&] { return !queue.empty() || reading_done || !error.ok(); });
          if (!error.ok() || queue.empty()) return;
          block = std::move(queue.front());
          queue.pop_front();
        }
        changed.notify_all();
        // Records, and lines in line-document mode, are documents of their
        // own; whole text files are checked by the reading thread.
        const bool sequence_documents = block.format == CorpusFormat::kJsonl ||
                                        options.text_document == TextDocument::kLine;
        const uint64_t path_key = sampler.enabled() ? sampler.PathKey(block.path) : 0;
        absl::Status status = ForEachSequence(
            block, text_field, [&](std::string_view sequence, uint64_t line_number) {
              if (sequence_documents &&
                  CheckDocument(seen, tally, HashDocument(sequence), sequence.size()) &&
                  options.dedup) {
                return;
              }
              if (sampler.enabled() && !sampler.Keep(path_key, line_number)) {
                ++sampled_out[t];
                return;
              }
              counters[t].CountSequence(sequence);
            });
        std::lock_guard<std::mutex> lock(mutex);
        --in_flight;
        if (!status.ok() && error.ok()) error = std::move(status);
        changed.notify_all();
        if (!error.ok()) return;
      }
    });
  }

  // Moves the worker counts into `total` and prunes it. Called by the reading
  // thread when no block is in flight, so the workers are idle.
  auto merge_and_prune = [&] {
    for (PieceCounter& counter : counters) {
      stats.sequences += counter.sequences();
      stats.bytes += counter.bytes();
      stats.pieces += counter.pieces();
      total.MergeFrom(counter);
    }
    if (options.max_pieces > 0) stats.pruned_pieces += total.Prune(options.max_pieces);
  };

  auto report = [&] { report_bytes(reader.bytes_read()); };

  // Whole-file documents of text files. Without dedup, the reading thread
  // hashes each file as it passes. With dedup, a file is hashed in a first
  // pass before its first block is queued, so a repeated file is never
  // counted.
  const bool file_documents = options.text_document == TextDocument::kFile;
  DocumentHasher file_hasher;
  std::optional<uint64_t> hashed_file_bytes;  // set while a file is being hashed in passing
  auto finish_file_hash = [&] {
    if (!hashed_file_bytes) return;
    CheckDocument(seen, tally, file_hasher.Finish(), *hashed_file_bytes);
    hashed_file_bytes.reset();
  };

  auto last_report = std::chrono::steady_clock::now();
  uint64_t next_prune = options.prune_interval_bytes;
  while (true) {
    CorpusBlock block;
    absl::StatusOr<bool> more = reader.Next(&block);
    if (more.ok() && *more && block.first_line == 1) finish_file_hash();
    if (more.ok() && *more && file_documents && block.format == CorpusFormat::kText) {
      if (block.first_line == 1 && options.dedup) {
        DocumentHasher hasher;
        uint64_t file_bytes = 0;
        absl::Status hashed = ReadCorpusFileContent(block.path, [&](std::string_view chunk) {
          hasher.Update(chunk);
          file_bytes += chunk.size();
        });
        if (!hashed.ok()) {
          more = hashed;
        } else if (CheckDocument(seen, tally, hasher.Finish(), file_bytes)) {
          reader.SkipFile();
          continue;
        }
      } else if (!options.dedup) {
        if (block.first_line == 1) {
          file_hasher.Reset();
          hashed_file_bytes = 0;
        }
        file_hasher.Update(block.bytes);
        *hashed_file_bytes += block.bytes.size();
      }
    }

    std::unique_lock<std::mutex> lock(mutex);
    if (!more.ok() && error.ok()) error = more.status();
    if (!more.ok() || !*more || !error.ok()) break;
    changed.wait(lock, [&] { return queue.size() < max_queued || !error.ok(); });
    if (!error.ok()) break;
    queue.push_back(std::move(block));
    ++in_flight;
    lock.unlock();
    changed.notify_all();

    // Pruning at fixed positions in the input, with every earlier block
    // counted, makes the result independent of the thread count.
    if (options.max_pieces > 0 && reader.bytes_read() >= next_prune) {
      next_prune = (reader.bytes_read() / options.prune_interval_bytes + 1) *
                   options.prune_interval_bytes;
      lock.lock();
      changed.wait(lock, [&] { return in_flight == 0 || !error.ok(); });
      if (!error.ok()) break;
      merge_and_prune();
      lock.unlock();
    }
    if (SecondsSince(last_report) > 0.25) {
      last_report = std::chrono::steady_clock::now();
      report();
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    reading_done = true;
  }
  changed.notify_all();
  for (std::thread& worker : workers) worker.join();
  if (!error.ok()) return error;
  finish_file_hash();

  merge_and_prune();
  for (const uint64_t count : sampled_out) stats.sampled_out_sequences += count;
  add_document_stats();
  report();
  return absl::OkStatus();
}

}  // namespace tokforge
