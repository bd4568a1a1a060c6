// Streaming access to training and analysis corpora.
//
// A corpus is a list of files and directories. Each file is plain UTF-8 text
// or JSON Lines, optionally compressed with gzip (.gz) or zstd (.zst). The
// reader streams it in blocks of whole lines, so memory does not grow with the
// corpus size, and hands the blocks to worker threads, which split them into
// sequences with ForEachSequence. Uncompressed regular files are read through
// a memory mapping.

#ifndef TOKFORGE_CORPUS_H_
#define TOKFORGE_CORPUS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tokforge {

enum class CorpusFormat {
  kAuto,   // JSON Lines when the name ends in .jsonl or .json (before .gz/.zst), else text
  kText,   // every line, with its trailing "\n" or "\r\n", is one sequence
  kJsonl,  // every line is a JSON object and its `text_field` string is one sequence
};

struct CorpusOptions {
  // Files and directories; directories are walked recursively in sorted order.
  // "-" is standard input, read as uncompressed text or JSON Lines (format
  // kAuto reads it as text).
  std::vector<std::string> paths;
  // Files that list more paths, one per line, read after `paths`. Blank lines
  // are skipped and a trailing "\r" is removed. Relative paths are relative
  // to the current directory, as with tar --files-from.
  std::vector<std::string> path_list_files;
  // Shell globs (fnmatch) on the file name inside directories, such as "*.py".
  // Empty means every regular file. Paths named directly are always read.
  std::vector<std::string> include_globs;
  std::vector<std::string> exclude_globs;
  CorpusFormat format = CorpusFormat::kAuto;
  // Field of each JSON Lines record that holds the text ("text" if empty). A
  // dotted name such as "meta.text" names a field of a nested object, unless
  // the record has a top-level field with the whole dotted name.
  std::string text_field;
  // Maximum number of uncompressed bytes to read (0 = no limit). Reading stops
  // before the first line that would cross the limit, so bytes_read() never
  // exceeds it.
  uint64_t max_bytes = 0;
  // Maximum size of a block handed to a worker, in bytes. A single longer line
  // makes a longer block. Open rejects 0.
  size_t block_bytes = 1 << 20;
  // Pass a UTF-8 byte order mark at the start of a file on as text, as
  // Hugging Face's trainer does, instead of dropping it.
  bool keep_byte_order_mark = false;
  // Accept NUL bytes as text. A text corpus with a NUL byte is almost always
  // a binary file picked up by mistake, so by default CorpusReader::Next and
  // CountCorpus fail at the first one, naming the file, the byte offset and
  // the line. Only raw bytes are checked, so a JSON "\u0000" escape is text.
  bool allow_nul_bytes = false;
};

// Whole lines of one file.
struct CorpusBlock {
  std::string bytes;           // complete lines, each ending in "\n" except possibly the file's last
  std::string path;            // file the lines came from
  size_t file_index = 0;       // position of `path` in CorpusReader::files()
  uint64_t first_line = 1;     // 1-based line number of the first line in `bytes`
  CorpusFormat format = CorpusFormat::kText;  // never kAuto
  bool keep_byte_order_mark = false;          // copied from CorpusOptions
};

class CorpusReader {
 public:
  // Resolves the paths and globs to a file list: named files in the given
  // order, each directory's files sorted by path. Fails when a path is missing
  // or unreadable, when a directory has no matching file, or when `paths` is
  // empty. Symbolic links to directories inside a walked directory are not
  // followed.
  static absl::StatusOr<std::unique_ptr<CorpusReader>> Open(const CorpusOptions& options);

  virtual ~CorpusReader() = default;

  // Fills `block` with the next lines. Returns false at the end of the corpus
  // or when max_bytes is reached. Errors name the file: unreadable, truncated
  // or corrupt compressed data, or a NUL byte unless allow_nul_bytes is set,
  // for example. After an error, every later call returns the same error.
  // Not thread-safe: call from one thread.
  virtual absl::StatusOr<bool> Next(CorpusBlock* block) = 0;

  // Drops the rest of the file of the last block, so the next block comes
  // from the next file.
  virtual void SkipFile() = 0;

  // The resolved input files, in reading order.
  virtual const std::vector<std::string>& files() const = 0;
  // Sum of the input file sizes on disk (compressed size for .gz/.zst).
  virtual uint64_t total_file_bytes() const = 0;
  // Uncompressed bytes returned so far.
  virtual uint64_t bytes_read() const = 0;
};

// Calls `visit` with every sequence in `block`: a line with its line ending for
// text, the `text_field` string of a record for JSON Lines ("text" if empty).
// Blank JSON Lines lines are skipped. A UTF-8 byte order mark at the start of
// a file (first_line == 1) is dropped unless block.keep_byte_order_mark is set. Text lines are passed on without UTF-8
// validation. Fails, naming the file and line, on invalid JSON (which includes
// invalid UTF-8 inside a JSON string), a line that is not an object, a missing
// field or a field that is not a string.
absl::Status ForEachSequence(const CorpusBlock& block, std::string_view text_field,
                             const std::function<void(std::string_view)>& visit);

// As above, and passes the 1-based line number of each sequence too.
absl::Status ForEachSequence(
    const CorpusBlock& block, std::string_view text_field,
    const std::function<void(std::string_view sequence, uint64_t line_number)>& visit);

// Calls `consume` with the uncompressed content of one corpus file, in
// chunks, for a pass over the file apart from CorpusReader. Fails, naming
// the file, on read or decompression errors, and for standard input and
// pipes, which cannot be read twice.
absl::Status ReadCorpusFileContent(const std::string& path,
                                   const std::function<void(std::string_view)>& consume);

}  // namespace tokforge

#endif  // TOKFORGE_CORPUS_H_
