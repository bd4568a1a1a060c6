#include <fcntl.h>
#include <fnmatch.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "tokforge/corpus.h"
#include "training/corpus_internal.h"
#include "util/thread_pool.h"

namespace tokforge {
namespace {

namespace fs = std::filesystem;

// Bytes requested from the file or decompressor per read. The reader's memory
// is about block_bytes plus this, or the longest line if that is longer.
// A longer line is rejected instead of being held in memory whole.
using corpus_internal::kMaxLineBytes;
using corpus_internal::kUtf8Bom;
constexpr size_t kReadChunkBytes = 64 << 10;

// Compressed bytes read from disk per refill of a decompressor's input.
constexpr size_t kCompressedChunkBytes = 64 << 10;

// The corpus path that names standard input.
constexpr std::string_view kStdinPath = "-";

// A mapped file releases the pages behind its read position in steps of this
// size, so resident memory does not grow with the file size.
constexpr size_t kMappedReleaseBytes = 16 << 20;

// Converts for absl::StrCat, because this absl build has its own string_view
// type that does not convert from std::string_view.
absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

std::string ErrnoMessage(int error_number) {
  return std::generic_category().message(error_number);
}

// ---------------------------------------------------------------------------
// Byte sources: the uncompressed content of one file.

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `size` bytes into `buffer` and returns how many it read.
  // Returns 0 only at the end of the data.
  virtual absl::StatusOr<size_t> Read(char* buffer, size_t size) = 0;
};

class FileSource final : public ByteSource {
 public:
  static absl::StatusOr<std::unique_ptr<FileSource>> Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int error_number = errno;
      return absl::ErrnoToStatus(
          error_number, absl::StrCat("failed to open corpus file ", path, ": ",
                                     ErrnoMessage(error_number)));
    }
    return std::unique_ptr<FileSource>(new FileSource(path, fd));
  }

  static std::unique_ptr<FileSource> OpenStdin() {
    return std::unique_ptr<FileSource>(new FileSource("standard input", STDIN_FILENO));
  }

  ~FileSource() override {
    if (fd_ != STDIN_FILENO) ::close(fd_);
  }

  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    while (true) {
      const ssize_t n = ::read(fd_, buffer, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      const int error_number = errno;
      return absl::ErrnoToStatus(error_number, absl::StrCat("failed to read corpus file ", path_,
                                                            ": ", ErrnoMessage(error_number)));
    }
  }

 private:
  FileSource(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;
};

// Reads a regular file through a read-only memory mapping, which saves the
// copy from the kernel's page cache into a read buffer.
class MappedFileSource final : public ByteSource {
 public:
  // Returns null when the file is empty, which cannot be mapped; callers
  // then read it with FileSource.
  static absl::StatusOr<std::unique_ptr<MappedFileSource>> Open(const std::string& path,
                                                                size_t size) {
    if (size == 0) return nullptr;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int error_number = errno;
      return absl::ErrnoToStatus(
          error_number, absl::StrCat("failed to open corpus file ", path, ": ",
                                     ErrnoMessage(error_number)));
    }
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int error_number = errno;
    ::close(fd);
    if (data == MAP_FAILED) {
      return absl::ErrnoToStatus(error_number,
                                 absl::StrCat("failed to map corpus file ", path, ": ",
                                              ErrnoMessage(error_number)));
    }
    ::madvise(data, size, MADV_SEQUENTIAL);
    return std::unique_ptr<MappedFileSource>(
        new MappedFileSource(static_cast<const char*>(data), size));
  }

  ~MappedFileSource() override { ::munmap(const_cast<char*>(data_), size_); }

  MappedFileSource(const MappedFileSource&) = delete;
  MappedFileSource& operator=(const MappedFileSource&) = delete;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min(size, size_ - position_);
    std::memcpy(buffer, data_ + position_, n);
    position_ += n;
    if (position_ - released_ >= kMappedReleaseBytes) Release();
    return n;
  }

  // Returns up to `size` bytes at the read position without copying them
  // and advances past them. The view is valid until the next call.
  std::string_view ReadView(size_t size) {
    const size_t n = std::min(size, size_ - position_);
    const std::string_view view(data_ + position_, n);
    if (position_ - released_ >= kMappedReleaseBytes) Release();
    position_ += n;
    return view;
  }

 private:
  MappedFileSource(const char* data, size_t size) : data_(data), size_(size) {}

  // Drops the mapped pages before the read position from this process.
  void Release() {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t end = position_ / page * page;
    if (end > released_) {
      ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
      released_ = end;
    }
  }

  const char* data_;
  size_t size_;
  size_t position_ = 0;
  size_t released_ = 0;  // page-aligned offset before which pages were released
};

// Decompresses gzip data, including files of several concatenated members as
// written by `cat a.gz b.gz`.
class GzipSource final : public ByteSource {
 public:
  static absl::StatusOr<std::unique_ptr<GzipSource>> Open(const std::string& path) {
    auto file = FileSource::Open(path);
    if (!file.ok()) return file.status();
    auto source = std::unique_ptr<GzipSource>(new GzipSource(path, *std::move(file)));
    // 16 + MAX_WBITS makes zlib expect a gzip header and trailer, not raw zlib.
    const int result = inflateInit2(&source->stream_, 16 + MAX_WBITS);
    if (result != Z_OK) {
      return absl::InternalError(
          absl::StrCat("failed to initialize zlib to read ", path, ": ", zError(result)));
    }
    source->initialized_ = true;
    return source;
  }

  ~GzipSource() override {
    if (initialized_) inflateEnd(&stream_);
  }

  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    const uInt capacity = static_cast<uInt>(std::min<size_t>(size, std::numeric_limits<uInt>::max()));
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = capacity;

    // Loop until at least one byte comes out, because inflate may consume a
    // whole input chunk of headers without producing output.
    while (stream_.avail_out == capacity) {
      if (stream_.avail_in == 0 && !input_eof_) {
        absl::Status status = Refill();
        if (!status.ok()) return status;
      }
      if (member_ended_) {
        if (stream_.avail_in == 0) {
          if (input_eof_) return 0;
          continue;
        }
        // More bytes follow the member's trailer, so they must start another member.
        inflateReset(&stream_);
        member_ended_ = false;
      }
      if (stream_.avail_in == 0 && input_eof_) return CorruptError("unexpected end of file");

      const int result = inflate(&stream_, Z_NO_FLUSH);
      if (result == Z_STREAM_END) {
        member_ended_ = true;
      } else if (result != Z_OK && result != Z_BUF_ERROR) {
        return CorruptError(stream_.msg != nullptr ? stream_.msg : zError(result));
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  GzipSource(std::string path, std::unique_ptr<FileSource> file)
      : path_(std::move(path)), file_(std::move(file)), input_(kCompressedChunkBytes) {}

  absl::Status Refill() {
    auto n = file_->Read(input_.data(), input_.size());
    if (!n.ok()) return n.status();
    if (*n == 0) input_eof_ = true;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
    stream_.avail_in = static_cast<uInt>(*n);
    return absl::OkStatus();
  }

  absl::Status CorruptError(absl::string_view detail) const {
    return absl::DataLossError(absl::StrCat("truncated or corrupt gzip data in ", path_, ": ",
                                            detail, " (check the file with `gzip -t`)"));
  }

  std::string path_;
  std::unique_ptr<FileSource> file_;
  std::vector<char> input_;
  z_stream stream_{};
  bool initialized_ = false;
  bool input_eof_ = false;
  bool member_ended_ = false;
};

// Decompresses zstd data, including files of several frames.
class ZstdSource final : public ByteSource {
 public:
  static absl::StatusOr<std::unique_ptr<ZstdSource>> Open(const std::string& path) {
    auto file = FileSource::Open(path);
    if (!file.ok()) return file.status();
    auto source = std::unique_ptr<ZstdSource>(new ZstdSource(path, *std::move(file)));
    if (source->context_ == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("failed to create a zstd decompression context to read ", path));
    }
    return source;
  }

  ~ZstdSource() override { ZSTD_freeDCtx(context_); }

  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    ZSTD_outBuffer output{buffer, size, 0};
    while (output.pos == 0) {
      if (input_.pos == input_.size && !input_eof_) {
        absl::Status status = Refill();
        if (!status.ok()) return status;
      }
      // A hint of 0 means the last frame is complete and fully flushed.
      if (input_.pos == input_.size && input_eof_ && last_hint_ == 0) return 0;

      const size_t hint = ZSTD_decompressStream(context_, &output, &input_);
      if (ZSTD_isError(hint)) return CorruptError(ZSTD_getErrorName(hint));
      last_hint_ = hint;
      if (output.pos == 0 && input_.pos == input_.size && input_eof_) {
        return CorruptError("unexpected end of file");
      }
    }
    return output.pos;
  }

 private:
  ZstdSource(std::string path, std::unique_ptr<FileSource> file)
      : path_(std::move(path)),
        file_(std::move(file)),
        buffer_(kCompressedChunkBytes),
        context_(ZSTD_createDCtx()) {}

  absl::Status Refill() {
    auto n = file_->Read(buffer_.data(), buffer_.size());
    if (!n.ok()) return n.status();
    if (*n == 0) input_eof_ = true;
    input_ = ZSTD_inBuffer{buffer_.data(), *n, 0};
    return absl::OkStatus();
  }

  absl::Status CorruptError(absl::string_view detail) const {
    return absl::DataLossError(absl::StrCat("truncated or corrupt zstd data in ", path_, ": ",
                                            detail, " (check the file with `zstd -t`)"));
  }

  std::string path_;
  std::unique_ptr<FileSource> file_;
  std::vector<char> buffer_;
  ZSTD_DCtx* context_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool input_eof_ = false;
  // Last return value of ZSTD_decompressStream, 0 after a complete frame. It
  // starts nonzero so that an empty file counts as truncated.
  size_t last_hint_ = 1;
};

// Strips a trailing ".gz" or ".zst", which name the compression, not the content.
absl::string_view StripCompressionSuffix(absl::string_view name) {
  for (absl::string_view suffix : {".gz", ".zst"}) {
    if (absl::EndsWithIgnoreCase(name, suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

absl::StatusOr<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  if (path == kStdinPath) return FileSource::OpenStdin();
  const std::string name = fs::path(path).filename().string();
  if (absl::EndsWithIgnoreCase(name, ".gz")) return GzipSource::Open(path);
  if (absl::EndsWithIgnoreCase(name, ".zst")) return ZstdSource::Open(path);
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    auto mapped = MappedFileSource::Open(path, static_cast<size_t>(info.st_size));
    if (!mapped.ok()) return mapped.status();
    if (*mapped != nullptr) return std::unique_ptr<ByteSource>(*std::move(mapped));
  }
  return FileSource::Open(path);
}

CorpusFormat ResolveFormat(CorpusFormat requested, const std::string& path) {
  if (requested != CorpusFormat::kAuto) return requested;
  if (path == kStdinPath) return CorpusFormat::kText;
  const std::string name = fs::path(path).filename().string();
  const absl::string_view content_name = StripCompressionSuffix(name);
  if (absl::EndsWithIgnoreCase(content_name, ".jsonl") ||
      absl::EndsWithIgnoreCase(content_name, ".json")) {
    return CorpusFormat::kJsonl;
  }
  return CorpusFormat::kText;
}

// ---------------------------------------------------------------------------
// Path resolution.

bool MatchesAnyGlob(const std::vector<std::string>& globs, const std::string& name) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

// Checks read permission without opening the file, because opening a FIFO
// blocks until a writer appears.
absl::Status CheckReadable(const std::string& path) {
  if (faccessat(AT_FDCWD, path.c_str(), R_OK, AT_EACCESS) != 0) {
    const int error_number = errno;
    return absl::ErrnoToStatus(
        error_number, absl::StrCat("corpus file ", path, " is not readable: ",
                                   ErrnoMessage(error_number),
                                   error_number == EACCES ? "; grant read permission on it" : ""));
  }
  return absl::OkStatus();
}

// Describes the include and exclude globs, at least one of which is set.
std::string DescribeGlobs(const CorpusOptions& options) {
  std::vector<std::string> parts;
  if (!options.include_globs.empty()) {
    parts.push_back(absl::StrCat("include globs {", absl::StrJoin(options.include_globs, ", "), "}"));
  }
  if (!options.exclude_globs.empty()) {
    parts.push_back(absl::StrCat("exclude globs {", absl::StrJoin(options.exclude_globs, ", "), "}"));
  }
  return absl::StrJoin(parts, " and ");
}

// Adds the regular file or the directory that `entry` is to `files` or
// `subdirectories`: files when they pass the globs, directories when they
// are not symbolic links.
void ClassifyEntry(const fs::directory_entry& entry, const CorpusOptions& options,
               std::vector<std::string>* files, std::vector<fs::path>* subdirectories) {
  std::error_code type_error;
  if (entry.is_regular_file(type_error)) {
    const std::string name = entry.path().filename().string();
    const bool included =
        options.include_globs.empty() || MatchesAnyGlob(options.include_globs, name);
    if (included && !MatchesAnyGlob(options.exclude_globs, name)) {
      files->push_back(entry.path().string());
    }
  } else if (subdirectories != nullptr && entry.is_directory(type_error) &&
             !entry.is_symlink(type_error)) {
    subdirectories->push_back(entry.path());
  }
}

// Appends the regular files under `directory` that pass the globs to `files`.
// Symbolic links to files are followed, but links to directories are not, so
// a link cycle cannot make the walk endless.
std::error_code WalkDirectory(const fs::path& directory, const CorpusOptions& options,
                              std::vector<std::string>* files) {
  std::error_code error;
  fs::recursive_directory_iterator it(directory, error);
  const fs::recursive_directory_iterator end;
  while (!error && it != end) {
    ClassifyEntry(*it, options, files, nullptr);
    it.increment(error);
  }
  return error;
}

// Appends the regular files under `directory` that pass the globs, sorted by
// path. The subdirectories of `directory` are walked on several threads,
// because a walk of thousands of files is mostly system-call time.
absl::Status AppendDirectoryFiles(const std::string& directory, const CorpusOptions& options,
                                  std::vector<std::string>* files) {
  std::vector<std::string> found;
  std::vector<fs::path> subdirectories;
  std::error_code error;
  fs::directory_iterator it(directory, error);
  const fs::directory_iterator end;
  while (!error && it != end) {
    ClassifyEntry(*it, options, &found, &subdirectories);
    it.increment(error);
  }
  if (!error) {
    // Threads take subdirectories in turn; results and errors are kept per
    // subdirectory, so the outcome does not depend on the threads.
    std::vector<std::vector<std::string>> found_below(subdirectories.size());
    std::vector<std::error_code> errors(subdirectories.size());
    std::atomic<size_t> next{0};
    ForEachRange(RangeCount(subdirectories.size(), 1), 1, [&](size_t, size_t, size_t) {
      for (size_t i = next++; i < subdirectories.size(); i = next++) {
        errors[i] = WalkDirectory(subdirectories[i], options, &found_below[i]);
      }
    });
    for (size_t i = 0; i < subdirectories.size() && !error; ++i) {
      error = errors[i];
      found.insert(found.end(), found_below[i].begin(), found_below[i].end());
    }
  }
  if (error) {
    return absl::Status(
        error == std::errc::permission_denied ? absl::StatusCode::kPermissionDenied
                                              : absl::StatusCode::kUnavailable,
        absl::StrCat("failed to list corpus directory ", directory, ": ", error.message(),
                     error == std::errc::permission_denied
                         ? "; grant read and execute permission on it and its subdirectories"
                         : ""));
  }
  if (found.empty()) {
    if (options.include_globs.empty() && options.exclude_globs.empty()) {
      return absl::NotFoundError(absl::StrCat("corpus directory ", directory,
                                              " contains no regular file; check the path"));
    }
    return absl::NotFoundError(absl::StrCat("no regular file in corpus directory ", directory,
                                            " passes the ", DescribeGlobs(options),
                                            "; check the directory and the globs"));
  }

  // CheckFiles checks that they are readable.
  std::sort(found.begin(), found.end());
  for (std::string& path : found) files->push_back(std::move(path));
  return absl::OkStatus();
}

// Appends the files that `path` names: itself, or the matching files below it.
absl::Status AppendPathFiles(const std::string& path, const CorpusOptions& options,
                             std::vector<std::string>* files) {
  if (path == kStdinPath) {
    files->push_back(path);
    return absl::OkStatus();
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat("corpus path not found: ", path,
                                            "; check the spelling or pass an existing file or "
                                            "directory"));
  }
  if (error) {
    return absl::Status(error == std::errc::permission_denied
                            ? absl::StatusCode::kPermissionDenied
                            : absl::StatusCode::kUnavailable,
                        absl::StrCat("failed to access corpus path ", path, ": ", error.message(),
                                     error == std::errc::permission_denied
                                         ? "; grant search permission on its parent directories"
                                         : ""));
  }
  if (fs::is_directory(status)) return AppendDirectoryFiles(path, options, files);

  // A FIFO is accepted so that shell process substitution, <(zcat ...), works.
  if (!fs::is_regular_file(status) && !fs::is_fifo(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "corpus path ", path, " is neither a regular file nor a directory; pass a file or a "
        "directory of files"));
  }
  files->push_back(path);  // CheckFiles checks that it is readable
  return absl::OkStatus();
}

// Checks that every file but standard input is readable and returns the sum
// of the sizes of the regular ones (a FIFO has none). Each check walks the
// file's path in the kernel, so large lists are checked on several threads.
// The error is the one of the first failing file in list order.
absl::StatusOr<uint64_t> CheckFiles(const std::vector<std::string>& files) {
  constexpr size_t kFilesPerThread = 512;
  const size_t ranges = RangeCount(files.size(), kFilesPerThread);
  std::vector<absl::Status> errors(ranges);
  std::vector<uint64_t> bytes(ranges, 0);
  ForEachRange(files.size(), kFilesPerThread, [&](size_t begin, size_t end, size_t range) {
    for (size_t i = begin; i < end; ++i) {
      if (files[i] == kStdinPath) continue;
      if (absl::Status readable = CheckReadable(files[i]); !readable.ok()) {
        errors[range] = std::move(readable);
        return;
      }
      struct stat info {};
      if (::stat(files[i].c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
        bytes[range] += static_cast<uint64_t>(info.st_size);
      }
    }
  });
  uint64_t total = 0;
  for (size_t range = 0; range < ranges; ++range) {
    if (!errors[range].ok()) return errors[range];
    total += bytes[range];
  }
  return total;
}

// Appends the paths that the file `list` names, one per line.
absl::Status AppendListedPaths(const std::string& list, std::vector<std::string>* paths) {
  auto source = OpenByteSource(list);
  if (!source.ok()) return source.status();
  std::string content;
  std::vector<char> chunk(kReadChunkBytes);
  while (true) {
    absl::StatusOr<size_t> n = (*source)->Read(chunk.data(), chunk.size());
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    content.append(chunk.data(), *n);
  }
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    if (line.find_first_not_of(" \t") == absl::string_view::npos) continue;
    paths->emplace_back(line);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Reader.

class CorpusReaderImpl final : public CorpusReader {
 public:
  CorpusReaderImpl(const CorpusOptions& options, std::vector<std::string> files,
                   uint64_t total_file_bytes)
      : format_(options.format),
        block_bytes_(options.block_bytes),
        keep_byte_order_mark_(options.keep_byte_order_mark),
        allow_nul_bytes_(options.allow_nul_bytes),
        max_bytes_(options.max_bytes == 0 ? std::numeric_limits<uint64_t>::max()
                                          : options.max_bytes),
        files_(std::move(files)),
        total_file_bytes_(total_file_bytes) {}

  absl::StatusOr<bool> Next(CorpusBlock* block) override {
    if (!status_.ok()) return status_;
    while (!finished_) {
      if (bytes_read_ >= max_bytes_) {
        finished_ = true;
        break;
      }
      if (source_ == nullptr) {
        if (file_index_ == files_.size()) break;
        absl::Status opened = OpenFile(files_[file_index_]);
        if (!opened.ok()) return Fail(opened);
      }

      absl::StatusOr<Cut> cut = FindCut();
      if (!cut.ok()) return Fail(cut.status());
      switch (cut->kind) {
        case CutKind::kBlock:
          if (!allow_nul_bytes_) {
            absl::Status checked = CheckNoNulByte(cut->length);
            if (!checked.ok()) return Fail(checked);
          }
          FillBlock(cut->length, block);
          return true;
        case CutKind::kEndOfFile:
          source_.reset();
          ++file_index_;
          break;
        case CutKind::kLimitReached:
          finished_ = true;
          break;
      }
    }
    source_.reset();
    return false;
  }

  void SkipFile() override {
    if (source_ == nullptr) return;
    source_.reset();
    pending_.clear();
    ++file_index_;
  }

  const std::vector<std::string>& files() const override { return files_; }
  uint64_t total_file_bytes() const override { return total_file_bytes_; }
  uint64_t bytes_read() const override { return bytes_read_; }

 private:
  enum class CutKind {
    kBlock,         // the next block is the first `length` bytes of pending_
    kEndOfFile,     // the current file has no more bytes
    kLimitReached,  // the next line would take bytes_read_ past max_bytes_
  };
  struct Cut {
    CutKind kind;
    size_t length = 0;
  };

  absl::Status OpenFile(const std::string& path) {
    auto source = OpenByteSource(path);
    if (!source.ok()) return source.status();
    source_ = *std::move(source);
    current_format_ = ResolveFormat(format_, path);
    pending_.clear();
    scanned_ = 0;
    source_eof_ = false;
    next_line_ = 1;
    file_offset_ = 0;
    return absl::OkStatus();
  }

  absl::Status Fail(absl::Status status) {
    status_ = std::move(status);
    source_.reset();
    return status_;
  }

  // Appends up to kReadChunkBytes from the current file to pending_.
  absl::Status ReadMore() {
    const size_t old_size = pending_.size();
    pending_.resize(old_size + kReadChunkBytes);
    absl::StatusOr<size_t> n = source_->Read(pending_.data() + old_size, kReadChunkBytes);
    pending_.resize(old_size + (n.ok() ? *n : 0));
    if (!n.ok()) return n.status();
    if (*n == 0) source_eof_ = true;
    return absl::OkStatus();
  }

  // Decides where the next block ends, reading more of the file as needed.
  // The block takes as many whole lines as fit in block_bytes_, or one longer
  // line, but never a line that would take bytes_read_ past max_bytes_.
  absl::StatusOr<Cut> FindCut() {
    while (true) {
      if (pending_.empty() && source_eof_) return Cut{CutKind::kEndOfFile};
      const uint64_t remaining = max_bytes_ - bytes_read_;
      const size_t capacity = static_cast<size_t>(std::min<uint64_t>(block_bytes_, remaining));

      // Resume the search where the last one stopped, so that a line of many
      // read chunks is scanned once.
      const size_t first_newline = pending_.find('\n', scanned_);
      if (first_newline == std::string::npos) scanned_ = pending_.size();

      if (first_newline != std::string::npos || source_eof_) {
        const size_t first_length =
            first_newline != std::string::npos ? first_newline + 1 : pending_.size();
        if (first_length > remaining) return Cut{CutKind::kLimitReached};
        if (first_length > capacity) return Cut{CutKind::kBlock, first_length};

        // The first line fits, so fill the block with whole lines up to `capacity`.
        if (source_eof_ && pending_.size() <= capacity) {
          return Cut{CutKind::kBlock, pending_.size()};
        }
        if (pending_.size() >= capacity) {
          return Cut{CutKind::kBlock, pending_.rfind('\n', capacity - 1) + 1};
        }
      } else if (pending_.size() > remaining) {
        return Cut{CutKind::kLimitReached};
      } else if (pending_.size() > kMaxLineBytes) {
        return corpus_internal::LineTooLongError(files_[file_index_], next_line_);
      }

      absl::Status status = ReadMore();
      if (!status.ok()) return status;
    }
  }

  // Fails on the first NUL byte in the next `length` bytes of pending_.
  absl::Status CheckNoNulByte(size_t length) const {
    const void* nul = std::memchr(pending_.data(), '\0', length);
    if (nul == nullptr) return absl::OkStatus();
    const size_t position = static_cast<const char*>(nul) - pending_.data();
    const uint64_t line =
        next_line_ + std::count(pending_.begin(), pending_.begin() + position, '\n');
    return corpus_internal::NulByteError(files_[file_index_], file_offset_ + position, line);
  }

  void FillBlock(size_t length, CorpusBlock* block) {
    block->bytes.assign(pending_, 0, length);
    pending_.erase(0, length);
    scanned_ = 0;
    block->path = files_[file_index_];
    block->file_index = file_index_;
    block->first_line = next_line_;
    block->format = current_format_;
    block->keep_byte_order_mark = keep_byte_order_mark_;
    next_line_ += std::count(block->bytes.begin(), block->bytes.end(), '\n');
    file_offset_ += length;
    bytes_read_ += length;
  }

  const CorpusFormat format_;
  const size_t block_bytes_;
  const bool keep_byte_order_mark_;
  const bool allow_nul_bytes_;
  const uint64_t max_bytes_;  // the maximum of uint64_t when there is no limit
  const std::vector<std::string> files_;
  const uint64_t total_file_bytes_;

  size_t file_index_ = 0;
  std::unique_ptr<ByteSource> source_;  // the open file, or null between files
  CorpusFormat current_format_ = CorpusFormat::kText;
  std::string pending_;                 // bytes read from source_ but not yet returned
  size_t scanned_ = 0;                  // length of the prefix of pending_ known to have no '\n'
  bool source_eof_ = false;
  uint64_t next_line_ = 1;              // 1-based number of the first line in pending_
  uint64_t file_offset_ = 0;            // offset of pending_[0] in the current file's content
  uint64_t bytes_read_ = 0;
  bool finished_ = false;
  absl::Status status_;                 // the first error, returned by every later Next
};

// ---------------------------------------------------------------------------
// Sequences.

const char* JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    default:
      return "not a JSON value";
  }
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Finds `field` in `record`: a top-level field of that name, or else, for a
// dotted name such as "meta.text", the field reached by walking nested
// objects. Returns null when there is none.
const nlohmann::json* FindField(const nlohmann::json& record, absl::string_view field) {
  const auto it = record.find(std::string_view(field.data(), field.size()));
  if (it != record.end()) return &*it;
  const nlohmann::json* value = &record;
  for (absl::string_view part : absl::StrSplit(field, '.')) {
    if (!value->is_object()) return nullptr;
    const auto child = value->find(std::string_view(part.data(), part.size()));
    if (child == value->end()) return nullptr;
    value = &*child;
  }
  return value == &record ? nullptr : value;
}

absl::Status VisitJsonLine(
    std::string_view line, absl::string_view field, const CorpusBlock& block,
    uint64_t line_number,
    const std::function<void(std::string_view, uint64_t)>& visit) {
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    // what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 5: <reason>". Its line number counts within the record, so only
    // the reason is kept, with e.byte, the 1-based position in the line.
    const absl::string_view message = e.what();
    const size_t reason_start = message.find(": ");
    const absl::string_view reason =
        reason_start == absl::string_view::npos ? message : message.substr(reason_start + 2);
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON on line ", line_number, " of ",
                                                   block.path, " at byte ", e.byte, ": ", reason));
  } catch (const nlohmann::json::exception& e) {
    // Other parser errors, such as a number too large for a double
    // ("1e999"), which nlohmann reports as out_of_range.
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON on line ", line_number, " of ",
                                                   block.path, ": ", e.what()));
  }
  if (!record.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line_number, " of ", block.path, " is ", JsonTypeName(record),
                     ", expected a JSON object with a \"", field, "\" field"));
  }
  const nlohmann::json* value = FindField(record, field);
  if (value == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing field \"", field, "\" on line ", line_number, " of ", block.path,
                     "; set the text field to the name of the field that contains the text"));
  }
  if (!value->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("field \"", field, "\" on line ", line_number, " of ", block.path, " is ",
                     JsonTypeName(*value), ", expected a string"));
  }
  visit(value->get_ref<const std::string&>(), line_number);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CorpusReader>> CorpusReader::Open(const CorpusOptions& options) {
  if (options.paths.empty() && options.path_list_files.empty()) {
    return absl::InvalidArgumentError(
        "no corpus paths given; pass at least one file or directory");
  }
  if (options.block_bytes == 0) {
    return absl::InvalidArgumentError("corpus block_bytes is 0; set it to a positive size");
  }

  std::vector<std::string> paths = options.paths;
  for (const std::string& list : options.path_list_files) {
    absl::Status status = AppendListedPaths(list, &paths);
    if (!status.ok()) return status;
  }
  if (paths.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the path lists ", absl::StrJoin(options.path_list_files, ", "),
        " name no corpus file; list one path per line"));
  }
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    absl::Status status = AppendPathFiles(path, options, &files);
    if (!status.ok()) return status;
  }
  if (std::count(files.begin(), files.end(), std::string(kStdinPath)) > 1) {
    return absl::InvalidArgumentError(
        "standard input (\"-\") is named more than once; name it once");
  }

  absl::StatusOr<uint64_t> total_file_bytes = CheckFiles(files);
  if (!total_file_bytes.ok()) return total_file_bytes.status();
  return std::make_unique<CorpusReaderImpl>(options, std::move(files), *total_file_bytes);
}

absl::Status ForEachSequence(const CorpusBlock& block, std::string_view text_field,
                             const std::function<void(std::string_view)>& visit) {
  return ForEachSequence(block, text_field,
                         [&visit](std::string_view sequence, uint64_t) { visit(sequence); });
}

absl::Status ForEachSequence(
    const CorpusBlock& block, std::string_view text_field,
    const std::function<void(std::string_view sequence, uint64_t line_number)>& visit) {
  std::string_view bytes = block.bytes;
  if (block.first_line == 1 && !block.keep_byte_order_mark && bytes.starts_with(kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
  }
  return corpus_internal::ForEachSequenceIn(bytes, block.path, block.first_line, block.format,
                                            text_field, visit);
}

namespace corpus_internal {

CorpusFormat ResolveFormat(CorpusFormat requested, const std::string& path) {
  return tokforge::ResolveFormat(requested, path);
}

bool NeedsCorpusReader(const std::string& path) {
  if (path == kStdinPath) return true;
  const std::string name = fs::path(path).filename().string();
  return StripCompressionSuffix(name).size() != name.size();
}

absl::Status LineTooLongError(const std::string& path, uint64_t line_number) {
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", line_number, " of ", path, " is longer than ", kMaxLineBytes >> 20,
      " MiB; every line (or JSON Lines record) is one sequence and must fit in memory: "
      "split the file into lines or records, or check that it is a text file"));
}

absl::Status NulByteError(const std::string& path, uint64_t offset, uint64_t line_number) {
  const bool compressed = path != kStdinPath && NeedsCorpusReader(path);
  const std::string where =
      absl::StrCat("byte offset ", offset, compressed ? " of the uncompressed content" : "",
                   " (line ", line_number, ")");
  if (path == kStdinPath) {
    return absl::InvalidArgumentError(absl::StrCat(
        "standard input contains a NUL byte at ", where,
        ", so it is probably binary data, not text; check what is piped in, or pass "
        "--allow-nul-bytes if the NUL bytes are meant to be text"));
  }
  const std::string name = fs::path(path).filename().string();
  return absl::InvalidArgumentError(absl::StrCat(
      "corpus file ", path, " contains a NUL byte at ", where,
      ", so it is probably a binary file, not text; leave it out of the inputs (inside a "
      "directory, with an exclude glob such as --exclude '", name,
      "'), or pass --allow-nul-bytes (Python: allow_nul_bytes=True) if the NUL bytes are "
      "meant to be text"));
}

absl::Status ForEachSequenceIn(
    std::string_view bytes, const std::string& path, uint64_t first_line, CorpusFormat format,
    std::string_view text_field,
    const std::function<void(std::string_view sequence, uint64_t line_number)>& visit) {
  const absl::string_view field = text_field.empty() ? "text" : ToAbsl(text_field);
  // VisitJsonLine names the file through a block.
  CorpusBlock named;
  named.path = path;

  uint64_t line_number = first_line;
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const size_t length = newline == std::string_view::npos ? bytes.size() : newline + 1;
    const std::string_view line = bytes.substr(0, length);
    bytes.remove_prefix(length);

    if (format == CorpusFormat::kJsonl) {
      if (!IsBlank(line)) {
        absl::Status status = VisitJsonLine(line, field, named, line_number, visit);
        if (!status.ok()) return status;
      }
    } else {
      visit(line, line_number);
    }
    ++line_number;
  }
  return absl::OkStatus();
}

}  // namespace corpus_internal

absl::Status ReadCorpusFileContent(const std::string& path,
                                   const std::function<void(std::string_view)>& consume) {
  std::error_code error;
  if (path == kStdinPath || fs::is_fifo(fs::status(path, error))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "corpus input ", path == kStdinPath ? "standard input" : path,
        " is a pipe, which cannot be read twice to find duplicate files; save it to a file, or "
        "use JSON Lines or line documents, which are checked while they are read"));
  }
  auto source = OpenByteSource(path);
  if (!source.ok()) return source.status();
  if (auto* mapped = dynamic_cast<MappedFileSource*>(source->get())) {
    while (true) {
      const std::string_view view = mapped->ReadView(kMappedReleaseBytes);
      if (view.empty()) return absl::OkStatus();
      consume(view);
    }
  }
  std::vector<char> chunk(kReadChunkBytes);
  while (true) {
    absl::StatusOr<size_t> n = (*source)->Read(chunk.data(), chunk.size());
    if (!n.ok()) return n.status();
    if (*n == 0) return absl::OkStatus();
    consume(std::string_view(chunk.data(), *n));
  }
}

}  // namespace tokforge
