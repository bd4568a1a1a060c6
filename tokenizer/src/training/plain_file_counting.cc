#include "training/plain_file_counting.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
#include "training/corpus_internal.h"
#include "util/thread_pool.h"

namespace tokforge {
namespace {

using corpus_internal::kMaxLineBytes;
using corpus_internal::kUtf8Bom;

// Bytes read per step when a pass streams a whole file, and when the last
// line of a chunk is read past the chunk's end.
constexpr size_t kStreamBytes = size_t{1} << 20;

struct FileInfo {
  std::string path;
  uint64_t size = 0;
  CorpusFormat format = CorpusFormat::kText;
  uint64_t path_key = 0;  // Sampler::PathKey of the path, when sampling
  size_t first_unit = 0;  // index of the file's first chunk in the unit list
  // Number of '\n' bytes before each chunk, when line numbers are needed.
  std::vector<uint64_t> newlines_before;
  bool skip = false;  // a duplicate file left out by --dedup
};

// A chunk of a file: the lines that start in [start, end).
struct Unit {
  size_t file = 0;
  size_t chunk = 0;
  uint64_t start = 0;
  uint64_t end = 0;
};

// An open file descriptor for positioned reads.
class ReadOnlyFile {
 public:
  static absl::StatusOr<ReadOnlyFile> Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int error_number = errno;
      return absl::ErrnoToStatus(error_number,
                                 absl::StrCat("failed to open corpus file ", path, ": ",
                                              std::generic_category().message(error_number)));
    }
    return ReadOnlyFile(path, fd);
  }

  ReadOnlyFile(ReadOnlyFile&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}
  ReadOnlyFile& operator=(ReadOnlyFile&&) = delete;
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Appends up to `size` bytes from `offset` to `buffer`. Returns how many it
  // appended, fewer only at the end of the file.
  absl::StatusOr<size_t> AppendAt(uint64_t offset, size_t size, std::string* buffer) const {
    const size_t old_size = buffer->size();
    buffer->resize(old_size + size);
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(fd_, buffer->data() + old_size + done, size - done,
                                static_cast<off_t>(offset + done));
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error_number = errno;
        buffer->resize(old_size);
        return absl::ErrnoToStatus(
            error_number, absl::StrCat("failed to read corpus file ", path_, ": ",
                                       std::generic_category().message(error_number)));
      }
      done += static_cast<size_t>(n);
    }
    buffer->resize(old_size + done);
    return done;
  }

 private:
  ReadOnlyFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;
};

// Calls `consume` with the content of `path` in pieces of kStreamBytes.
absl::Status StreamFile(const std::string& path, std::string* buffer,
                        const std::function<void(std::string_view)>& consume) {
  absl::StatusOr<ReadOnlyFile> file = ReadOnlyFile::Open(path);
  if (!file.ok()) return file.status();
  for (uint64_t offset = 0;; offset += kStreamBytes) {
    buffer->clear();
    absl::StatusOr<size_t> n = file->AppendAt(offset, kStreamBytes, buffer);
    if (!n.ok()) return n.status();
    if (*n > 0) consume(*buffer);
    if (*n < kStreamBytes) return absl::OkStatus();
  }
}

// Runs `work(worker, item)` for items 0 .. count-1 on `threads` threads, the
// calling thread being worker 0, which also calls `report` about four times
// a second. After an error no new item starts. Returns the error of the
// lowest failing item: every lower item was claimed before it, so that error
// does not depend on the thread count.
absl::Status RunParallel(size_t count, int threads,
                         const std::function<absl::Status(int worker, size_t item)>& work,
                         const std::function<void()>& report) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<size_t> failed_item;  // guarded by `mutex`
  absl::Status error;                 // guarded by `mutex`
  auto run = [&](int worker) {
    auto last_report = std::chrono::steady_clock::now();
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t item = next.fetch_add(1, std::memory_order_relaxed);
      if (item >= count) return;
      absl::Status status = work(worker, item);
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failed_item || item < *failed_item) {
          failed_item = item;
          error = std::move(status);
        }
        failed.store(true, std::memory_order_relaxed);
      }
      if (worker == 0 && report &&
          std::chrono::steady_clock::now() - last_report > std::chrono::milliseconds(250)) {
        last_report = std::chrono::steady_clock::now();
        report();
      }
    }
  };
  const int worker_count = static_cast<int>(std::min<size_t>(std::max(threads, 1), count));
  std::vector<std::thread> workers;
  for (int worker = 1; worker < worker_count; ++worker) workers.emplace_back(run, worker);
  run(0);
  for (std::thread& worker : workers) worker.join();
  return error;
}

// Counts '\n' bytes of `path` before `offset`, for an error message. Reads
// only up to `offset`, so that an error early in a large file stays quick.
uint64_t NewlinesBefore(const std::string& path, uint64_t offset) {
  absl::StatusOr<ReadOnlyFile> file = ReadOnlyFile::Open(path);
  if (!file.ok()) return 0;
  std::string buffer;
  uint64_t newlines = 0;
  for (uint64_t position = 0; position < offset; position += kStreamBytes) {
    buffer.clear();
    const size_t size = static_cast<size_t>(std::min<uint64_t>(kStreamBytes, offset - position));
    absl::StatusOr<size_t> n = file->AppendAt(position, size, &buffer);
    if (!n.ok()) return 0;
    newlines += std::count(buffer.begin(), buffer.end(), '\n');
    if (*n < size) break;
  }
  return newlines;
}

class PlainFileCounter {
 public:
  PlainFileCounter(const std::vector<std::string>& paths, const PlainFileCounting& job)
      : job_(job), options_(*job.options), counters_(std::max(job.threads, 1)),
        buffers_(counters_.size()), sampled_out_(counters_.size(), 0) {
    files_.reserve(paths.size());
    for (const std::string& path : paths) {
      FileInfo file;
      file.path = path;
      file.format = corpus_internal::ResolveFormat(job.format, path);
      if (job.sampler->enabled()) file.path_key = job.sampler->PathKey(path);
      files_.push_back(std::move(file));
    }
  }

  absl::Status Run() {
    for (size_t i = 0; i < files_.size(); ++i) files_[i].size = (*job_.file_sizes)[i];
    if (absl::Status status = SkipDuplicateFiles(); !status.ok()) return status;
    BuildUnits();
    if (absl::Status status = FindLineNumbers(); !status.ok()) return status;
    return CountUnits();
  }

 private:
  bool WholeFileDocument(const FileInfo& file) const {
    return options_.text_document == TextDocument::kFile && file.format == CorpusFormat::kText;
  }

  bool NeedsLineNumbers(const FileInfo& file) const {
    return job_.sampler->enabled() || file.format == CorpusFormat::kJsonl;
  }

  // With --dedup and whole-file documents, hashes every file in parallel and
  // then records the hashes in file order, so that the first copy of a file
  // is the one counted, as when one thread reads the files in order.
  absl::Status SkipDuplicateFiles() {
    if (!options_.dedup || options_.text_document != TextDocument::kFile) return absl::OkStatus();
    std::vector<DocumentHash> hashes(files_.size());
    absl::Status status = RunParallel(
        files_.size(), job_.threads,
        [&](int worker, size_t index) {
          const FileInfo& file = files_[index];
          if (!WholeFileDocument(file) || file.size == 0) return absl::OkStatus();
          DocumentHasher hasher;
          absl::Status streamed = StreamFile(file.path, &buffers_[worker],
                                             [&](std::string_view piece) { hasher.Update(piece); });
          hashes[index] = hasher.Finish();
          return streamed;
        },
        nullptr);
    if (!status.ok()) return status;
    for (size_t i = 0; i < files_.size(); ++i) {
      FileInfo& file = files_[i];
      if (!WholeFileDocument(file) || file.size == 0) continue;
      file.skip = CheckDocument(*job_.seen, *job_.tally, hashes[i], file.size);
    }
    return absl::OkStatus();
  }

  void BuildUnits() {
    const uint64_t chunk = std::max<size_t>(job_.chunk_bytes, 1);
    for (size_t i = 0; i < files_.size(); ++i) {
      FileInfo& file = files_[i];
      file.first_unit = units_.size();
      if (file.skip) continue;
      for (uint64_t start = 0, index = 0; start < file.size; start += chunk, ++index) {
        units_.push_back(Unit{i, static_cast<size_t>(index), start, std::min(file.size, start + chunk)});
      }
    }
  }

  // Counts the newlines of every chunk of the files that need line numbers
  // and have more than one chunk, in parallel, then sums them up per file.
  absl::Status FindLineNumbers() {
    std::vector<size_t> pending;
    for (size_t u = 0; u < units_.size(); ++u) {
      const FileInfo& file = files_[units_[u].file];
      if (NeedsLineNumbers(file) && file.size > job_.chunk_bytes) pending.push_back(u);
    }
    if (pending.empty()) return absl::OkStatus();
    std::vector<uint64_t> newlines(units_.size(), 0);
    absl::Status status = RunParallel(
        pending.size(), job_.threads,
        [&](int worker, size_t item) {
          const Unit& unit = units_[pending[item]];
          const FileInfo& file = files_[unit.file];
          absl::StatusOr<ReadOnlyFile> opened = ReadOnlyFile::Open(file.path);
          if (!opened.ok()) return opened.status();
          std::string& buffer = buffers_[worker];
          buffer.clear();
          absl::StatusOr<size_t> n = opened->AppendAt(unit.start, unit.end - unit.start, &buffer);
          if (!n.ok()) return n.status();
          newlines[pending[item]] = std::count(buffer.begin(), buffer.end(), '\n');
          return absl::OkStatus();
        },
        nullptr);
    if (!status.ok()) return status;
    for (const size_t u : pending) {
      FileInfo& file = files_[units_[u].file];
      const uint64_t before = file.newlines_before.empty()
                                  ? 0
                                  : file.newlines_before.back() + newlines[u - 1];
      file.newlines_before.push_back(before);
    }
    return absl::OkStatus();
  }

  // Counts the units in epochs that end where the input passes a multiple
  // of the prune interval, as CorpusReader blocks do, so that pruning gets
  // the same counts for any thread count.
  absl::Status CountUnits() {
    uint64_t position = 0;
    uint64_t next_prune = options_.prune_interval_bytes;
    size_t epoch_start = 0;
    for (size_t u = 0; u < units_.size(); ++u) {
      position += units_[u].end - units_[u].start;
      const bool last = u + 1 == units_.size();
      const bool prune_here = options_.max_pieces > 0 && position >= next_prune;
      if (!last && !prune_here) continue;
      if (prune_here) {
        next_prune =
            (position / options_.prune_interval_bytes + 1) * options_.prune_interval_bytes;
      }
      absl::Status status = RunParallel(
          u + 1 - epoch_start, job_.threads,
          [&](int worker, size_t item) { return CountUnit(worker, units_[epoch_start + item]); },
          [&] {
            if (job_.report) job_.report(bytes_counted_.load(std::memory_order_relaxed));
          });
      if (!status.ok()) return status;
      MergeAndPrune();
      epoch_start = u + 1;
    }
    for (const uint64_t count : sampled_out_) job_.stats->sampled_out_sequences += count;
    return absl::OkStatus();
  }

  void MergeAndPrune() {
    CountStats& stats = *job_.stats;
    for (PieceCounter& counter : counters_) {
      stats.sequences += counter.sequences();
      stats.bytes += counter.bytes();
      stats.pieces += counter.pieces();
      job_.total->MergeFrom(counter);
    }
    if (options_.max_pieces > 0) stats.pruned_pieces += job_.total->Prune(options_.max_pieces);
  }

  absl::Status CountUnit(int worker, const Unit& unit) {
    const FileInfo& file = files_[unit.file];
    absl::StatusOr<ReadOnlyFile> opened = ReadOnlyFile::Open(file.path);
    if (!opened.ok()) return opened.status();
    std::string& buffer = buffers_[worker];
    buffer.clear();

    // Read from the byte before the chunk, because that byte decides whether
    // a line starts at the chunk's first byte.
    const uint64_t read_from = unit.start == 0 ? 0 : unit.start - 1;
    absl::StatusOr<size_t> n = opened->AppendAt(read_from, unit.end - read_from, &buffer);
    if (!n.ok()) return n.status();
    const size_t chunk_begin = static_cast<size_t>(unit.start - read_from);
    if (chunk_begin > buffer.size()) return absl::OkStatus();  // the file shrank
    bytes_counted_.fetch_add(buffer.size() - chunk_begin, std::memory_order_relaxed);

    if (unit.chunk == 0 && WholeFileDocument(file) && !options_.dedup) {
      absl::Status status = HashWholeFile(worker, file);
      if (!status.ok()) return status;
    }

    // The first line that starts inside the chunk.
    size_t first = chunk_begin;
    if (unit.start > 0 && buffer[0] != '\n') {
      const void* newline = std::memchr(buffer.data() + chunk_begin, '\n', buffer.size() - chunk_begin);
      if (newline == nullptr) return absl::OkStatus();  // an earlier chunk's line covers it all
      first = static_cast<const char*>(newline) - buffer.data() + 1;
    }
    if (first >= buffer.size()) return absl::OkStatus();

    // Read on past the chunk's end to the end of its last line.
    if (buffer.back() != '\n' && read_from + buffer.size() < file.size) {
      const void* last_newline = ::memrchr(buffer.data() + first, '\n', buffer.size() - first);
      const size_t last_line =
          last_newline == nullptr ? first : static_cast<const char*>(last_newline) - buffer.data() + 1;
      while (true) {
        const size_t old_size = buffer.size();
        absl::StatusOr<size_t> more = opened->AppendAt(read_from + old_size, kStreamBytes, &buffer);
        if (!more.ok()) return more.status();
        const void* newline = std::memchr(buffer.data() + old_size, '\n', *more);
        if (newline != nullptr) {
          buffer.resize(static_cast<const char*>(newline) - buffer.data() + 1);
        }
        if (buffer.size() - last_line > kMaxLineBytes) {
          return corpus_internal::LineTooLongError(
              file.path, NewlinesBefore(file.path, read_from + last_line) + 1);
        }
        if (newline != nullptr || *more < kStreamBytes) break;
      }
    }

    // The lines that start in this chunk are buffer[first, size()), so each
    // byte of a counted file is checked by exactly one chunk.
    if (!job_.allow_nul_bytes) {
      const void* nul = std::memchr(buffer.data() + first, '\0', buffer.size() - first);
      if (nul != nullptr) {
        const uint64_t offset = read_from + (static_cast<const char*>(nul) - buffer.data());
        return corpus_internal::NulByteError(file.path, offset,
                                             NewlinesBefore(file.path, offset) + 1);
      }
    }

    std::string_view text(buffer.data() + first, buffer.size() - first);
    if (unit.start == 0 && !job_.keep_byte_order_mark && text.starts_with(kUtf8Bom)) {
      text.remove_prefix(kUtf8Bom.size());
    }
    uint64_t first_line = 1;
    if (!file.newlines_before.empty()) {
      first_line = file.newlines_before[unit.chunk] + 1 + (first > chunk_begin ? 1 : 0);
    }
    return CountLines(worker, file, text, first_line);
  }

  // Hashes a whole text file for the duplicate statistics.
  absl::Status HashWholeFile(int worker, const FileInfo& file) {
    const std::string& buffer = buffers_[worker];
    if (file.size <= job_.chunk_bytes && buffer.size() == file.size) {
      CheckDocument(*job_.seen, *job_.tally, HashDocument(buffer), file.size);
      return absl::OkStatus();
    }
    DocumentHasher hasher;
    uint64_t bytes = 0;
    std::string stream_buffer;
    absl::Status status = StreamFile(file.path, &stream_buffer, [&](std::string_view piece) {
      hasher.Update(piece);
      bytes += piece.size();
    });
    if (!status.ok()) return status;
    CheckDocument(*job_.seen, *job_.tally, hasher.Finish(), bytes);
    return absl::OkStatus();
  }

  absl::Status CountLines(int worker, const FileInfo& file, std::string_view text,
                          uint64_t first_line) {
    PieceCounter& counter = counters_[worker];
    const bool sequence_documents = file.format == CorpusFormat::kJsonl ||
                                    options_.text_document == TextDocument::kLine;
    if (file.format == CorpusFormat::kText && !sequence_documents && !job_.sampler->enabled()) {
      counter.CountLines(text);
      return absl::OkStatus();
    }
    auto visit = [&](std::string_view sequence, uint64_t line_number) {
      if (sequence_documents &&
          CheckDocument(*job_.seen, *job_.tally, HashDocument(sequence), sequence.size()) &&
          options_.dedup) {
        return;
      }
      if (job_.sampler->enabled() && !job_.sampler->Keep(file.path_key, line_number)) {
        ++sampled_out_[worker];
        return;
      }
      counter.CountSequence(sequence);
    };
    return corpus_internal::ForEachSequenceIn(text, file.path, first_line, file.format,
                                              job_.text_field, visit);
  }

  const PlainFileCounting& job_;
  const CountingOptions& options_;
  std::vector<FileInfo> files_;
  std::vector<Unit> units_;
  std::vector<PieceCounter> counters_;  // one per worker
  std::vector<std::string> buffers_;    // one per worker
  std::vector<uint64_t> sampled_out_;   // one per worker
  std::atomic<uint64_t> bytes_counted_{0};
};

}  // namespace

std::optional<std::vector<uint64_t>> PlainFileSizes(const std::vector<std::string>& files) {
  // One stat per file, which walks the path in the kernel, so thousands of
  // files are split between threads.
  constexpr size_t kFilesPerThread = 512;
  std::vector<uint64_t> sizes(files.size());
  std::vector<char> plain(RangeCount(files.size(), kFilesPerThread), 1);
  ForEachRange(files.size(), kFilesPerThread, [&](size_t begin, size_t end, size_t range) {
    for (size_t i = begin; i < end; ++i) {
      struct stat info {};
      if (corpus_internal::NeedsCorpusReader(files[i]) || ::stat(files[i].c_str(), &info) != 0 ||
          !S_ISREG(info.st_mode)) {
        plain[range] = 0;
        return;
      }
      sizes[i] = static_cast<uint64_t>(info.st_size);
    }
  });
  if (std::find(plain.begin(), plain.end(), 0) != plain.end()) return std::nullopt;
  return sizes;
}

absl::Status CountPlainFiles(const std::vector<std::string>& files, const PlainFileCounting& job) {
  PlainFileCounter counter(files, job);
  return counter.Run();
}

}  // namespace tokforge
