#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "args.h"
#include "commands.h"
#include "interrupt.h"
#include "tokforge/tokenizer.h"

namespace tokforge::cli {
namespace {

constexpr char kEncodeUsage[] =
    "usage: tokforge encode --tokenizer FILE [OPTIONS] [INPUT]\n"
    "\n"
    "Encodes every line of INPUT (default: stdin); a line without its trailing\n"
    "newline is one sequence. Prints one line of space-separated ids per line.\n"
    "The tokenizer may be a tokenizer.json, a SentencePiece .model file, a\n"
    "tiktoken .tiktoken file, or a vocab.json with merges.txt beside it.\n"
    "\n"
    "options:\n"
    "  --tokenizer FILE       tokenizer to encode with (required; see above)\n"
    "  --format ids|tokens|jsonl\n"
    "                         print ids (default), token strings, or one JSON object\n"
    "                         per line with ids, tokens and byte offsets\n"
    "  --no-special-tokens    do not let the post-processor add special tokens\n"
    "  --output FILE          write to FILE instead of standard output; FILE is\n"
    "                         replaced only when the whole input was encoded\n"
    "  --threads N            encoding threads (default 0: all cores)\n";

constexpr char kDecodeUsage[] =
    "usage: tokforge decode --tokenizer FILE [OPTIONS] [INPUT]\n"
    "\n"
    "Decodes every line of space-separated ids of INPUT (default: stdin) and\n"
    "prints the text, one line per input line.\n"
    "\n"
    "options:\n"
    "  --tokenizer FILE        tokenizer.json to decode with (required)\n"
    "  --skip-special-tokens   leave special tokens out of the text\n"
    "  --output FILE           write to FILE instead of standard output; FILE is\n"
    "                          replaced only when the whole input was decoded\n";

// Input lines come from a named file or stdin.
struct LineSource {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = nullptr;
  std::string name = "standard input";  // for messages: the path, or standard input
};

absl::StatusOr<LineSource> OpenInput(const Args& args) {
  LineSource source;
  if (args.positional().size() > 1) {
    return absl::InvalidArgumentError("give at most one INPUT file");
  }
  if (args.positional().empty() || args.positional()[0] == "-") {
    source.stream = &std::cin;
    return source;
  }
  const std::string& path = args.positional()[0];
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input ", path, " is a directory; give one text file, or - for standard input"));
  }
  source.file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*source.file) {
    return absl::NotFoundError(absl::StrCat("cannot open input ", path,
                                            ": no such file or not readable"));
  }
  source.stream = source.file.get();
  source.name = path;
  return source;
}

// The output of encode and decode: standard output, or with --output FILE a
// temporary file beside FILE that replaces it once the whole input is done.
// So a failure or an interrupt leaves FILE as it was, with no partial file.
class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() {
    if (file_ == nullptr) return;
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }

  // Opens the output; an empty `path` means standard output.
  absl::Status Open(const std::string& path) {
    if (path.empty()) return absl::OkStatus();
    path_ = path;
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--output ", path, " is a directory; give a file name"));
    }
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, error)) {
      return absl::NotFoundError(absl::StrCat("cannot write --output ", path, ": the directory ",
                                              parent.string(), " does not exist"));
    }
    temporary_ = absl::StrCat(path, ".tmp-", ::getpid());
    InstallInterruptHandlers(path);
    RemoveOnInterrupt(temporary_);
    file_ = std::make_unique<std::ofstream>(temporary_, std::ios::binary | std::ios::trunc);
    if (!*file_) {
      file_.reset();
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot write --output ", path, ": cannot create a file in its directory"));
    }
    return absl::OkStatus();
  }

  std::ostream& stream() { return file_ != nullptr ? *file_ : std::cout; }

  // Flushes the output and, for a file, moves it into place.
  absl::Status Commit() {
    if (file_ == nullptr) {
      std::cout.flush();
      return std::cout ? absl::OkStatus() : absl::UnavailableError("failed to write the output");
    }
    file_->close();
    if (!*file_) return absl::UnavailableError(absl::StrCat("failed to write ", temporary_));
    ScopedOutputCommit commit;
    std::error_code error;
    std::filesystem::rename(temporary_, path_, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("failed to move ", temporary_, " to ", path_, ": ", error.message()));
    }
    commit.set_output_written(true);
    file_.reset();
    return absl::OkStatus();
  }

 private:
  std::string path_;
  std::string temporary_;
  std::unique_ptr<std::ofstream> file_;
};

absl::StatusOr<Tokenizer> LoadTokenizer(const Args& args) {
  if (!args.Has("tokenizer")) {
    return absl::InvalidArgumentError("--tokenizer FILE is required (a tokenizer.json)");
  }
  return Tokenizer::FromFile(args.Get("tokenizer"));
}

// Returns the byte offset of the first byte of `text` that is not part of a
// valid UTF-8 character (overlong forms and surrogates are invalid), or npos.
size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char lead = bytes[pos];
    size_t length = 0;
    uint32_t min_code_point = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      ++pos;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, min_code_point = 0x80, code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, min_code_point = 0x800, code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, min_code_point = 0x10000, code_point = lead & 0x07;
    } else {
      return pos;
    }
    if (pos + length > text.size()) return pos;
    for (size_t i = 1; i < length; ++i) {
      if ((bytes[pos + i] & 0xC0) != 0x80) return pos;
      code_point = (code_point << 6) | (bytes[pos + i] & 0x3F);
    }
    if (code_point < min_code_point || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return pos;
    }
    pos += length;
  }
  return std::string_view::npos;
}

// Reads a stream in blocks and hands out its lines, without their "\n", as
// views into its buffer. As with std::getline, a last line without "\n" is
// a line, and an empty input has none.
class LineReader {
 public:
  explicit LineReader(std::istream* stream) : stream_(stream) {}

  // Replaces `lines` with the next lines, about `block_bytes` of them and at
  // least one, however long. The views stay valid until the next call.
  // Returns false when no line is left.
  bool Next(size_t block_bytes, std::vector<std::string_view>* lines) {
    lines->clear();
    buffer_.erase(0, consumed_);
    consumed_ = 0;
    size_t complete = FindLastNewline(0);
    while (complete == std::string::npos && !at_end_) {
      const size_t searched = buffer_.size();
      Read(block_bytes);
      complete = FindLastNewline(searched);
    }
    // Up to the last "\n" read so far, or everything at the end of the input.
    const size_t end = complete != std::string::npos ? complete + 1 : buffer_.size();
    const std::string_view text(buffer_.data(), end);
    for (size_t begin = 0; begin < end;) {
      const size_t newline = text.find('\n', begin);
      const size_t line_end = newline == std::string_view::npos ? end : newline;
      lines->push_back(text.substr(begin, line_end - begin));
      begin = line_end + 1;
    }
    consumed_ = end;
    return !lines->empty();
  }

  bool failed() const { return stream_->bad(); }

 private:
  void Read(size_t bytes) {
    const size_t old_size = buffer_.size();
    buffer_.resize(old_size + bytes);
    stream_->read(buffer_.data() + old_size, static_cast<std::streamsize>(bytes));
    buffer_.resize(old_size + static_cast<size_t>(stream_->gcount()));
    if (!*stream_) at_end_ = true;
  }
  // Returns the position of the last "\n" at or after `from`, or npos. Only
  // the bytes from `from` on are searched, so a line longer than many blocks
  // is scanned once, not once per block.
  size_t FindLastNewline(size_t from) const {
    const size_t last = std::string_view(buffer_).substr(from).rfind('\n');
    return last == std::string::npos ? last : from + last;
  }

  std::istream* stream_;
  std::string buffer_;
  size_t consumed_ = 0;
  bool at_end_ = false;
};

// Text for the ids of many texts, formatted by several threads into buffers
// that are kept from one block to the next, so that they are allocated and
// faulted in once.
class IdFormatter {
 public:
  // Formats the ids of each text of `batch` as one line of space-separated
  // numbers and writes the lines to `out`. Formatting is a large part of the
  // work, so `threads` threads share it, each taking a contiguous range of
  // texts.
  void Write(const IdBatch& batch, int threads, std::ostream& out) {
    const size_t texts = batch.size();
    size_t parts = threads > 0 ? static_cast<size_t>(threads) : std::thread::hardware_concurrency();
    parts = std::max<size_t>(1, std::min(parts, texts / 1024));
    if (buffers_.size() < parts) buffers_.resize(parts);
    lengths_.assign(parts, 0);
    std::vector<std::thread> workers;
    for (size_t part = 1; part < parts; ++part) {
      workers.emplace_back([&, part] {
        Format(batch, texts * part / parts, texts * (part + 1) / parts, part);
      });
    }
    Format(batch, 0, texts / parts, 0);
    for (std::thread& worker : workers) worker.join();
    for (size_t part = 0; part < parts; ++part) {
      out.write(buffers_[part].data(), static_cast<std::streamsize>(lengths_[part]));
    }
  }

 private:
  void Format(const IdBatch& batch, size_t first, size_t last, size_t part) {
    // Room for the longest case: 10 digits and a separator per id, and the
    // newline. The buffer only grows, so after the first blocks it is not
    // cleared or reallocated.
    const size_t id_count = batch.offsets[last] - batch.offsets[first];
    std::string& buffer = buffers_[part];
    const size_t needed = id_count * 11 + (last - first);
    if (buffer.size() < needed) buffer.resize(needed);
    char* cursor = buffer.data();
    for (size_t text = first; text < last; ++text) {
      const absl::Span<const uint32_t> ids = batch[text];
      for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) *cursor++ = ' ';
        cursor = std::to_chars(cursor, cursor + 10, ids[i]).ptr;
      }
      *cursor++ = '\n';
    }
    lengths_[part] = static_cast<size_t>(cursor - buffer.data());
  }

  std::vector<std::string> buffers_;
  std::vector<size_t> lengths_;
};

}  // namespace

int RunEncode(int argc, char** argv) {
  absl::StatusOr<Args> parsed =
      Args::Parse(argc, argv, {"tokenizer", "format", "threads", "output"},
                  {"no-special-tokens", "help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kEncodeUsage;
    return 0;
  }
  const std::string format = args.Get("format", "ids");
  if (format != "ids" && format != "tokens" && format != "jsonl") {
    return ReportError("--format must be ids, tokens or jsonl, got \"" + format + "\"");
  }
  absl::StatusOr<int64_t> threads = args.GetInt("threads", 0, 0, 1024);
  if (!threads.ok()) return ReportError(threads.status());
  absl::StatusOr<Tokenizer> tokenizer = LoadTokenizer(args);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());
  absl::StatusOr<LineSource> input = OpenInput(args);
  if (!input.ok()) return ReportError(input.status());
  const bool add_special_tokens = !args.Has("no-special-tokens");
  const bool check_utf8 = !tokenizer->EncodesAnyBytes();
  uint64_t line_number = 0;
  Output out;
  if (absl::Status opened = out.Open(args.Get("output")); !opened.ok()) return ReportError(opened);

  std::ios::sync_with_stdio(false);
  // Lines are read and encoded in blocks of about 2 MiB, so that the threads
  // share the work evenly while memory stays bounded.
  constexpr size_t kBlockBytes = size_t{2} << 20;
  LineReader reader(input->stream);
  std::vector<std::string_view> lines;
  std::string output;
  IdFormatter formatter;
  while (reader.Next(kBlockBytes, &lines)) {
    for (const std::string_view text : lines) {
      ++line_number;
      if (!check_utf8) continue;
      if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
        return ReportError(absl::StrFormat(
            "line %d of %s is not valid UTF-8 (byte 0x%02X at byte %d); this tokenizer is not "
            "byte-level and would turn such bytes into unknown tokens; convert the input to "
            "UTF-8, for example with iconv -f latin1 -t utf-8",
            line_number, input->name, static_cast<unsigned char>(text[bad]), bad));
      }
    }
    if (format == "ids") {
      const IdBatch batch =
          tokenizer->EncodeBatchIdsFlat(lines, add_special_tokens, static_cast<int>(*threads));
      formatter.Write(batch, static_cast<int>(*threads), out.stream());
      continue;
    }
    output.clear();
    if (format == "tokens") {
      for (const std::string_view text : lines) {
        const Encoding encoding = tokenizer->Encode(text, add_special_tokens);
        output.append(absl::StrJoin(encoding.tokens, " "));
        output.push_back('\n');
      }
    } else {
      for (const std::string_view text : lines) {
        const Encoding encoding = tokenizer->Encode(text, add_special_tokens);
        const nlohmann::json object{{"ids", encoding.ids},
                                    {"tokens", encoding.tokens},
                                    {"offsets", encoding.offsets}};
        output.append(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        output.push_back('\n');
      }
    }
    out.stream().write(output.data(), static_cast<std::streamsize>(output.size()));
  }
  if (reader.failed()) return ReportError("failed to read " + input->name);
  const absl::Status committed = out.Commit();
  return committed.ok() ? 0 : ReportError(committed);
}

int RunDecode(int argc, char** argv) {
  absl::StatusOr<Args> parsed =
      Args::Parse(argc, argv, {"tokenizer", "output"}, {"skip-special-tokens", "help"});
  if (!parsed.ok()) return ReportError(parsed.status());
  const Args& args = *parsed;
  if (args.Has("help")) {
    std::cout << kDecodeUsage;
    return 0;
  }
  absl::StatusOr<Tokenizer> tokenizer = LoadTokenizer(args);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());
  absl::StatusOr<LineSource> input = OpenInput(args);
  if (!input.ok()) return ReportError(input.status());
  const bool skip_special = args.Has("skip-special-tokens");
  const size_t id_limit = tokenizer->vocab_size(true);
  Output out;
  if (absl::Status opened = out.Open(args.Get("output")); !opened.ok()) return ReportError(opened);

  std::ios::sync_with_stdio(false);
  std::string line;
  std::vector<uint32_t> ids;
  uint64_t line_number = 0;
  while (std::getline(*input->stream, line)) {
    ++line_number;
    ids.clear();
    for (absl::string_view field : absl::StrSplit(line, ' ', absl::SkipWhitespace())) {
      uint32_t id = 0;
      if (!absl::SimpleAtoi(field, &id) || !tokenizer->IdToToken(id)) {
        return ReportError(absl::StrCat("line ", line_number, " of ", input->name, ": \"", field,
                                        "\" is not a token id of this tokenizer (ids are 0 to ",
                                        id_limit - 1, ")"));
      }
      ids.push_back(id);
    }
    const std::string text = tokenizer->Decode(ids, skip_special);
    out.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
    out.stream().put('\n');
  }
  if (input->stream->bad()) return ReportError("failed to read " + input->name);
  const absl::Status committed = out.Commit();
  return committed.ok() ? 0 : ReportError(committed);
}

}  // namespace tokforge::cli
