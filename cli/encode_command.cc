#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "args.h"
#include "commands.h"
#include "tokforge/tokenizer.h"

namespace tokforge::cli {
namespace {

constexpr char kEncodeUsage[] =
    "usage: tokforge encode --tokenizer FILE [OPTIONS] [INPUT]\n"
    "\n"
    "Encodes every line of INPUT (default: stdin); a line without its trailing\n"
    "newline is one sequence. Prints one line of space-separated ids per line.\n"
    "The tokenizer may be a tokenizer.json, a tiktoken .tiktoken file, or a\n"
    "vocab.json with merges.txt beside it.\n"
    "\n"
    "options:\n"
    "  --tokenizer FILE       tokenizer.json to encode with (required)\n"
    "  --format ids|tokens|jsonl\n"
    "                         print ids (default), token strings, or one JSON object\n"
    "                         per line with ids, tokens and byte offsets\n"
    "  --no-special-tokens    do not let the post-processor add special tokens\n"
    "  --threads N            encoding threads (default: all cores)\n";

constexpr char kDecodeUsage[] =
    "usage: tokforge decode --tokenizer FILE [OPTIONS] [INPUT]\n"
    "\n"
    "Decodes every line of space-separated ids of INPUT (default: stdin) and\n"
    "prints the text, one line per input line.\n"
    "\n"
    "options:\n"
    "  --tokenizer FILE        tokenizer.json to decode with (required)\n"
    "  --skip-special-tokens   leave special tokens out of the text\n";

// Input lines come from a named file or stdin.
struct LineSource {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = nullptr;
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
  source.file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*source.file) {
    return absl::NotFoundError(absl::StrCat("cannot open input ", path,
                                            ": no such file or not readable"));
  }
  source.stream = source.file.get();
  return source;
}

absl::StatusOr<Tokenizer> LoadTokenizer(const Args& args) {
  if (!args.Has("tokenizer")) {
    return absl::InvalidArgumentError("--tokenizer FILE is required (a tokenizer.json)");
  }
  return Tokenizer::FromFile(args.Get("tokenizer"));
}

}  // namespace

int RunEncode(int argc, char** argv) {
  absl::StatusOr<Args> parsed =
      Args::Parse(argc, argv, {"tokenizer", "format", "threads"}, {"no-special-tokens", "help"});
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
  absl::StatusOr<int64_t> threads = args.GetInt("threads", 0, 1, 1024);
  if (!threads.ok()) return ReportError(threads.status());
  absl::StatusOr<Tokenizer> tokenizer = LoadTokenizer(args);
  if (!tokenizer.ok()) return ReportError(tokenizer.status());
  absl::StatusOr<LineSource> input = OpenInput(args);
  if (!input.ok()) return ReportError(input.status());
  const bool add_special_tokens = !args.Has("no-special-tokens");

  std::ios::sync_with_stdio(false);
  // Lines are encoded in batches so that threads share the work while memory
  // stays bounded.
  constexpr size_t kBatchLines = 8192;
  std::vector<std::string> lines;
  std::string output;
  std::string line;
  bool more = true;
  while (more) {
    lines.clear();
    while (lines.size() < kBatchLines && (more = static_cast<bool>(std::getline(*input->stream, line)))) {
      lines.push_back(std::move(line));
    }
    if (lines.empty()) break;
    output.clear();
    if (format == "ids") {
      std::vector<std::string_view> views(lines.begin(), lines.end());
      const std::vector<std::vector<uint32_t>> batch =
          tokenizer->EncodeBatchIds(views, add_special_tokens, static_cast<int>(*threads));
      for (const std::vector<uint32_t>& ids : batch) {
        for (size_t i = 0; i < ids.size(); ++i) {
          if (i > 0) output.push_back(' ');
          absl::StrAppend(&output, ids[i]);
        }
        output.push_back('\n');
      }
    } else if (format == "tokens") {
      for (const std::string& text : lines) {
        const Encoding encoding = tokenizer->Encode(text, add_special_tokens);
        output.append(absl::StrJoin(encoding.tokens, " "));
        output.push_back('\n');
      }
    } else {
      for (const std::string& text : lines) {
        const Encoding encoding = tokenizer->Encode(text, add_special_tokens);
        const nlohmann::json object{{"ids", encoding.ids},
                                    {"tokens", encoding.tokens},
                                    {"offsets", encoding.offsets}};
        output.append(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        output.push_back('\n');
      }
    }
    std::cout.write(output.data(), static_cast<std::streamsize>(output.size()));
  }
  std::cout.flush();
  if (input->stream->bad()) return ReportError("failed to read the input");
  return std::cout ? 0 : ReportError("failed to write the output");
}

int RunDecode(int argc, char** argv) {
  absl::StatusOr<Args> parsed =
      Args::Parse(argc, argv, {"tokenizer"}, {"skip-special-tokens", "help"});
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
        return ReportError(absl::StrCat("line ", line_number, ": \"", field,
                                        "\" is not a token id of this tokenizer (ids are 0 to ",
                                        id_limit - 1, ")"));
      }
      ids.push_back(id);
    }
    const std::string text = tokenizer->Decode(ids, skip_special);
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::cout.put('\n');
  }
  std::cout.flush();
  return std::cout ? 0 : ReportError("failed to write the output");
}

}  // namespace tokforge::cli
